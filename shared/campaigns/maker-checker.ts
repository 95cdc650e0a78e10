import type { Actor, Role } from "../kernel/actor.js";
import { CampaignStateConflictError, ForbiddenError, SelfApprovalError, ValidationError } from "../kernel/errors.js";
import type { Language } from "../kernel/language.js";
import type { WithSettings } from "../kernel/settings.js";
import type { Clock, IdSource } from "../kernel/time.js";
import { isArchived, SegmentArchivedError } from "../segments/archive.js";
import { getSegment, type SegmentReader } from "../segments/versions.js";
import { approvalDigest } from "./approval.js";
import { type BrandReader, currentBrand } from "./brand-kit.js";
import type { Campaign, NewCampaign } from "./campaign.js";
import { getCampaign } from "./get-campaign.js";
import { CAMPAIGN_TRANSITIONS } from "./lifecycle.js";
import { prepareTemplate } from "./message.js";
import type { CampaignStore } from "./ports.js";

export type CampaignDeps = { campaigns: CampaignStore } & SegmentReader &
  BrandReader &
  Clock &
  IdSource &
  WithSettings<"brand" | "publicBaseUrl">;

/**
 * What a campaign keeps of what its author wrote, and of the segment it targets now: the finished
 * emails (prepareTemplate) and the segment's current version and rule, the snapshot an approver
 * signs off. createCampaign and updateDraft both build a campaign from its input here, and
 * both refuse an archived segment (a draft moved to one, as a new campaign for one).
 */
async function preparedFrom(
  p: SegmentReader & BrandReader & WithSettings<"brand" | "publicBaseUrl">,
  input: NewCampaign,
): Promise<Omit<Campaign, "campaignId" | "status" | "createdBy" | "createdAt">> {
  const segment = await getSegment(p, input.segmentId);
  if (isArchived(segment)) throw new SegmentArchivedError(input.segmentId);
  // The brand kit in force now, logo and all: the approval pins the email as it is finished here.
  const brand = await currentBrand(p);
  const base = p.settings.publicBaseUrl;
  const { translations, ...rest } = input;
  return {
    ...rest,
    // The message is what a customer without a translation in their language gets: English, as the pages are then.
    message: prepareTemplate(input.message, "message", "en", brand, base),
    ...(translations
      ? {
          translations: Object.fromEntries(
            Object.entries(translations).map(([language, message]) => [
              language,
              prepareTemplate(message, `translations.${language}`, language as Language, brand, base),
            ]),
          ),
        }
      : {}),
    segmentVersion: segment.version,
    segmentRule: segment.rule,
  };
}

export async function createCampaign(p: CampaignDeps, input: NewCampaign, actor: Actor): Promise<Campaign> {
  const campaign: Campaign = {
    ...(await preparedFrom(p, input)),
    campaignId: p.newId(),
    status: "draft",
    createdBy: actor.name,
    createdAt: p.now().toISOString(),
  };
  await p.campaigns.create(campaign);
  return campaign;
}

/**
 * The author's (or another marketer's) change to a draft: the campaign is built again from the
 * whole input as createCampaign builds it, so it targets the segment as it is now and its emails
 * are finished again; who created it and when stay. A campaign that is no longer a draft
 * (submitted, approved, ...) is a 409: send it back first. The last send-back stays on the
 * draft until it is submitted again, so whoever edits it still sees why.
 */
export async function updateDraft(
  p: CampaignDeps,
  campaignId: string,
  input: NewCampaign,
  actor: Actor,
): Promise<Campaign> {
  const current = await getCampaign(p, campaignId);
  if (current.status !== "draft") {
    throw new CampaignStateConflictError(campaignId, "edit", current.status, ["draft"], EDIT_HINT[current.status]);
  }
  const { campaignId: _, createdBy, createdAt, sentBack } = current;
  const campaign: Campaign = {
    ...(await preparedFrom(p, input)),
    campaignId,
    status: "draft",
    createdBy,
    createdAt,
    ...(sentBack ? { sentBack } : {}),
  };
  return p.campaigns.replaceDraft(campaign, { by: actor.name, at: p.now().toISOString() });
}

