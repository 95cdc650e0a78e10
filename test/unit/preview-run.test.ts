import { describe, expect, it } from "vitest";
import { tallyPage } from "../../shared/segments/preview-jobs.js";
import { SegmentRule } from "../../shared/segments/rule.js";
import { aCustomer } from "./fixtures.js";

describe("tallyPage", () => {
  const page = [
    aCustomer({ customerId: "A", tier: "affluent", region: "Jilin" }),
    aCustomer({ customerId: "B", tier: "mass", region: "Jilin", products: ["DEPOSIT_CURRENT", "WEALTH_FUND"] }),
    aCustomer({ customerId: "K", type: "corporate", tier: null, region: "Siping" }),
  ];

  it("counts the page's members by tier and region and keeps them as sample candidates", () => {
    const tally = tallyPage(
      { rule: SegmentRule.parse({ lacks: "WEALTH_FUND" }), at: "2026-06-01T00:00:00.000Z" },
      page,
    );

    expect(tally).toEqual({
      count: 2,
      byTier: { affluent: 1, corporate: 1 },
      byRegion: { Jilin: 1, Siping: 1 },
      sampleIds: ["A", "K"],
    });
  });

  it("judges time-based rules as of the run's moment, for every page alike", () => {
    const moved = aCustomer({
      customerId: "UP",
      tierHistory: [
        { tier: "mass", since: "2026-01-01T00:00:00.000Z" },
        { tier: "mass_affluent", since: "2026-05-20T00:00:00.000Z" },
      ],
    });
    const rule = SegmentRule.parse({ tierMoved: "up", withinDays: 30 });

    expect(tallyPage({ rule, at: "2026-06-01T00:00:00.000Z" }, [moved]).count).toBe(1);
    expect(tallyPage({ rule, at: "2026-08-01T00:00:00.000Z" }, [moved]).count).toBe(0);
  });
});
