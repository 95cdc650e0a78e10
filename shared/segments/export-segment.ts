import { z } from "zod";
import type { Actor } from "../kernel/actor.js";
import { ExportTooLargeError, ForbiddenError } from "../kernel/errors.js";
import type { IdSource } from "../kernel/time.js";
import { type Period, periodOf, type TrailPage, TrailQuery } from "../kernel/trail.js";
import type { Cell } from "./export.js";
import {
  EXPORT_COLUMNS,
  EXPORT_MAX_BYTES,
  EXPORT_MAX_ROWS,
  type ExportRecord,
  type ExportRequest,
  exportFileName,
  exportRow,
  type SegmentExport,
  toCsv,
} from "./export.js";
import type { SegmentExportStore } from "./ports.js";
import { forEachMember, type PreviewDeps, ruleContextOf } from "./preview.js";
import { getSegment } from "./versions.js";

export type ExportDeps = PreviewDeps & IdSource & { segmentExports: SegmentExportStore };

/**
 * The segment's members as CSV, matched with the same scan and rule evaluation as the preview
 * and the launch, sorted by customer id. Recorded before it is returned.
 */
export async function exportSegment(
  p: ExportDeps,
  segmentId: string,
  request: ExportRequest,
  actor: Actor,
): Promise<SegmentExport> {
  if (actor.role !== "admin") throw new ForbiddenError(`Role '${actor.role}' may not export a segment; only admin may`);
  const segment = await getSegment(p, segmentId, request.version);
  const rows: { customerId: string; cells: Cell[] }[] = [];
  let members = 0;
  await forEachMember(p, segment.rule, ruleContextOf(p), (customer) => {
    if (++members <= EXPORT_MAX_ROWS) rows.push({ customerId: customer.customerId, cells: exportRow(customer) });
  });
  if (members > EXPORT_MAX_ROWS)
    throw new ExportTooLargeError(
      `Segment '${segmentId}' has ${members} members; an export holds at most ${EXPORT_MAX_ROWS}. Narrow the rule (by region or tier, say) and export each part`,
    );
  rows.sort((a, b) => a.customerId.localeCompare(b.customerId));
  const csv = toCsv(
    EXPORT_COLUMNS,
    rows.map((row) => row.cells),
  );
  const bytes = Buffer.byteLength(csv);
  if (bytes > EXPORT_MAX_BYTES)
    throw new ExportTooLargeError(
      `The export of segment '${segmentId}' would be ${bytes} bytes; at most ${EXPORT_MAX_BYTES} can be answered. Narrow the rule and export each part`,
    );

  const record: ExportRecord = {
    exportId: p.newId(),
    segmentId,
    segmentVersion: segment.version,
    segmentName: segment.name,
    actor: actor.name,
    at: p.now().toISOString(),
    rows: rows.length,
    reason: request.reason,
  };
  // Recorded before the data leaves: if recording fails, nothing is handed over. The other
  // way round, an export recorded but then lost in transit is a harmless extra line in the
  // trail, while a file handed over without a record is the leak the trail exists to catch.
  await p.segmentExports.append(record);
  return { record, csv, fileName: exportFileName(segment) };
}

/** A segment's export trail, newest first. */
export async function exportsOf(
  p: Pick<ExportDeps, "segments" | "segmentExports">,
  segmentId: string,
): Promise<ExportRecord[]> {
  const [, records] = await Promise.all([getSegment(p, segmentId), p.segmentExports.of(segmentId)]);
  return records;
}

/** The exports trail's query: a period of the bank's days and, optionally, who exported. */
export const ExportTrailQuery = TrailQuery.extend({
  actor: z.string().trim().min(1).max(200).optional().describe("Only the exports this person made (their user name)"),
});
export type ExportTrailQuery = z.infer<typeof ExportTrailQuery>;

/**
 * Every segment export bank-wide, newest first, a page at a time: what the admin reviews to see
 * who took customer data out, when and why. Only an admin may, as only an admin exports.
 */
export async function exportTrail(
  p: Pick<ExportDeps, "segmentExports" | "now">,
  query: ExportTrailQuery,
  actor: Actor,
): Promise<TrailPage<ExportRecord> & { period: Period }> {
  if (actor.role !== "admin")
    throw new ForbiddenError(`Role '${actor.role}' may not read the exports trail; only admin may`);
  const period = periodOf(query, p.now());
  const page = await p.segmentExports.bankWide({
    period,
    limit: query.limit,
    cursor: query.cursor,
    actor: query.actor,
  });
  return { ...page, period };
}
