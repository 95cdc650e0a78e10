import { createHash } from "node:crypto";
import type { Campaign } from "../campaigns/campaign.js";
import { saidNotNowTo } from "../customers/answers.js";
import { consentCategoryOf, refusedCategory } from "../customers/consent.js";
import type { Customer } from "../customers/customer.js";
import { exceedsRiskTolerance, PRODUCT_CATALOGUE } from "../kernel/products.js";
import { Tier } from "../kernel/tiers.js";
import type { SuppressionReason } from "./delivery.js";
import { normaliseAddress } from "./suppression.js";

const NONE: ReadonlySet<string> = new Set();

/**
 * Why this customer must not get this offer, or null when they may. Checked before the control
 * draw. `bouncedAddresses` holds the normalised addresses of the suppression list among the
 * customers judged (SuppressionList.suppressedAmong). `at`: the moment the campaign is judged
 * as of (its launch), from which a "not now" is counted back NOT_NOW_QUIET_DAYS.
 */
export function suppressionFor(
  customer: Customer,
  campaign: Pick<Campaign, "offer">,
  bouncedAddresses: ReadonlySet<string> = NONE,
  at: Date = new Date(),
): SuppressionReason | null {
  if (!customer.emailConsent) return "no_email_consent";
  if (!customer.email) return "no_email_address";
  if (bouncedAddresses.has(normaliseAddress(customer.email))) return "address_bounced";
  if (customer.products.includes(campaign.offer.productCode)) return "already_holds_product";
  const minimum = PRODUCT_CATALOGUE[campaign.offer.productCode].minimumTier;
  if (minimum && customer.tier && Tier.options.indexOf(customer.tier) < Tier.options.indexOf(minimum))
    return "below_minimum_tier";
  if (refusedCategory(customer.consent, consentCategoryOf(campaign.offer.productCode))) return "category_refused";
  // The "not now" page promised to leave this product alone for NOT_NOW_QUIET_DAYS.
  if (saidNotNowTo(customer.answers, campaign.offer.productCode, at)) return "asked_not_now";
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

export type FanoutDecision = (
  | { customerId: string; status: "suppressed"; reason: SuppressionReason }
  | { customerId: string; status: "control" }
  | { customerId: string; status: "queued" }
) & { profile?: DeliveryProfile };

/**
 * Who the customer was when the offer was decided, kept on the delivery: results by tier and
 * region count customers as they were at the offer, not as they are when the analyst looks.
 */
export type DeliveryProfile = { tier: string; region: string };
export const profileOf = (customer: Customer): DeliveryProfile => ({
  tier: customer.tier ?? "corporate",
  region: customer.region,
});

export function decideDelivery(
  customer: Customer,
  campaign: Pick<Campaign, "campaignId" | "offer" | "controlGroupPercent">,
  bouncedAddresses: ReadonlySet<string> = NONE,
  at: Date = new Date(),
): FanoutDecision {
  const reason = suppressionFor(customer, campaign, bouncedAddresses, at);
  if (reason) return { customerId: customer.customerId, status: "suppressed", reason };
  if (inControlGroup(campaign.campaignId, customer.customerId, campaign.controlGroupPercent)) {
    return { customerId: customer.customerId, status: "control" };
  }
  return { customerId: customer.customerId, status: "queued" };
}
