import type { Campaign } from "./campaign.js";
import type { CampaignHistoryEntry, CampaignStatus, CampaignTransition, TransitionBy } from "./lifecycle.js";

export interface CampaignStore {
  /** Stores a new campaign and its history's "created" entry, in one transaction. */
  create(campaign: Campaign): Promise<void>;
  get(campaignId: string): Promise<Campaign | null>;
  /** The campaign's status alone, read fresh (the sender reads it for every send), or null. */
  status(campaignId: string): Promise<CampaignStatus | null>;
  /**
   * Applies a lifecycle transition only from an allowed status, else CampaignStateConflictError,
   * and appends its event to the campaign's history in the same transaction.
   */
  transition(
    campaignId: string,
    transition: CampaignTransition,
    patch: Partial<Campaign>,
    by: TransitionBy,
  ): Promise<Campaign>;
  /**
   * Writes the draft whole (what its author changed, and nothing left of what they removed),
   * only while the stored campaign is still a draft, else CampaignStateConflictError; appends
   * `edited` to its history in the same transaction.
   */
  replaceDraft(campaign: Campaign, by: TransitionBy): Promise<Campaign>;
  /** Appends an event that changes no status (a test email sent) to the campaign's history. */
  record(campaignId: string, event: "test_sent", by: TransitionBy): Promise<void>;
  /** A page of the campaigns in `status`, newest first; `cursor` continues where the last page stopped. */
  listByStatus(
    status: CampaignStatus,
    limit: number,
    cursor?: string,
  ): Promise<{ campaigns: Campaign[]; cursor?: string }>;
  /** The campaign's history, oldest first. */
  history(campaignId: string): Promise<CampaignHistoryEntry[]>;
}
