import { z } from "zod";
import type { CustomerStore } from "../customers/ports.js";
import { NotFoundError } from "../kernel/errors.js";
import type { Clock } from "../kernel/time.js";
import { type AutoPauseDeps, pauseIfUnhealthy } from "./control.js";
import type { MailOutcome } from "./counters.js";
import type { DeliveryKey, DeliveryStore, OutcomeRecorded, SuppressionList } from "./ports.js";
import { normaliseAddress } from "./suppression.js";

/**
 * What the mail system reports after a send, in the platform's words. The SES adapter
 * (shared/adapters/ses/events.ts) turns SES's event documents into this.
 */
export const MailFeedback = z.object({
  kind: z.enum(["sent", "delivered", "bounced", "delayed", "complained", "rejected", "rendering_failed"]),
  /** The mail system's id of the email (the send's messageId). */
  messageId: z.string().min(1),
  /** When the mail system says it happened. */
  at: z.iso.datetime({ offset: true }),
  /** The delivery the email belongs to, from the tags the sender gave it; absent for mail the platform did not send. */
  delivery: z.object({ campaignId: z.string().min(1), customerId: z.string().min(1) }).optional(),
  /** The recipients the event is about (bounced, complained, delivered...). */
  recipients: z.array(z.string()),
  /** Bounces only: permanent is a hard bounce; transient and undetermined are soft. */
  bounceType: z.enum(["permanent", "transient", "undetermined"]).optional(),
  /** The mail system's more precise reason (a bounce's subtype, a complaint's feedback type). */
  detail: z.string().max(200).optional(),
  /** The mail system's id of the bounce or complaint report: part of the proof. */
  feedbackId: z.string().optional(),
});
export type MailFeedback = z.infer<typeof MailFeedback>;

export type FeedbackDeps = {
  deliveries: Pick<DeliveryStore, "recordOutcome" | "confirmSent">;
  suppressions: Pick<SuppressionList, "suppress">;
  customers: Pick<CustomerStore, "get" | "withdrawEmailConsent">;
} & AutoPauseDeps &
  Clock;

/** `pausedBecause`: the campaign paused itself on this report, and why. */
export type FeedbackResult = {
  outcome: MailOutcome | null;
  recorded: OutcomeRecorded | "not_recorded";
  pausedBecause?: string;
};

/** The outcome a report adds to its delivery, or null for one that adds nothing (the send itself). */
export function outcomeOf(feedback: MailFeedback): MailOutcome | null {
  switch (feedback.kind) {
    case "delivered":
    case "delayed":
    case "complained":
    case "rejected":
      return feedback.kind;
    case "bounced":
      return feedback.bounceType === "permanent" ? "bounced" : "soft_bounced";
    default:
      return null; // "sent" is known from the send; "rendering_failed" concerns templates, which the platform does not use
  }
}

/** The proof a complaint leaves on the customer's consent record: what, when, which campaign, the report's id. */
export const complaintSource = (feedback: MailFeedback, delivery: DeliveryKey) =>
  `complaint (marked as spam) at ${feedback.at} about campaign ${delivery.campaignId}, mail feedback ${
    feedback.feedbackId ?? feedback.messageId
  }`.slice(0, 200);

/**
 * Records one report of the mail system. Reports arrive at least once, so each step is
 * idempotent, and the step that must not be lost comes before the one that counts:
 *
 * - SES's Send event confirms a delivery still claimed, or settled as unconfirmed, as sent: the
 *   sender died after SES took the email and before it wrote so;
 * - a hard bounce puts each bounced address on the suppression list (the first proof stays),
 *   so later campaigns hold the customer back as `address_bounced` until the address changes;
 * - a complaint withdraws the customer's email consent at once, as the customer's own
 *   (`by: "customer"`: no import gives it back), with the complaint as its proof; a report seen
 *   again finds that proof there and writes nothing;
 * - then the delivery records the outcome and its counter, in one transaction, once;
 * - after a bounce or complaint, the campaign pauses itself when its rates crossed SES's
 *   review thresholds (control.ts). Checked on a report seen again too: a check that failed
 *   after the count was written gets its second chance.
 *
 * Soft bounces, delays and rejections are counted, not suppressed.
 */
export async function recordMailFeedback(p: FeedbackDeps, feedback: MailFeedback): Promise<FeedbackResult> {
  const outcome = outcomeOf(feedback);
  const delivery = feedback.delivery;
  if (feedback.kind === "sent" && delivery) {
    // SES took the email: the word a sender that died mid-send never wrote (reconcile.ts).
    const confirmed = await p.deliveries.confirmSent(delivery, feedback.messageId, new Date(feedback.at).toISOString());
    return { outcome: null, recorded: confirmed ? "recorded" : "already_recorded" };
  }
  if (outcome === "bounced") {
    const recordedAt = p.now().toISOString();
    for (const recipient of new Set(feedback.recipients.map(normaliseAddress))) {
      await p.suppressions.suppress({
        address: recipient,
        reason: "hard_bounce",
        at: new Date(feedback.at).toISOString(),
        messageId: feedback.messageId,
        feedbackId: feedback.feedbackId,
        bounceSubType: feedback.detail,
        campaignId: delivery?.campaignId,
        customerId: delivery?.customerId,
        recordedAt,
      });
    }
  }
  if (!outcome || !delivery) return { outcome, recorded: "not_recorded" };
  if (outcome === "complained") await withdrawConsent(p, feedback, delivery);
  const recorded = await p.deliveries.recordOutcome(delivery, outcome, new Date(feedback.at).toISOString());
  if (recorded !== "unknown" && (outcome === "bounced" || outcome === "complained")) {
    const pausedBecause = await pauseIfUnhealthy(p, delivery.campaignId);
    if (pausedBecause) return { outcome, recorded, pausedBecause };
  }
  return { outcome, recorded };
}

async function withdrawConsent(p: FeedbackDeps, feedback: MailFeedback, delivery: DeliveryKey): Promise<void> {
  const source = complaintSource(feedback, delivery);
  const customer = await p.customers.get(delivery.customerId);
  if (!customer) return; // purged meanwhile: nobody left to write to
  if (customer.consent.channels.email?.source === source) return; // this complaint, seen before
  try {
    await p.customers.withdrawEmailConsent(delivery.customerId, p.now().toISOString(), source);
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
  }
}
