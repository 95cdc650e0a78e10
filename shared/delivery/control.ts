import type { Campaign } from "../campaigns/campaign.js";
import { type CampaignReader, getCampaign } from "../campaigns/get-campaign.js";
import { SYSTEM_ACTOR } from "../campaigns/lifecycle.js";
import type { CampaignStore } from "../campaigns/ports.js";
import type { Actor } from "../kernel/actor.js";
import { CampaignStateConflictError } from "../kernel/errors.js";
import type { WithSettings } from "../kernel/settings.js";
import type { Clock } from "../kernel/time.js";
import type { Counters } from "./counters.js";
import type { DeliveryKey, DeliveryStore, JobQueue } from "./ports.js";
import { type SettleDeps, settleCampaign } from "./settle.js";
import { funnelOf } from "./stats.js";

/**
 * Control of a running campaign: pause, resume, cancel, and the automatic pause when SES's
 * feedback says the campaign is hurting the account.
 *
 * How a pause holds the sends: the fan-out goes on (deciding who is targeted contacts nobody),
 * and the sender checks the campaign's status right after it claims a delivery. Paused, it puts
 * the claim back and puts a fresh copy of the send message on the queue, hidden for
 * `pauseRecheckSeconds`, then lets the message it holds go: so every held send keeps coming back
 * until the campaign is resumed (then it goes out) or cancelled (then it is withdrawn). A copy
 * rather than the same message made invisible (as quiet hours do): each receive of a message
 * counts towards the queue's maxReceiveCount, and a pause of more than a few minutes would have
 * moved the held sends to the dead-letter queue. A copy sent twice is harmless: the claim is on
 * the delivery's business key.
 */

export type ControlDeps = { campaigns: Pick<CampaignStore, "get" | "transition"> } & CampaignReader & Clock;

export async function pauseCampaign(
  p: ControlDeps,
  campaignId: string,
  by: { name: string; reason?: string },
): Promise<Campaign> {
  const at = p.now().toISOString();
  const reason = by.reason ?? `paused by ${by.name}`;
  return p.campaigns.transition(
    campaignId,
    "pause",
    { pauseReason: reason, pausedBy: by.name, pausedAt: at },
    { by: by.name, at, reason },
  );
}

export type ResumeDeps = ControlDeps & SettleDeps & { deliveries: Pick<DeliveryStore, "shardsFinished" | "counters"> };

/**
 * Back to where it was: sending when every fan-out shard has finished, else launching. The
 * shard markers decide, not what the campaign was when paused: a shard that finished during
 * the pause could not move the campaign on (finishFanout needs launching). After resuming to
 * launching the markers are read again: a last shard that finished in between found the
 * campaign paused, so the resume finishes the fan-out in its place. Then the campaign is
 * settled, for one with nothing left to send.
 */
export async function resumeCampaign(p: ResumeDeps, campaignId: string, actor: Actor): Promise<Campaign> {
  const campaign = await getCampaign(p, campaignId);
  const totalShards = campaign.fanoutShards ?? Number.POSITIVE_INFINITY;
  const fannedOut = async () => (await p.deliveries.shardsFinished(campaignId)) >= totalShards;
  const by = { by: actor.name, at: p.now().toISOString() };
  const { sent, bounced, complained } = funnelOf("paused", await p.deliveries.counters(campaignId));
  const resumed = { automaticPauseFrom: { sent, bounced, complained } };
  if (await fannedOut()) {
    await p.campaigns.transition(campaignId, "resumeSending", resumed, by);
    await settleCampaign(p, campaignId);
  } else {
    await p.campaigns.transition(campaignId, "resumeFanout", resumed, by);
    await settleCampaign(p, campaignId, await fannedOut());
  }
  return getCampaign(p, campaignId);
}

/**
 * Final. A send message still on the queue finds the campaign cancelled and withdraws its
 * delivery as `campaign_cancelled`; a fan-out page finds it cancelled and stops the shard.
 * Sends already past their status check finish and are counted.
 */
export async function cancelCampaign(p: ControlDeps, campaignId: string, actor: Actor): Promise<Campaign> {
  const at = p.now().toISOString();
  return p.campaigns.transition(
    campaignId,
    "cancel",
    { cancelledBy: actor.name, cancelledAt: at },
    { by: actor.name, at },
  );
}

