import type { Campaign } from "./campaign.js";
import type { CampaignTransition } from "./lifecycle.js";

export interface CampaignStore {
  create(campaign: Campaign): Promise<void>;
  get(campaignId: string): Promise<Campaign | null>;
  /** Applies a lifecycle transition only from an allowed status, else CampaignStateConflictError. */
  transition(campaignId: string, transition: CampaignTransition, patch: Partial<Campaign>): Promise<Campaign>;
}
