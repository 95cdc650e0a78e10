import { z } from "zod";
import { SegmentRuleInput } from "./segment-rule.js";

export const NewSegment = z.object({
  name: z.string().trim().min(1, "name is required").max(200),
  rule: SegmentRuleInput,
});
export type NewSegment = z.infer<typeof NewSegment>;

export const Segment = z.object({
  segmentId: z.string(),
  name: z.string(),
  rule: SegmentRuleInput,
  createdBy: z.string(),
  createdAt: z.iso.datetime(),
});
export type Segment = z.infer<typeof Segment>;

// --- use cases ------------------------------------------------------------------------------

import type { Actor, Platform } from "../ports/index.js";
import { NotFoundError } from "./errors.js";
import { matches } from "./segment-rule.js";
import type { Customer } from "./customer.js";

export async function createSegment(p: Platform, input: NewSegment, actor: Actor): Promise<Segment> {
  const segment: Segment = { segmentId: p.newId(), ...input, createdBy: actor.name, createdAt: p.now().toISOString() };
  await p.segments.create(segment);
  return segment;
}

export async function getSegment(p: Platform, segmentId: string): Promise<Segment> {
  const segment = await p.segments.get(segmentId);
  if (!segment) throw new NotFoundError("Segment", segmentId);
  return segment;
}

const SAMPLE_SIZE = 10;

/**
 * Counts the segment with the same sharded scan the launch fan-out uses, so a preview and a
 * launch of the same rule never disagree. Shards run in parallel.
 */
export async function previewSegment(p: Platform, segmentId: string): Promise<{ count: number; sample: Customer[] }> {
  const segment = await getSegment(p, segmentId);
  const { fanoutShards, fanoutPageSize } = p.settings;
  let count = 0;
  const sample: Customer[] = [];
  await Promise.all(
    Array.from({ length: fanoutShards }, async (_, shard) => {
      let cursor: string | undefined;
      do {
        const page = await p.customers.scanShard(shard, fanoutShards, fanoutPageSize, cursor);
        for (const customer of page.customers) {
          if (!matches(segment.rule, customer)) continue;
          count++;
          if (sample.length < SAMPLE_SIZE) sample.push(customer);
        }
        cursor = page.cursor;
      } while (cursor);
    }),
  );
  sample.sort((a, b) => a.customerId.localeCompare(b.customerId));
  return { count, sample };
}
