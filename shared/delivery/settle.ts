import { getCampaign } from "../campaigns/get-campaign.js";
import { SYSTEM_ACTOR } from "../campaigns/lifecycle.js";
import type { CampaignStore } from "../campaigns/ports.js";
import { CampaignStateConflictError } from "../kernel/errors.js";
import type { Clock } from "../kernel/time.js";
import type { DeliveryStore } from "./ports.js";
import { funnelOf } from "./stats.js";

export type SettleDeps = {
  campaigns: Pick<CampaignStore, "get" | "transition">;
  deliveries: Pick<DeliveryStore, "counters">;
} & Clock;

/** A transition another worker already made is not a failure here. */
function alreadyMoved(error: unknown): null {
  if (error instanceof CampaignStateConflictError) return null;
  throw error;
}

/**
 * Moves a campaign on when its counters say so. Called after the last fan-out shard, after
 * every send result and after a resume; concurrent callers are safe because each transition is
 * conditional. A paused campaign stays paused (its resume settles it), and a cancelled one is
 * already at its end.
 */
export async function settleCampaign(p: SettleDeps, campaignId: string, fanoutFinished = false): Promise<void> {
  const by = () => ({ by: SYSTEM_ACTOR, at: p.now().toISOString() });
  if (fanoutFinished) await p.campaigns.transition(campaignId, "finishFanout", {}, by()).catch(alreadyMoved);
  const campaign = await getCampaign(p, campaignId);
  if (campaign.status !== "sending") return;
  const stats = funnelOf(campaign.status, await p.deliveries.counters(campaignId));
  // Stuck deliveries keep it sending: a redrive brings them back, and the alarm says so.
  if (stats.sent + stats.failed + stats.unconfirmed >= stats.targeted) {
    const at = by();
    await p.campaigns.transition(campaignId, "complete", { completedAt: at.at }, at).catch(alreadyMoved);
  }
}

/** Settles each campaign a batch of sends touched, once. */
export async function settleCampaigns(p: SettleDeps, campaignIds: Iterable<string>): Promise<void> {
  for (const campaignId of new Set(campaignIds)) await settleCampaign(p, campaignId);
}
