import { z } from "zod";
import { ProductCode } from "./product.js";
import type { Customer } from "./customer.js";

/** Attributes a rule may compare; each maps to a field of the stored customer. */
export const RuleAttribute = z.enum(["tier", "region", "aum", "type", "emailConsent", "customerId"]);
export type RuleAttribute = z.infer<typeof RuleAttribute>;

const Scalar = z.union([z.string(), z.number(), z.boolean()]);

const Comparison = z.union([
  z.object({ attr: RuleAttribute, op: z.enum(["eq", "ne"]), value: Scalar }).strict(),
  z.object({ attr: RuleAttribute, op: z.literal("in"), value: z.array(Scalar).min(1) }).strict(),
  z.object({ attr: RuleAttribute, op: z.enum(["gt", "gte", "lt", "lte"]), value: z.number() }).strict(),
]);
type Comparison = z.infer<typeof Comparison>;

export type SegmentRule =
  | { all: SegmentRule[] }
  | { any: SegmentRule[] }
  | { not: SegmentRule }
  | { holds: ProductCode }
  | { lacks: ProductCode }
  | Comparison;

export const MAX_RULE_DEPTH = 8;

export const SegmentRule: z.ZodType<SegmentRule> = z.lazy(() =>
  z.union([
    z.object({ all: z.array(SegmentRule).min(1) }).strict(),
    z.object({ any: z.array(SegmentRule).min(1) }).strict(),
    z.object({ not: SegmentRule }).strict(),
    z.object({ holds: ProductCode }).strict(),
    z.object({ lacks: ProductCode }).strict(),
    Comparison,
  ]),
);

const RULE_GRAMMAR =
  'A segment rule, a tree of: {"all":[rule,...]}, {"any":[rule,...]}, {"not":rule}, ' +
  '{"attr":"tier|region|aum|type|emailConsent|customerId","op":"eq|ne|in|gt|gte|lt|lte","value":...}, ' +
  `{"holds":"PRODUCT_CODE"}, {"lacks":"PRODUCT_CODE"}; at most ${MAX_RULE_DEPTH} levels deep.`;

/** Whether a raw rule is nested deeper than `max`, found without recursion so no input can overflow the stack. */
function nestedDeeperThan(raw: unknown, max: number): boolean {
  let level: unknown[] = [raw];
  for (let depth = 0; level.length > 0; depth++) {
    if (depth >= max) return true;
    level = level.flatMap((node) => {
      if (!node || typeof node !== "object") return [];
      const n = node as { all?: unknown; any?: unknown; not?: unknown };
      return [...(Array.isArray(n.all) ? n.all : []), ...(Array.isArray(n.any) ? n.any : []), ...(n.not !== undefined ? [n.not] : [])];
    });
  }
  return false;
}

/**
 * The rule as it crosses a boundary (HTTP body, stored item): depth checked first, then the
 * recursive schema. Documented as an object because OpenAPI generators cannot walk z.lazy.
 */
export const SegmentRuleInput = z
  .unknown()
  .transform((raw, ctx): SegmentRule => {
    if (nestedDeeperThan(raw, MAX_RULE_DEPTH)) {
      ctx.addIssue({ code: "custom", message: `rule is nested more than ${MAX_RULE_DEPTH} levels deep` });
      return z.NEVER;
    }
    const parsed = SegmentRule.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) ctx.addIssue({ code: "custom", message: issue.message, path: issue.path });
      return z.NEVER;
    }
    return parsed.data;
  })
  .meta({ description: RULE_GRAMMAR, type: "object", example: { all: [{ attr: "tier", op: "in", value: ["affluent"] }, { lacks: "WEALTH_FUND" }] } });

export function ruleDepth(rule: SegmentRule): number {
  if ("all" in rule) return 1 + Math.max(...rule.all.map(ruleDepth));
  if ("any" in rule) return 1 + Math.max(...rule.any.map(ruleDepth));
  if ("not" in rule) return 1 + ruleDepth(rule.not);
  return 1;
}

function compare(actual: unknown, rule: Comparison): boolean {
  switch (rule.op) {
    case "eq":
      return actual === rule.value;
    case "ne":
      return actual !== rule.value;
    case "in":
      return rule.value.includes(actual as string | number | boolean);
    case "gt":
      return typeof actual === "number" && actual > rule.value;
    case "gte":
      return typeof actual === "number" && actual >= rule.value;
    case "lt":
      return typeof actual === "number" && actual < rule.value;
    case "lte":
      return typeof actual === "number" && actual <= rule.value;
  }
}

/** Whether a customer belongs to the segment the rule describes. */
export function matches(rule: SegmentRule, customer: Customer): boolean {
  if ("all" in rule) return rule.all.every((r) => matches(r, customer));
  if ("any" in rule) return rule.any.some((r) => matches(r, customer));
  if ("not" in rule) return !matches(rule.not, customer);
  if ("holds" in rule) return customer.products.includes(rule.holds);
  if ("lacks" in rule) return !customer.products.includes(rule.lacks);
  return compare(customer[rule.attr], rule);
}
