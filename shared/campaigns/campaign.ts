import { z } from "zod";
import { ProductCode } from "../kernel/products.js";
import { SegmentRuleInput } from "../segments/rule.js";
import { MessageTemplate } from "./message.js";
import { Language } from "../customers/customer.js";

export const CampaignStatus = z.enum(["draft", "approved", "launching", "sending", "completed"]);
export type CampaignStatus = z.infer<typeof CampaignStatus>;

/**
 * The campaign lifecycle, in one place. launching: the segment is being fanned out;
 * sending: every shard is fanned out and sends are in flight; completed: every targeted
 * customer has reached a final state (sent or failed).
 */
export const CAMPAIGN_TRANSITIONS = {
  approve: { from: ["draft"], to: "approved" },
  launch: { from: ["approved"], to: "launching" },
  finishFanout: { from: ["launching"], to: "sending" },
  complete: { from: ["sending"], to: "completed" },
} as const satisfies Record<string, { from: readonly CampaignStatus[]; to: CampaignStatus }>;
export type CampaignTransition = keyof typeof CAMPAIGN_TRANSITIONS;

export const NewCampaign = z.object({
  name: z.string().trim().min(1, "name is required").max(200),
  segmentId: z.string().min(1, "segmentId is required"),
  offer: z.object({ productCode: ProductCode }),
  message: MessageTemplate,
  /**
   * The message in the customers' own languages. A customer whose preferred language has a
   * version gets it, with the product and tier named in that language; everyone else gets
   * `message`.
   */
  translations: z.partialRecord(Language, MessageTemplate).optional(),
  controlGroupPercent: z.number().min(0).max(50, "controlGroupPercent above 50 leaves too few customers treated"),
});
export type NewCampaign = z.infer<typeof NewCampaign>;

export const Campaign = NewCampaign.extend({
  campaignId: z.string(),
  status: CampaignStatus,
  /** The segment version and its rule as they were when the campaign was created: what the approver signs off. */
  segmentVersion: z.number().int().positive(),
  segmentRule: SegmentRuleInput,
  createdBy: z.string(),
  createdAt: z.iso.datetime(),
  approvedBy: z.string().optional(),
  approvedAt: z.iso.datetime().optional(),
  launchedBy: z.string().optional(),
  launchedAt: z.iso.datetime().optional(),
  fanoutShards: z.number().int().positive().optional(),
  completedAt: z.iso.datetime().optional(),
});
export type Campaign = z.infer<typeof Campaign>;

// --- use cases ------------------------------------------------------------------------------

import type { Actor, Platform } from "../ports/index.js";
import { CampaignStateConflictError, NotFoundError, SelfApprovalError } from "../kernel/errors.js";
import { prepareTemplate } from "./message.js";
import { getSegment } from "../segments/segment.js";
import { funnelOf, type CampaignStats } from "../delivery/stats.js";

export async function createCampaign(p: Platform, input: NewCampaign, actor: Actor): Promise<Campaign> {
  const segment = await getSegment(p, input.segmentId);
  const campaign: Campaign = {
    ...input,
    message: prepareTemplate(input.message),
    ...(input.translations
      ? { translations: Object.fromEntries(Object.entries(input.translations).map(([language, message]) => [language, prepareTemplate(message)])) }
      : {}),
    campaignId: p.newId(),
    status: "draft",
    segmentVersion: segment.version,
    segmentRule: segment.rule,
    createdBy: actor.name,
    createdAt: p.now().toISOString(),
  };
  await p.campaigns.create(campaign);
  return campaign;
}

export async function getCampaign(p: Platform, campaignId: string): Promise<Campaign> {
  const campaign = await p.campaigns.get(campaignId);
  if (!campaign) throw new NotFoundError("Campaign", campaignId);
  return campaign;
}

/** Maker-checker: whoever created the campaign may not be the one who signs it off. */
export async function approveCampaign(p: Platform, campaignId: string, actor: Actor): Promise<Campaign> {
  const campaign = await getCampaign(p, campaignId);
  if (campaign.createdBy === actor.name) throw new SelfApprovalError();
  return p.campaigns.transition(campaignId, "approve", { approvedBy: actor.name, approvedAt: p.now().toISOString() });
}

/** Starts the fan-out: one job per shard of the customer table, never the whole segment in one place. */
export async function launchCampaign(p: Platform, campaignId: string, actor: Actor): Promise<Campaign> {
  await getCampaign(p, campaignId);
  const totalShards = p.settings.fanoutShards;
  const launched = await p.campaigns.transition(campaignId, "launch", {
    launchedBy: actor.name,
    launchedAt: p.now().toISOString(),
    fanoutShards: totalShards,
  });
  await p.queue.enqueueFanout(Array.from({ length: totalShards }, (_, shard) => ({ campaignId, shard, totalShards })));
  return launched;
}

export async function campaignStats(p: Platform, campaignId: string): Promise<CampaignStats> {
  const campaign = await getCampaign(p, campaignId);
  return funnelOf(campaign.status, await p.deliveries.counters(campaignId));
}

/** A transition another worker already made is not a failure here. */
function alreadyMoved(error: unknown): null {
  if (error instanceof CampaignStateConflictError) return null;
  throw error;
}

/**
 * Moves a campaign on when its counters say so. Called after the last fan-out shard and after
 * every send result; concurrent callers are safe because each transition is conditional.
 */
export async function settleCampaign(p: Platform, campaignId: string, fanoutFinished = false): Promise<void> {
  if (fanoutFinished) await p.campaigns.transition(campaignId, "finishFanout", {}).catch(alreadyMoved);
  const campaign = await getCampaign(p, campaignId);
  if (campaign.status !== "sending") return;
  const stats = funnelOf(campaign.status, await p.deliveries.counters(campaignId));
  if (stats.sent + stats.failed >= stats.targeted) {
    await p.campaigns.transition(campaignId, "complete", { completedAt: p.now().toISOString() }).catch(alreadyMoved);
  }
}

/** Settles each campaign a batch of sends touched, once. */
export async function settleCampaigns(p: Platform, campaignIds: Iterable<string>): Promise<void> {
  for (const campaignId of new Set(campaignIds)) await settleCampaign(p, campaignId);
}
