import { ConsentCategory, refusedCategory } from "../customers/consent.js";
import type { Customer } from "../customers/customer.js";
import { type Coverage, forSampleOfCustomers, type SampleDeps, scaledToBase } from "../customers/scan.js";
import type { Actor } from "../kernel/actor.js";
import { PRODUCT_CATALOGUE, type ProductCode } from "../kernel/products.js";
import type { WithSettings } from "../kernel/settings.js";
import type { Clock } from "../kernel/time.js";
import {
  countMember,
  ruleContextOf,
  SAMPLE_SIZE,
  type SegmentPreview,
  sampleMember,
  sortedPreview,
} from "./preview.js";
import { attributeOf, matches, type RuleAttribute, type SegmentRule } from "./rule.js";
import { getSegment, type SegmentReader } from "./versions.js";

/**
 * Who a campaign to the segment could not email, whatever it offers: the part of the fan-out's
 * decision (shared/delivery/decide.ts, suppressionFor) that holds for every offer, in its order:
 * no consent, no address, an address on the bounce list. The delivery context sits above this
 * one, so its list comes in as a port (BounceList); "not now" answers and the offer's own limits
 * (tier, risk) are judged at launch.
 */
export type HeldBack = {
  /** Members no campaign email reaches: no email consent, no address, or a bounced address. */
  total: number;
  noEmailConsent: number;
  /** Of those without consent, the ones who withdrew it themselves (unsubscribe link, complaint, preference centre). */
  unsubscribed: number;
  noEmailAddress: number;
  /** Consent and an address, but the address is on the suppression list (the launch records "address_bounced"). */
  addressBounced: number;
  /** Of the members an email could reach, how many refused each product category: an offer in it holds them back too. */
  refusedCategory: Partial<Record<ConsentCategory, number>>;
};

/** A value a rule names that no customer has, with the value a customer does have when it differs only in case, spacing or accents. */
export type RuleWarning = {
  /** Where in the rule, as the rule's keys: ["all", 0, "value"]. */
  path: (string | number)[];
  attr: RuleAttribute | "product";
  value: string;
  suggestion?: { value: string; count: number };
  message: string;
};

/** A value that exists among the customers, and how many have it. */
export type ValueCount = { value: string; count: number; name?: string };

/** The values a builder offers: those that exist, counted in the same scan. */
export type ExistingValues = {
  regions: ValueCount[];
  /** The staff sign-in name as value, and the name customers know them by when the records give one. */
  relationshipManagers: ValueCount[];
  /** Product codes held by at least one customer, in the catalogue's order. */
  products: ValueCount[];
};

/** What the counts rest on: every customer (exact), or the customers a bounded request read, scaled to the base. */
export type BasedOn = {
  customersRead: number;
  /** About how many customers there are (the store's own count when the read stopped short). */
  customersInBase: number;
  /** customersRead / customersInBase, 0 to 1. */
  share: number;
};

export type RulePreview = SegmentPreview & {
  /** False: every number is an estimate from `basedOn`'s share of the customers (SYNC_COUNT_MAX_CUSTOMERS). */
  exact: boolean;
  basedOn: BasedOn;
  byLanguage: Record<string, number>;
  heldBack: HeldBack;
  warnings: RuleWarning[];
  values: ExistingValues;
};

/** The suppression list as this context needs it: which of these normalised addresses bounced. */
export type BounceList = { suppressedAmong(addresses: string[]): Promise<Set<string>> };

export type RulePreviewDeps = SegmentReader &
  SampleDeps &
  Clock &
  WithSettings<"lifecycle"> & {
    /** Absent: nothing counts as bounced (a test's platform without the list). */
    suppressions?: BounceList;
  };

/** As the delivery context compares addresses (shared/delivery/suppression.ts, normaliseAddress), which this one may not import. */
const normalisedAddress = (address: string) => address.trim().toLowerCase();

/** Case, spacing and accents do not tell two regions apart to a person, but they do to `eq`. */
export const looseForm = (value: string) =>
  value.normalize("NFD").replace(/\p{M}/gu, "").replace(/\s+/g, " ").trim().toLowerCase();

type Named = { path: (string | number)[]; attr: RuleAttribute | "product"; value: string };