export type HoldDeps = {
  campaigns: Pick<CampaignStore, "status">;
  deliveries: Pick<DeliveryStore, "release" | "withdraw">;
  queue: Pick<JobQueue, "enqueueSends">;
} & Clock &
  WithSettings<"pauseRecheckSeconds">;

/**
 * What the campaign's status does to a delivery the sender just claimed: nothing while it runs
 * ("send"), held while it is paused, withdrawn once it is cancelled. Read fresh for every send:
 * a pause holds the next send, not one a minute later.
 */
export async function holdForCampaign(p: HoldDeps, delivery: DeliveryKey): Promise<"send" | "held" | "withdrawn"> {
  const status = await p.campaigns.status(delivery.campaignId);
  if (status === "cancelled") {
    await p.deliveries.withdraw(delivery, "campaign_cancelled");
    return "withdrawn";
  }
  if (status !== "paused") return "send";
  // The claim goes back first: a copy that came before it would find the delivery claimed and stop.
  const recheck = p.settings.pauseRecheckSeconds;
  await p.deliveries.release(delivery, new Date(p.now().getTime() + recheck * 1000).toISOString());
  await p.queue.enqueueSends([delivery], recheck);
  return "held";
}

/** SES reviews an account at these rates; a campaign pauses itself before its own emails get there. */
export type PauseThresholds = { bounceRate: number; complaintRate: number; minSent: number };

const percent = (rate: number) => `${(Math.round(rate * 1000) / 10).toFixed(1)}%`;

/**
 * Why the counters say the campaign must pause, or null: only once `minSent` emails went out
 * since `from` (the counts at the last resume; none, the whole campaign).
 */
export function automaticPauseReason(
  counters: Counters,
  t: PauseThresholds,
  from: Campaign["automaticPauseFrom"] = { sent: 0, bounced: 0, complained: 0 },
): string | null {
  const funnel = funnelOf("sending", counters);
  const sent = funnel.sent - from.sent;
  if (sent < t.minSent || sent <= 0) return null;
  const bounceRate = (funnel.bounced - from.bounced) / sent;
  const complaintRate = (funnel.complained - from.complained) / sent;
  const over = from.sent > 0 ? `${sent} sent since the resume` : `${sent} sent`;
  if (bounceRate >= t.bounceRate) return `automatic: bounce rate ${percent(bounceRate)} over ${over}`;
  if (complaintRate >= t.complaintRate)
    return `automatic: complaint rate ${(Math.round(complaintRate * 10_000) / 100).toFixed(2)}% over ${over}`;
  return null;
}

export type AutoPauseDeps = ControlDeps & {
  deliveries: Pick<DeliveryStore, "counters">;
} & WithSettings<"pauseThresholds">;

/**
 * Called after a bounce or complaint is recorded: pauses the campaign, naming the rate, when
 * it crossed a threshold. A campaign not running (already paused, completed, cancelled) stays
 * as it is; a person resumes it after looking into the list, and from then on the rates are
 * those of the emails sent since the resume, over at least `minSent` of them: the bounces
 * the person already weighed do not pause it again at the next report.
 */
export async function pauseIfUnhealthy(p: AutoPauseDeps, campaignId: string): Promise<string | null> {
  const counters = await p.deliveries.counters(campaignId);
  // Too few sent in all is too few since any resume: most reports stop here, with no campaign read.
  if (funnelOf("sending", counters).sent < p.settings.pauseThresholds.minSent) return null;
  const campaign = await p.campaigns.get(campaignId);
  if (campaign?.status !== "launching" && campaign?.status !== "sending") return null;
  const reason = automaticPauseReason(counters, p.settings.pauseThresholds, campaign.automaticPauseFrom);
  if (!reason) return null;
  try {
    await pauseCampaign(p, campaignId, { name: SYSTEM_ACTOR, reason });
  } catch (error) {
    if (!(error instanceof CampaignStateConflictError)) throw error; // paused, or moved on, meanwhile
    return null;
  }
  return reason;
}
