import { z } from "zod";
import { Answer, answeredCampaign, contactedWithin } from "../customers/answers.js";
import { Channel, ConsentCategory, consented, isInCategory } from "../customers/consent.js";
import { type Customer, CustomerType, Language, RiskTolerance } from "../customers/customer.js";
import { CompanySize, CorporateType, CreditRating, Gender, IncomeBand } from "../customers/details.js";
import {
  DEFAULT_LIFECYCLE,
  LifecycleStage,
  lifecycleStage,
  movedTierWithin,
  TierDirection,
} from "../customers/history.js";
import { ProductCode } from "../kernel/products.js";
import type { LifecycleSettings } from "../kernel/settings.js";
import { Tier } from "../kernel/tiers.js";

/** Whole years from a birth date (YYYY-MM-DD) to a moment, in UTC. */
export function ageOn(birthDate: string, at: Date): number {
  const [year, month, day] = birthDate.split("-").map(Number);
  const birthdayPassed = at.getUTCMonth() + 1 > month || (at.getUTCMonth() + 1 === month && at.getUTCDate() >= day);
  return at.getUTCFullYear() - year - (birthdayPassed ? 0 : 1);
}

/**
 * Attributes a rule may compare; each maps to a field of the stored customer, except
 * productCount, lifecycle and age, derived when the rule is evaluated.
 */
export const RuleAttribute = z.enum([
  "tier",
  "region",
  "aum",
  "type",
  "emailConsent",
  "customerId",
  "productCount",
  "relationshipManager",
  "lifecycle",
  "language",
  "riskTolerance",
  "age",
  "gender",
  "incomeBand",
  "creditRating",
  "deposits",
  "loans",
  "corporateType",
  "industry",
  "companySize",
]);
export type RuleAttribute = z.infer<typeof RuleAttribute>;

const Scalar = z.union([z.string(), z.number(), z.boolean()]);

/** One comparison; `op` decides the shape of `value`, so an error names exactly what is wrong. */
const Comparison = z.discriminatedUnion("op", [
  z.object({ attr: RuleAttribute, op: z.enum(["eq", "ne"]), value: Scalar }).strict(),
  z.object({ attr: RuleAttribute, op: z.enum(["in", "not_in"]), value: z.array(Scalar).min(1) }).strict(),
  z.object({ attr: RuleAttribute, op: z.enum(["gt", "gte", "lt", "lte"]), value: z.number() }).strict(),
  z
    .object({ attr: RuleAttribute, op: z.literal("between"), value: z.tuple([z.number(), z.number()]) })
    .strict()
    .refine((c) => c.value[0] <= c.value[1], {
      message: "between needs [low, high] with low <= high",
      path: ["value"],
    }),
  z.object({ attr: RuleAttribute, op: z.literal("exists"), value: z.boolean() }).strict(),
]);
type Comparison = z.infer<typeof Comparison>;

export type SegmentRule =
  | { all: SegmentRule[] }
  | { any: SegmentRule[] }
  | { not: SegmentRule }
  | { holds: ProductCode }
  | { lacks: ProductCode }
  | { holdsCategory: ConsentCategory }
  | { lacksCategory: ConsentCategory }
  | { tierMoved: TierDirection; withinDays: number }
  | { consented: Channel | ConsentCategory }
  | { contactedWithinDays: number }
  | { answered: string; answer?: Answer }
  | Comparison;

export const MAX_RULE_DEPTH = 8;

const LEAVES = {
  holds: z.object({ holds: ProductCode }).strict(),
  lacks: z.object({ lacks: ProductCode }).strict(),
  holdsCategory: z.object({ holdsCategory: ConsentCategory }).strict(),
  lacksCategory: z.object({ lacksCategory: ConsentCategory }).strict(),
  tierMoved: z.object({ tierMoved: TierDirection, withinDays: z.number().int().positive().max(3650) }).strict(),
  consented: z.object({ consented: z.enum([...Channel.options, ...ConsentCategory.options]) }).strict(),
  contactedWithinDays: z.object({ contactedWithinDays: z.number().int().positive().max(3650) }).strict(),
  answered: z
    .object({ answered: z.string().min(1, "answered needs a campaign id").max(100), answer: Answer.optional() })
    .strict(),
  attr: Comparison,
} as const;
const KINDS = ["all", "any", "not", ...Object.keys(LEAVES)];

type RuleIssue = { path: (string | number)[]; message: string };

