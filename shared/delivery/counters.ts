import type { Answer } from "../customers/answers.js";
import type { Delivery, SuppressionReason } from "./delivery.js";

/** Counters kept beside the deliveries, each changed in the same transaction as a delivery. */
export type Counters = Record<string, number>;

/**
 * What the mail system can report about a sent email, each recorded on the delivery once
 * (the field) and counted once (the counter).
 */
export const MAIL_OUTCOMES = {
  delivered: { field: "deliveredAt", counter: "delivered" },
  bounced: { field: "bouncedAt", counter: "bounced" },
  soft_bounced: { field: "softBouncedAt", counter: "softBounced" },
  delayed: { field: "delayedAt", counter: "delayed" },
  complained: { field: "complainedAt", counter: "complained" },
  rejected: { field: "rejectedAt", counter: "rejected" },
} as const satisfies Record<string, { field: keyof Delivery; counter: string }>;
export type MailOutcome = keyof typeof MAIL_OUTCOMES;

export const counterFor = {
  suppressed: (reason: SuppressionReason) => `suppressed_${reason}`,
  answer: (answer: Answer) => `answer_${answer}`,
};
