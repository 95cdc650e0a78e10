import { z } from "zod";
import { Answer } from "../customers/answers.js";
import { InvalidLinkError } from "../kernel/errors.js";
import { ProductCode } from "../kernel/products.js";

export const SuppressionReason = z.enum([
  "no_email_consent",
  "no_email_address",
  /** The address hard-bounced before (the suppression list): held back until the customer's address changes. */
  "address_bounced",
  "already_holds_product",
  "below_minimum_tier",
  "category_refused",
  /** The customer answered "not now" to an offer of this product within NOT_NOW_QUIET_DAYS: the bank promised to leave it alone. */
  "asked_not_now",
  "above_risk_tolerance",
  "consent_withdrawn",
  "customer_deleted",
  /** The campaign was cancelled before this send was made. */
  "campaign_cancelled",
]);
export type SuppressionReason = z.infer<typeof SuppressionReason>;

/**
 * Why a delivery already queued is held back at send time: the customer changed after the
 * fan-out (withdrew consent or a product category, lost their address, was deleted), or the
 * campaign was cancelled.
 */
export type WithdrawalReason = Extract<
  SuppressionReason,
  | "consent_withdrawn"
  | "no_email_address"
  | "address_bounced"
  | "customer_deleted"
  | "campaign_cancelled"
  | "category_refused"
>;

/**
 * queued: a send message is on its way; sending: claimed by a sender, result not yet
 * recorded (a crash here leaves it so, and it is never sent again); stuck: its send message
 * went to the dead-letter queue (a redrive brings it back); unconfirmed: claimed, and no word
 * from the sender or SES within a bounded time (reconcile.ts): final, never sent again, unless
 * SES's own Send event comes after all. sent and failed are final.
 */
export const DeliveryStatus = z.enum([
  "suppressed",
  "control",
  "queued",
  "sending",
  "stuck",
  "sent",
  "failed",
  "unconfirmed",
]);
export type DeliveryStatus = z.infer<typeof DeliveryStatus>;

export const Delivery = z.object({
  campaignId: z.string(),
  customerId: z.string(),
  productCode: ProductCode,
  status: DeliveryStatus,
  suppressionReason: SuppressionReason.optional(),
  offeredAt: z.iso.datetime(),
  /** The customer's tier ("corporate" for a corporate client) and region at the offer (decide.ts profileOf). */
  tier: z.string().optional(),
  region: z.string().optional(),
  sentAt: z.iso.datetime().optional(),
  messageId: z.string().optional(),
  failureReason: z.string().optional(),
  clickedAt: z.iso.datetime().optional(),
  answer: Answer.optional(),
  answeredAt: z.iso.datetime().optional(),
  convertedAt: z.iso.datetime().optional(),
  /**
   * What the mail system reported after the send (shared/delivery/feedback.ts), each once, at
   * the time the mail system gives. The status stays `sent`: these add to it.
   */
  deliveredAt: z.iso.datetime().optional(),
  /** A hard (permanent) bounce: the address is on the suppression list since. */
  bouncedAt: z.iso.datetime().optional(),
  /** A soft (transient or undetermined) bounce: counted, not suppressed. */
  softBouncedAt: z.iso.datetime().optional(),
  /** The mail system is still trying: counted, not suppressed. */
  delayedAt: z.iso.datetime().optional(),
  /** The customer marked the email as spam: email consent withdrawn at once, as the customer's own. */
  complainedAt: z.iso.datetime().optional(),
  /** SES took the message, then refused to send it (it found a virus, say). */
  rejectedAt: z.iso.datetime().optional(),
  /**
   * The latest time the customer asked, from an expired link, for the email again
   * (responses/renew.ts): counted as `renewed`, never as a second send.
   */
  renewedAt: z.iso.datetime().optional(),
});
export type Delivery = z.infer<typeof Delivery>;

/** The business key, campaign and customer, is the delivery's identity: one per pair, ever. */
export const deliveryIdOf = (campaignId: string, customerId: string) => `${campaignId}.${customerId}`;
export function parseDeliveryId(deliveryId: string): { campaignId: string; customerId: string } {
  const dot = deliveryId.indexOf(".");
  if (dot <= 0 || dot === deliveryId.length - 1) throw new InvalidLinkError();
  return { campaignId: deliveryId.slice(0, dot), customerId: deliveryId.slice(dot + 1) };
}
