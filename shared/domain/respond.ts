import type { Platform } from "../ports/index.js";
import { getCampaign } from "./campaign.js";
import { parseDeliveryId, type Answer, type Delivery } from "./delivery.js";
import { InvalidLinkError } from "./errors.js";
import { verifyLink, type LinkAction } from "./link-token.js";
import { PRODUCT_NAMES } from "./product.js";

async function deliveryForLink(p: Platform, token: string, action: LinkAction): Promise<Delivery> {
  const claims = verifyLink(p.settings.linkSigningSecret, token, action, p.now().getTime());
  const { campaignId, customerId } = parseDeliveryId(claims.deliveryId);
  const delivery = await p.deliveries.get(campaignId, customerId);
  if (!delivery) throw new InvalidLinkError();
  return delivery;
}

export type OfferView = { campaignName: string; productName: string; answer?: Answer };

/** Opening the offer page is the click; only the first one counts. */
export async function openOffer(p: Platform, token: string): Promise<OfferView> {
  const delivery = await deliveryForLink(p, token, "offer");
  if (!delivery.clickedAt) await p.deliveries.recordClick(delivery, p.now().toISOString());
  const campaign = await getCampaign(p, delivery.campaignId);
  return { campaignName: campaign.name, productName: PRODUCT_NAMES[delivery.productCode], answer: delivery.answer };
}

async function answer(p: Platform, delivery: Delivery, given: Answer): Promise<void> {
  const now = p.now().toISOString();
  if (!delivery.clickedAt) await p.deliveries.recordClick(delivery, now);
  if (given === "unsubscribe") await p.customers.withdrawEmailConsent(delivery.customerId, now, `offer page of campaign ${delivery.campaignId}`);
  if (delivery.answer !== given) await p.deliveries.recordAnswer(delivery, given, now);
  await rememberAnswer(p, delivery, given, now);
}

/**
 * The customer record's copy of the answer (for "answered" rules), written after the delivery,
 * which counts it. Not behind the delivery's "changed?" check: if this write failed, the
 * customer's retry finds the delivery answered already and still completes the copy. The same
 * answer again, or an older one, changes nothing (withAnswer).
 */
async function rememberAnswer(p: Platform, delivery: Delivery, given: Answer, at: string): Promise<void> {
  await p.customers.recordAnswer(delivery.customerId, delivery.campaignId, { answer: given, at });
}

export async function answerOffer(p: Platform, token: string, given: Answer): Promise<void> {
  await answer(p, await deliveryForLink(p, token, "offer"), given);
}

/** Checks an unsubscribe link without acting on it (the confirmation page). */
export async function checkUnsubscribeLink(p: Platform, token: string): Promise<void> {
  await deliveryForLink(p, token, "unsubscribe");
}

/** One-click unsubscribe: consent is withdrawn at once, and the answer is recorded. */
export async function unsubscribe(p: Platform, token: string): Promise<void> {
  const delivery = await deliveryForLink(p, token, "unsubscribe");
  await p.customers.withdrawEmailConsent(delivery.customerId, p.now().toISOString(), `unsubscribe link of campaign ${delivery.campaignId}`);
  if (delivery.answer !== "unsubscribe") await p.deliveries.recordAnswer(delivery, "unsubscribe", p.now().toISOString());
  await rememberAnswer(p, delivery, "unsubscribe", p.now().toISOString());
}
