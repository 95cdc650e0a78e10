import { beforeAll, describe, expect, it } from "vitest";
import { platform } from "../../shared/adapters/platform.js";
import { breakdownOf } from "../../shared/delivery/breakdown.js";
import { breakdownPage, resultsBreakdown } from "../../shared/delivery/breakdown-run.js";
import { api, runCampaign, waitFor } from "./client.js";

/**
 * A breakdown run on the shared local platform's real emulators and handlers: POST
 * .../breakdown-runs queues it, the fan-out consumer counts it page by page in DynamoDB Local,
 * and its tables equal the breakdown read in one request. The platform's bound stays the
 * default (other files read small campaigns' breakdowns in the request), so the "large" side is
 * read in this process over the same stores with the bound set below the campaign.
 */
const HEADER = "customerId,type,name,email,aum,products,region,emailConsent";
const ROWS = Array.from({ length: 12 }, (_, i) =>
  [
    `BRR-${i}`,
    "individual",
    `Breakdown run ${i}`,
    `brr-${i}@breakdown-run.test`,
    [10_000, 300_000, 5_000_000][i % 3],
    "SETTLEMENT",
    i % 2 ? "RunNorth" : "RunSouth",
    i !== 11,
  ].join(","),
);

let campaignId: string;

beforeAll(async () => {
  expect(
    (await api("POST", "/api/customers/import", "marketer", [HEADER, ...ROWS].join("\n"), "text/csv")).status,
  ).toBe(200);
  const segment = await api("POST", "/api/segments", "marketer", {
    name: "Breakdown run regions",
    rule: { attr: "region", op: "in", value: ["RunNorth", "RunSouth"] },
  });
  ({ campaignId } = await runCampaign(segment.body.segmentId, "Breakdown run card", "CREDIT_CARD"));
});

describe("a breakdown run on the real emulators", () => {
  it("counts the campaign's deliveries to the same tables as the request's breakdown, once however often a page comes", async () => {
    // act: two asked at once, one run
    const [first, second] = await Promise.all([
      api("POST", `/api/campaigns/${campaignId}/breakdown-runs`, "analyst"),
      api("POST", `/api/campaigns/${campaignId}/breakdown-runs`, "marketer"),
    ]);
    const ports = await platform();
    const done = await waitFor(
      "the breakdown run to finish",
      async () => (await ports.breakdownRuns.recent(campaignId, 1))[0],
      (run) => Boolean(run?.finishedAt),
    );
    const live = (await api("GET", `/api/campaigns/${campaignId}/breakdown`, "analyst")).body;
    // The first page's job again, as SQS would redeliver it: not counted a second time.
    const again = await breakdownPage(ports, { breakdownRunId: done.runId, campaignId });
    const afterAgain = await ports.breakdownRuns.get(campaignId, done.runId);
    const large = await resultsBreakdown(
      { ...ports, settings: { ...ports.settings, syncBreakdownMaxDeliveries: 5 } },
      campaignId,
    );
    // assess
    expect([first.status, second.status]).toEqual([202, 202]);
    expect(first.body.runId).toBe(second.body.runId);
    expect([first.body.started, second.body.started].sort()).toEqual([false, true]);
    expect(live).toMatchObject({ source: "live", deliveries: 12 });
    const counted = breakdownOf(campaignId, done.timeZone, done.tally);
    expect(counted).toEqual({
      campaignId,
      timeZone: live.timeZone,
      deliveries: live.deliveries,
      byTier: live.byTier,
      byRegion: live.byRegion,
      byDay: live.byDay,
      unknownProfile: live.unknownProfile,
    });
    expect(again).toEqual({ read: 10, counted: false }); // the platform's FANOUT_PAGE_SIZE: two pages
    expect(done.pagesCounted).toBe(2);
    expect(afterAgain?.tally).toEqual(done.tally);
    expect(large).toMatchObject({ source: "run", deliveries: 12, max: 5, asOf: done.finishedAt, breakdown: counted });
  });
});
