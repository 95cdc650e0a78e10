import { describe, expect, it } from "vitest";
import { MAX_RULE_DEPTH, matches, ruleDepth, SegmentRule } from "../../shared/segments/rule.js";
import { aCustomer } from "./fixtures.js";

const ann = aCustomer({
  customerId: "C-ANN",
  type: "individual",
  aum: 120_000,
  tier: "mass_affluent",
  region: "Jilin",
  emailConsent: true,
  products: ["DEPOSIT_CURRENT", "CREDIT_CARD"],
});
const grainCo = aCustomer({
  customerId: "K-GRAIN",
  type: "corporate",
  name: "Grain Trading Co",
  aum: 5_000_000,
  tier: null,
  region: "Changchun",
  emailConsent: false,
  products: ["SETTLEMENT"],
});

/** Parses the rule as the API would, then asks who matches it. */
const whoMatches = (rule: unknown) => {
  const parsed = SegmentRule.parse(rule);
  return [ann, grainCo].filter((c) => matches(parsed, c)).map((c) => c.customerId);
};

describe("matches: comparisons", () => {
  it.each<[string, unknown, string[]]>([
    ["tier eq", { attr: "tier", op: "eq", value: "mass_affluent" }, ["C-ANN"]],
    ["tier ne", { attr: "tier", op: "ne", value: "mass_affluent" }, ["K-GRAIN"]],
    ["tier in", { attr: "tier", op: "in", value: ["affluent", "mass_affluent"] }, ["C-ANN"]],
    ["tier in (no hit)", { attr: "tier", op: "in", value: ["affluent", "high_net_worth"] }, []],
    ["aum eq", { attr: "aum", op: "eq", value: 120_000 }, ["C-ANN"]],
    ["aum ne", { attr: "aum", op: "ne", value: 120_000 }, ["K-GRAIN"]],
    ["aum in", { attr: "aum", op: "in", value: [1, 5_000_000] }, ["K-GRAIN"]],
    ["aum gt (strict at the value)", { attr: "aum", op: "gt", value: 120_000 }, ["K-GRAIN"]],
    ["aum gt (below both)", { attr: "aum", op: "gt", value: 119_999 }, ["C-ANN", "K-GRAIN"]],
    ["aum gte (includes the value)", { attr: "aum", op: "gte", value: 120_000 }, ["C-ANN", "K-GRAIN"]],
    ["aum gte (above one)", { attr: "aum", op: "gte", value: 120_001 }, ["K-GRAIN"]],
    ["aum lt (strict at the value)", { attr: "aum", op: "lt", value: 120_000 }, []],
    ["aum lt (above one)", { attr: "aum", op: "lt", value: 120_001 }, ["C-ANN"]],
    ["aum lte (includes the value)", { attr: "aum", op: "lte", value: 120_000 }, ["C-ANN"]],
    ["aum lte (below both)", { attr: "aum", op: "lte", value: 119_999 }, []],
    ["region eq", { attr: "region", op: "eq", value: "Changchun" }, ["K-GRAIN"]],
    ["region ne", { attr: "region", op: "ne", value: "Changchun" }, ["C-ANN"]],
    ["region in", { attr: "region", op: "in", value: ["Jilin", "Siping"] }, ["C-ANN"]],
    ["type eq", { attr: "type", op: "eq", value: "corporate" }, ["K-GRAIN"]],
    ["type ne", { attr: "type", op: "ne", value: "corporate" }, ["C-ANN"]],
    ["type in", { attr: "type", op: "in", value: ["individual", "corporate"] }, ["C-ANN", "K-GRAIN"]],
    ["emailConsent eq true", { attr: "emailConsent", op: "eq", value: true }, ["C-ANN"]],
    ["emailConsent eq false", { attr: "emailConsent", op: "eq", value: false }, ["K-GRAIN"]],
    ["emailConsent ne true", { attr: "emailConsent", op: "ne", value: true }, ["K-GRAIN"]],
    ["emailConsent in", { attr: "emailConsent", op: "in", value: [false] }, ["K-GRAIN"]],
    ["customerId eq", { attr: "customerId", op: "eq", value: "C-ANN" }, ["C-ANN"]],
  ])("%s", (_, rule, expected) => {
    // prepare: the two customers above
    // act
    const matched = whoMatches(rule);
    // assess
    expect(matched).toEqual(expected);
  });

  it("does not match a number against its text: aum eq '120000' finds nobody", () => {
    // prepare / act
    const matched = whoMatches({ attr: "aum", op: "eq", value: "120000" });
    // assess
    expect(matched).toEqual([]);
  });

  it("never puts a corporate customer (no tier) in a range on tier", () => {
    // prepare / act
    const matched = whoMatches({
      attr: "tier",
      op: "in",
      value: ["mass", "mass_affluent", "affluent", "high_net_worth"],
    });
    // assess
    expect(matched).toEqual(["C-ANN"]);
  });

  it("compares ranges only on numbers: aum gt works, region gt matches nobody", () => {
    // prepare / act
    const byRegion = whoMatches({ attr: "region", op: "gt", value: 0 });
    // assess
    expect(byRegion).toEqual([]);
  });
});

