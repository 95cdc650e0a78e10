import type { Campaign } from "../campaigns/campaign.js";
import { type CampaignReader, getCampaign } from "../campaigns/get-campaign.js";
import type { Answer } from "../customers/answers.js";
import type { Language } from "../customers/customer.js";
import type { CustomerStore } from "../customers/ports.js";
import { type Delivery, parseDeliveryId } from "../delivery/delivery.js";
import { type LinkAction, verifyLink } from "../delivery/links.js";
import { InvalidLinkError } from "../kernel/errors.js";
import { PRODUCT_CATALOGUE } from "../kernel/products.js";
import type { WithSettings } from "../kernel/settings.js";
import type { Clock } from "../kernel/time.js";
import type { ResponseStore } from "./ports.js";

export type RespondDeps = {
  customers: Pick<CustomerStore, "get" | "withdrawEmailConsent" | "recordAnswer">;
  deliveries: Pick<ResponseStore, "get" | "recordClick" | "recordAnswer">;
} & CampaignReader &
  Clock &
  WithSettings<"linkSigningSecret">;

async function deliveryForLink(p: RespondDeps, token: string, action: LinkAction): Promise<Delivery> {
  const claims = verifyLink(p.settings.linkSigningSecret, token, action, p.now().getTime());
  const { campaignId, customerId } = parseDeliveryId(claims.deliveryId);
  const delivery = await p.deliveries.get(campaignId, customerId);
  if (!delivery) throw new InvalidLinkError();
  return delivery;
}

export type OfferView = { campaignName: string; productName: string; answer?: Answer; language: Language };

/**
 * The pages speak the language the email did: the customer's own when the campaign had a
 * translation for it (delivery/send.ts), English otherwise.
 */
export async function pageLanguage(p: RespondDeps, delivery: Delivery, campaign?: Campaign): Promise<Language> {
  const [customer, known] = await Promise.all([
    p.customers.get(delivery.customerId),
    campaign ?? getCampaign(p, delivery.campaignId),
  ]);
  return customer && known.translations?.[customer.language] ? customer.language : "en";
}

/** Opening the offer page is the click; only the first one counts. */
export async function openOffer(p: RespondDeps, token: string): Promise<OfferView> {
  const delivery = await deliveryForLink(p, token, "offer");
  if (!delivery.clickedAt) await p.deliveries.recordClick(delivery, p.now().toISOString());
  const campaign = await getCampaign(p, delivery.campaignId);
  const language = await pageLanguage(p, delivery, campaign);
  const product = PRODUCT_CATALOGUE[delivery.productCode];
  return {
    campaignName: campaign.name,
    productName: language === "zh-CN" ? product.nameZh : product.nameEn,
    answer: delivery.answer,
    language,
  };
}

/** The language of the pages a link leads to; an invalid link is refused as the pages would refuse it. */
export async function linkLanguage(p: RespondDeps, token: string, action: LinkAction): Promise<Language> {
  return pageLanguage(p, await deliveryForLink(p, token, action));
}

async function answer(p: RespondDeps, delivery: Delivery, given: Answer): Promise<void> {
  const now = p.now().toISOString();
  if (!delivery.clickedAt) await p.deliveries.recordClick(delivery, now);
  if (given === "unsubscribe")
    await p.customers.withdrawEmailConsent(delivery.customerId, now, `offer page of campaign ${delivery.campaignId}`);
  if (delivery.answer !== given) await p.deliveries.recordAnswer(delivery, given, now);
  await rememberAnswer(p, delivery, given, now);
}

/**
 * The customer record's copy of the answer (for "answered" rules), written after the delivery,
 * which counts it. Not behind the delivery's "changed?" check: if this write failed, the
 * customer's retry finds the delivery answered already and still completes the copy. The same
 * answer again, or an older one, changes nothing (withAnswer).
 */
async function rememberAnswer(p: RespondDeps, delivery: Delivery, given: Answer, at: string): Promise<void> {
  await p.customers.recordAnswer(delivery.customerId, delivery.campaignId, { answer: given, at });
}

/** Records the answer; the delivery it answered is returned for the page that thanks the customer. */
export async function answerOffer(p: RespondDeps, token: string, given: Answer): Promise<Delivery> {
  const delivery = await deliveryForLink(p, token, "offer");
  await answer(p, delivery, given);
  return delivery;
}

/** One-click unsubscribe: consent is withdrawn at once, and the answer is recorded. */
export async function unsubscribe(p: RespondDeps, token: string): Promise<Delivery> {
  const delivery = await deliveryForLink(p, token, "unsubscribe");
  const now = p.now().toISOString();
  await p.customers.withdrawEmailConsent(
    delivery.customerId,
    now,
    `unsubscribe link of campaign ${delivery.campaignId}`,
  );
  if (delivery.answer !== "unsubscribe") await p.deliveries.recordAnswer(delivery, "unsubscribe", now);
  await rememberAnswer(p, delivery, "unsubscribe", now);
  return delivery;
}
