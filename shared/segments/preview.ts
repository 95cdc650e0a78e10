import type { Customer } from "../customers/customer.js";
import { customerView } from "../customers/masking.js";
import {
  type Coverage,
  forEachCustomer,
  forSampleOfCustomers,
  type SampleDeps,
  type ScanDeps,
} from "../customers/scan.js";
import type { Actor } from "../kernel/actor.js";
import type { WithSettings } from "../kernel/settings.js";
import { Tier } from "../kernel/tiers.js";
import type { Clock } from "../kernel/time.js";
import { matches, type RuleContext, type SegmentRule } from "./rule.js";
import type { SegmentReader } from "./versions.js";

export const SAMPLE_SIZE = 10;

/** A sample member as a preview shows them: masked unless the viewer may see contact data. */
export type SampleMember = {
  customerId: string;
  type: string;
  tier: string | null;
  region: string;
  products: string[];
  name: string;
  email?: string;
};

export type SegmentPreview = {
  count: number;
  byTier: Record<string, number>;
  byRegion: Record<string, number>;
  /** Masked unless the viewer may see contact data: a preview is for sizing, not for contacting. */
  sample: SampleMember[];
};

/** The breakdowns a preview counts a member under: tier (corporate clients have none) and region. */
export function countMember(counts: Pick<SegmentPreview, "count" | "byTier" | "byRegion">, customer: Customer): void {
  const bump = (into: Record<string, number>, key: string) => {
    into[key] = (into[key] ?? 0) + 1;
  };
  counts.count++;
  bump(counts.byTier, customer.tier ?? "corporate");
  bump(counts.byRegion, customer.region);
}

/** A preview's sample entry: enough to recognise the member, contact data masked by role. */
export function sampleMember(customer: Customer, actor: Actor): SampleMember {
  const { customerId, type, tier, region, products, name, email } = customerView(customer, actor);
  return { customerId, type, tier, region, products, name, email };
}

export type PreviewDeps = SegmentReader & ScanDeps & Clock & WithSettings<"lifecycle">;

/** Judged as of one moment for every shard, so time-based leaves agree across the scan. */
export const ruleContextOf = (p: Clock & WithSettings<"lifecycle">): RuleContext => ({
  at: p.now(),
  lifecycle: p.settings.lifecycle,
});

/**
 * Visits every customer the rule matches, with the same sharded scan the launch fan-out uses,
 * so preview, export and launch of the same rule never disagree.
 */
export async function forEachMember(
  p: ScanDeps,
  rule: SegmentRule,
  context: RuleContext,
  visit: (customer: Customer) => void,
): Promise<void> {
  await forEachCustomer(p, (customer) => {
    if (matches(rule, customer, context)) visit(customer);
  });
}

/**
 * The members among the customers a synchronous request may read (forSampleOfCustomers, at
 * most SYNC_COUNT_MAX_CUSTOMERS), a page at a time; the coverage says whether that was everyone
 * or a share to scale counts by (scaledToBase). For the wizard's and the review's counts.
 */
export async function forSampleOfMembers(
  p: SampleDeps,
  rule: SegmentRule,
  context: RuleContext,
  visitPage: (members: Customer[]) => void | Promise<void>,
): Promise<Coverage> {
  return forSampleOfCustomers(p, (customers) => visitPage(customers.filter((c) => matches(rule, c, context))));
}

/** The order a preview is shown in: sample by customer id, tiers from mass up, regions by name. */
export function sortedPreview(preview: SegmentPreview): SegmentPreview {
  return {
    count: preview.count,
    byTier: Object.fromEntries(
      [...Tier.options, "corporate"].filter((t) => preview.byTier[t]).map((t) => [t, preview.byTier[t]]),
    ),
    byRegion: Object.fromEntries(Object.entries(preview.byRegion).sort(([a], [b]) => a.localeCompare(b))),
    sample: [...preview.sample].sort((a, b) => a.customerId.localeCompare(b.customerId)),
  };
}
