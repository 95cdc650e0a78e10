import { NotFoundError } from "../kernel/errors.js";
import type { Campaign } from "./campaign.js";
import type { CampaignStore } from "./ports.js";

export type CampaignReader = { campaigns: Pick<CampaignStore, "get"> };
export async function getCampaign(p: CampaignReader, campaignId: string): Promise<Campaign> {
  const campaign = await p.campaigns.get(campaignId);
  if (!campaign) throw new NotFoundError("Campaign", campaignId);
  return campaign;
}
