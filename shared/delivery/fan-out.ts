import { type CampaignReader, getCampaign } from "../campaigns/get-campaign.js";
import type { CustomerStore } from "../customers/ports.js";
import type { WithSettings } from "../kernel/settings.js";
import { matches } from "../segments/rule.js";
import { decideDelivery } from "./decide.js";
import type { FanoutJob } from "./jobs.js";
import type { DeliveryStore, JobQueue } from "./ports.js";
import { type SettleDeps, settleCampaign } from "./settle.js";

export type FanoutDeps = {
  customers: Pick<CustomerStore, "scanShard">;
  deliveries: Pick<DeliveryStore, "recordFanout" | "finishShard" | "counters">;
  queue: Pick<JobQueue, "enqueueSends" | "enqueueFanout">;
} & CampaignReader &
  SettleDeps &
  WithSettings<"fanoutPageSize" | "lifecycle">;

/**
 * Handles one page of one shard: decides suppression, control or send for each matching
 * customer, records it, queues the sends, then queues the shard's next page. A retried page
 * changes nothing that was already recorded.
 */
export async function fanOutPage(p: FanoutDeps, job: FanoutJob): Promise<{ matched: number; queued: number }> {
  const campaign = await getCampaign(p, job.campaignId);
  const page = await p.customers.scanShard(job.shard, job.totalShards, p.settings.fanoutPageSize, job.cursor);
  // Judged as of the launch, so every shard and every retried page sees the same moment.
  const context = {
    at: campaign.launchedAt ? new Date(campaign.launchedAt) : p.now(),
    lifecycle: p.settings.lifecycle,
  };
  const decisions = page.customers
    .filter((c) => matches(campaign.segmentRule, c, context))
    .map((c) => decideDelivery(c, campaign));
  const toSend = await p.deliveries.recordFanout(campaign, decisions, p.now().toISOString());
  await p.queue.enqueueSends(toSend.map((customerId) => ({ campaignId: campaign.campaignId, customerId })));
  if (page.cursor) {
    await p.queue.enqueueFanout([{ ...job, cursor: page.cursor }]);
  } else if (await p.deliveries.finishShard(campaign.campaignId, job.shard, job.totalShards)) {
    await settleCampaign(p, campaign.campaignId, true);
  }
  return { matched: decisions.length, queued: toSend.length };
}
