import { z } from "zod";
import { getCampaign } from "../campaigns/get-campaign.js";
import { DEFAULT_TIME_ZONE } from "../customers/customer.js";
import type { Actor } from "../kernel/actor.js";
import { DomainError, NotFoundError } from "../kernel/errors.js";
import type { WithSettings } from "../kernel/settings.js";
import type { Clock, IdSource } from "../kernel/time.js";
import {
  addTally,
  type BreakdownDeps,
  type BreakdownTally,
  breakdownOf,
  type CampaignBreakdown,
  campaignBreakdown,
  emptyTally,
  tallyDeliveries,
} from "./breakdown.js";
import type { BreakdownJob } from "./breakdown-job.js";
import type { DeliveryStore } from "./ports.js";
import { campaignStats } from "./stats.js";

/** SYNC_BREAKDOWN_MAX_DELIVERIES when unset: about a second of one request's reading (README, "Benchmarks"). */
export const DEFAULT_SYNC_BREAKDOWN_MAX_DELIVERIES = 20_000;

/**
 * A run not heard from (no page counted) for this long is stalled, its job lost to the
 * dead-letter queue say: it no longer holds the campaign, so "Count again" can start another.
 */
export const BREAKDOWN_STALL_MS = 10 * 60_000;

const n = z.number().int().nonnegative();
const DayCounts = z.object({ sent: n, clicked: n, responded: n, converted: n, controlConverted: n });
const FunnelCounts = DayCounts.extend({ targeted: n, control: n, suppressed: n });
export const BreakdownTallySchema = z.object({
  deliveries: n,
  unknownProfile: n,
  byTier: z.record(z.string(), FunnelCounts),
  byRegion: z.record(z.string(), FunnelCounts),
  byDay: z.record(z.string(), DayCounts),
}) satisfies z.ZodType<BreakdownTally>;

/**
 * A campaign's breakdown counted as jobs, for a campaign with more deliveries than one request
 * reads: one job per page of the campaign's delivery partition, each continuing from the
 * previous page's cursor, so no invocation reads the whole campaign. The run item keeps the
 * tallies so far; each page's tally is added in the same transaction that records the page as
 * counted, so a page SQS delivers twice is counted once.
 *
 * Its size is bounded: tiers are a handful; regions are capped at MAX_REGION_ROWS (the rest
 * under "other"); days are those the campaign's events happened on (its sending days plus the
 * attribution window and the link's lifetime), some 70 bytes each: a year of them is ~25 KB,
 * far within DynamoDB's 400 KB item.
 */
export const BreakdownRun = z.object({
  /** Sorts by start: the start time, compact, then a fresh id. */
  runId: z.string(),
  campaignId: z.string(),
  timeZone: z.string(),
  requestedBy: z.string(),
  startedAt: z.iso.datetime(),
  /** When the latest page was counted: a run long silent is stalled (BREAKDOWN_STALL_MS). */
  updatedAt: z.iso.datetime(),
  /** When its last page was counted: the moment its tables are "as of". */
  finishedAt: z.iso.datetime().optional(),
  /** The deliveries the campaign's counters held at the start: the progress's denominator. */
  expected: z.number().int().nonnegative(),
  pagesCounted: z.number().int().nonnegative(),
  /** Bumped by every counted page: a page is added on condition that the run is as it was read. */
  version: z.number().int().nonnegative(),
  tally: BreakdownTallySchema,
});
export type BreakdownRun = z.infer<typeof BreakdownRun>;

/** Where a run is, as the API and the console show it. */
export type BreakdownProgress = {
  runId: string;
  status: "running" | "done";
  startedAt: string;
  requestedBy: string;
  finishedAt?: string;
  /** Deliveries counted so far. */
  counted: number;
  /** Of about this many (the campaign's counters at the start; the campaign may still be sending). */
  expected: number;
  pagesCounted: number;
};

export const progressOf = (run: BreakdownRun): BreakdownProgress => ({
  runId: run.runId,
  status: run.finishedAt ? "done" : "running",
  startedAt: run.startedAt,
  requestedBy: run.requestedBy,
  ...(run.finishedAt ? { finishedAt: run.finishedAt } : {}),
  counted: run.tally.deliveries,
  expected: run.expected,
  pagesCounted: run.pagesCounted,
});

