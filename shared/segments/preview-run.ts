import { z } from "zod";
import type { Customer } from "../customers/customer.js";
import type { CustomerStore } from "../customers/ports.js";
import type { Actor } from "../kernel/actor.js";
import { NotFoundError } from "../kernel/errors.js";
import type { LifecycleSettings, WithSettings } from "../kernel/settings.js";
import type { Clock, IdSource } from "../kernel/time.js";
import type { PreviewQueue, PreviewStore } from "./ports.js";
import {
  countMember,
  ruleContextOf,
  SAMPLE_SIZE,
  type SegmentPreview,
  sampleMember,
  sortedPreview,
} from "./preview.js";
import { matches, SegmentRuleInput } from "./rule.js";
import { getSegment, type SegmentReader } from "./segment.js";

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
  segmentId: z.string(),
  segmentVersion: z.number().int().positive(),
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

export type PreviewProgress = SegmentPreview & {
  previewId: string;
  segmentId: string;
  segmentVersion: number;
  status: "running" | "done";
  shardsDone: number;
  totalShards: number;
  pagesCounted: number;
};

export function tallyPage(
  run: Pick<PreviewRun, "rule" | "at">,
  customers: Customer[],
  lifecycle?: LifecycleSettings,
): PageTally {
  const tally: PageTally = { count: 0, byTier: {}, byRegion: {}, sampleIds: [] };
  const context = { at: new Date(run.at), lifecycle };
  for (const customer of customers) {
    if (!matches(run.rule, customer, context)) continue;
    countMember(tally, customer);
    if (tally.sampleIds.length < SAMPLE_SIZE) tally.sampleIds.push(customer.customerId);
  }
  return tally;
}

type PreviewRunDeps = {
  previews: PreviewStore;
  queue: PreviewQueue;
  customers: Pick<CustomerStore, "scanShard" | "getMany">;
} & SegmentReader &
  Clock &
  IdSource &
  WithSettings<"fanoutShards" | "fanoutPageSize" | "lifecycle">;

/** Starts a preview run: one job per shard, each continuing itself page by page. */
export async function startPreview(p: PreviewRunDeps, segmentId: string, actor: Actor): Promise<PreviewRun> {
  const segment = await getSegment(p, segmentId);
  const { at } = ruleContextOf(p);
  const run: PreviewRun = {
    previewId: p.newId(),
    segmentId,
    segmentVersion: segment.version,
    rule: segment.rule,
    at: at.toISOString(),
    requestedBy: actor.name,
    totalShards: p.settings.fanoutShards,
    shardsDone: 0,
    pagesCounted: 0,
    count: 0,
    byTier: {},
    byRegion: {},
  };
  await p.previews.create(run);
  await p.queue.enqueuePreviews(
    Array.from({ length: run.totalShards }, (_, shard) => ({
      previewId: run.previewId,
      segmentId,
      shard,
      totalShards: run.totalShards,
    })),
  );
  return run;
}

/** Counts one page of one shard, once, then queues the shard's next page. */
export async function previewPage(p: PreviewRunDeps, job: PreviewJob): Promise<{ matched: number; counted: boolean }> {
  const run = await p.previews.get(job.segmentId, job.previewId);
  if (!run) throw new NotFoundError("Preview", job.previewId);
  const page = await p.customers.scanShard(job.shard, job.totalShards, p.settings.fanoutPageSize, job.cursor);
  const tally = tallyPage(run, page.customers, p.settings.lifecycle);
  const counted = await p.previews.countPage(run, job.shard, job.cursor, tally, page.cursor === undefined);
  // Queued whether or not this delivery counted the page: a retry after a crash must still move on.
  if (page.cursor) await p.queue.enqueuePreviews([{ ...job, cursor: page.cursor }]);
  return { matched: tally.count, counted };
}

/** Where a run is; the sample is read and masked for the asker when it is shown. */
export async function previewProgress(
  p: PreviewRunDeps,
  segmentId: string,
  previewId: string,
  actor: Actor,
): Promise<PreviewProgress> {
  const run = await p.previews.get(segmentId, previewId);
  if (!run) throw new NotFoundError("Preview run", previewId);
  const sampleIds = (await p.previews.sampleIds(segmentId, previewId)).sort().slice(0, SAMPLE_SIZE);
  const customers = await p.customers.getMany(sampleIds);
  const sample = sampleIds.flatMap((id) => {
    const customer = customers.get(id);
    if (!customer || customer.deletedAt) return [];
    return [sampleMember(customer, actor)];
  });
  return {
    previewId,
    segmentId,
    segmentVersion: run.segmentVersion,
    status: run.shardsDone >= run.totalShards ? "done" : "running",
    shardsDone: run.shardsDone,
    totalShards: run.totalShards,
    pagesCounted: run.pagesCounted,
    ...sortedPreview({ count: run.count, byTier: run.byTier, byRegion: run.byRegion, sample }),
  };
}