/** Every text value the rule compares with, and every product it asks about, with where it is. */
function namedValues(rule: SegmentRule, path: (string | number)[] = []): Named[] {
  if ("all" in rule) return rule.all.flatMap((r, i) => namedValues(r, [...path, "all", i]));
  if ("any" in rule) return rule.any.flatMap((r, i) => namedValues(r, [...path, "any", i]));
  if ("not" in rule) return namedValues(rule.not, [...path, "not"]);
  if ("holds" in rule) return [{ path: [...path, "holds"], attr: "product", value: rule.holds }];
  if ("lacks" in rule) return [{ path: [...path, "lacks"], attr: "product", value: rule.lacks }];
  if (!("attr" in rule) || rule.op === "exists") return [];
  const values = Array.isArray(rule.value) ? rule.value : [rule.value];
  return values.flatMap((value, i) =>
    typeof value === "string"
      ? [{ path: [...path, "value", ...(Array.isArray(rule.value) ? [i] : [])], attr: rule.attr, value }]
      : [],
  );
}

const bump = (into: Map<string, number> | Record<string, number>, key: string) => {
  if (into instanceof Map) into.set(key, (into.get(key) ?? 0) + 1);
  else into[key] = (into[key] ?? 0) + 1;
};

const withdrewEmail = (customer: Customer) =>
  customer.consent.channels.email?.granted === false && customer.consent.channels.email.by === "customer";

/**
 * Sizes a rule before it is saved: the count, by tier, region and language, who a campaign could
 * not email, a masked sample, the values the rule names that no customer has, and the values
 * that do exist (for a builder's choices). One pass of the launch's own sharded scan, so the
 * numbers agree with a launch of the same rule.
 *
 * The pass reads at most SYNC_COUNT_MAX_CUSTOMERS customers (forSampleOfCustomers): a small
 * bank is read whole and counted exactly; a large one is counted on the first pages of every
 * shard and each number scaled to the base, `exact: false`. The exact count of a large bank is
 * the preview run's (startRulePreview), page by page as jobs on the fan-out queue. The bounce
 * list is read once a page, for the page's members only, so it too stays within the bound.
 */
