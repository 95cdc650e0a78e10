import { describe, expect, it } from "vitest";
import {
  type AumSnapshot,
  HISTORY_LIMIT,
  lastTierMove,
  lifecycleStage,
  movedTierWithin,
  nextHistory,
} from "../../shared/customers/history.js";

const day = (n: number) => new Date(Date.UTC(2026, 0, 1) + n * 86_400_000).toISOString();
const at = (n: number) => new Date(day(n));

describe("nextHistory", () => {
  it("starts a new customer's history with their tier and balance", () => {
    expect(nextHistory(undefined, { aum: 80_000, tier: "mass_affluent" }, day(0))).toEqual({
      tierHistory: [{ tier: "mass_affluent", since: day(0) }],
      aumHistory: [{ aum: 80_000, at: day(0) }],
    });
  });

  it("adds a tier entry only when the tier moves, and a snapshot only when the balance changes", () => {
    const first = nextHistory(undefined, { aum: 80_000, tier: "mass_affluent" }, day(0));
    const richer = nextHistory(first, { aum: 90_000, tier: "mass_affluent" }, day(10));
    const promoted = nextHistory(richer, { aum: 250_000, tier: "affluent" }, day(20));
    const same = nextHistory(promoted, { aum: 250_000, tier: "affluent" }, day(30));

    expect(richer.tierHistory).toHaveLength(1);
    expect(richer.aumHistory.map((s) => s.aum)).toEqual([80_000, 90_000]);
    expect(promoted.tierHistory).toEqual([
      { tier: "mass_affluent", since: day(0) },
      { tier: "affluent", since: day(20) },
    ]);
    expect(same).toEqual(promoted);
  });

  it("gives a corporate client balances but no tiers", () => {
    expect(nextHistory(undefined, { aum: 9_000_000, tier: null }, day(0))).toEqual({
      tierHistory: [],
      aumHistory: [{ aum: 9_000_000, at: day(0) }],
    });
  });

  it(`keeps the latest ${HISTORY_LIMIT} entries`, () => {
    let history = nextHistory(undefined, { aum: 0, tier: "mass" }, day(0));
    for (let i = 1; i <= 40; i++) history = nextHistory(history, { aum: i, tier: "mass" }, day(i));

    expect(history.aumHistory).toHaveLength(HISTORY_LIMIT);
    expect(history.aumHistory.at(-1)).toEqual({ aum: 40, at: day(40) });
  });
});

describe("tier moves", () => {
  const upgraded = [
    { tier: "mass" as const, since: day(0) },
    { tier: "mass_affluent" as const, since: day(50) },
  ];
  const downgraded = [...upgraded, { tier: "mass" as const, since: day(60) }];

  it("names the latest move and its direction; the first tier is no move", () => {
    expect(lastTierMove(upgraded.slice(0, 1))).toBeNull();
    expect(lastTierMove(upgraded)).toEqual({ from: "mass", to: "mass_affluent", at: day(50), direction: "up" });
    expect(lastTierMove(downgraded)).toMatchObject({ from: "mass_affluent", to: "mass", direction: "down" });
  });

  it("counts a move within N days, the Nth day included", () => {
    expect(movedTierWithin(upgraded, "up", 30, at(80))).toBe(true);
    expect(movedTierWithin(upgraded, "up", 30, at(81))).toBe(false);
    expect(movedTierWithin(upgraded, "down", 30, at(60))).toBe(false);
    expect(movedTierWithin(upgraded, "any", 30, at(60))).toBe(true);
    expect(movedTierWithin(downgraded, "up", 30, at(61))).toBe(false); // the latest move is down
    expect(movedTierWithin(upgraded.slice(0, 1), "any", 3650, at(1))).toBe(false);
  });
});

describe("lifecycleStage (90-day window, 10% change)", () => {
  const history = (...points: [number, number][]): AumSnapshot[] => points.map(([n, aum]) => ({ aum, at: day(n) }));

  it.each([
    ["up 10% exactly", history([0, 100_000], [95, 110_000]), "growth"],
    ["up 9%", history([0, 100_000], [95, 109_000]), "mature"],
    ["down 9%", history([0, 100_000], [95, 91_000]), "mature"],
    ["down 10% exactly", history([0, 100_000], [95, 90_000]), "declining"],
    ["steady", history([0, 100_000]), "mature"],
    ["from nothing to something", history([0, 0], [95, 5_000]), "growth"],
  ])("%s is %s", (_, aumHistory, stage) => {
    expect(lifecycleStage(aumHistory, at(100))).toBe(stage);
  });

  it("compares with the latest balance at least 90 days old, not the oldest", () => {
    const aumHistory = history([0, 50_000], [5, 100_000], [95, 80_000]);

    expect(lifecycleStage(aumHistory, at(100))).toBe("declining"); // 100,000 → 80,000, not 50,000 → 80,000
  });

  it("has no stage for a customer with less than 90 days of balances", () => {
    expect(lifecycleStage(history([20, 100_000], [95, 10_000]), at(100))).toBeNull();
    expect(lifecycleStage([], at(100))).toBeNull();
  });

  it("takes the window and the change from the settings", () => {
    const aumHistory = history([0, 100_000], [25, 104_000]);

    expect(lifecycleStage(aumHistory, at(30), { windowDays: 30, changePercent: 3 })).toBe("growth");
    expect(lifecycleStage(aumHistory, at(30))).toBeNull();
  });
});