/**
 * Checks a raw rule node by node, each by the key that says what it is, so an error points at
 * the part of the tree that is wrong. Depth is bounded before this runs, so recursion is safe.
 */
function ruleIssues(node: unknown, path: (string | number)[]): RuleIssue[] {
  if (!node || typeof node !== "object" || Array.isArray(node)) return [{ path, message: "a rule must be an object" }];
  const n = node as Record<string, unknown>;
  const kind = KINDS.find((k) => k in n);
  if (!kind) return [{ path, message: `not a rule: use one of ${KINDS.map((k) => `{"${k}": …}`).join(", ")}` }];
  if (kind === "all" || kind === "any" || kind === "not") {
    const extra = Object.keys(n).filter((k) => k !== kind);
    if (extra.length) return [{ path, message: `a "${kind}" rule takes no other keys (found ${extra.join(", ")})` }];
    if (kind === "not") return ruleIssues(n.not, [...path, "not"]);
    const children = n[kind];
    if (!Array.isArray(children) || children.length === 0)
      return [{ path: [...path, kind], message: `"${kind}" needs a non-empty list of rules` }];
    return children.flatMap((child, i) => ruleIssues(child, [...path, kind, i]));
  }
  const parsed = LEAVES[kind as keyof typeof LEAVES].safeParse(node);
  if (!parsed.success)
    return parsed.error.issues.map((issue) => ({
      path: [...path, ...(issue.path as (string | number)[])],
      message: issue.message,
    }));
  return kind === "attr" ? valueIssues(parsed.data as Comparison, path) : [];
}

/** Attributes with a closed set of values: a misspelt value would silently match nobody. */
export const CLOSED_VALUES: Partial<Record<RuleAttribute, readonly string[]>> = {
  tier: Tier.options,
  type: CustomerType.options,
  lifecycle: LifecycleStage.options,
  language: Language.options,
  riskTolerance: RiskTolerance.options,
  gender: Gender.options,
  incomeBand: IncomeBand.options,
  creditRating: CreditRating.options,
  corporateType: CorporateType.options,
  companySize: CompanySize.options,
};

function valueIssues(comparison: Comparison, path: (string | number)[]): RuleIssue[] {
  const allowed = CLOSED_VALUES[comparison.attr];
  if (!allowed || comparison.op === "exists") return [];
  const values = Array.isArray(comparison.value) ? comparison.value : [comparison.value];
  return values.flatMap((value, i) =>
    allowed.includes(value as string)
      ? []
      : [
          {
            path: [...path, "value", ...(Array.isArray(comparison.value) ? [i] : [])],
            message: `${comparison.attr} is one of ${allowed.join(", ")}; got ${JSON.stringify(value)}`,
          },
        ],
  );
}

const RULE_GRAMMAR =
  'A segment rule, a tree of: {"all":[rule,...]}, {"any":[rule,...]}, {"not":rule}, ' +
  `{"attr":"${RuleAttribute.options.join("|")}","op":"eq|ne|in|not_in|gt|gte|lt|lte|between|exists","value":...}, ` +
  `{"holds":"PRODUCT_CODE"}, {"lacks":"PRODUCT_CODE"}, {"holdsCategory":"liability|asset|intermediary|deposits|wealth"}, {"lacksCategory":...}, ` +
  `{"tierMoved":"up|down|any","withinDays":N}, {"consented":"email|sms|phone|liability|asset|intermediary|deposits|wealth"}, ` +
  `{"contactedWithinDays":N} (a campaign email sent within N days; {"not":{"contactedWithinDays":30}} is a 30-day frequency cap), ` +
  `{"answered":"CAMPAIGN_ID","answer":"interested|call_me|not_now|unsubscribe"} (answer optional: any answer); at most ${MAX_RULE_DEPTH} levels deep.`;

/** Whether a raw rule is nested deeper than `max`, found without recursion so no input can overflow the stack. */
function nestedDeeperThan(raw: unknown, max: number): boolean {
  let level: unknown[] = [raw];
  for (let depth = 0; level.length > 0; depth++) {
    if (depth >= max) return true;
    level = level.flatMap((node) => {
      if (!node || typeof node !== "object") return [];
      const n = node as { all?: unknown; any?: unknown; not?: unknown };
      return [
        ...(Array.isArray(n.all) ? n.all : []),
        ...(Array.isArray(n.any) ? n.any : []),
        ...(n.not !== undefined ? [n.not] : []),
      ];
    });
  }
  return false;
}