const EDIT_HINT: Partial<Record<Campaign["status"], string>> = {
  submitted: "an approver sends it back to draft first, or approves it as it is",
};

/** Who builds campaigns: they ask for the approval. */
const SUBMITTERS: readonly Role[] = ["marketer", "admin"];
/** Who signs campaigns off, and so may send one back. */
const APPROVERS: readonly Role[] = ["approver", "admin"];

/**
 * The draft goes to the approvers as it is now: from here it changes only by an approver's
 * decision (approve, or send back to draft). Any marketer may submit a draft, not only its author.
 */
export async function submitCampaign(
  p: Pick<CampaignDeps, "campaigns"> & Clock,
  campaignId: string,
  actor: Actor,
): Promise<Campaign> {
  if (!SUBMITTERS.includes(actor.role)) {
    throw new ForbiddenError(`Submitting a campaign for approval needs the role ${SUBMITTERS.join(" or ")}`);
  }
  const at = p.now().toISOString();
  return p.campaigns.transition(
    campaignId,
    "submit",
    { submittedBy: actor.name, submittedAt: at },
    { by: actor.name, at },
  );
}

export const SEND_BACK_REASON_MAX = 500;

/**
 * An approver's "not like this": the campaign goes back to draft with the reason, for its author
 * to read on the draft (sentBack) and in the history. The same maker-checker rule as approving:
 * the campaign's author may not decide on it, not even to withdraw it this way.
 */
export async function sendBackCampaign(
  p: Pick<CampaignDeps, "campaigns"> & Clock,
  campaignId: string,
  actor: Actor,
  reason: string,
): Promise<Campaign> {
  if (!APPROVERS.includes(actor.role)) {
    throw new ForbiddenError(`Sending a campaign back needs the role ${APPROVERS.join(" or ")}`);
  }
  const why = reason.trim();
  if (why.length === 0 || why.length > SEND_BACK_REASON_MAX) {
    throw new ValidationError(
      `reason is required to send a campaign back: 1 to ${SEND_BACK_REASON_MAX} characters telling its author what to change`,
    );
  }
  const campaign = await getCampaign(p, campaignId);
  if (campaign.createdBy === actor.name) {
    throw new SelfApprovalError(
      "A campaign must be sent back by someone other than its creator (maker-checker); to change it, ask an approver",
    );
  }
  const at = p.now().toISOString();
  return p.campaigns.transition(
    campaignId,
    "sendBack",
    { sentBack: { by: actor.name, at, reason: why } },
    { by: actor.name, at, reason: why },
  );
}

/**
 * Maker-checker: whoever created the campaign may not be the one who signs it off. Only a
 * submitted campaign is approved: an approver signs off what its author asked them to, not a
 * draft still being edited. The approval pins what was approved (approval.ts), checked again at launch.
 */
export async function approveCampaign(
  p: Pick<CampaignDeps, "campaigns"> & Clock,
  campaignId: string,
  actor: Actor,
): Promise<Campaign> {
  const campaign = await getCampaign(p, campaignId);
  if (campaign.createdBy === actor.name) throw new SelfApprovalError();
  if (campaign.status === "draft") {
    throw new CampaignStateConflictError(
      campaignId,
      "approve",
      campaign.status,
      CAMPAIGN_TRANSITIONS.approve.from,
      "submit it first, so that what is approved is what its author asked for",
    );
  }
  const at = p.now().toISOString();
  return p.campaigns.transition(
    campaignId,
    "approve",
    { approvedBy: actor.name, approvedAt: at, approvedDigest: approvalDigest(campaign) },
    { by: actor.name, at },
  );
}
