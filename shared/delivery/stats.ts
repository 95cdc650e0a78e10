import { type CampaignReader, getCampaign } from "../campaigns/get-campaign.js";
import type { CampaignStatus } from "../campaigns/lifecycle.js";
import { Answer } from "../customers/answers.js";
import { type Counters, counterFor } from "./counters.js";
import { SuppressionReason } from "./delivery.js";
import type { DeliveryStore } from "./ports.js";

const ratio = (n: number, d: number) => (d === 0 ? null : Math.round((n / d) * 10_000) / 10_000);

export type CampaignStats = ReturnType<typeof funnelOf>;

/** The funnel an analyst sees; every number is a counter, so they add up. */
export function funnelOf(status: CampaignStatus, c: Counters) {
  const n = (key: string) => c[key] ?? 0;
  const targeted = n("targeted");
  const sent = n("sent");
  const failed = n("failed");
  const control = n("control");
  const converted = n("converted");
  const controlConverted = n("controlConverted");
  const responses = Object.fromEntries(Answer.options.map((a) => [a, n(counterFor.answer(a))])) as Record<
    Answer,
    number
  >;
  const responded = Object.values(responses).reduce((a, b) => a + b, 0);
  const suppressed = Object.fromEntries(
    SuppressionReason.options.map((r) => [r, n(counterFor.suppressed(r))]).filter(([, v]) => (v as number) > 0),
  ) as Partial<Record<SuppressionReason, number>>;
  const conversionRate = ratio(converted, targeted);
  const controlConversionRate = ratio(controlConverted, control);
  return {
    status,
    targeted,
    control,
    suppressed,
    queued: Math.max(0, targeted - n("claimed") - n("stuck")),
    /** Claimed by a sender, its result not recorded yet: in flight. */
    sending: Math.max(0, n("claimed") - sent - failed - n("unconfirmed")),
    /** Their send message went to the dead-letter queue: an admin redrives it once the cause is fixed. */
    stuck: n("stuck"),
    /** Claimed, and no word from the sender or SES in time (reconcile.ts): never sent again. */
    unconfirmed: n("unconfirmed"),
    sent,
    failed,
    /** What the mail system reported about the emails sent (shared/delivery/feedback.ts), each once per email. */
    delivered: n("delivered"),
    /** Hard bounces: the address went on the suppression list. */
    bounced: n("bounced"),
    softBounced: n("softBounced"),
    delayed: n("delayed"),
    complained: n("complained"),
    rejected: n("rejected"),
    /**
     * Emails sent again at the customer's request, from an expired link (responses/renew.ts):
     * apart from `sent`, which stays one per customer, so no rate counts a customer twice.
     */
    renewed: n("renewed"),
    clicked: n("clicked"),
    responded,
    responses,
    converted,
    controlConverted,
    rates: {
      deliveryRate: ratio(sent, targeted),
      /** Over sent, as SES reckons them: SES reviews an account at 5% bounces or 0.1% complaints. */
      deliveredRate: ratio(n("delivered"), sent),
      bounceRate: ratio(n("bounced"), sent),
      complaintRate: ratio(n("complained"), sent),
      clickRate: ratio(n("clicked"), sent),
      responseRate: ratio(responded, sent),
      conversionRate,
      controlConversionRate,
      /** Conversion rate of the treated minus that of the control group, in percentage points / 100. */
      lift:
        conversionRate === null || controlConversionRate === null
          ? null
          : Math.round((conversionRate - controlConversionRate) * 10_000) / 10_000,
    },
  };
}

export type StatsDeps = CampaignReader & { deliveries: Pick<DeliveryStore, "counters"> };

export async function campaignStats(p: StatsDeps, campaignId: string): Promise<CampaignStats> {
  const campaign = await getCampaign(p, campaignId);
  return funnelOf(campaign.status, await p.deliveries.counters(campaignId));
}
