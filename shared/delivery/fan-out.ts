import { type CampaignReader, getCampaign } from "../campaigns/get-campaign.js";
import type { CustomerStore } from "../customers/ports.js";
import type { WithSettings } from "../kernel/settings.js";
import { matches } from "../segments/rule.js";
import { decideDelivery, profileOf } from "./decide.js";
import type { FanoutJob } from "./jobs.js";
import type { DeliveryStore, JobQueue, SuppressionList } from "./ports.js";
import { type SettleDeps, settleCampaign } from "./settle.js";
import { normaliseAddress } from "./suppression.js";

export type FanoutDeps = {
  customers: Pick<CustomerStore, "scanShard">;
  deliveries: Pick<DeliveryStore, "recordFanout" | "finishShard" | "counters" | "recordShardProgress">;
  queue: Pick<JobQueue, "enqueueSends" | "enqueueFanout">;
  suppressions: Pick<SuppressionList, "suppressedAmong">;
} & CampaignReader &
  SettleDeps &
  WithSettings<"fanoutPageSize" | "lifecycle">;

/**
 * Handles one page of one shard: decides suppression, control or send for each matching
 * customer, records it, queues the sends, then queues the shard's next page. A retried page
 * changes nothing that was already recorded.
 *
 * A paused campaign's pages go on: deciding and recording contacts nobody, and the sender
 * holds the sends they queue (control.ts). A cancelled campaign's shard stops here, and the
 * customers it has not reached are never recorded, so the funnel still adds up.
 */
export async function fanOutPage(p: FanoutDeps, job: FanoutJob): Promise<{ matched: number; queued: number }> {
  const campaign = await getCampaign(p, job.campaignId);
  if (campaign.status === "cancelled") return { matched: 0, queued: 0 };
  const page = await p.customers.scanShard(job.shard, job.totalShards, p.settings.fanoutPageSize, job.cursor);
  // Judged as of the launch, so every shard and every retried page sees the same moment.
  const context = {
    at: campaign.launchedAt ? new Date(campaign.launchedAt) : p.now(),
    lifecycle: p.settings.lifecycle,
  };
  const matching = page.customers.filter((c) => matches(campaign.segmentRule, c, context));
  // One read of the suppression list for the page's addresses, not one per customer.
  const addresses = matching.flatMap((c) => (c.emailConsent && c.email ? [normaliseAddress(c.email)] : []));
  const bounced = addresses.length > 0 ? await p.suppressions.suppressedAmong(addresses) : new Set<string>();
  const decisions = matching.map((c) => ({
    ...decideDelivery(c, campaign, bounced, context.at),
    profile: profileOf(c),
  }));
  const toSend = await p.deliveries.recordFanout(campaign, decisions, p.now().toISOString());
  await p.queue.enqueueSends(toSend.map((customerId) => ({ campaignId: campaign.campaignId, customerId })));
  if (page.cursor) {
    // Recorded first: should the next page's message be lost, the reconciler resumes the shard from here.
    await p.deliveries.recordShardProgress(campaign.campaignId, job.shard, page.cursor, p.now().toISOString());
    await p.queue.enqueueFanout([{ ...job, cursor: page.cursor }]);
  } else if (await p.deliveries.finishShard(campaign.campaignId, job.shard, job.totalShards)) {
    await settleCampaign(p, campaign.campaignId, true);
  }
  return { matched: decisions.length, queued: toSend.length };
}