type RunDeps = BreakdownDeps & {
  deliveries: Pick<DeliveryStore, "pagesOfCampaign" | "pageOfCampaign" | "counters">;
  breakdownRuns: BreakdownRunStore;
  queue: BreakdownQueue;
} & Clock &
  IdSource &
  WithSettings<"syncBreakdownMaxDeliveries" | "fanoutPageSize">;

/** Breakdown runs and their counted pages. */
export interface BreakdownRunStore {
  /**
   * Stores the run as the campaign's running one, unless another run of the campaign holds it
   * (unfinished, and updated after `staleBefore`): then that run is returned and nothing stored.
   */
  start(run: BreakdownRun, staleBefore: string): Promise<BreakdownRun>;
  get(campaignId: string, runId: string): Promise<BreakdownRun | null>;
  /**
   * Records the page as counted and replaces the run with `next` (its tally with the page's
   * added), in one transaction, on condition that the run is still at `run.version`:
   * "already" when the page had been counted (a redelivered job), "changed" when the run moved
   * on since it was read (read it again and retry).
   */
  countPage(
    run: BreakdownRun,
    cursor: string | undefined,
    next: BreakdownRun,
  ): Promise<"counted" | "already" | "changed">;
  /** The run no longer holds the campaign (it finished): idempotent, and leaves another run's hold alone. */
  release(campaignId: string, runId: string): Promise<void>;
  /** The campaign's latest runs, newest first. */
  recent(campaignId: string, limit: number): Promise<BreakdownRun[]>;
}

/** Breakdown pages go on the fan-out queue, beside the launch's and the previews' pages. */
export interface BreakdownQueue {
  enqueueBreakdowns(jobs: BreakdownJob[]): Promise<void>;
}

/** The deliveries the campaign has: every one of them is treated, control or suppressed, each counted once. */
export async function deliveriesOf(p: Pick<RunDeps, "campaigns" | "deliveries">, campaignId: string) {
  const stats = await campaignStats(p, campaignId);
  return stats.targeted + stats.control + Object.values(stats.suppressed).reduce((a, b) => a + (b ?? 0), 0);
}

export const syncBreakdownMax = (p: WithSettings<"syncBreakdownMaxDeliveries">) =>
  p.settings.syncBreakdownMaxDeliveries ?? DEFAULT_SYNC_BREAKDOWN_MAX_DELIVERIES;

/** Starts a breakdown run of the campaign, or returns the one already running. */
export async function startBreakdownRun(
  p: RunDeps,
  campaignId: string,
  actor: Actor,
  timeZone: string = DEFAULT_TIME_ZONE,
): Promise<{ run: BreakdownRun; started: boolean }> {
  await getCampaign(p, campaignId);
  const at = p.now();
  const iso = at.toISOString();
  const run: BreakdownRun = {
    runId: `${iso.replace(/[-:.]/g, "")}-${p.newId()}`,
    campaignId,
    timeZone,
    requestedBy: actor.name,
    startedAt: iso,
    updatedAt: iso,
    expected: await deliveriesOf(p, campaignId),
    pagesCounted: 0,
    version: 0,
    tally: emptyTally(),
  };
  const holder = await p.breakdownRuns.start(run, new Date(at.getTime() - BREAKDOWN_STALL_MS).toISOString());
  if (holder.runId !== run.runId) return { run: holder, started: false };
  await p.queue.enqueueBreakdowns([{ breakdownRunId: run.runId, campaignId }]);
  return { run, started: true };
}

