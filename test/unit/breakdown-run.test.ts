import { describe, expect, it } from "vitest";
import { campaignBreakdown } from "../../shared/delivery/breakdown.js";
import { breakdownPage, resultsBreakdown, startBreakdownRun } from "../../shared/delivery/breakdown-run.js";
import type { Delivery } from "../../shared/delivery/delivery.js";
import type { Actor } from "../../shared/kernel/actor.js";
import { aCampaign, aDelivery } from "../adapters/fixtures.js";
import { deliveriesPaged, inMemoryBreakdownRuns } from "./in-memory-breakdown-runs.js";
import { InMemoryCampaigns } from "./in-memory-campaigns.js";
import { platformWith, TEST_SETTINGS } from "./platform.js";

const ANA: Actor = { name: "ana", role: "analyst" };
const TIERS = ["mass", "affluent", "private"];
const REGIONS = ["Jilin", "Changchun", "Siping", "Yanbian"];

/** 2,500 deliveries: sent, control and suppressed, over three tiers, four regions and five days; some clicked, answered, converted. */
function aLargeCampaign(): Delivery[] {
  return Array.from({ length: 2_500 }, (_, i) => {
    const day = `2024-05-0${2 + (i % 5)}`;
    const status = i % 10 === 0 ? "control" : i % 13 === 0 ? "suppressed" : "sent";
    return aDelivery({
      customerId: `C-${i}`,
      status,
      ...(status === "suppressed" ? { suppressionReason: "no_email_consent" as const } : {}),
      ...(i % 17 === 0 ? {} : { tier: TIERS[i % 3], region: REGIONS[i % 4] }),
      ...(status === "sent" ? { sentAt: `${day}T02:00:00.000Z` } : {}),
      ...(status === "sent" && i % 3 === 0 ? { clickedAt: `${day}T20:00:00.000Z` } : {}),
      ...(status === "sent" && i % 6 === 0
        ? { answer: "interested" as const, answeredAt: `${day}T21:00:00.000Z` }
        : {}),
      ...(i % 7 === 0 && status !== "suppressed" ? { convertedAt: `${day}T23:30:00.000Z` } : {}),
    });
  });
}

function countersOf(all: Delivery[]) {
  const n = (s: string) => all.filter((d) => d.status === s).length;
  return { targeted: n("sent"), control: n("control"), suppressed_no_email_consent: n("suppressed") };
}

function platformOf(all: Delivery[], bound = 1_000) {
  const runs = inMemoryBreakdownRuns();
  const p = platformWith({
    campaigns: new InMemoryCampaigns(aCampaign({ launchedAt: "2024-05-02T01:00:00.000Z" })),
    breakdownRuns: runs.breakdownRuns,
    queue: runs.queue,
    deliveries: { ...deliveriesPaged(all), counters: async () => countersOf(all) },
    settings: { syncBreakdownMaxDeliveries: bound },
  });
  return { p, runs };
}

describe("a breakdown run of a campaign larger than SYNC_BREAKDOWN_MAX_DELIVERIES", () => {
  it("counts page by page to exactly the breakdown the request would read, as of its finish", async () => {
    // prepare
    const all = aLargeCampaign();
    const { p, runs } = platformOf(all);
    // act
    const { run, started } = await startBreakdownRun(p, "cmp-1", ANA);
    const before = await resultsBreakdown(p, "cmp-1");
    await runs.drain((job) => breakdownPage(p, job));
    const after = await resultsBreakdown(p, "cmp-1");
    // assess
    expect(started).toBe(true);
    expect(run.expected).toBe(2_500);
    expect(before).toMatchObject({ source: "none", deliveries: 2_500, max: 1_000, running: { counted: 0 } });
    expect(after.source).toBe("run");
    if (after.source !== "run") return;
    expect(after.breakdown).toEqual(await campaignBreakdown(p, "cmp-1"));
    expect(after.breakdown.deliveries).toBe(2_500);
    expect(after.asOf).toBe("2026-06-01T12:00:00.000Z");
    expect(after.running).toBeUndefined();
    expect(runs.runs.get(`cmp-1/${run.runId}`)?.pagesCounted).toBe(2_500 / TEST_SETTINGS.fanoutPageSize);
  });

  it("counts a page SQS delivers twice once", async () => {
    // prepare
    const all = aLargeCampaign();
    const { p, runs } = platformOf(all);
    await startBreakdownRun(p, "cmp-1", ANA);
    // act: every job delivered twice, the second time after the first was counted (each queues
    // the next page; the test keeps one of the two, as a redelivery after a crash would have queued one)
    const seen: boolean[] = [];
    await runs.drain(async (job) => {
      seen.push((await breakdownPage(p, job)).counted);
      seen.push((await breakdownPage(p, job)).counted);
      runs.jobs.splice(1);
    });
    const result = await resultsBreakdown(p, "cmp-1");
    // assess
    // Each of the 25 pages counted once; every other delivery of a job counted nothing.
    expect(seen.filter(Boolean)).toHaveLength(25);
    expect(seen).toHaveLength(50);
    expect(result.source === "run" && result.breakdown).toEqual(await campaignBreakdown(p, "cmp-1"));
  });

  it("starts no second run of the campaign while one is counting: Count again returns the running one", async () => {
    // prepare
    const { p, runs } = platformOf(aLargeCampaign());
    const first = await startBreakdownRun(p, "cmp-1", ANA);
    // act
    const second = await startBreakdownRun(p, "cmp-1", { name: "mei", role: "marketer" });
    await runs.drain((job) => breakdownPage(p, job));
    const third = await startBreakdownRun(p, "cmp-1", ANA);
    // assess
    expect(second).toEqual({ run: first.run, started: false });
    expect(third.started).toBe(true);
  });

  it("reads the deliveries in the request for a campaign within the bound", async () => {
    // prepare
    const all = aLargeCampaign().slice(0, 900);
    const { p } = platformOf(all);
    // act
    const result = await resultsBreakdown(p, "cmp-1");
    // assess
    expect(result).toEqual({ source: "live", deliveries: 900, breakdown: await campaignBreakdown(p, "cmp-1") });
  });
});
