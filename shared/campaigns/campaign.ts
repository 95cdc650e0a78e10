import { z } from "zod";
import { Language } from "../customers/customer.js";
import type { Actor } from "../kernel/actor.js";
import { NotFoundError, SelfApprovalError } from "../kernel/errors.js";
import { ProductCode } from "../kernel/products.js";
import type { Clock, IdSource } from "../kernel/time.js";
import { SegmentRuleInput } from "../segments/rule.js";
import { getSegment, type SegmentReader } from "../segments/segment.js";
import { CampaignStatus } from "./lifecycle.js";
import { MessageTemplate, prepareTemplate } from "./message.js";
import type { CampaignStore } from "./ports.js";

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

export type CampaignReader = { campaigns: Pick<CampaignStore, "get"> };
export type CampaignDeps = { campaigns: CampaignStore } & SegmentReader & Clock & IdSource;

export async function createCampaign(p: CampaignDeps, input: NewCampaign, actor: Actor): Promise<Campaign> {
  const segment = await getSegment(p, input.segmentId);
  const campaign: Campaign = {
    ...input,
    message: prepareTemplate(input.message),
    ...(input.translations
      ? {
          translations: Object.fromEntries(
            Object.entries(input.translations).map(([language, message]) => [language, prepareTemplate(message)]),
          ),
        }
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

export async function getCampaign(p: CampaignReader, campaignId: string): Promise<Campaign> {
  const campaign = await p.campaigns.get(campaignId);
  if (!campaign) throw new NotFoundError("Campaign", campaignId);
  return campaign;
}

/** Maker-checker: whoever created the campaign may not be the one who signs it off. */
export async function approveCampaign(p: CampaignDeps, campaignId: string, actor: Actor): Promise<Campaign> {
  const campaign = await getCampaign(p, campaignId);
  if (campaign.createdBy === actor.name) throw new SelfApprovalError();
  return p.campaigns.transition(campaignId, "approve", { approvedBy: actor.name, approvedAt: p.now().toISOString() });
}
