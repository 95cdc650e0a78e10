import type { Period, TrailPage } from "../kernel/trail.js";
import type { ExportRecord } from "./export.js";
import type { PageTally, PreviewJob, PreviewRun } from "./preview-run.js";
import type { Segment } from "./segment.js";

export interface SegmentStore {
  /** Saves a version once; a second save of the same version is a conflict (someone revised it first). */
  save(segment: Segment): Promise<void>;
  /** The latest version, or the given one. */
  get(segmentId: string, version?: number): Promise<Segment | null>;
  /** The latest version of every segment. */
  list(): Promise<Segment[]>;
  /** Marks a version archived (who and when), or no longer archived (null); the version must exist. */
  setArchived(
    segmentId: string,
    version: number,
    archive: { archivedAt: string; archivedBy: string } | null,
  ): Promise<void>;
}

/** The segment exports' trail: append-only, like the customers' audit trail. */
export interface SegmentExportStore {
  /** Appends a record; nothing edits or deletes it. */
  append(record: ExportRecord): Promise<void>;
  /** A segment's exports, newest first. */
  of(segmentId: string): Promise<ExportRecord[]>;
  /** Every segment's exports in a period, newest first, a page at a time (by `actor` when given). */
  bankWide(query: { period: Period; limit: number; cursor?: string; actor?: string }): Promise<TrailPage<ExportRecord>>;
}

export interface PreviewStore {
  create(run: PreviewRun): Promise<void>;
  get(segmentId: string, previewId: string): Promise<PreviewRun | null>;
  /**
   * Adds a page's tally to the run, once: the page is recorded as counted in the same
   * transaction. False when it had been counted already (a redelivered job).
   */
  countPage(
    run: PreviewRun,
    shard: number,
    cursor: string | undefined,
    tally: PageTally,
    lastOfShard: boolean,
  ): Promise<boolean>;
  /** The sample candidates every counted page kept. */
  sampleIds(segmentId: string, previewId: string): Promise<string[]>;
  /** Every run of the segment (of every version), in no particular order: a segment has a handful. */
  runsOf(segmentId: string): Promise<PreviewRun[]>;
}

/** Preview pages go on the fan-out queue: the same scan, the same consumer as a launch. */
export interface PreviewQueue {
  enqueuePreviews(jobs: PreviewJob[]): Promise<void>;
}
