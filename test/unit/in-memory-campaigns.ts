import type { Campaign } from "../../shared/campaigns/campaign.js";
import {
  CAMPAIGN_TRANSITIONS,
  type CampaignHistoryEntry,
  type CampaignStatus,
  type CampaignTransition,
  type TransitionBy,
} from "../../shared/campaigns/lifecycle.js";
import type { CampaignStore } from "../../shared/campaigns/ports.js";
import { CampaignStateConflictError } from "../../shared/kernel/errors.js";

/** The campaign store in memory, applying the lifecycle table as the DynamoDB store does, history included. */
export class InMemoryCampaigns implements CampaignStore {
  readonly rows = new Map<string, Campaign>();
  readonly entries: CampaignHistoryEntry[] = [];
  /** Runs once, right before the next transition is applied: what another worker does meanwhile. */
  beforeNextTransition?: () => Promise<void>;
  constructor(...stored: Campaign[]) {
    for (const c of stored) this.rows.set(c.campaignId, c);
  }
  async create(campaign: Campaign) {
    this.rows.set(campaign.campaignId, campaign);
  }
  async get(campaignId: string) {
    return this.rows.get(campaignId) ?? null;
  }
  async status(campaignId: string) {
    return this.rows.get(campaignId)?.status ?? null;
  }
  async history(campaignId: string) {
    return this.entries.filter((e) => e.campaignId === campaignId);
  }
  async listByStatus(status: CampaignStatus, limit: number) {
    return { campaigns: [...this.rows.values()].filter((c) => c.status === status).slice(0, limit) };
  }
  async transition(campaignId: string, transition: CampaignTransition, patch: Partial<Campaign>, by: TransitionBy) {
    const hook = this.beforeNextTransition;
    this.beforeNextTransition = undefined;
    await hook?.();
    const definition = CAMPAIGN_TRANSITIONS[transition];
    const current = this.rows.get(campaignId)!;
    if (!(definition.from as readonly CampaignStatus[]).includes(current.status)) {
      throw new CampaignStateConflictError(campaignId, transition, current.status, definition.from);
    }
    const next: Campaign = { ...current, ...patch, status: definition.to };
    for (const field of "clears" in definition ? definition.clears : []) delete next[field];
    this.rows.set(campaignId, next);
    this.entries.push({ campaignId, event: definition.event, status: definition.to, ...by });
    return next;
  }
  async replaceDraft(campaign: Campaign, by: TransitionBy) {
    const current = this.rows.get(campaign.campaignId)!;
    if (current.status !== "draft")
      throw new CampaignStateConflictError(campaign.campaignId, "edit", current.status, ["draft"]);
    this.rows.set(campaign.campaignId, campaign);
    this.entries.push({ campaignId: campaign.campaignId, event: "edited", status: "draft", ...by });
    return campaign;
  }
  async record(campaignId: string, event: "test_sent", by: TransitionBy) {
    this.entries.push({ campaignId, event, status: this.rows.get(campaignId)!.status, ...by });
  }
}
