import type { Campaign } from "../campaigns/campaign.js";
import type { CampaignStatus } from "../campaigns/lifecycle.js";
import type { CampaignStore } from "../campaigns/ports.js";
import type { DeliveryStore } from "./ports.js";
import { funnelOf } from "./stats.js";

/** The most a page of the campaign list holds. */
export const MAX_CAMPAIGN_PAGE = 50;

/** A campaign in a list: what it is, where it stands, and its latest numbers. */
export type CampaignSummary = {
  campaignId: string;
  name: string;
  status: CampaignStatus;
  productCode: string;
  controlGroupPercent: number;
  createdBy: string;
  createdAt: string;
  launchedAt?: string;
  completedAt?: string;
  stats: { targeted: number; control: number; sent: number; clicked: number; responded: number; converted: number };
};

export type CampaignListDeps = {
  campaigns: Pick<CampaignStore, "listByStatus">;
  deliveries: Pick<DeliveryStore, "counters">;
};

const summaryOf = (campaign: Campaign, stats: ReturnType<typeof funnelOf>): CampaignSummary => ({
  campaignId: campaign.campaignId,
  name: campaign.name,
  status: campaign.status,
  productCode: campaign.offer.productCode,
  controlGroupPercent: campaign.controlGroupPercent,
  createdBy: campaign.createdBy,
  createdAt: campaign.createdAt,
  ...(campaign.launchedAt ? { launchedAt: campaign.launchedAt } : {}),
  ...(campaign.completedAt ? { completedAt: campaign.completedAt } : {}),
  stats: {
    targeted: stats.targeted,
    control: stats.control,
    sent: stats.sent,
    clicked: stats.clicked,
    responded: stats.responded,
    converted: stats.converted,
  },
});

/**
 * A page of the campaigns in one status, newest first, each with its funnel's latest counters
 * (one counters query per campaign, in parallel: a page is at most MAX_CAMPAIGN_PAGE).
 */
export async function listCampaigns(
  p: CampaignListDeps,
  query: { status: CampaignStatus; limit: number; cursor?: string },
): Promise<{ campaigns: CampaignSummary[]; cursor?: string }> {
  const page = await p.campaigns.listByStatus(query.status, Math.min(query.limit, MAX_CAMPAIGN_PAGE), query.cursor);
  const campaigns = await Promise.all(
    page.campaigns.map(async (c) => summaryOf(c, funnelOf(c.status, await p.deliveries.counters(c.campaignId)))),
  );
  return { campaigns, ...(page.cursor ? { cursor: page.cursor } : {}) };
}
