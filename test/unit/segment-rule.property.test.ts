import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { Answer } from "../../shared/customers/answers.js";
import { Channel, ConsentCategory } from "../../shared/customers/consent.js";
import { Customer, CustomerType, Language, RiskTolerance } from "../../shared/customers/customer.js";
import { CompanySize, CorporateType, CreditRating, Gender, IncomeBand } from "../../shared/customers/details.js";
import { TierDirection } from "../../shared/customers/history.js";
import { ProductCode } from "../../shared/kernel/products.js";
import { Tier } from "../../shared/kernel/tiers.js";
import {
  CLOSED_VALUES,
  MAX_RULE_DEPTH,
  matches,
  RuleAttribute,
  type RuleContext,
  ruleDepth,
  SegmentRule,
} from "../../shared/segments/rule.js";
import { aCustomer } from "./fixtures.js";

/**
 * Properties of the rule language (shared/segments/rule.ts), on generated input. fast-check
 * prints the seed and the shrunk counterexample of a failure; `fc.assert(..., { seed })`
 * replays it.
 */
const RUNS = { numRuns: 300 };

// --- valid rules -----------------------------------------------------------------------------

/** A finite number, never -0 (JSON writes it as 0). */
const number = fc.oneof(
  fc.integer({ min: -1e9, max: 1e9 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => n || 0),
);
const scalar = fc.oneof(fc.string({ maxLength: 20 }), number, fc.boolean());

/** The attributes with a closed set of values, and those values: rule.ts refuses any other. */
const CLOSED = CLOSED_VALUES;
const OPEN = RuleAttribute.options.filter((attr) => !(attr in CLOSED));

const closedComparison = fc.constantFrom(...(Object.keys(CLOSED) as RuleAttribute[])).chain((attr) => {
  const value = fc.constantFrom(...CLOSED[attr]!);
  return fc.oneof(
    fc.record({ attr: fc.constant(attr), op: fc.constantFrom("eq", "ne"), value }),
    fc.record({
      attr: fc.constant(attr),
      op: fc.constantFrom("in", "not_in"),
      value: fc.array(value, { minLength: 1 }),
    }),
    fc.record({ attr: fc.constant(attr), op: fc.constant("exists"), value: fc.boolean() }),
  );
});
const openAttr = fc.constantFrom(...OPEN);
const openComparison = fc.oneof(
  fc.record({ attr: openAttr, op: fc.constantFrom("eq", "ne"), value: scalar }),
  fc.record({ attr: openAttr, op: fc.constantFrom("in", "not_in"), value: fc.array(scalar, { minLength: 1 }) }),
  fc.record({ attr: openAttr, op: fc.constantFrom("gt", "gte", "lt", "lte"), value: number }),
  fc.record({
    attr: openAttr,
    op: fc.constant("between"),
    value: fc.tuple(number, number).map(([a, b]) => (a <= b ? [a, b] : [b, a])),
  }),
  fc.record({ attr: openAttr, op: fc.constant("exists"), value: fc.boolean() }),
);
const days = fc.integer({ min: 1, max: 3650 });
const validLeaf = fc.oneof(
  closedComparison,
  openComparison,
  fc.record({ holds: fc.constantFrom(...ProductCode.options) }),
  fc.record({ lacks: fc.constantFrom(...ProductCode.options) }),
  fc.record({ holdsCategory: fc.constantFrom(...ConsentCategory.options) }),
  fc.record({ lacksCategory: fc.constantFrom(...ConsentCategory.options) }),
  fc.record({ tierMoved: fc.constantFrom(...TierDirection.options), withinDays: days }),
  fc.record({ consented: fc.constantFrom(...Channel.options, ...ConsentCategory.options) }),
  fc.record({ contactedWithinDays: days }),
  fc.record(
    { answered: fc.string({ minLength: 1, maxLength: 100 }), answer: fc.constantFrom(...Answer.options) },
    { requiredKeys: ["answered"] },
  ),
);

/** Any rule the grammar allows, at most MAX_RULE_DEPTH levels deep. */
const { validRule } = fc.letrec<{ validRule: SegmentRule }>((tie) => ({
  validRule: fc.oneof(
    { maxDepth: MAX_RULE_DEPTH - 1, depthIdentifier: "rule" },
    validLeaf as fc.Arbitrary<SegmentRule>,
    fc.record({ all: fc.array(tie("validRule"), { minLength: 1, maxLength: 3 }) }),
    fc.record({ any: fc.array(tie("validRule"), { minLength: 1, maxLength: 3 }) }),
    fc.record({ not: tie("validRule") }),
  ),
}));

// --- valid customers -------------------------------------------------------------------------

const at = fc
  .date({ min: new Date("2000-01-01T00:00:00Z"), max: new Date("2035-12-31T00:00:00Z"), noInvalidDate: true })
  .map((d) => d.toISOString());
const day = fc
  .date({ min: new Date("1920-01-01T00:00:00Z"), max: new Date("2030-12-31T00:00:00Z"), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const amount = fc.oneof(
  fc.integer({ min: 0, max: 1e10 }),
  fc.double({ min: 0, max: 1e10, noNaN: true }).map((n) => n || 0),
);
const consentRecord = fc.record({
  granted: fc.boolean(),
  source: fc.string({ minLength: 1, maxLength: 30 }),
  at,
  by: fc.constantFrom("customer", "bank"),
});
const partial = <K extends string>(keys: readonly K[], value: fc.Arbitrary<unknown>) =>
  fc.record(Object.fromEntries(keys.map((k) => [k, value])) as Record<K, fc.Arbitrary<unknown>>, {
    requiredKeys: [],
  });

/** A customer as the store holds one: every optional field sometimes there, sometimes not. */
const customer = fc
  .record(
    {
      customerId: fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/),
      type: fc.constantFrom(...CustomerType.options),
      name: fc.string({ minLength: 1, maxLength: 30 }),
      email: fc
        .tuple(fc.stringMatching(/^[a-z0-9]{1,12}$/), fc.constantFrom("bank.cn", "example.com"))
        .map(([local, domain]) => `${local}@${domain}`),
      phone: fc.string({ maxLength: 20 }),
      aum: amount,
      tier: fc.option(fc.constantFrom(...Tier.options), { nil: null }),
      products: fc.subarray([...ProductCode.options]),
      region: fc.string({ minLength: 1, maxLength: 20 }),
      emailConsent: fc.boolean(),
      consent: fc.record({
        channels: partial(Channel.options, consentRecord),
        categories: partial(ConsentCategory.options, consentRecord),
      }),
      language: fc.constantFrom(...Language.options),
      timeZone: fc.constantFrom("Asia/Shanghai", "UTC", "America/New_York", "Asia/Kolkata"),
      riskTolerance: fc.constantFrom(...RiskTolerance.options),
      relationshipManager: fc.string({ maxLength: 20 }),
      tierHistory: fc.array(fc.record({ tier: fc.constantFrom(...Tier.options), since: at }), { maxLength: 5 }),
      aumHistory: fc.array(fc.record({ aum: amount, at }), { maxLength: 5 }),
      lastContactedAt: at,
      answers: fc.dictionary(
        fc.string({ minLength: 1, maxLength: 12 }),
        fc.record({ answer: fc.constantFrom(...Answer.options), at }),
        { maxKeys: 4 },
      ),
      birthDate: day,
      gender: fc.constantFrom(...Gender.options),
      deposits: amount,
      loans: amount,
      incomeBand: fc.constantFrom(...IncomeBand.options),
      creditRating: fc.constantFrom(...CreditRating.options),
      corporateType: fc.constantFrom(...CorporateType.options),
      industry: fc.string({ maxLength: 20 }),
      companySize: fc.constantFrom(...CompanySize.options),
      createdAt: at,
      updatedAt: at,
    },
    {
      requiredKeys: [
        "customerId",
        "type",
        "name",
        "aum",
        "tier",
        "products",
        "region",
        "emailConsent",
        "createdAt",
        "updatedAt",
      ],
    },
  )
  .map((fields) => Customer.parse(fields));

const context: fc.Arbitrary<RuleContext> = fc.record(
  {
    at: fc.date({ min: new Date("2000-01-01T00:00:00Z"), max: new Date("2040-01-01T00:00:00Z"), noInvalidDate: true }),
    lifecycle: fc.record({ windowDays: days, changePercent: fc.integer({ min: 1, max: 100 }) }),
  },
  { requiredKeys: ["at"] },
);

// --- arbitrary JSON, some of it shaped like rules --------------------------------------------

const KEYS = ["all", "any", "not", "attr", "op", "value", "holds", "lacks", "tierMoved", "withinDays", "answered"];
const { ruleish } = fc.letrec<{ ruleish: unknown }>((tie) => ({
  ruleish: fc.oneof(
    { maxDepth: MAX_RULE_DEPTH + 3, depthIdentifier: "ruleish" },
    fc.jsonValue({ maxDepth: 2 }),
    validLeaf,
    fc.record(
      {
        attr: fc.oneof(fc.constantFrom(...RuleAttribute.options), fc.string()),
        op: fc.oneof(
          fc.constantFrom("eq", "ne", "in", "not_in", "gt", "gte", "lt", "lte", "between", "exists"),
          fc.string(),
        ),
        value: fc.jsonValue({ maxDepth: 2 }),
      },
      { requiredKeys: [] },
    ),
    fc.dictionary(fc.constantFrom(...KEYS), tie("ruleish"), { maxKeys: 3 }),
    fc.record({ all: fc.oneof(fc.array(tie("ruleish"), { maxLength: 3 }), tie("ruleish")) }),
    fc.record({ any: fc.array(tie("ruleish"), { maxLength: 3 }) }),
    fc.record({ not: tie("ruleish") }),
  ),
}));

/** JSON as a request body delivers it: JSON.parse makes ordinary objects, never null-prototype ones. */
const asReceived = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

/** `levels` nested "not"s around a leaf, built without recursion. */
function nested(levels: number): unknown {
  let rule: unknown = { holds: "WEALTH_FUND" };
  for (let i = 1; i < levels; i++) rule = { not: rule };
  return rule;
}

describe("the rule language, on generated input", () => {
  it("answers any JSON with a rule it can evaluate or a clean zod failure naming each problem", () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), ruleish).map(asReceived), (input) => {
        // act
        const parsed = SegmentRule.safeParse(input);
        let thrown: unknown;
        try {
          SegmentRule.parse(input);
        } catch (error) {
          thrown = error;
        }

        // assess
        if (parsed.success) {
          expect(thrown).toBeUndefined();
          expect(parsed.data).toEqual(input);
          expect(ruleDepth(parsed.data)).toBeLessThanOrEqual(MAX_RULE_DEPTH);
          expect(typeof matches(parsed.data, aCustomer(), { at: new Date("2026-06-01T00:00:00Z") })).toBe("boolean");
        } else {
          expect(thrown).toBeInstanceOf(z.ZodError);
          expect(parsed.error.issues.length).toBeGreaterThan(0);
          for (const issue of parsed.error.issues) {
            expect(issue.message).toMatch(/\S/);
            expect(issue.path.every((part) => typeof part === "string" || typeof part === "number")).toBe(true);
          }
        }
      }),
      { numRuns: 1000 },
    );
  });

  it("refuses a product code given as an object with its own toString cleanly (found by the property above)", () => {
    // act
    const parsed = SegmentRule.safeParse({ holds: { toString: 1 } });
    // assess
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((issue) => issue.message)).toContain(
      "a product code must be a string, one of DEPOSIT_CURRENT, DEPOSIT_TIME, WEALTH_FUND, CREDIT_CARD, DEBIT_CARD, MORTGAGE, CONSUMER_LOAN, REVOLVING_CREDIT, SETTLEMENT, INSURANCE",
    );
  });

  it("refuses a rule nested deeper than allowed with one clean issue, however deep (no stack overflow)", () => {
    fc.assert(
      fc.property(fc.integer({ min: MAX_RULE_DEPTH + 1, max: 50_000 }), (levels) => {
        // act
        const parsed = SegmentRule.safeParse(nested(levels));

        // assess
        expect(parsed.success).toBe(false);
        expect(parsed.error?.issues.map((i) => i.message)).toEqual([
          `rule is nested more than ${MAX_RULE_DEPTH} levels deep`,
        ]);
      }),
      { numRuns: 50 },
    );
  });

  it("parses every valid rule to itself, also after a trip through JSON", () => {
    fc.assert(
      fc.property(validRule, (rule) => {
        // act
        const direct = SegmentRule.safeParse(rule);
        const viaJson = SegmentRule.safeParse(JSON.parse(JSON.stringify(rule)));

        // assess
        expect(ruleDepth(rule)).toBeLessThanOrEqual(MAX_RULE_DEPTH);
        expect(direct.error?.issues ?? []).toEqual([]);
        expect(direct.data).toEqual(rule);
        expect(viaJson.data).toEqual(rule);
      }),
      RUNS,
    );
  });

  it("evaluates every valid rule on every valid customer without throwing, and not/all/any mean what they say", () => {
    fc.assert(
      fc.property(validRule, validRule, customer, context, (rule, other, who, when) => {
        // act
        const result = matches(rule, who, when);

        // assess
        expect(typeof result).toBe("boolean");
        expect(matches({ not: rule }, who, when)).toBe(!result);
        expect(matches({ all: [rule, other] }, who, when)).toBe(result && matches(other, who, when));
        expect(matches({ any: [rule, other] }, who, when)).toBe(result || matches(other, who, when));
      }),
      RUNS,
    );
  });
});
