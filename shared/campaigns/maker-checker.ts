import type { Actor } from "../kernel/actor.js";
import { SelfApprovalError } from "../kernel/errors.js";
import type { Language } from "../kernel/language.js";
import { brandOf, type WithSettings } from "../kernel/settings.js";
import type { Clock, IdSource } from "../kernel/time.js";
import { getSegment, type SegmentReader } from "../segments/versions.js";
import { approvalDigest } from "./approval.js";
import type { Campaign, NewCampaign } from "./campaign.js";
import { getCampaign } from "./get-campaign.js";
import { prepareTemplate } from "./message.js";
import type { CampaignStore } from "./ports.js";

export type CampaignDeps = { campaigns: CampaignStore } & SegmentReader & Clock & IdSource & WithSettings<"brand">;

export async function createCampaign(p: CampaignDeps, input: NewCampaign, actor: Actor): Promise<Campaign> {
  const segment = await getSegment(p, input.segmentId);
  const brand = brandOf(p.settings);
  const { translations, ...rest } = input;
  const campaign: Campaign = {
    ...rest,
    // The message is what a customer without a translation in their language gets: English, as the pages are then.
    message: prepareTemplate(input.message, "message", "en", brand),
    ...(translations
      ? {
          translations: Object.fromEntries(
            Object.entries(translations).map(([language, message]) => [
              language,
              prepareTemplate(message, `translations.${language}`, language as Language, brand),
            ]),
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

/**
 * Maker-checker: whoever created the campaign may not be the one who signs it off. The approval
 * pins what was approved (approval.ts), checked again at launch.
 */
export async function approveCampaign(
  p: Pick<CampaignDeps, "campaigns"> & Clock,
  campaignId: string,
  actor: Actor,
): Promise<Campaign> {
  const campaign = await getCampaign(p, campaignId);
  if (campaign.createdBy === actor.name) throw new SelfApprovalError();
  const at = p.now().toISOString();
  return p.campaigns.transition(
    campaignId,
    "approve",
    { approvedBy: actor.name, approvedAt: at, approvedDigest: approvalDigest(campaign) },
    { by: actor.name, at },
  );
}
