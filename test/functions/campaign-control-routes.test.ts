import { beforeEach, describe, expect, it } from "vitest";
import { createApp } from "../../functions/api/app.js";
import type { Campaign } from "../../shared/campaigns/campaign.js";
import {
  CAMPAIGN_TRANSITIONS,
  type CampaignHistoryEntry,
  type CampaignStatus,
  type CampaignTransition,
  type TransitionBy,
} from "../../shared/campaigns/lifecycle.js";
import type { CampaignStore } from "../../shared/campaigns/ports.js";
import type { DeliveryStore } from "../../shared/delivery/ports.js";
import type { Actor } from "../../shared/kernel/actor.js";
import { CampaignStateConflictError } from "../../shared/kernel/errors.js";
import { aCampaign } from "../adapters/fixtures.js";
import { partOf, platformWith } from "../unit/platform.js";

const TOKENS = new Map<string, Actor>([
  ["marketer-token", { name: "mei", role: "marketer" }],
  ["approver-token", { name: "li", role: "approver" }],
  ["analyst-token", { name: "zhou", role: "analyst" }],
  ["admin-token", { name: "root", role: "admin" }],
]);
const as = (role: string) => ({ authorization: `Bearer ${role}-token` });

/** cmp-1 in the status a test gives it; every transition checked against the lifecycle table and recorded. */
function campaignsIn(status: CampaignStatus, fanoutShards = 4) {
  let campaign: Campaign = aCampaign({ status, fanoutShards });
  const history: CampaignHistoryEntry[] = [];
  const store = partOf<CampaignStore>("campaigns", {
    get: async (id) => (id === "cmp-1" ? campaign : null),
    history: async () => history,
    transition: async (id: string, transition: CampaignTransition, patch: Partial<Campaign>, by: TransitionBy) => {
      const { from, to, event } = CAMPAIGN_TRANSITIONS[transition];
      if (!(from as readonly string[]).includes(campaign.status))
        throw new CampaignStateConflictError(id, transition, campaign.status, from);
      campaign = { ...campaign, ...patch, status: to };
      history.push({ campaignId: id, event, status: to, ...by });
      return campaign;
    },
  });
  return { store, history };
}

let app: ReturnType<typeof createApp>;
let history: CampaignHistoryEntry[];

function appWith(status: CampaignStatus, shardsFinished = 4) {
  const campaigns = campaignsIn(status);
  history = campaigns.history;
  app = createApp({
    ports: platformWith({
      campaigns: campaigns.store,
      deliveries: partOf<DeliveryStore>("deliveries", {
        shardsFinished: async () => shardsFinished,
        counters: async () => ({ targeted: 10, claimed: 4, sent: 4 }),
      }),
    }),
    actorFor: async (token) => TOKENS.get(token),
    checkServices: async () => ({ dynamodb: "ok", sqs: "ok" }),
  });
}

const post = (path: string, role: string) => app.request(path, { method: "POST", headers: as(role) });

describe("pause, resume and cancel through the API", () => {
  beforeEach(() => appWith("sending"));

  it("pauses a sending campaign, shows why on the campaign, and resumes it to sending", async () => {
    // act
    const paused = await post("/api/campaigns/cmp-1/pause", "marketer");
    const shown = await app.request("/api/campaigns/cmp-1", { headers: as("analyst") });
    const resumed = await post("/api/campaigns/cmp-1/resume", "approver");

    // assess
    expect(paused.status).toBe(200);
    expect(await paused.json()).toEqual({ campaignId: "cmp-1", status: "paused" });
    expect(await shown.json()).toMatchObject({ status: "paused", pauseReason: "paused by mei", pausedBy: "mei" });
    expect(await resumed.json()).toEqual({ campaignId: "cmp-1", status: "sending" });
  });

  it("resumes to launching while the fan-out has shards to go", async () => {
    // prepare
    appWith("paused", 2);

    // act
    const resumed = await post("/api/campaigns/cmp-1/resume", "marketer");

    // assess
    expect(await resumed.json()).toEqual({ campaignId: "cmp-1", status: "launching" });
  });

  it("cancels for good: a resume or pause afterwards is a 409 naming the status", async () => {
    // act
    const cancelled = await post("/api/campaigns/cmp-1/cancel", "admin");
    const resumed = await post("/api/campaigns/cmp-1/resume", "marketer");
    const paused = await post("/api/campaigns/cmp-1/pause", "marketer");

    // assess
    expect(await cancelled.json()).toEqual({ campaignId: "cmp-1", status: "cancelled" });
    expect(resumed.status).toBe(409);
    expect(await resumed.json()).toMatchObject({
      code: "campaign_state_conflict",
      message: expect.stringContaining("'cancelled'"),
    });
    expect(paused.status).toBe(409);
  });

  it.each(["pause", "resume", "cancel"])("refuses an analyst's %s with a 403", async (action) => {
    // act
    const reply = await post(`/api/campaigns/cmp-1/${action}`, "analyst");

    // assess
    expect(reply.status).toBe(403);
    expect(history).toEqual([]);
  });

  it.each(["pause", "resume", "cancel", "history"])("validates the campaign id of %s at the edge", async (action) => {
    // act
    const reply = await app.request(`/api/campaigns/${"x".repeat(65)}/${action}`, {
      method: action === "history" ? "GET" : "POST",
      headers: as("admin"),
    });

    // assess
    expect(reply.status).toBe(400);
    expect(((await reply.json()) as { message: string }).message).toContain("campaignId must be 1-64 letters");
  });

  it("lists the history, oldest first, to any role, with who, when and why", async () => {
    // prepare
    await post("/api/campaigns/cmp-1/pause", "marketer");
    await post("/api/campaigns/cmp-1/cancel", "approver");

    // act
    const reply = await app.request("/api/campaigns/cmp-1/history", { headers: as("analyst") });

    // assess
    expect(reply.status).toBe(200);
    expect(await reply.json()).toEqual({
      history: [
        {
          campaignId: "cmp-1",
          event: "paused",
          status: "paused",
          by: "mei",
          at: expect.any(String),
          reason: "paused by mei",
        },
        { campaignId: "cmp-1", event: "cancelled", status: "cancelled", by: "li", at: expect.any(String) },
      ],
    });
  });

  it("answers 404 for the history of a campaign that does not exist", async () => {
    // act
    const reply = await app.request("/api/campaigns/cmp-404/history", { headers: as("analyst") });

    // assess
    expect(reply.status).toBe(404);
  });
});