/** Counts one page of the campaign's deliveries into the run, once, then queues the next page. */
export async function breakdownPage(p: RunDeps, job: BreakdownJob): Promise<{ read: number; counted: boolean }> {
  // A page of the fan-out's size (FANOUT_PAGE_SIZE): a job's read, well within a Lambda's time.
  const page = await p.deliveries.pageOfCampaign(job.campaignId, p.settings.fanoutPageSize, job.cursor);
  for (let attempt = 0; ; attempt++) {
    const run = await p.breakdownRuns.get(job.campaignId, job.breakdownRunId);
    if (!run) throw new NotFoundError("Breakdown run", job.breakdownRunId);
    const tally = tallyDeliveries(emptyTally(), page.deliveries, run.timeZone);
    const at = p.now().toISOString();
    const next: BreakdownRun = {
      ...run,
      tally: addTally(structuredClone(run.tally), tally),
      pagesCounted: run.pagesCounted + 1,
      version: run.version + 1,
      updatedAt: at,
      ...(page.cursor ? {} : { finishedAt: at }),
    };
    const outcome = await p.breakdownRuns.countPage(run, job.cursor, next);
    if (outcome === "changed" && attempt < 5) continue;
    if (outcome === "changed") throw new Error(`Breakdown run ${run.runId} kept changing while its page was counted`);
    // Queued (or released) whether or not this delivery counted the page: a retry after a crash must still move on.
    if (page.cursor) await p.queue.enqueueBreakdowns([{ ...job, cursor: page.cursor }]);
    else await p.breakdownRuns.release(job.campaignId, run.runId);
    return { read: page.deliveries.length, counted: outcome === "counted" };
  }
}

/**
 * What a request may show of a campaign's breakdown without reading more than the bound: the
 * breakdown itself for a campaign within SYNC_BREAKDOWN_MAX_DELIVERIES ("live"); for a larger
 * one, the latest finished run's ("run", as of its finish) and the running one's progress, or
 * neither yet ("none").
 */
export type ResultsBreakdown =
  | { source: "live"; deliveries: number; breakdown: CampaignBreakdown }
  | {
      source: "run";
      deliveries: number;
      max: number;
      breakdown: CampaignBreakdown;
      asOf: string;
      running?: BreakdownProgress;
    }
  | { source: "none"; deliveries: number; max: number; running?: BreakdownProgress };

/** A large campaign's breakdown asked for before any run counted it: the message says how to start one. */
export class BreakdownNotCountedError extends DomainError {
  readonly code = "breakdown_not_counted";
  readonly status = 409;
  constructor(campaignId: string, deliveries: number, max: number) {
    super(
      `Campaign '${campaignId}' has ${deliveries} deliveries, more than one request reads (SYNC_BREAKDOWN_MAX_DELIVERIES, ${max}), and no breakdown run yet: start one with POST /api/campaigns/${campaignId}/breakdown-runs, then GET its breakdown again`,
    );
  }
}

/** How many of the campaign's latest runs are looked through for a finished one. */
const RECENT_RUNS = 5;

export async function resultsBreakdown(
  p: Omit<RunDeps, "queue" | "newId">,
  campaignId: string,
  timeZone: string = DEFAULT_TIME_ZONE,
): Promise<ResultsBreakdown> {
  const deliveries = await deliveriesOf(p, campaignId);
  const max = syncBreakdownMax(p);
  if (deliveries <= max)
    return { source: "live", deliveries, breakdown: await campaignBreakdown(p, campaignId, timeZone) };
  const runs = await p.breakdownRuns.recent(campaignId, RECENT_RUNS);
  const staleBefore = p.now().getTime() - BREAKDOWN_STALL_MS;
  const newest = runs[0];
  const running =
    newest && !newest.finishedAt && new Date(newest.updatedAt).getTime() >= staleBefore
      ? progressOf(newest)
      : undefined;
  const latest = runs.find((r) => r.finishedAt);
  if (!latest) return { source: "none", deliveries, max, ...(running ? { running } : {}) };
  return {
    source: "run",
    deliveries,
    max,
    breakdown: breakdownOf(campaignId, latest.timeZone, latest.tally),
    asOf: latest.finishedAt as string,
    ...(running ? { running } : {}),
  };
}

/**
 * The campaign's newest run, as progress (null when none was started): what a page polls while
 * a run counts. Reads the run alone, never the deliveries.
 */
export async function latestBreakdownProgress(
  p: { breakdownRuns: Pick<BreakdownRunStore, "recent"> },
  campaignId: string,
): Promise<BreakdownProgress | null> {
  const [newest] = await p.breakdownRuns.recent(campaignId, 1);
  return newest ? progressOf(newest) : null;
}
