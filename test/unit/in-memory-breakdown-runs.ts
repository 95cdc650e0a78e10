import type { BreakdownJob } from "../../shared/delivery/breakdown-job.js";
import type { BreakdownQueue, BreakdownRun, BreakdownRunStore } from "../../shared/delivery/breakdown-run.js";
import type { Delivery } from "../../shared/delivery/delivery.js";

/**
 * Breakdown runs in memory, each page counted once and the campaign held by one run as the
 * DynamoDB store does, and a queue that keeps the jobs for the test to run (as the fan-out
 * consumer would) with `drain`.
 */
export function inMemoryBreakdownRuns() {
  const runs = new Map<string, BreakdownRun>();
  const pages = new Set<string>();
  const holds = new Map<string, { runId: string; heardAt: string; released?: boolean }>();
  const jobs: BreakdownJob[] = [];
  const breakdownRuns: BreakdownRunStore = {
    start: async (run, staleBefore) => {
      const hold = holds.get(run.campaignId);
      if (hold && !hold.released && hold.heardAt >= staleBefore)
        return structuredClone(runs.get(`${run.campaignId}/${hold.runId}`) as BreakdownRun);
      runs.set(`${run.campaignId}/${run.runId}`, structuredClone(run));
      holds.set(run.campaignId, { runId: run.runId, heardAt: run.updatedAt });
      return run;
    },
    get: async (campaignId, runId) => structuredClone(runs.get(`${campaignId}/${runId}`) ?? null),
    countPage: async (run, cursor, next) => {
      const page = `${run.runId}/${cursor ?? "start"}`;
      if (pages.has(page)) return "already";
      if (runs.get(`${run.campaignId}/${run.runId}`)?.version !== run.version) return "changed";
      pages.add(page);
      runs.set(`${run.campaignId}/${run.runId}`, structuredClone(next));
      const hold = holds.get(run.campaignId);
      if (hold?.runId === run.runId) hold.heardAt = next.updatedAt;
      return "counted";
    },
    release: async (campaignId, runId) => {
      const hold = holds.get(campaignId);
      if (hold?.runId === runId) hold.released = true;
    },
    recent: async (campaignId, limit) =>
      [...runs.values()]
        .filter((r) => r.campaignId === campaignId)
        .sort((a, b) => b.runId.localeCompare(a.runId))
        .slice(0, limit)
        .map((r) => structuredClone(r)),
  };
  const queue: BreakdownQueue = {
    enqueueBreakdowns: async (more) => {
      jobs.push(...more);
    },
  };
  /** Runs every queued job, and those they queue, with `consume` (the fan-out consumer's breakdownPage). */
  const drain = async (consume: (job: BreakdownJob) => Promise<unknown>) => {
    while (jobs.length > 0) await consume(jobs.shift() as BreakdownJob);
  };
  return { breakdownRuns, queue, jobs, drain, runs };
}

/** A campaign's deliveries in memory, read a page at a time as the DynamoDB store's Query does (cursor: the next index). */
export function deliveriesPaged(all: Delivery[]) {
  return {
    async *pagesOfCampaign(campaignId: string) {
      const mine = all.filter((d) => d.campaignId === campaignId);
      for (let i = 0; i < mine.length; i += 7) yield mine.slice(i, i + 7);
    },
    async pageOfCampaign(campaignId: string, limit: number, cursor?: string) {
      const mine = all.filter((d) => d.campaignId === campaignId);
      const from = cursor ? Number(cursor) : 0;
      const to = from + limit;
      return { deliveries: mine.slice(from, to), ...(to < mine.length ? { cursor: String(to) } : {}) };
    },
  };
}
