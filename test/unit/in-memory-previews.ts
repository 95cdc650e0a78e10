import type { PreviewQueue, PreviewStore } from "../../shared/segments/ports.js";
import type { PreviewJob, PreviewRun } from "../../shared/segments/preview-run.js";

/**
 * Preview runs in memory, each page counted once as the DynamoDB store does, and a queue that
 * keeps the jobs for the test to run (as the fan-out consumer would) with `drain`.
 */
export function inMemoryPreviews() {
  const runs = new Map<string, PreviewRun>();
  const pages = new Map<string, string[]>();
  const jobs: PreviewJob[] = [];
  const previews: PreviewStore = {
    create: async (run) => {
      runs.set(`${run.segmentId}/${run.previewId}`, structuredClone(run));
    },
    get: async (segmentId, previewId) => structuredClone(runs.get(`${segmentId}/${previewId}`) ?? null),
    countPage: async (run, shard, cursor, tally, lastOfShard) => {
      const page = `${run.previewId}/${shard}/${cursor ?? "start"}`;
      if (pages.has(page)) return false;
      pages.set(page, tally.sampleIds);
      const stored = runs.get(`${run.segmentId}/${run.previewId}`) as PreviewRun;
      stored.count += tally.count;
      stored.pagesCounted++;
      if (lastOfShard) stored.shardsDone++;
      for (const [tier, n] of Object.entries(tally.byTier)) stored.byTier[tier] = (stored.byTier[tier] ?? 0) + n;
      for (const [region, n] of Object.entries(tally.byRegion))
        stored.byRegion[region] = (stored.byRegion[region] ?? 0) + n;
      return true;
    },
    sampleIds: async (_segmentId, previewId) =>
      [...pages].filter(([key]) => key.startsWith(`${previewId}/`)).flatMap(([, ids]) => ids),
    runsOf: async (segmentId) =>
      [...runs.values()].filter((r) => r.segmentId === segmentId).map((r) => structuredClone(r)),
  };
  const queue: PreviewQueue = {
    enqueuePreviews: async (more) => {
      jobs.push(...more);
    },
  };
  /** Runs every queued job, and those they queue, with `consume` (the fan-out consumer's previewPage). */
  const drain = async (consume: (job: PreviewJob) => Promise<unknown>) => {
    while (jobs.length > 0) await consume(jobs.shift() as PreviewJob);
  };
  return { previews, queue, jobs, drain };
}
