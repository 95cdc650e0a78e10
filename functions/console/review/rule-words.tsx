/** @jsxImportSource hono/jsx */
import type { Language } from "../../../shared/kernel/language.js";
import { PRODUCT_CATALOGUE, type ProductCode } from "../../../shared/kernel/products.js";
import { TIER_LABELS, TIER_LABELS_ZH, type Tier } from "../../../shared/kernel/tiers.js";
import type { SegmentRule } from "../../../shared/segments/rule.js";
import { CONSOLE_CATALOGUES, type ConsoleCopyKey, t } from "../copy/say.js";

/**
 * A segment rule as the bank's staff read it: one sentence per condition, a group ("all of
 * these", "at least one of these") as a sentence with its conditions listed under it. Product
 * names, tiers and every closed value are said in the reader's language; what the rule names
 * by the bank's own codes (a region, a credit rating, a campaign id) is quoted as it is.
 */
export type RuleInWords = { text: string; parts?: RuleInWords[] };

type Comparison = Extract<SegmentRule, { attr: unknown }>;
type Scalar = string | number | boolean;

const MONEY = new Set(["aum", "deposits", "loans"]);

/** The rule in words, in `language`; exported for any page that shows a rule (segments, the editor, the review). */
export function ruleInWords(rule: SegmentRule, language: Language): RuleInWords {
  const say = (key: ConsoleCopyKey, params: Record<string, string | number> = {}) => t(language, key, params);
  const product = (code: ProductCode) => {
    const p = PRODUCT_CATALOGUE[code];
    return p ? (language === "zh-CN" ? p.nameZh : p.nameEn) : code;
  };
  const integer = new Intl.NumberFormat(language);
  const either = new Intl.ListFormat(language, { type: "disjunction" });

  const value = (attr: Comparison["attr"], v: Scalar): string => {
    if (typeof v === "boolean") return say(v ? "review.rule.yes" : "review.rule.no");
    if (attr === "tier") return (language === "zh-CN" ? TIER_LABELS_ZH : TIER_LABELS)[v as Tier] ?? String(v);
    if (typeof v === "number")
      return MONEY.has(attr) ? say("review.rule.money", { amount: integer.format(v) }) : integer.format(v);
    const key = `review.rule.value.${attr}.${v}`;
    return Object.hasOwn(CONSOLE_CATALOGUES[language], key) ? say(key as ConsoleCopyKey) : v;
  };

  const comparison = (c: Comparison): string => {
    const attr = say(`review.rule.attr.${c.attr}`);
    if (c.attr === "emailConsent" && (c.op === "eq" || c.op === "ne") && typeof c.value === "boolean")
      return say(c.value === (c.op === "eq") ? "review.rule.emailConsent" : "review.rule.noEmailConsent");
    switch (c.op) {
      case "eq":
      case "ne":
      case "gt":
      case "gte":
      case "lt":
      case "lte":
        return say(`review.rule.${c.op}`, { attr, value: value(c.attr, c.value) });
      case "in":
        return say("review.rule.in", { attr, values: either.format(c.value.map((v) => value(c.attr, v))) });
      case "not_in":
        return say("review.rule.not_in", { attr, values: either.format(c.value.map((v) => value(c.attr, v))) });
      case "between":
        return say("review.rule.between", {
          attr,
          low: value(c.attr, c.value[0]),
          high: value(c.attr, c.value[1]),
        });
      case "exists":
        return say(c.value ? "review.rule.exists" : "review.rule.missing", { attr });
    }
  };

  const category = (c: string) => say(`review.rule.category.${c}` as ConsoleCopyKey);
  const isChannel = (c: string) => c === "email" || c === "sms" || c === "phone";

  /** A condition on its own, as a sentence. */
  const leaf = (r: Exclude<SegmentRule, { all: unknown } | { any: unknown } | { not: unknown }>): string => {
    if ("holds" in r) return say("review.rule.holds", { product: product(r.holds) });
    if ("lacks" in r) return say("review.rule.lacks", { product: product(r.lacks) });
    if ("holdsCategory" in r) return say("review.rule.holdsCategory", { category: category(r.holdsCategory) });
    if ("lacksCategory" in r) return say("review.rule.lacksCategory", { category: category(r.lacksCategory) });
    if ("tierMoved" in r) return say(`review.rule.tierMoved.${r.tierMoved}`, { days: r.withinDays });
    if ("consented" in r)
      return isChannel(r.consented)
        ? say("review.rule.consented.channel", { channel: say(`review.rule.channel.${r.consented}` as ConsoleCopyKey) })
        : say("review.rule.consented.category", { category: category(r.consented) });
    if ("contactedWithinDays" in r) return say("review.rule.contacted", { days: r.contactedWithinDays });
    if ("answered" in r)
      return r.answer
        ? say("review.rule.answeredWith", { campaign: r.answered, answer: say(`review.rule.answer.${r.answer}`) })
        : say("review.rule.answered", { campaign: r.answered });
    return comparison(r);
  };

  /**
   * "Not" said the way a person would where the rule's meaning allows it exactly ("does not
   * hold", "was sent no email in 30 days"); otherwise "not this:" before the condition. A
   * numeric comparison is never turned round: "not above 60" also matches a customer whose age
   * is not on record, and "60 or less" would hide that.
   */
  const negated = (r: SegmentRule): RuleInWords => {
    if ("all" in r) return { text: say("review.rule.notAll"), parts: r.all.map(node) };
    if ("any" in r) return { text: say("review.rule.none"), parts: r.any.map(node) };
    if ("not" in r) return node(r.not);
    if ("holds" in r) return node({ lacks: r.holds });
    if ("lacks" in r) return node({ holds: r.lacks });
    if ("holdsCategory" in r) return node({ lacksCategory: r.holdsCategory });
    if ("lacksCategory" in r) return node({ holdsCategory: r.lacksCategory });
    if ("contactedWithinDays" in r) return { text: say("review.rule.notContacted", { days: r.contactedWithinDays }) };
    if ("consented" in r)
      return {
        text: isChannel(r.consented)
          ? say("review.rule.notConsented.channel", {
              channel: say(`review.rule.channel.${r.consented}` as ConsoleCopyKey),
            })
          : say("review.rule.notConsented.category", { category: category(r.consented) }),
      };
    if ("answered" in r && !r.answer) return { text: say("review.rule.notAnswered", { campaign: r.answered }) };
    if ("attr" in r) {
      const opposite = { eq: "ne", ne: "eq", in: "not_in", not_in: "in" } as const;
      if (r.op in opposite) return node({ ...r, op: opposite[r.op as keyof typeof opposite] } as Comparison);
      if (r.op === "exists") return node({ ...r, value: !r.value });
    }
    return { text: say("review.rule.not", { rule: leaf(r as Parameters<typeof leaf>[0]) }) };
  };

  const node = (r: SegmentRule): RuleInWords => {
    if ("all" in r)
      return r.all.length === 1 ? node(r.all[0]) : { text: say("review.rule.all"), parts: r.all.map(node) };
    if ("any" in r)
      return r.any.length === 1 ? node(r.any[0]) : { text: say("review.rule.any"), parts: r.any.map(node) };
    if ("not" in r) return negated(r.not);
    return { text: leaf(r) };
  };

  return node(rule);
}

/** The words as indented lines, two spaces a level: for a test, a log of what was approved, or a plain-text page. */
export function ruleInWordsAsText(words: RuleInWords, depth = 0): string {
  const line = `${"  ".repeat(depth)}${words.text}`;
  return [line, ...(words.parts ?? []).map((part) => ruleInWordsAsText(part, depth + 1))].join("\n");
}

const Part = ({ words }: { words: RuleInWords }) => (
  <li>
    {words.text}
    {words.parts && (
      <ul>
        {words.parts.map((part) => (
          <Part words={part} />
        ))}
      </ul>
    )}
  </li>
);

/** The rule as a nested list, for any console page. */
export const RuleInWordsList = ({ rule, language }: { rule: SegmentRule; language: Language }) => (
  <ul class="rule-words" data-rule-words>
    <Part words={ruleInWords(rule, language)} />
  </ul>
);
