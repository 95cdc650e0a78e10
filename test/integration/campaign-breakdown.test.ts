import { beforeAll, describe, expect, it } from "vitest";
import { api, inbox, linkIn, runCampaign, waitFor } from "./client.js";

/**
 * An analyst's results by tier, region and day, on the real emulators: a campaign to five
 * customers in two regions and three tiers, one of them without email consent; one opens the
 * offer, one opens the product. Each table adds up to the funnel the counters give, and a
 * customer's tier changing after the offer does not move them between rows.
 */
const HEADER = "customerId,type,name,email,aum,products,region,emailConsent";
const people = [
  { id: "BRK-1", aum: 10_000, region: "BreakdownNorth", consent: true },
  { id: "BRK-2", aum: 20_000, region: "BreakdownNorth", consent: true },
  { id: "BRK-3", aum: 300_000, region: "BreakdownNorth", consent: true },
  { id: "BRK-4", aum: 300_000, region: "BreakdownSouth", consent: false },
  { id: "BRK-5", aum: 5_000_000, region: "BreakdownSouth", consent: true },
];
const csv = (aumOf: (p: (typeof people)[number]) => number) =>
  [
    HEADER,
    ...people.map((p) =>
      [
        p.id,
        "individual",
        `Breakdown ${p.id}`,
        `${p.id.toLowerCase()}@breakdown.test`,
        aumOf(p),
        "SETTLEMENT",
        p.region,
        p.consent,
      ].join(","),
    ),
  ].join("\n");

let campaignId: string;
let stats: any;
let breakdown: any;

beforeAll(async () => {
  expect(
    (
      await api(
        "POST",
        "/api/customers/import",
        "marketer",
        csv((p) => p.aum),
        "text/csv",
      )
    ).status,
  ).toBe(200);
  const segment = await api("POST", "/api/segments", "marketer", {
    name: "Breakdown regions",
    rule: { attr: "region", op: "in", value: ["BreakdownNorth", "BreakdownSouth"] },
  });
  ({ campaignId } = await runCampaign(segment.body.segmentId, "Breakdown card", "CREDIT_CARD"));
  const emails = await waitFor(
    "the breakdown emails",
    async () => (await inbox()).filter((e) => e.subject.startsWith("Breakdown card")),
    (found) => found.length === 4,
  );
  const toFirst = emails.find((e) => e.destination.to[0].includes("brk-1@"))!;
  expect((await fetch(linkIn(toFirst.body.text!, "o")!, { headers: { accept: "text/html" } })).status).toBe(200);
  const converted = await api("POST", "/api/conversions", "admin", {
    customerId: "BRK-5",
    productCode: "CREDIT_CARD",
    amount: 1,
    occurredAt: new Date().toISOString(),
  });
  expect(converted.status).toBeLessThan(300);
  // The bank's feed moves the first customer up a tier after the offer.
  await api(
    "POST",
    "/api/customers/import",
    "marketer",
    csv((p) => (p.id === "BRK-1" ? 400_000 : p.aum)),
    "text/csv",
  );
  stats = (await api("GET", `/api/campaigns/${campaignId}/stats`, "analyst")).body;
  const reply = await api("GET", `/api/campaigns/${campaignId}/breakdown`, "analyst");
  expect(reply.status).toBe(200);
  breakdown = reply.body;
});

const sum = (rows: any[], column: string) => rows.reduce((a, r) => a + r[column], 0);

describe("a campaign's results broken down", () => {
  it("counts each customer under the tier and region they had at the offer", () => {
    const row = (rows: any[], key: string) => rows.find((r) => r.key === key);

    expect(breakdown.byTier.map((r: any) => r.key)).toEqual(["high_net_worth", "affluent", "mass"]);
    expect(row(breakdown.byTier, "mass")).toMatchObject({ targeted: 2, sent: 2, clicked: 1, suppressed: 0 });
    expect(row(breakdown.byTier, "affluent")).toMatchObject({ targeted: 1, suppressed: 1, sent: 1 });
    expect(row(breakdown.byTier, "high_net_worth")).toMatchObject({ targeted: 1, converted: 1 });
    expect(row(breakdown.byRegion, "BreakdownNorth")).toMatchObject({ targeted: 3, sent: 3, clicked: 1 });
    expect(row(breakdown.byRegion, "BreakdownSouth")).toMatchObject({ targeted: 1, suppressed: 1, converted: 1 });
    expect(breakdown.unknownProfile).toBe(0);
  });

  it("adds up, table by table, to the funnel of the campaign's stats", () => {
    const suppressed = Object.values(stats.suppressed as Record<string, number>).reduce((a, b) => a + b, 0);

    expect(breakdown.deliveries).toBe(stats.targeted + stats.control + suppressed);
    for (const rows of [breakdown.byTier, breakdown.byRegion]) {
      expect(sum(rows, "targeted")).toBe(stats.targeted);
      expect(sum(rows, "sent")).toBe(stats.sent);
      expect(sum(rows, "clicked")).toBe(stats.clicked);
      expect(sum(rows, "converted")).toBe(stats.converted);
      expect(sum(rows, "suppressed")).toBe(suppressed);
    }
    expect(sum(breakdown.byDay, "sent")).toBe(stats.sent);
    expect(sum(breakdown.byDay, "clicked")).toBe(1);
    expect(sum(breakdown.byDay, "converted")).toBe(1);
    expect(breakdown.byDay[0].day).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(breakdown.timeZone).toBe("Asia/Shanghai");
  });

  it("answers a campaign that does not exist with a 404 naming it", async () => {
    const reply = await api("GET", "/api/campaigns/no-such-campaign/breakdown", "analyst");

    expect(reply.status).toBe(404);
    expect(JSON.stringify(reply.body)).toContain("no-such-campaign");
  });
});
