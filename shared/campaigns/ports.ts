import type { BrandKit, BrandLogo } from "../kernel/brand.js";
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

/**
 * The brand kit an admin set, as stored: the kit (absent while only a logo was uploaded, so
 * BRAND_KIT's or the demo bank's still applies) and the logo. `version` counts the changes,
 * starting at 1; every write names the version it read (brand-kit.ts).
 */
export type StoredBrandKit = {
  kit?: BrandKit;
  logo?: BrandLogo;
  version: number;
  updatedAt: string;
  updatedBy: string;
};

/** One field's value before and after a change; a logo is its SHA-256 and size, never its bytes. */
export type BrandKitFieldChange = {
  field: string;
  before: string | { sha256: string; size: number } | null;
  after: string | { sha256: string; size: number } | null;
};

/** An entry of the brand kit's history: who changed what, and when (the audit trail). */
export type BrandKitChange = {
  version: number;
  at: string;
  /** The admin: their sign-in name, as every record of who did what names them, and the identity provider's id when there is one. */
  by: { name: string; id?: string };
  changes: BrandKitFieldChange[];
};

export interface BrandKitStore {
  /** The stored kit, or null when no admin has set one; `fresh` reads past any cache (CachedBrandKits). */
  current(options?: { fresh: boolean }): Promise<StoredBrandKit | null>;
  /**
   * Writes `next` only while the stored version is still `next.version - 1` (none stored for
   * version 1), else BrandKitConflictError; appends `change` to the history, and stores a new
   * logo's bytes, in the same transaction.
   */
  save(next: StoredBrandKit, change: BrandKitChange, logoBytes?: Uint8Array): Promise<void>;
  /** A logo's bytes by the first 16 hex digits of its SHA-256 (logoPath), or null. */
  logo(sha256Prefix: string): Promise<{ contentType: BrandLogo["contentType"]; bytes: Uint8Array } | null>;
  /** Every change, newest first. */
  history(): Promise<BrandKitChange[]>;
}
