import { createHash } from "node:crypto";
import { CampaignChangedSinceApprovalError } from "../kernel/errors.js";
import type { Campaign } from "./campaign.js";

/**
 * What an approver signs off, part by part. No API edits a campaign today, but the approval
 * pins these so that the guarantee holds when editing arrives: the launch compares them with
 * what was approved and refuses, naming the parts, when any differs.
 */
const APPROVED_PARTS: Record<string, (c: Campaign) => unknown> = {
  offer: (c: Campaign) => c.offer,
  message: (c: Campaign) => c.message,
  translations: (c: Campaign) => c.translations ?? {},
  controlGroupPercent: (c: Campaign) => c.controlGroupPercent,
  segment: (c: Campaign) => ({ segmentId: c.segmentId, version: c.segmentVersion, rule: c.segmentRule }),
  // Only when the campaign has them: a campaign approved before they existed keeps its digest.
  offerPage: (c: Campaign) =>
    c.title || c.description ? { title: c.title ?? {}, description: c.description ?? {} } : undefined,
};

/** JSON with object keys sorted, so the same value always hashes the same. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** A SHA-256 digest of each approved part. */
export function approvalDigest(campaign: Campaign): Record<string, string> {
  return Object.fromEntries(
    Object.entries(APPROVED_PARTS)
      .map(([part, of]) => [part, of(campaign)] as const)
      .filter(([, value]) => value !== undefined)
      .map(([part, value]) => [part, createHash("sha256").update(canonical(value)).digest("hex")]),
  );
}

/** The parts that differ from what was approved; a campaign approved before digests existed has none to compare. */
export function changedSinceApproval(campaign: Campaign): string[] {
  if (!campaign.approvedDigest) return [];
  const now = approvalDigest(campaign);
  const approved = campaign.approvedDigest;
  return Object.keys({ ...now, ...approved }).filter((part) => now[part] !== approved[part]);
}

/** Refuses a launch of anything but what was approved. */
export function requireAsApproved(campaign: Campaign): void {
  const changed = changedSinceApproval(campaign);
  if (changed.length > 0) throw new CampaignChangedSinceApprovalError(campaign.campaignId, changed);
}
