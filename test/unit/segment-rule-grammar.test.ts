import { describe, expect, it } from "vitest";
import { matches, SegmentRule } from "../../shared/segments/rule.js";
import { NewSegment } from "../../shared/segments/segment.js";
import { aCustomer } from "./fixtures.js";

const saver = aCustomer({ customerId: "S-1", aum: 80_000, products: ["DEPOSIT_CURRENT"], region: "Jilin" });
const borrower = aCustomer({
  customerId: "B-1",
  aum: 500_000,
  tier: "affluent",
  products: ["DEPOSIT_CURRENT", "MORTGAGE", "CREDIT_CARD"],
  region: "Changchun",
});
const company = aCustomer({
  customerId: "K-1",
  type: "corporate",
  tier: null,
  aum: 2_000_000,
  region: "Siping",
  products: ["SETTLEMENT"],
  relationshipManager: "rm.li",
});

const who = (rule: SegmentRule) => [saver, borrower, company].filter((c) => matches(rule, c)).map((c) => c.customerId);

function issuesOf(rule: unknown) {
  const parsed = NewSegment.safeParse({ name: "x", rule });
  return parsed.success ? [] : parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
}

describe("comparisons", () => {
  it("not_in excludes the listed values", () => {
    expect(who({ attr: "region", op: "not_in", value: ["Jilin"] })).toEqual(["B-1", "K-1"]);
  });

  it("between is inclusive at both ends", () => {
    expect(who({ attr: "aum", op: "between", value: [80_000, 500_000] })).toEqual(["S-1", "B-1"]);
    expect(who({ attr: "aum", op: "between", value: [80_001, 499_999] })).toEqual([]);
  });

  it("exists asks whether an attribute has a value", () => {
    expect(who({ attr: "relationshipManager", op: "exists", value: true })).toEqual(["K-1"]);
    expect(who({ attr: "relationshipManager", op: "exists", value: false })).toEqual(["S-1", "B-1"]);
  });

  it("productCount finds the single-product customers the playbook targets", () => {
    expect(who({ attr: "productCount", op: "eq", value: 1 })).toEqual(["S-1", "K-1"]);
  });
});

describe("product categories", () => {
  it("holdsCategory matches any product of the category", () => {
    expect(who({ holdsCategory: "asset" })).toEqual(["B-1"]);
    expect(who({ holdsCategory: "intermediary" })).toEqual(["B-1", "K-1"]);
  });

  it("lacksCategory finds the settlement-only company without a loan", () => {
    expect(
      who({
        all: [{ attr: "type", op: "eq", value: "corporate" }, { holds: "SETTLEMENT" }, { lacksCategory: "asset" }],
      }),
    ).toEqual(["K-1"]);
  });
});

describe("an invalid rule points at the part that is wrong", () => {
  it("names the path of a bad operator inside nested rules", () => {
    const issues = issuesOf({
      all: [{ holds: "DEPOSIT_CURRENT" }, { any: [{ attr: "tier", op: "like", value: "x" }] }],
    });

    expect(issues).toEqual([{ path: "rule.all.1.any.0.op", message: expect.stringContaining("'eq'") }]);
  });

  it("names an unknown product code and an unknown category", () => {
    expect(issuesOf({ lacks: "GOLD" })).toEqual([
      { path: "rule.lacks", message: expect.stringContaining("unknown product code 'GOLD'") },
    ]);
    expect(issuesOf({ holdsCategory: "loans" })[0].path).toBe("rule.holdsCategory");
  });

  it("says what a rule may be when it is none of them", () => {
    expect(issuesOf({ tier: "affluent" })[0].message).toContain('{"all": …}');
  });

  it("rejects between with low above high, and an empty any", () => {
    expect(issuesOf({ attr: "aum", op: "between", value: [10, 1] })[0]).toEqual({
      path: "rule.value",
      message: expect.stringContaining("low <= high"),
    });
    expect(issuesOf({ any: [] })[0].path).toBe("rule.any");
  });

  it("rejects extra keys beside all/any/not", () => {
    expect(issuesOf({ not: { holds: "MORTGAGE" }, also: 1 })[0].message).toContain("takes no other keys");
  });
});

describe("tier moves and lifecycle, judged as of a moment", () => {
  const day = (n: number) => new Date(Date.UTC(2026, 0, 1) + n * 86_400_000).toISOString();
  const context = { at: new Date(day(100)) };
  const justPromoted = aCustomer({
    customerId: "UP",
    tier: "affluent",
    aum: 250_000,
    tierHistory: [
      { tier: "mass_affluent", since: day(0) },
      { tier: "affluent", since: day(90) },
    ],
    aumHistory: [
      { aum: 150_000, at: day(0) },
      { aum: 250_000, at: day(90) },
    ],
  });
  const shrinking = aCustomer({
    customerId: "DOWN",
    tier: "mass",
    aum: 30_000,
    tierHistory: [
      { tier: "mass_affluent", since: day(0) },
      { tier: "mass", since: day(40) },
    ],
    aumHistory: [
      { aum: 80_000, at: day(0) },
      { aum: 30_000, at: day(40) },
    ],
  });
  const steady = aCustomer({
    customerId: "STEADY",
    tierHistory: [{ tier: "mass_affluent", since: day(0) }],
    aumHistory: [{ aum: 120_000, at: day(0) }],
  });
  const newcomer = aCustomer({
    customerId: "NEW",
    tierHistory: [{ tier: "mass_affluent", since: day(95) }],
    aumHistory: [{ aum: 120_000, at: day(95) }],
  });
  const everyone = [justPromoted, shrinking, steady, newcomer];
  const who = (rule: unknown) =>
    everyone.filter((c) => matches(SegmentRule.parse(rule), c, context)).map((c) => c.customerId);

  it("finds who moved up a tier within N days, not who was just given their first", () => {
    expect(who({ tierMoved: "up", withinDays: 30 })).toEqual(["UP"]);
    expect(who({ tierMoved: "down", withinDays: 30 })).toEqual([]);
    expect(who({ tierMoved: "down", withinDays: 60 })).toEqual(["DOWN"]);
    expect(who({ tierMoved: "any", withinDays: 365 })).toEqual(["UP", "DOWN"]);
  });

  it("compares the lifecycle stage, which a newcomer does not have yet", () => {
    expect(who({ attr: "lifecycle", op: "eq", value: "growth" })).toEqual(["UP"]);
    expect(who({ attr: "lifecycle", op: "eq", value: "declining" })).toEqual(["DOWN"]);
    expect(who({ attr: "lifecycle", op: "eq", value: "mature" })).toEqual(["STEADY"]);
    expect(who({ attr: "lifecycle", op: "exists", value: false })).toEqual(["NEW"]);
  });

  it("combines them with negation: upgraded recently but not a wealth-fund holder", () => {
    expect(who({ all: [{ tierMoved: "up", withinDays: 30 }, { not: { holds: "WEALTH_FUND" } }] })).toEqual(["UP"]);
  });

  it.each([
    [{ tierMoved: "sideways", withinDays: 30 }, "tierMoved"],
    [{ tierMoved: "up", withinDays: 0 }, "withinDays"],
    [{ tierMoved: "up" }, "withinDays"],
    [{ attr: "lifecycle", op: "eq", value: "grwoth" }, "value"],
    [{ attr: "tier", op: "in", value: ["affluent", "rich"] }, "value.1"],
    [{ attr: "type", op: "eq", value: "company" }, "value"],
  ])("rejects %j at %s", (rule, path) => {
    const result = SegmentRule.safeParse(rule);

    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join("."))).toContain(path);
  });
});