/**
 * The rule as it crosses a boundary (HTTP body, stored item): depth checked first, then each
 * node. Documented as an object because OpenAPI generators cannot walk a recursive schema.
 */
export const SegmentRuleInput = z
  .unknown()
  .transform((raw, ctx): SegmentRule => {
    if (nestedDeeperThan(raw, MAX_RULE_DEPTH)) {
      ctx.addIssue({ code: "custom", message: `rule is nested more than ${MAX_RULE_DEPTH} levels deep` });
      return z.NEVER;
    }
    const issues = ruleIssues(raw, []);
    for (const issue of issues) ctx.addIssue({ code: "custom", message: issue.message, path: issue.path });
    return issues.length ? z.NEVER : (raw as SegmentRule);
  })
  .meta({
    description: RULE_GRAMMAR,
    type: "object",
    example: { all: [{ attr: "tier", op: "in", value: ["affluent"] }, { lacks: "WEALTH_FUND" }] },
  });

/** The same grammar as a schema, for callers that parse a rule on its own. */
export const SegmentRule = SegmentRuleInput as unknown as z.ZodType<SegmentRule>;

export function ruleDepth(rule: SegmentRule): number {
  if ("all" in rule) return 1 + Math.max(...rule.all.map(ruleDepth));
  if ("any" in rule) return 1 + Math.max(...rule.any.map(ruleDepth));
  if ("not" in rule) return 1 + ruleDepth(rule.not);
  return 1;
}

/**
 * What a rule is evaluated against besides the customer: the moment ("moved up within 30
 * days" of when?) and the lifecycle settings. A launch uses its launch time throughout, so
 * every shard and retry judges the same way.
 */
export type RuleContext = { at: Date; lifecycle?: LifecycleSettings };

/** The value a comparison on `attr` judges the customer by (derived ones computed as of `context.at`). */
export function attributeOf(customer: Customer, attr: RuleAttribute, context: RuleContext): unknown {
  if (attr === "productCount") return customer.products.length;
  if (attr === "lifecycle")
    return lifecycleStage(customer.aumHistory, context.at, context.lifecycle ?? DEFAULT_LIFECYCLE);
  if (attr === "age") return customer.birthDate === undefined ? undefined : ageOn(customer.birthDate, context.at);
  return customer[attr];
}

function compare(actual: unknown, rule: Comparison): boolean {
  switch (rule.op) {
    case "eq":
      return actual === rule.value;
    case "ne":
      return actual !== rule.value;
    case "in":
      return rule.value.includes(actual as string | number | boolean);
    case "not_in":
      return !rule.value.includes(actual as string | number | boolean);
    case "gt":
      return typeof actual === "number" && actual > rule.value;
    case "gte":
      return typeof actual === "number" && actual >= rule.value;
    case "lt":
      return typeof actual === "number" && actual < rule.value;
    case "lte":
      return typeof actual === "number" && actual <= rule.value;
    case "between":
      return typeof actual === "number" && actual >= rule.value[0] && actual <= rule.value[1];
    case "exists":
      return (actual !== undefined && actual !== null && actual !== "") === rule.value;
  }
}

/** Whether a customer belongs to the segment the rule describes, as of `context.at` (default: now). */
export function matches(rule: SegmentRule, customer: Customer, context: RuleContext = { at: new Date() }): boolean {
  if ("all" in rule) return rule.all.every((r) => matches(r, customer, context));
  if ("any" in rule) return rule.any.some((r) => matches(r, customer, context));
  if ("not" in rule) return !matches(rule.not, customer, context);
  if ("holds" in rule) return customer.products.includes(rule.holds);
  if ("lacks" in rule) return !customer.products.includes(rule.lacks);
  if ("holdsCategory" in rule) return customer.products.some((p) => isInCategory(p, rule.holdsCategory));
  if ("lacksCategory" in rule) return !customer.products.some((p) => isInCategory(p, rule.lacksCategory));
  if ("consented" in rule) return consented(customer.consent, rule.consented);
  if ("tierMoved" in rule) return movedTierWithin(customer.tierHistory, rule.tierMoved, rule.withinDays, context.at);
  if ("contactedWithinDays" in rule)
    return contactedWithin(customer.lastContactedAt, rule.contactedWithinDays, context.at);
  if ("answered" in rule) return answeredCampaign(customer.answers, rule.answered, rule.answer);
  return compare(attributeOf(customer, rule.attr, context), rule);
}
