import { z } from "zod";
import { SegmentRuleInput } from "./rule.js";

/**
 * Where the runs of a rule not saved as a segment are kept, in place of a segment id: the
 * builder's "Count exactly" sizes the rule being built. Segment ids are UUIDs, so none is this.
 */
export const UNSAVED_RULE = "unsaved-rule";

/** One page of one shard of a preview run, on the fan-out queue. */
export const PreviewJob = z.object({
  previewId: z.string().min(1),
  segmentId: z.string().min(1),
  shard: z.number().int().nonnegative(),
  totalShards: z.number().int().positive(),
  cursor: z.string().optional(),
});
export type PreviewJob = z.infer<typeof PreviewJob>;

/**
 * A preview for a segment too big for one request: the same sharded scan as the launch, but
 * run as jobs on the fan-out queue, one page of one shard per job, so no invocation handles
 * the whole segment (the synchronous GET /preview does, and suits a small bank). Each page is
 * counted once, however often SQS delivers it: its tally is added in the same transaction
 * that records the page as counted.
 */
export const PreviewRun = z.object({
  previewId: z.string(),
  /** UNSAVED_RULE for a rule not saved as a segment. */
  segmentId: z.string(),
  /** The version counted; absent for an unsaved rule. */
  segmentVersion: z.number().int().positive().optional(),
  rule: SegmentRuleInput,
  /** The moment time-based rules are judged at, the same for every page. */
  at: z.iso.datetime(),
  requestedBy: z.string(),
  totalShards: z.number().int().positive(),
  shardsDone: z.number().int().nonnegative().default(0),
  pagesCounted: z.number().int().nonnegative().default(0),
  count: z.number().int().nonnegative().default(0),
  byTier: z.record(z.string(), z.number()).default({}),
  byRegion: z.record(z.string(), z.number()).default({}),
});
export type PreviewRun = z.infer<typeof PreviewRun>;

/** What one page adds to the run. */
export type PageTally = {
  count: number;
  byTier: Record<string, number>;
  byRegion: Record<string, number>;
  sampleIds: string[];
};
