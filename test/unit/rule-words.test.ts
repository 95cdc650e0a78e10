import { describe, expect, it } from "vitest";
import { ruleInWords, ruleInWordsAsText } from "../../functions/console/review/rule-words.js";
import { SegmentRule } from "../../shared/segments/rule.js";

/** A rule as a marketer builds it: affluent savers without the fund, recently grown or moved up, not emailed lately. */
const NESTED = SegmentRule.parse({
  all: [
    { attr: "tier", op: "in", value: ["affluent", "high_net_worth"] },
    { lacks: "WEALTH_FUND" },
    {
      any: [
        { attr: "aum", op: "between", value: [200_000, 3_000_000] },
        { tierMoved: "up", withinDays: 30 },
        { attr: "riskTolerance", op: "not_in", value: ["C1", "C2"] },
      ],
    },
    { not: { contactedWithinDays: 30 } },
    { not: { any: [{ holdsCategory: "asset" }, { attr: "region", op: "eq", value: "Shanghai" }] } },
    { not: { attr: "age", op: "gt", value: 60 } },
    { consented: "liability" },
    { attr: "emailConsent", op: "eq", value: true },
    { answered: "spring-fund", answer: "interested" },
  ],
});

describe("a segment rule in words", () => {
  it("says a nested rule in English, products and tiers by their names, groups as lists under a sentence", () => {
    // act
    const words = ruleInWordsAsText(ruleInWords(NESTED, "en"));
    // assess
    expect(words).toBe(
      [
        "All of these:",
        "  Tier is Affluent or High Net Worth",
        "  Does not hold Wealth Management Fund",
        "  At least one of these:",
        "    Assets under management is between CNY 200,000 and CNY 3,000,000 (both included)",
        "    Moved up a tier in the last 30 days",
        "    Risk tolerance is not C1 (conservative) or C2 (cautious)",
        "  Was sent no campaign email in the last 30 days",
        "  None of these:",
        "    Holds any of the asset products (loans)",
        "    Region is Shanghai",
        "  Not this: Age is above 60",
        "  Has agreed to offers of liability products (deposits, wealth)",
        "  Has agreed to receive marketing emails",
        "  Answered campaign spring-fund with “interested”",
      ].join("\n"),
    );
  });

  it("says the same rule in Chinese, with the bank's own tier and product names", () => {
    // act
    const words = ruleInWordsAsText(ruleInWords(NESTED, "zh-CN"));
    // assess
    expect(words).toBe(
      [
        "同时满足以下全部条件：",
        "  客户层级为个人富裕客户或个人高端客户",
        "  未持有理财产品",
        "  满足以下任一条件：",
        "    金融资产在200,000元至3,000,000元之间（含两端）",
        "    近30天内客户层级上升",
        "    风险承受能力不是C1（保守型）或C2（稳健型）",
        "  近30天内未收到过营销邮件",
        "  以下条件都不满足：",
        "    持有任一资产类产品（贷款）",
        "    地区为Shanghai",
        "  不符合：年龄高于60",
        "  同意接收负债类产品（存款、理财）的营销",
        "  已同意接收营销邮件",
        "  对活动 spring-fund 的回复为“感兴趣”",
      ].join("\n"),
    );
  });

  it("turns a negation round only where the meaning stays exact, and drops a group of one", () => {
    // act
    const said = (rule: unknown) => ruleInWordsAsText(ruleInWords(SegmentRule.parse(rule), "en"));
    // assess
    expect(said({ not: { holds: "CREDIT_CARD" } })).toBe("Does not hold Credit Card");
    expect(said({ not: { not: { holds: "CREDIT_CARD" } } })).toBe("Holds Credit Card");
    expect(said({ not: { attr: "type", op: "eq", value: "corporate" } })).toBe("Customer type is not corporate");
    expect(said({ not: { attr: "relationshipManager", op: "exists", value: true } })).toBe(
      "Relationship manager is not on record",
    );
    expect(said({ not: { attr: "aum", op: "gte", value: 50_000 } })).toBe(
      "Not this: Assets under management is CNY 50,000 or more",
    );
    expect(said({ not: { all: [{ holds: "MORTGAGE" }, { lacks: "INSURANCE" }] } })).toBe(
      ["Not all of these at once:", "  Holds Mortgage", "  Does not hold Insurance"].join("\n"),
    );
    expect(said({ all: [{ attr: "lifecycle", op: "eq", value: "growth" }] })).toBe("Lifecycle stage is growth");
  });

  it("tells deposits from wealth in both languages, as the preference centre does", () => {
    // act
    const said = (rule: unknown, language: "en" | "zh-CN") =>
      ruleInWordsAsText(ruleInWords(SegmentRule.parse(rule), language));
    // assess
    expect(said({ holdsCategory: "deposits" }, "en")).toBe("Holds any of the deposit and savings products");
    expect(said({ lacksCategory: "wealth" }, "zh-CN")).toBe("未持有任何理财与投资类产品");
    expect(said({ consented: "wealth" }, "zh-CN")).toBe("同意接收理财与投资类产品的营销");
  });
});
