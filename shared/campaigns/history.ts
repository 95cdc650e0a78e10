import { getCampaign } from "./get-campaign.js";
import type { CampaignHistoryEntry } from "./lifecycle.js";
import type { CampaignStore } from "./ports.js";

/** The campaign's append-only history, oldest first; a campaign that does not exist is a NotFoundError. */
export async function campaignHistoryOf(
  p: { campaigns: Pick<CampaignStore, "get" | "history"> },
  campaignId: string,
): Promise<CampaignHistoryEntry[]> {
  await getCampaign(p, campaignId);
  return p.campaigns.history(campaignId);
}