describe("matches: product holdings", () => {
  it.each<[string, unknown, string[]]>([
    ["holds CREDIT_CARD", { holds: "CREDIT_CARD" }, ["C-ANN"]],
    ["holds SETTLEMENT", { holds: "SETTLEMENT" }, ["K-GRAIN"]],
    ["holds MORTGAGE", { holds: "MORTGAGE" }, []],
    ["lacks CREDIT_CARD", { lacks: "CREDIT_CARD" }, ["K-GRAIN"]],
    ["lacks MORTGAGE", { lacks: "MORTGAGE" }, ["C-ANN", "K-GRAIN"]],
  ])("%s", (_, rule, expected) => {
    // prepare / act
    const matched = whoMatches(rule);
    // assess
    expect(matched).toEqual(expected);
  });

  it("finds the classic cross-sell gap: companies that settle with the bank but do not borrow from it", () => {
    // prepare
    const rule = {
      all: [{ attr: "type", op: "eq", value: "corporate" }, { holds: "SETTLEMENT" }, { lacks: "REVOLVING_CREDIT" }],
    };
    // act
    const matched = whoMatches(rule);
    // assess
    expect(matched).toEqual(["K-GRAIN"]);
  });
});

describe("matches: deposits told apart from wealth", () => {
  const saver = aCustomer({ customerId: "C-SAVER", products: ["DEPOSIT_TIME"] });
  const investor = aCustomer({ customerId: "C-INVESTOR", products: ["WEALTH_FUND"] });
  const at = "2026-06-01T00:00:00.000Z";
  const refusedWealth = aCustomer({
    customerId: "C-NO-WEALTH",
    products: ["DEPOSIT_TIME"],
    consent: {
      channels: { email: { granted: true, source: "import", at, by: "bank" } },
      categories: {
        liability: { granted: true, source: "import", at, by: "bank" },
        wealth: { granted: false, source: "preference centre", at, by: "customer" },
      },
    },
  });
  const who = (rule: unknown, customers = [saver, investor]) =>
    customers.filter((c) => matches(SegmentRule.parse(rule), c)).map((c) => c.customerId);

  it.each<[string, unknown, string[]]>([
    // Both are liabilities to the bank: the bank's own category cannot tell a saver from an investor.
    ["holds a liability", { holdsCategory: "liability" }, ["C-SAVER", "C-INVESTOR"]],
    ["holds a deposit", { holdsCategory: "deposits" }, ["C-SAVER"]],
    ["holds a wealth product", { holdsCategory: "wealth" }, ["C-INVESTOR"]],
    ["lacks a wealth product: the savers a wealth campaign is for", { lacksCategory: "wealth" }, ["C-SAVER"]],
  ])("%s", (_, rule, expected) => {
    expect(who(rule)).toEqual(expected);
  });

  it("reads the customer's own no to wealth offers over the bank's broader yes to liabilities", () => {
    expect(who({ consented: "liability" }, [refusedWealth])).toEqual(["C-NO-WEALTH"]);
    expect(who({ consented: "wealth" }, [refusedWealth])).toEqual([]);
  });

  it("refuses a category no one keeps, naming the ones there are", () => {
    const parsed = SegmentRule.safeParse({ holdsCategory: "savings" });
    expect(parsed.success).toBe(false);
    expect(JSON.stringify(parsed.error?.issues)).toContain("deposits");
  });
});

