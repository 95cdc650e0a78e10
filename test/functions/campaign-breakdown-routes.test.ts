import { describe, expect, it } from "vitest";
import { createApp } from "../../functions/api/app.js";
import { campaignBreakdown } from "../../shared/delivery/breakdown.js";
import { breakdownPage } from "../../shared/delivery/breakdown-run.js";
import type { Delivery } from "../../shared/delivery/delivery.js";
import type { Actor } from "../../shared/kernel/actor.js";
import { aCampaign, aDelivery } from "../adapters/fixtures.js";
import { deliveriesPaged, inMemoryBreakdownRuns } from "../unit/in-memory-breakdown-runs.js";
import { InMemoryCampaigns } from "../unit/in-memory-campaigns.js";
import { platformWith } from "../unit/platform.js";

/**
 * GET /api/campaigns/{id}/breakdown and POST .../breakdown-runs through the whole API app, on
 * stores in memory: a campaign past SYNC_BREAKDOWN_MAX_DELIVERIES is never read in the request;
 * its breakdown is the latest finished run's, as of its finish.
 */
const TOKENS = new Map<string, Actor>([
  ["analyst-token", { name: "zhou", role: "analyst" }],
  ["rm-token", { name: "wang", role: "relationship_manager" }],
]);
const as = (who: string) => ({ authorization: `Bearer ${who}-token` });

const deliveries = (n: number): Delivery[] =>
  Array.from({ length: n }, (_, i) =>
    aDelivery({
      customerId: `C-${i}`,
      status: "sent",
      tier: "mass",
      region: i % 2 ? "Jilin" : "Siping",
      sentAt: "2024-05-02T02:00:00.000Z",
    }),
  );

function appOf(all: Delivery[], bound = 100) {
  const runs = inMemoryBreakdownRuns();
  const read: string[] = [];
  const paged = deliveriesPaged(all);
  const ports = platformWith({
    campaigns: new InMemoryCampaigns(aCampaign({ launchedAt: "2024-05-02T01:00:00.000Z" })),
    breakdownRuns: runs.breakdownRuns,
    queue: runs.queue,
    deliveries: {
      counters: async () => ({ targeted: all.length }),
      pagesOfCampaign: (id: string) => {
        read.push("pagesOfCampaign");
        return paged.pagesOfCampaign(id);
      },
      pageOfCampaign: paged.pageOfCampaign,
    },
    settings: { syncBreakdownMaxDeliveries: bound },
  });
  const app = createApp({
    ports,
    actorFor: async (token) => TOKENS.get(token),
    checkServices: async () => ({ dynamodb: "ok", sqs: "ok" }),
  });
  return { app, runs, read, ports };
}

describe("the breakdown of a campaign larger than SYNC_BREAKDOWN_MAX_DELIVERIES, through the API", () => {
  it("says 409 and how to start a run when none was, 202 while the first counts, then the run's tables as of its finish", async () => {
    // prepare
    const all = deliveries(250);
    const { app, runs, read, ports } = appOf(all);
    // act
    const before = await app.request("/api/campaigns/cmp-1/breakdown", { headers: as("analyst") });
    const started = await app.request("/api/campaigns/cmp-1/breakdown-runs", { method: "POST", headers: as("rm") });
    const again = await app.request("/api/campaigns/cmp-1/breakdown-runs", { method: "POST", headers: as("analyst") });
    const counting = await app.request("/api/campaigns/cmp-1/breakdown", { headers: as("analyst") });
    await runs.drain((job) => breakdownPage(ports, job));
    const after = await app.request("/api/campaigns/cmp-1/breakdown", { headers: as("analyst") });
    // assess
    expect(before.status).toBe(409);
    expect(await before.json()).toMatchObject({
      code: "breakdown_not_counted",
      message: expect.stringContaining("POST /api/campaigns/cmp-1/breakdown-runs"),
    });
    expect(started.status).toBe(202);
    const first = (await started.json()) as { runId: string };
    expect(first).toMatchObject({ status: "running", started: true, counted: 0, expected: 250, requestedBy: "wang" });
    expect(await again.json()).toMatchObject({ runId: first.runId, started: false });
    expect(counting.status).toBe(202);
    expect(await counting.json()).toMatchObject({ source: "none", deliveries: 250, max: 100, running: { counted: 0 } });
    expect(after.status).toBe(200);
    const body = (await after.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ source: "run", asOf: "2026-06-01T12:00:00.000Z", deliveries: 250 });
    expect(body.running).toBeUndefined();
    const { byTier, byRegion, byDay } = await campaignBreakdown(ports, "cmp-1");
    expect({ byTier: body.byTier, byRegion: body.byRegion, byDay: body.byDay }).toEqual({ byTier, byRegion, byDay });
    // Only the test's own campaignBreakdown above read the whole campaign: no request did.
    expect(read).toEqual(["pagesOfCampaign"]);
  });

  it("reads a campaign within the bound in the request, as before", async () => {
    // prepare
    const { app, read } = appOf(deliveries(80));
    // act
    const res = await app.request("/api/campaigns/cmp-1/breakdown", { headers: as("analyst") });
    // assess
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      source: "live",
      deliveries: 80,
      byRegion: [{ targeted: 40 }, { targeted: 40 }],
    });
    expect(read).toEqual(["pagesOfCampaign"]);
  });
});
