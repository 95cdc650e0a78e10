import { z } from "zod";
import { ProductCode } from "../kernel/products.js";
import { DAY_MS } from "../kernel/time.js";

/** A customer's reply to an offer, from the offer page, the email's buttons or the unsubscribe link. */
export const Answer = z.enum(["interested", "call_me", "not_now", "unsubscribe"], {
  error: "answer must be one of interested, call_me, not_now, unsubscribe",
});
export type Answer = z.infer<typeof Answer>;

/**
 * What a customer's record remembers of the campaigns that reached it, so that a rule can ask
 * "contacted within 30 days" or "answered campaign X" inside the sharded scan, without a query
 * per customer. The deliveries table stays the record; these are copies, written after it:
 * - `lastContactedAt`: when a campaign email was last sent; it only moves forward, so a late or
 *   redelivered send never moves it back;
 * - `answers`: the latest answer per campaign, for the latest ANSWERS_LIMIT campaigns answered
 *   (older ones drop out, so the item stays small; the deliveries keep every answer).
 */
export const ANSWERS_LIMIT = 50;

/** When a customer who asked to be called would like the call: the offer page lets them pick one. */
export const CallTime = z.enum(["morning", "afternoon", "evening"], {
  error: "callTime must be one of morning, afternoon, evening",
});
export type CallTime = z.infer<typeof CallTime>;

/**
 * `callTime` only with call_me, and only once the customer picked one; for whoever calls.
 * `productCode`: what the campaign offered (answers recorded before it was kept have none).
 */
export const CampaignAnswer = z.object({
  answer: Answer,
  at: z.iso.datetime(),
  callTime: CallTime.optional(),
  productCode: ProductCode.optional(),
});
export type CampaignAnswer = z.infer<typeof CampaignAnswer>;

export const CampaignAnswers = z.record(z.string(), CampaignAnswer);
export type CampaignAnswers = z.infer<typeof CampaignAnswers>;

/**
 * The answers once `given` is recorded for `campaignId`, or null when nothing changes: the same
 * answer again (with the same call time), or an answer older than the one kept (a late write).
 * Keeps the newest ANSWERS_LIMIT campaigns.
 */
export function withAnswer(
  answers: CampaignAnswers,
  campaignId: string,
  given: CampaignAnswer,
): CampaignAnswers | null {
  const previous = Object.hasOwn(answers, campaignId) ? answers[campaignId] : undefined;
  const same = previous?.answer === given.answer && previous?.callTime === given.callTime;
  if (previous && (same || Date.parse(previous.at) > Date.parse(given.at))) return null;
  const newestFirst = [
    ...Object.entries(answers).filter(([id]) => id !== campaignId),
    [campaignId, given] as const,
  ].sort(([, a], [, b]) => Date.parse(b.at) - Date.parse(a.at));
  const kept = newestFirst.slice(0, ANSWERS_LIMIT);
  return kept.some(([id]) => id === campaignId) ? Object.fromEntries(kept) : null;
}

/**
 * Whether the customer was sent a campaign email at most `days` days before `at` (the boundary
 * included). A send after `at` counts too: it landed while the campaign was fanning out, and a
 * frequency cap must not email that customer again.
 */
export function contactedWithin(lastContactedAt: string | undefined, days: number, at: Date): boolean {
  return lastContactedAt !== undefined && Date.parse(lastContactedAt) >= at.getTime() - days * DAY_MS;
}

/** Whether the customer answered the campaign (with `answer`, when given); the latest answer counts. */
export function answeredCampaign(answers: CampaignAnswers | undefined, campaignId: string, answer?: Answer): boolean {
  if (!answers || !Object.hasOwn(answers, campaignId)) return false;
  return answer === undefined || answers[campaignId].answer === answer;
}

/**
 * "Not now": the bank leaves the product alone for this many days; the page after the answer
 * tells the customer so. A default until the bank sets its own.
 */
export const NOT_NOW_QUIET_DAYS = 90;

/**
 * Whether the customer answered "not now" to an offer of `productCode` within `days` days before
 * `at`: the bank promised to leave that product alone, so a campaign offering it holds them back.
 */
export function saidNotNowTo(
  answers: CampaignAnswers | undefined,
  productCode: ProductCode,
  at: Date,
  days = NOT_NOW_QUIET_DAYS,
): boolean {
  return Object.values(answers ?? {}).some(
    (given) =>
      given.answer === "not_now" &&
      given.productCode === productCode &&
      Date.parse(given.at) >= at.getTime() - days * DAY_MS,
  );
}