describe("matches: all / any / not", () => {
  it.each<[string, unknown, string[]]>([
    [
      "all: every part must hold",
      { all: [{ attr: "region", op: "eq", value: "Jilin" }, { holds: "CREDIT_CARD" }] },
      ["C-ANN"],
    ],
    [
      "all: one failing part excludes",
      { all: [{ attr: "region", op: "eq", value: "Jilin" }, { holds: "SETTLEMENT" }] },
      [],
    ],
    [
      "any: one part is enough",
      { any: [{ attr: "region", op: "eq", value: "Jilin" }, { holds: "SETTLEMENT" }] },
      ["C-ANN", "K-GRAIN"],
    ],
    ["any: no part holds", { any: [{ holds: "MORTGAGE" }, { holds: "INSURANCE" }] }, []],
    ["not", { not: { holds: "CREDIT_CARD" } }, ["K-GRAIN"]],
    ["not of any (nor)", { not: { any: [{ holds: "CREDIT_CARD" }, { holds: "SETTLEMENT" }] } }, []],
    ["not of any, one side only", { not: { any: [{ holds: "CREDIT_CARD" }, { holds: "MORTGAGE" }] } }, ["K-GRAIN"]],
    [
      "not of all (nand)",
      { not: { all: [{ holds: "CREDIT_CARD" }, { attr: "region", op: "eq", value: "Jilin" }] } },
      ["K-GRAIN"],
    ],
    ["double negation", { not: { not: { holds: "CREDIT_CARD" } } }, ["C-ANN"]],
    [
      "any inside all",
      {
        all: [
          {
            any: [
              { attr: "tier", op: "eq", value: "affluent" },
              { attr: "aum", op: "gte", value: 100_000 },
            ],
          },
          { attr: "emailConsent", op: "eq", value: true },
        ],
      },
      ["C-ANN"],
    ],
  ])("%s", (_, rule, expected) => {
    // prepare / act
    const matched = whoMatches(rule);
    // assess
    expect(matched).toEqual(expected);
  });
});

describe("SegmentRule schema", () => {
  it.each<[string, unknown]>([
    ["an unknown attribute", { attr: "shoeSize", op: "gt", value: 30 }],
    ["an unknown op", { attr: "aum", op: "between", value: 30 }],
    ["an unknown product code in holds", { holds: "GOLD_BAR" }],
    ["an unknown product code in lacks", { lacks: "GOLD_BAR" }],
    ["an empty all", { all: [] }],
    ["an empty any", { any: [] }],
    ["an empty in", { attr: "tier", op: "in", value: [] }],
    ["extra keys on a comparison", { attr: "aum", op: "gt", value: 1, note: "hi" }],
    ["extra keys on holds", { holds: "MORTGAGE", since: "2024" }],
    ["all and any in one node", { all: [{ holds: "MORTGAGE" }], any: [{ holds: "MORTGAGE" }] }],
    ["a range compared with text", { attr: "aum", op: "gt", value: "50000" }],
    ["in with a single value instead of a list", { attr: "tier", op: "in", value: "mass" }],
    ["a bad rule nested deep inside", { all: [{ any: [{ not: { holds: "GOLD_BAR" } }] }] }],
    ["an empty object", {}],
    ["a string", "tier = mass"],
  ])("rejects %s", (_, rule) => {
    // prepare / act
    const result = SegmentRule.safeParse(rule);
    // assess
    expect(result.success).toBe(false);
  });

  it("accepts a rule using every node kind", () => {
    // prepare
    const rule = {
      all: [
        {
          any: [
            { attr: "tier", op: "in", value: ["affluent", "high_net_worth"] },
            { attr: "aum", op: "gte", value: 200_000 },
          ],
        },
        { not: { holds: "WEALTH_FUND" } },
        { lacks: "INSURANCE" },
        { attr: "emailConsent", op: "eq", value: true },
      ],
    };
    // act
    const result = SegmentRule.safeParse(rule);
    // assess
    expect(result.success).toBe(true);
  });
});

describe("ruleDepth", () => {
  it("counts a leaf as 1 and each all/any/not as one more level, taking the deepest branch", () => {
    // prepare
    const leaf: SegmentRule = { holds: "MORTGAGE" };
    const nested: SegmentRule = { all: [leaf, { any: [{ not: leaf }] }] };
    // act / assess
    expect(ruleDepth(leaf)).toBe(1);
    expect(ruleDepth({ not: leaf })).toBe(2);
    expect(ruleDepth(nested)).toBe(4);
  });

  it("allows eight levels", () => {
    // prepare / act / assess
    expect(MAX_RULE_DEPTH).toBe(8);
  });
});
