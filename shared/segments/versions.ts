import type { Actor } from "../kernel/actor.js";
import { NotFoundError } from "../kernel/errors.js";
import type { Clock, IdSource } from "../kernel/time.js";
import type { SegmentStore } from "./ports.js";
import type { NewSegment, Segment } from "./segment.js";

export type SegmentReader = { segments: Pick<SegmentStore, "get"> };
export type SegmentDeps = { segments: SegmentStore } & Clock & IdSource;

export async function createSegment(p: SegmentDeps, input: NewSegment, actor: Actor): Promise<Segment> {
  const segment: Segment = {
    segmentId: p.newId(),
    version: 1,
    ...input,
    createdBy: actor.name,
    createdAt: p.now().toISOString(),
  };
  await p.segments.save(segment);
  return segment;
}

/** Saves a new version; the earlier ones stay, so campaigns keep pointing at what they used. */
export async function reviseSegment(
  p: SegmentDeps,
  segmentId: string,
  input: NewSegment,
  actor: Actor,
): Promise<Segment> {
  const current = await getSegment(p, segmentId);
  const next: Segment = {
    segmentId,
    version: current.version + 1,
    ...input,
    createdBy: actor.name,
    createdAt: p.now().toISOString(),
  };
  await p.segments.save(next);
  return next;
}

/** The latest version, or the one asked for. */
export async function getSegment(p: SegmentReader, segmentId: string, version?: number): Promise<Segment> {
  const segment = await p.segments.get(segmentId, version);
  if (!segment) throw new NotFoundError(version ? `Version ${version} of segment` : "Segment", segmentId);
  return segment;
}

export const listSegments = (p: { segments: Pick<SegmentStore, "list"> }): Promise<Segment[]> => p.segments.list();

/** How many versions a segment's page lists: the latest ones, each one read (the store keeps no index of them). */
export const VERSIONS_LISTED = 50;

/** A segment's versions, the newest first, up to VERSIONS_LISTED of them. */
export async function segmentVersions(p: SegmentReader, segmentId: string): Promise<Segment[]> {
  const latest = await getSegment(p, segmentId);
  const older = Array.from(
    { length: Math.min(latest.version - 1, VERSIONS_LISTED - 1) },
    (_, i) => latest.version - 1 - i,
  );
  const found = await Promise.all(older.map((version) => p.segments.get(segmentId, version)));
  return [latest, ...found.filter((s): s is Segment => s !== null)];
}
