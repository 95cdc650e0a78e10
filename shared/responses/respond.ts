import type { Campaign } from "../campaigns/campaign.js";
import { type CampaignReader, getCampaign } from "../campaigns/get-campaign.js";
import type { Answer, CallTime } from "../customers/answers.js";
import type { Customer, Language } from "../customers/customer.js";
import type { CustomerStore } from "../customers/ports.js";
import { type Delivery, deliveryIdOf, parseDeliveryId } from "../delivery/delivery.js";
import { type LinkAction, readLink, signLink, verifyLink } from "../delivery/links.js";
import { InvalidLinkError, ValidationError } from "../kernel/errors.js";
import {
  isInvestment,
  PRODUCT_CATALOGUE,
  type ProductCode,
  type ProductKind,
  type RiskLevel,
} from "../kernel/products.js";
import type { WithSettings } from "../kernel/settings.js";
import type { Clock } from "../kernel/time.js";
import type { ResponseStore } from "./ports.js";
import { preferencesToken } from "./preferences.js";

export type RespondDeps = {
  customers: Pick<CustomerStore, "get" | "withdrawEmailConsent" | "recordAnswer">;
  deliveries: Pick<ResponseStore, "get" | "recordClick" | "recordAnswer">;
} & CampaignReader &
  Clock &
  WithSettings<"linkSigningSecret" | "linkTtlDays">;

async function deliveryForLink(p: RespondDeps, token: string, action: LinkAction): Promise<Delivery> {
  const claims = verifyLink(p.settings.linkSigningSecret, token, action, p.now().getTime());
  const { campaignId, customerId } = parseDeliveryId(claims.deliveryId);
  const delivery = await p.deliveries.get(campaignId, customerId);
  if (!delivery) throw new InvalidLinkError();
  return delivery;
}

/** The product as the offer page describes it, from the catalogue, in the page's language. */
export type ProductView = {
  code: ProductCode;
  name: string;
  kind: ProductKind;
  /** Investments only: the risk level, and the standard risk statement the page must show with it. */
  riskLevel?: RiskLevel;
  investment: boolean;
};

/**
 * What the offer page shows: the campaign's customer-facing title and description (never its
 * internal name), the product, the customer's answer so far and, for call_me, the time they picked,
 * and their relationship manager's name when the bank's records give one.
 */
export type OfferView = {
  title: string;
  description?: string;
  product: ProductView;
  /** The name the customer knows their relationship manager by (relationshipManagerName); absent, none is named. */
  relationshipManager?: string;
  answer?: Answer;
  callTime?: CallTime;
  language: Language;
};

/**
 * What the page after an answer says: the answer, the product it was about, the call time
 * picked, and the token of the customer's preference centre, which it links to.
 */
export type AnswerView = {
  answer: Answer;
  callTime?: CallTime;
  product: ProductView;
  language: Language;
  preferencesToken: string;
};

export function productView(code: ProductCode, language: Language): ProductView {
  const product = PRODUCT_CATALOGUE[code];
  const investment = isInvestment(code);
  return {
    code,
    name: language === "zh-CN" ? product.nameZh : product.nameEn,
    kind: product.kind,
    ...(investment ? { riskLevel: product.riskLevel } : {}),
    investment,
  };
}

/** The page language for a customer: theirs when the campaign has a translation for it. */
const languageFor = (customer: Customer | null, campaign: Campaign): Language =>
  customer && campaign.translations?.[customer.language] ? customer.language : "en";

/**
 * The pages speak the language the email did: the customer's own when the campaign had a
 * translation for it (delivery/send.ts), English otherwise.
 */
export async function pageLanguage(p: RespondDeps, delivery: Delivery, campaign?: Campaign): Promise<Language> {
  const [customer, known] = await Promise.all([
    p.customers.get(delivery.customerId),
    campaign ?? getCampaign(p, delivery.campaignId),
  ]);
  return languageFor(customer, known);
}

/** Opening the offer page is the click; only the first one counts. */
export async function openOffer(p: RespondDeps, token: string): Promise<OfferView> {
  const delivery = await deliveryForLink(p, token, "offer");
  if (!delivery.clickedAt) await p.deliveries.recordClick(delivery, p.now().toISOString());
  const [campaign, customer] = await Promise.all([
    getCampaign(p, delivery.campaignId),
    p.customers.get(delivery.customerId),
  ]);
  const language = languageFor(customer, campaign);
  const product = productView(delivery.productCode, language);
  const kept = customer?.answers?.[delivery.campaignId];
  const description = campaign.description?.[language];
  return {
    // The bank's name for the campaign carries its own words and a timestamp: the customer sees the product's.
    title: campaign.title?.[language] ?? product.name,
    ...(description ? { description } : {}),
    product,
    ...(customer?.relationshipManagerName ? { relationshipManager: customer.relationshipManagerName } : {}),
    answer: delivery.answer,
    ...(delivery.answer === "call_me" && kept?.callTime ? { callTime: kept.callTime } : {}),
    language,
  };
}

