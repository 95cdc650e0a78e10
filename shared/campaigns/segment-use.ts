import { CampaignStatus } from "./lifecycle.js";
import type { CampaignStore } from "./ports.js";

/** A campaign that names a segment: enough to list it and link to it. */
export type SegmentUse = { campaignId: string; name: string; status: CampaignStatus };

/**
 * The campaigns that name the segment, whatever their status, so that a segment in use is
 * never archived (shared/segments/archive.ts). It reads every campaign, page by page: a few
 * hundred at a bank, and only when a segment's page opens or it is archived.
 */
export async function campaignsUsingSegment(
  p: { campaigns: Pick<CampaignStore, "listByStatus"> },
  segmentId: string,
): Promise<SegmentUse[]> {
  const found: SegmentUse[] = [];
  for (const status of CampaignStatus.options) {
    let cursor: string | undefined;
    do {
      const page = await p.campaigns.listByStatus(status, 100, cursor);
      for (const c of page.campaigns)
        if (c.segmentId === segmentId) found.push({ campaignId: c.campaignId, name: c.name, status });
      cursor = page.cursor;
    } while (cursor);
  }
  return found;
}