export async function previewRule(p: RulePreviewDeps, rule: SegmentRule, actor: Actor): Promise<RulePreview> {
  const context = ruleContextOf(p);
  const preview: SegmentPreview = { count: 0, byTier: {}, byRegion: {}, sample: [] };
  const byLanguage: Record<string, number> = {};
  const heldBack: HeldBack = {
    total: 0,
    noEmailConsent: 0,
    unsubscribed: 0,
    noEmailAddress: 0,
    addressBounced: 0,
    refusedCategory: {},
  };
  const named = namedValues(rule);
  const askedAttrs = new Set(named.map((n) => n.attr).filter((a): a is RuleAttribute => a !== "product"));
  const existing = new Map<string, Map<string, number>>(
    [...askedAttrs, "region", "relationshipManager"].map((attr) => [attr, new Map()]),
  );
  const managerNames = new Map<string, string>();
  const products = new Map<string, number>();

  const coverage = await forSampleOfCustomers(p, async (page) => {
    const reachable: Customer[] = [];
    for (const customer of page) {
      for (const [attr, counts] of existing) {
        const value = attributeOf(customer, attr as RuleAttribute, context);
        if (typeof value === "string" && value !== "") bump(counts, value);
      }
      if (customer.relationshipManager && customer.relationshipManagerName)
        managerNames.set(customer.relationshipManager, customer.relationshipManagerName);
      for (const product of new Set(customer.products)) bump(products, product);
      if (!matches(rule, customer, context)) continue;
      countMember(preview, customer);
      bump(byLanguage, customer.language);
      if (preview.sample.length < SAMPLE_SIZE) preview.sample.push(sampleMember(customer, actor));
      if (!customer.emailConsent || !customer.email) {
        heldBack.total++;
        if (!customer.emailConsent) heldBack.noEmailConsent++;
        if (!customer.emailConsent && withdrewEmail(customer)) heldBack.unsubscribed++;
        if (customer.emailConsent && !customer.email) heldBack.noEmailAddress++;
        continue;
      }
      reachable.push(customer);
    }
    const addresses = reachable.map((m) => normalisedAddress(m.email ?? ""));
    const bounced = p.suppressions && addresses.length > 0 ? await p.suppressions.suppressedAmong(addresses) : null;
    for (const customer of reachable) {
      if (bounced?.has(normalisedAddress(customer.email ?? ""))) {
        heldBack.total++;
        heldBack.addressBounced++;
        continue;
      }
      for (const category of ConsentCategory.options)
        if (refusedCategory(customer.consent, category)) bump(heldBack.refusedCategory, category);
    }
  });

  const counted = (attr: string) => [...(existing.get(attr) ?? new Map<string, number>())];
  const warnings = named.flatMap((n): RuleWarning[] => {
    const counts = n.attr === "product" ? products : (existing.get(n.attr) ?? new Map<string, number>());
    if (counts.has(n.value)) return [];
    const near = [...counts]
      .filter(([value]) => looseForm(value) === looseForm(n.value))
      .sort(([, a], [, b]) => b - a)[0];
    const suggestion = near ? { value: near[0], count: near[1] } : undefined;
    const what = n.attr === "product" ? "holds product" : `has ${n.attr}`;
    // From a part of the base, "no customer" would claim too much: say how many were read.
    const nobody = coverage.complete ? "No customer" : `None of the ${coverage.read} customers read`;
    return [
      {
        ...n,
        ...(suggestion ? { suggestion: { ...suggestion, count: scaledToBase(suggestion.count, coverage) } } : {}),
        message:
          `${nobody} ${what} '${n.value}'.` +
          (suggestion ? ` Did you mean '${suggestion.value}' (${suggestion.count} customers)?` : ""),
      },
    ];
  });

  const byName = ([a]: [string, number], [b]: [string, number]) => a.localeCompare(b);
  const scaled = (n: number) => scaledToBase(n, coverage);
  const scaledEach = <K extends string>(counts: Partial<Record<K, number>>) =>
    Object.fromEntries(Object.entries<number | undefined>(counts).map(([k, n]) => [k, scaled(n ?? 0)])) as Partial<
      Record<K, number>
    >;
  const sorted = sortedPreview(preview);
  return {
    ...sorted,
    count: scaled(sorted.count),
    byTier: scaledEach(sorted.byTier) as Record<string, number>,
    byRegion: scaledEach(sorted.byRegion) as Record<string, number>,
    exact: coverage.complete,
    basedOn: basedOnOf(coverage),
    byLanguage: scaledEach(
      Object.fromEntries(Object.entries(byLanguage).sort(([a], [b]) => a.localeCompare(b))),
    ) as Record<string, number>,
    heldBack: {
      total: scaled(heldBack.total),
      noEmailConsent: scaled(heldBack.noEmailConsent),
      unsubscribed: scaled(heldBack.unsubscribed),
      noEmailAddress: scaled(heldBack.noEmailAddress),
      addressBounced: scaled(heldBack.addressBounced),
      refusedCategory: scaledEach(heldBack.refusedCategory),
    },
    warnings,
    values: {
      regions: counted("region")
        .sort(byName)
        .map(([value, count]) => ({ value, count: scaled(count) })),
      relationshipManagers: counted("relationshipManager")
        .sort(byName)
        .map(([value, count]) => ({
          value,
          count: scaled(count),
          ...(managerNames.has(value) ? { name: managerNames.get(value) } : {}),
        })),
      products: (Object.keys(PRODUCT_CATALOGUE) as ProductCode[])
        .filter((code) => products.has(code))
        .map((code) => ({ value: code, count: scaled(products.get(code) ?? 0) })),
    },
  };
}

export const basedOnOf = (coverage: Coverage): BasedOn => ({
  customersRead: coverage.read,
  customersInBase: coverage.base,
  share: coverage.base === 0 ? 1 : coverage.read / coverage.base,
});

/** A saved segment's latest version sized as previewRule does; the reply keeps the shape GET .../preview has always had, and says whether it is exact. */
export async function previewSegment(
  p: RulePreviewDeps,
  segmentId: string,
  actor: Actor,
): Promise<SegmentPreview & Pick<RulePreview, "exact" | "basedOn">> {
  const segment = await getSegment(p, segmentId);
  const { count, byTier, byRegion, sample, exact, basedOn } = await previewRule(p, segment.rule, actor);
  return { count, byTier, byRegion, sample, exact, basedOn };
}
