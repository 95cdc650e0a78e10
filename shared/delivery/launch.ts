import { requireAsApproved } from "../campaigns/approval.js";
import type { Campaign } from "../campaigns/campaign.js";
import { type CampaignReader, getCampaign } from "../campaigns/get-campaign.js";
import type { CampaignStore } from "../campaigns/ports.js";
import type { Actor } from "../kernel/actor.js";
import type { WithSettings } from "../kernel/settings.js";
import type { Clock } from "../kernel/time.js";
import type { JobQueue } from "./ports.js";

export type LaunchDeps = { campaigns: CampaignStore; queue: Pick<JobQueue, "enqueueFanout"> } & CampaignReader &
  Clock &
  WithSettings<"fanoutShards">;

/**
 * Starts the fan-out: one job per shard of the customer table, never the whole segment in one
 * place. Only what was approved is launched (approval.ts).
 */
export async function launchCampaign(p: LaunchDeps, campaignId: string, actor: Actor): Promise<Campaign> {
  requireAsApproved(await getCampaign(p, campaignId));
  const totalShards = p.settings.fanoutShards;
  const at = p.now().toISOString();
  const launched = await p.campaigns.transition(
    campaignId,
    "launch",
    { launchedBy: actor.name, launchedAt: at, fanoutShards: totalShards },
    { by: actor.name, at },
  );
  await p.queue.enqueueFanout(Array.from({ length: totalShards }, (_, shard) => ({ campaignId, shard, totalShards })));
  return launched;
}
