import { describe, expect, it } from "vitest";
import { DEFAULT_TIER_THRESHOLDS, type Tier, tierFor } from "../../shared/kernel/tiers.js";

describe("tierFor", () => {
  it.each<[number, Tier]>([
    [0, "mass"],
    [49_999.99, "mass"],
    [50_000, "mass_affluent"],
    [199_999, "mass_affluent"],
    [199_999.99, "mass_affluent"],
    [200_000, "affluent"],
    [2_999_999.99, "affluent"],
    [3_000_000, "high_net_worth"],
    [250_000_000, "high_net_worth"],
  ])("puts AUM %d CNY in tier %s (a boundary belongs to the higher tier)", (aum, expected) => {
    // prepare: the bank's default thresholds (50,000 / 200,000 / 3,000,000 CNY)
    // act
    const tier = tierFor(aum);
    // assess
    expect(tier).toBe(expected);
  });

  it("uses the bank's default thresholds", () => {
    // prepare / act / assess
    expect(DEFAULT_TIER_THRESHOLDS).toEqual([50_000, 200_000, 3_000_000]);
  });

  it("follows configured thresholds instead of the defaults", () => {
    // prepare
    const thresholds = [10_000, 100_000, 1_000_000] as const;
    // act
    const tiers = [9_999, 10_000, 99_999, 100_000, 999_999, 1_000_000].map((aum) => tierFor(aum, thresholds));
    // assess
    expect(tiers).toEqual(["mass", "mass_affluent", "mass_affluent", "affluent", "affluent", "high_net_worth"]);
  });

  it("gives a different tier for the same AUM when the thresholds differ", () => {
    // prepare
    const aum = 60_000;
    // act
    const byDefault = tierFor(aum);
    const byHigherBar = tierFor(aum, [100_000, 500_000, 5_000_000]);
    // assess
    expect(byDefault).toBe("mass_affluent");
    expect(byHigherBar).toBe("mass");
  });
});
