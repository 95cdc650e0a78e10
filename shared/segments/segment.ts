import { z } from "zod";
import { SegmentRuleInput, matches, type RuleContext, type SegmentRule } from "./rule.js";
import type { Customer } from "../customers/customer.js";
import type { Actor, Platform } from "../ports/index.js";
import { NotFoundError } from "../kernel/errors.js";
import { Tier } from "../kernel/tiers.js";
import { customerView } from "../customers/masking.js";

export const NewSegment = z.object({
  name: z.string().trim().min(1, "name is required").max(200),
  rule: SegmentRuleInput,
});
export type NewSegment = z.infer<typeof NewSegment>;

/** One saved version of a segment. Editing a segment adds a version; a campaign records the one it used. */
export const Segment = z.object({
  segmentId: z.string(),
  version: z.number().int().positive(),
  name: z.string(),
  rule: SegmentRuleInput,
  createdBy: z.string(),
  createdAt: z.iso.datetime(),
});
export type Segment = z.infer<typeof Segment>;

// --- use cases ------------------------------------------------------------------------------

export async function createSegment(p: Platform, input: NewSegment, actor: Actor): Promise<Segment> {
  const segment: Segment = { segmentId: p.newId(), version: 1, ...input, createdBy: actor.name, createdAt: p.now().toISOString() };
  await p.segments.save(segment);
  return segment;
}

/** Saves a new version; the earlier ones stay, so campaigns keep pointing at what they used. */
export async function reviseSegment(p: Platform, segmentId: string, input: NewSegment, actor: Actor): Promise<Segment> {
  const current = await getSegment(p, segmentId);
  const next: Segment = { segmentId, version: current.version + 1, ...input, createdBy: actor.name, createdAt: p.now().toISOString() };
  await p.segments.save(next);
  return next;
}

/** The latest version, or the one asked for. */
export async function getSegment(p: Platform, segmentId: string, version?: number): Promise<Segment> {
  const segment = await p.segments.get(segmentId, version);
  if (!segment) throw new NotFoundError(version ? `Version ${version} of segment` : "Segment", segmentId);
  return segment;
}

export const listSegments = (p: Platform): Promise<Segment[]> => p.segments.list();

export const SAMPLE_SIZE = 10;

export type SegmentPreview = {
  count: number;
  byTier: Record<string, number>;
  byRegion: Record<string, number>;
  /** Masked unless the viewer may see contact data: a preview is for sizing, not for contacting. */
  sample: { customerId: string; type: string; tier: string | null; region: string; products: string[]; name: string; email?: string }[];
};

const bump = (counts: Record<string, number>, key: string) => (counts[key] = (counts[key] ?? 0) + 1);

/** Judged as of one moment for every shard, so time-based leaves agree across the scan. */
export const ruleContextOf = (p: Platform): RuleContext => ({ at: p.now(), lifecycle: p.settings.lifecycle });

/**
 * Visits every customer the rule matches, with the same sharded scan the launch fan-out uses
 * (FANOUT_SHARDS shards, FANOUT_PAGE_SIZE pages), so preview, export and launch of the same
 * rule never disagree. Shards run in parallel: `visit` sees members in no particular order.
 */
export async function forEachMember(p: Platform, rule: SegmentRule, context: RuleContext, visit: (customer: Customer) => void): Promise<void> {
  await forEachCustomer(p, (customer) => {
    if (matches(rule, customer, context)) visit(customer);
  });
}

/** Every customer not deleted, through the sharded parallel scan, page by page: nothing outlives its page. */
export async function forEachCustomer(p: Platform, visit: (customer: Customer) => void): Promise<void> {
  const { fanoutShards, fanoutPageSize } = p.settings;
  await Promise.all(
    Array.from({ length: fanoutShards }, async (_, shard) => {
      let cursor: string | undefined;
      do {
        const page = await p.customers.scanShard(shard, fanoutShards, fanoutPageSize, cursor);
        for (const customer of page.customers) visit(customer);
        cursor = page.cursor;
      } while (cursor);
    }),
  );
}

/** Counts the segment, by tier and region, with a sample; see forEachMember. */
export async function previewSegment(p: Platform, segmentId: string, actor: Actor): Promise<SegmentPreview> {
  const segment = await getSegment(p, segmentId);
  const preview: SegmentPreview = { count: 0, byTier: {}, byRegion: {}, sample: [] };
  await forEachMember(p, segment.rule, ruleContextOf(p), (customer) => {
    preview.count++;
    bump(preview.byTier, customer.tier ?? "corporate");
    bump(preview.byRegion, customer.region);
    if (preview.sample.length < SAMPLE_SIZE) {
      const { customerId, type, tier, region, products, name, email } = customerView(customer, actor);
      preview.sample.push({ customerId, type, tier, region, products, name, email });
    }
  });
  return sortedPreview(preview);
}

/** The order a preview is shown in: sample by customer id, tiers from mass up, regions by name. */
export function sortedPreview(preview: SegmentPreview): SegmentPreview {
  return {
    count: preview.count,
    byTier: Object.fromEntries([...Tier.options, "corporate"].filter((t) => preview.byTier[t]).map((t) => [t, preview.byTier[t]])),
    byRegion: Object.fromEntries(Object.entries(preview.byRegion).sort(([a], [b]) => a.localeCompare(b))),
    sample: [...preview.sample].sort((a, b) => a.customerId.localeCompare(b.customerId)),
  };
}
