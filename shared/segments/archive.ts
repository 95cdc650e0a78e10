import type { Actor } from "../kernel/actor.js";
import { DomainError } from "../kernel/errors.js";
import type { Clock } from "../kernel/time.js";
import type { SegmentStore } from "./ports.js";
import type { Segment } from "./segment.js";
import { getSegment } from "./versions.js";

/**
 * Archiving takes a segment nobody uses out of the way: out of the console's list and out of
 * reach of a new campaign. It marks the latest version; saving a new version brings the segment
 * back (the new version is not archived), as does unarchiving. A segment a campaign refers to
 * stays: the campaign keeps its segment's id and version for its whole life.
 */
export const isArchived = (segment: Pick<Segment, "archivedAt">) => segment.archivedAt !== undefined;

/** A campaign was to be made for an archived segment (shared/campaigns/maker-checker.ts refuses it). */
export class SegmentArchivedError extends DomainError {
  readonly code = "segment_archived";
  readonly status = 409;
  constructor(segmentId: string) {
    super(`Segment '${segmentId}' is archived: unarchive it in the console (Segments) or choose another segment`);
  }
}

/** A segment some campaign refers to was to be archived. */
export class SegmentInUseError extends DomainError {
  readonly code = "segment_in_use";
  readonly status = 409;
  constructor(segmentId: string, campaigns: readonly string[]) {
    super(
      `Segment '${segmentId}' is used by ${campaigns.length} campaign(s) (${campaigns.slice(0, 5).join(", ")}): only a segment no campaign uses can be archived`,
      { campaigns },
    );
  }
}

type ArchiveDeps = { segments: Pick<SegmentStore, "get" | "setArchived"> } & Clock;

/** Archives the segment, unless a campaign uses it: `usedBy` names those campaigns (the campaigns context knows them). */
export async function archiveSegment(
  p: ArchiveDeps,
  segmentId: string,
  usedBy: readonly string[],
  actor: Actor,
): Promise<Segment> {
  const latest = await getSegment(p, segmentId);
  if (usedBy.length > 0) throw new SegmentInUseError(segmentId, usedBy);
  if (isArchived(latest)) return latest;
  const archive = { archivedAt: p.now().toISOString(), archivedBy: actor.name };
  await p.segments.setArchived(segmentId, latest.version, archive);
  return { ...latest, ...archive };
}

export async function unarchiveSegment(p: ArchiveDeps, segmentId: string): Promise<Segment> {
  const latest = await getSegment(p, segmentId);
  if (!isArchived(latest)) return latest;
  await p.segments.setArchived(segmentId, latest.version, null);
  const { archivedAt: _at, archivedBy: _by, ...unarchived } = latest;
  return unarchived;
}