/** The language of the pages a link leads to; an invalid link is refused as the pages would refuse it. */
export async function linkLanguage(p: RespondDeps, token: string, action: LinkAction): Promise<Language> {
  return pageLanguage(p, await deliveryForLink(p, token, action));
}

/**
 * The language of an expired link's page (the offer's renewal): its signature still holds, so it
 * names its delivery; a forged one is refused as any invalid link is.
 */
export async function expiredLinkLanguage(p: RespondDeps, token: string, action: LinkAction): Promise<Language> {
  const claims = readLink(p.settings.linkSigningSecret, token, action, p.now().getTime());
  const { campaignId, customerId } = parseDeliveryId(claims.deliveryId);
  const delivery = await p.deliveries.get(campaignId, customerId);
  if (!delivery) throw new InvalidLinkError();
  return pageLanguage(p, delivery);
}

/**
 * The unsubscribe page before the click: its language, and the preference centre it offers
 * instead. An unsubscribe link works at any age (links.ts NEVER_EXPIRES), but the preference
 * link it leads to is the one its email carried, expiring when that did: an old email must not
 * become a fresh preference link that could turn offers back on.
 */
export async function openUnsubscribe(
  p: RespondDeps,
  token: string,
): Promise<{ language: Language; preferencesToken: string }> {
  const { delivery, expiresAt } = await unsubscribeLink(p, token);
  return { language: await pageLanguage(p, delivery), preferencesToken: preferencesTokenOf(p, delivery, expiresAt) };
}

async function unsubscribeLink(p: RespondDeps, token: string) {
  const claims = verifyLink(p.settings.linkSigningSecret, token, "unsubscribe", p.now().getTime());
  const { campaignId, customerId } = parseDeliveryId(claims.deliveryId);
  const delivery = await p.deliveries.get(campaignId, customerId);
  if (!delivery) throw new InvalidLinkError();
  return { delivery, expiresAt: claims.expiresAt };
}

/** The preference link of the same email as an unsubscribe link: signed afresh, expiring when the email's links do. */
const preferencesTokenOf = (p: RespondDeps, delivery: Delivery, expiresAt: number) =>
  signLink(p.settings.linkSigningSecret, {
    deliveryId: deliveryIdOf(delivery.campaignId, delivery.customerId),
    action: "preferences",
    expiresAt,
  });

async function answer(p: RespondDeps, delivery: Delivery, given: Answer, callTime?: CallTime): Promise<void> {
  const now = p.now().toISOString();
  if (!delivery.clickedAt) await p.deliveries.recordClick(delivery, now);
  if (given === "unsubscribe")
    await p.customers.withdrawEmailConsent(delivery.customerId, now, `offer page of campaign ${delivery.campaignId}`);
  if (delivery.answer !== given) await p.deliveries.recordAnswer(delivery, given, now);
  await rememberAnswer(p, delivery, given, now, callTime);
}

/**
 * The customer record's copy of the answer (for "answered" rules), written after the delivery,
 * which counts it. Not behind the delivery's "changed?" check: if this write failed, the
 * customer's retry finds the delivery answered already and still completes the copy. The same
 * answer again, or an older one, changes nothing (withAnswer).
 */
async function rememberAnswer(
  p: RespondDeps,
  delivery: Delivery,
  given: Answer,
  at: string,
  callTime?: CallTime,
): Promise<void> {
  await p.customers.recordAnswer(delivery.customerId, delivery.campaignId, {
    answer: given,
    at,
    ...(callTime ? { callTime } : {}),
    productCode: delivery.productCode,
  });
}

/**
 * Records the answer, and for call_me the time of day the customer picked, if they did (kept
 * with the customer's copy of the answer, for whoever calls). Returns what the page that thanks
 * the customer says.
 */
export async function answerOffer(
  p: RespondDeps,
  token: string,
  given: Answer,
  callTime?: CallTime,
): Promise<AnswerView> {
  if (callTime && given !== "call_me") throw new ValidationError("callTime goes only with the answer call_me");
  const delivery = await deliveryForLink(p, token, "offer");
  await answer(p, delivery, given, callTime);
  const language = await pageLanguage(p, delivery);
  return {
    answer: given,
    ...(callTime ? { callTime } : {}),
    product: productView(delivery.productCode, language),
    language,
    preferencesToken: preferencesToken(p, delivery),
  };
}

/**
 * One-click unsubscribe: consent is withdrawn at once, and the answer is recorded. Returns the
 * delivery and the token of the preference centre its page links to (as openUnsubscribe's).
 */
export async function unsubscribe(
  p: RespondDeps,
  token: string,
): Promise<{ delivery: Delivery; preferencesToken: string }> {
  const { delivery, expiresAt } = await unsubscribeLink(p, token);
  const now = p.now().toISOString();
  await p.customers.withdrawEmailConsent(
    delivery.customerId,
    now,
    `unsubscribe link of campaign ${delivery.campaignId}`,
  );
  if (delivery.answer !== "unsubscribe") await p.deliveries.recordAnswer(delivery, "unsubscribe", now);
  await rememberAnswer(p, delivery, "unsubscribe", now);
  return { delivery, preferencesToken: preferencesTokenOf(p, delivery, expiresAt) };
}
