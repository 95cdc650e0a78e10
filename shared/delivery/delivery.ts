import { createHash } from "node:crypto";
import { z } from "zod";
import type { Customer } from "../customers/customer.js";
import type { Campaign } from "../campaigns/campaign.js";
import { PRODUCT_CATALOGUE, ProductCode, categoryOf, exceedsRiskTolerance } from "../kernel/products.js";
import { refusedCategory } from "../customers/consent.js";
import { Tier } from "../kernel/tiers.js";
import { InvalidLinkError } from "../kernel/errors.js";

export const SuppressionReason = z.enum([
  "no_email_consent",
  "no_email_address",
  "already_holds_product",
  "below_minimum_tier",
  "category_refused",
  "above_risk_tolerance",
  "consent_withdrawn",
  "customer_deleted",
]);
export type SuppressionReason = z.infer<typeof SuppressionReason>;

/** Why a delivery already queued is held back at send time: the customer changed after the fan-out. */
export type WithdrawalReason = Extract<SuppressionReason, "consent_withdrawn" | "no_email_address" | "customer_deleted">;

export const Answer = z.enum(["interested", "call_me", "not_now", "unsubscribe"], {
  error: "answer must be one of interested, call_me, not_now, unsubscribe",
});
export type Answer = z.infer<typeof Answer>;

/**
 * queued: a send message is on its way; sending: claimed by a sender, result not yet
 * recorded (a crash here leaves it so, and it is never sent again); sent and failed are final.
 */
export const DeliveryStatus = z.enum(["suppressed", "control", "queued", "sending", "sent", "failed"]);
export type DeliveryStatus = z.infer<typeof DeliveryStatus>;

export const Delivery = z.object({
  campaignId: z.string(),
  customerId: z.string(),
  productCode: ProductCode,
  status: DeliveryStatus,
  suppressionReason: SuppressionReason.optional(),
  offeredAt: z.iso.datetime(),
  sentAt: z.iso.datetime().optional(),
  messageId: z.string().optional(),
  failureReason: z.string().optional(),
  clickedAt: z.iso.datetime().optional(),
  answer: Answer.optional(),
  answeredAt: z.iso.datetime().optional(),
  convertedAt: z.iso.datetime().optional(),
});
export type Delivery = z.infer<typeof Delivery>;

/** The business key, campaign and customer, is the delivery's identity: one per pair, ever. */
export const deliveryIdOf = (campaignId: string, customerId: string) => `${campaignId}.${customerId}`;
export function parseDeliveryId(deliveryId: string): { campaignId: string; customerId: string } {
  const dot = deliveryId.indexOf(".");
  if (dot <= 0 || dot === deliveryId.length - 1) throw new InvalidLinkError();
  return { campaignId: deliveryId.slice(0, dot), customerId: deliveryId.slice(dot + 1) };
}

/** Why this customer must not get this offer, or null when they may. Checked before the control draw. */
export function suppressionFor(customer: Customer, campaign: Pick<Campaign, "offer">): SuppressionReason | null {
  if (!customer.emailConsent) return "no_email_consent";
  if (!customer.email) return "no_email_address";
  if (customer.products.includes(campaign.offer.productCode)) return "already_holds_product";
  const minimum = PRODUCT_CATALOGUE[campaign.offer.productCode].minimumTier;
  if (minimum && customer.tier && Tier.options.indexOf(customer.tier) < Tier.options.indexOf(minimum)) return "below_minimum_tier";
  if (refusedCategory(customer.consent, categoryOf(campaign.offer.productCode))) return "category_refused";
  if (exceedsRiskTolerance(campaign.offer.productCode, customer.riskTolerance)) return "above_risk_tolerance";
  return null;
}

/**
 * Deterministic control draw: the same campaign and customer always land in the same group,
 * so a retried fan-out page never moves anyone between groups.
 */
export function inControlGroup(campaignId: string, customerId: string, controlGroupPercent: number): boolean {
  if (controlGroupPercent <= 0) return false;
  const hash = createHash("sha256").update(`${campaignId}:${customerId}`).digest();
  const bucket = hash.readUInt32BE(0) / 0x1_0000_0000; // uniform in [0, 1)
  return bucket * 100 < controlGroupPercent;
}

export type FanoutDecision =
  | { customerId: string; status: "suppressed"; reason: SuppressionReason }
  | { customerId: string; status: "control" }
  | { customerId: string; status: "queued" };

export function decideDelivery(customer: Customer, campaign: Pick<Campaign, "campaignId" | "offer" | "controlGroupPercent">): FanoutDecision {
  const reason = suppressionFor(customer, campaign);
  if (reason) return { customerId: customer.customerId, status: "suppressed", reason };
  if (inControlGroup(campaign.campaignId, customer.customerId, campaign.controlGroupPercent)) {
    return { customerId: customer.customerId, status: "control" };
  }
  return { customerId: customer.customerId, status: "queued" };
}
