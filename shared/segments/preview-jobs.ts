import type { Customer } from "../customers/customer.js";
import type { CustomerStore } from "../customers/ports.js";
import type { Actor } from "../kernel/actor.js";
import { NotFoundError } from "../kernel/errors.js";
import type { LifecycleSettings, WithSettings } from "../kernel/settings.js";
import type { Clock, IdSource } from "../kernel/time.js";
import type { PreviewQueue, PreviewStore } from "./ports.js";
import type { SegmentPreview } from "./preview.js";
import { countMember, ruleContextOf, SAMPLE_SIZE, sampleMember, sortedPreview } from "./preview.js";
import type { PageTally, PreviewJob, PreviewRun } from "./preview-run.js";
import { UNSAVED_RULE } from "./preview-run.js";
import { matches, type SegmentRule } from "./rule.js";
import { getSegment, type SegmentReader } from "./versions.js";

type PreviewRunDeps = {
  previews: PreviewStore;
  queue: PreviewQueue;
  customers: Pick<CustomerStore, "scanShard" | "getMany">;
} & SegmentReader &
  Clock &
  IdSource &
  WithSettings<"fanoutShards" | "fanoutPageSize" | "lifecycle">;

/**
 * Starts a preview run of a saved segment, its latest version or the one given (the version a
 * campaign keeps): one job per shard, each continuing itself page by page.
 */
export async function startPreview(
  p: PreviewRunDeps,
  segmentId: string,
  actor: Actor,
  version?: number,
): Promise<PreviewRun> {
  const segment = await getSegment(p, segmentId, version);
  return startRun(p, { segmentId, segmentVersion: segment.version, rule: segment.rule }, actor);
}

/**
 * Starts a preview run of a rule not saved as a segment: the builder's exact count of what is
 * being built. A run of its own rather than a draft version saved for it: a saved version is a
 * segment in every list and the maker's to archive, and the count is asked of rules that are
 * changed and thrown away a minute later.
 */
export async function startRulePreview(p: PreviewRunDeps, rule: SegmentRule, actor: Actor): Promise<PreviewRun> {
  return startRun(p, { segmentId: UNSAVED_RULE, rule }, actor);
}

/** The newest finished run of this version of the segment, or null: the exact count a page shows beside its estimate. */
export async function latestFinishedRun(
  p: Pick<PreviewRunDeps, "previews">,
  segmentId: string,
  version: number,
): Promise<PreviewRun | null> {
  const done = (await p.previews.runsOf(segmentId)).filter(
    (r) => r.segmentVersion === version && r.shardsDone >= r.totalShards,
  );
  return done.sort((a, b) => b.at.localeCompare(a.at))[0] ?? null;
}

async function startRun(
  p: PreviewRunDeps,
  what: Pick<PreviewRun, "segmentId" | "segmentVersion" | "rule">,
  actor: Actor,
): Promise<PreviewRun> {
  const { segmentId } = what;
  const { at } = ruleContextOf(p);
  const run: PreviewRun = {
    previewId: p.newId(),
    ...what,
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
    at: run.at,
    requestedBy: run.requestedBy,
    status: run.shardsDone >= run.totalShards ? "done" : "running",
    shardsDone: run.shardsDone,
    totalShards: run.totalShards,
    pagesCounted: run.pagesCounted,
    ...sortedPreview({ count: run.count, byTier: run.byTier, byRegion: run.byRegion, sample }),
  };
}

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

export type PreviewProgress = SegmentPreview & {
  previewId: string;
  segmentId: string;
  /** Absent for an unsaved rule's run. */
  segmentVersion?: number;
  /** When its time-based rules were judged: the moment the count is of. */
  at: string;
  requestedBy: string;
  status: "running" | "done";
  shardsDone: number;
  totalShards: number;
  pagesCounted: number;
};
