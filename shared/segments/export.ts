import { stringify } from "csv-stringify/sync";
import { z } from "zod";
import type { Customer } from "../customers/customer.js";
import type { Segment } from "./segment.js";

/**
 * The bank's rule: customer information is confidential, staff see only what their role
 * needs, and exports are controlled. Only an admin
 * exports a segment, always with a reason, and every export is recorded (who, when, which
 * segment and version, how many rows, why) before the file is handed over. The file holds
 * contact data in full, so it is built to be opened safely in a spreadsheet: no cell can
 * start a formula.
 */

export const EXPORT_COLUMNS = [
  "customerId",
  "type",
  "name",
  "email",
  "phone",
  "tier",
  "region",
  "aum",
  "products",
  "relationshipManager",
  "language",
] as const;

/**
 * The API answers through API Gateway and Lambda, which buffer a response of at most 6 MB, so
 * the file is built whole and bounded rather than streamed. The row bound also bounds memory
 * while the scan runs; the byte bound keeps under the Lambda limit whatever the rows hold.
 */
export const EXPORT_MAX_ROWS = 20_000;
export const EXPORT_MAX_BYTES = 5 * 1024 * 1024;

export const ExportRequest = z.object({
  reason: z
    .string({ error: "reason is required: say why this export is needed" })
    .trim()
    .min(5, "reason must say why, in at least 5 characters")
    .max(500),
  version: z.coerce.number().int().positive().optional(),
});
export type ExportRequest = z.infer<typeof ExportRequest>;

/** One line of a segment's append-only export trail. */
export const ExportRecord = z.object({
  exportId: z.string(),
  segmentId: z.string(),
  segmentVersion: z.number().int().positive(),
  segmentName: z.string(),
  actor: z.string(),
  at: z.iso.datetime(),
  rows: z.number().int().nonnegative(),
  reason: z.string(),
});
export type ExportRecord = z.infer<typeof ExportRecord>;

export type SegmentExport = { record: ExportRecord; csv: string; fileName: { ascii: string; utf8: string } };

export type Cell = string | number | undefined;

/**
 * CSV text for the rows, by csv-stringify. `escape_formulas` is OWASP's advice against formula
 * injection: a cell starting with =, +, -, @, tab or carriage return (or their full-width
 * forms) gets a leading single quote, so a spreadsheet shows it as text instead of running it.
 * Numbers are left alone (a negative number is not a formula); a phone in international form
 * (+86 ...) is text and is prefixed too. Cells are quoted when they
 * hold a comma, quote or line break. UTF-8 with a BOM, so Excel reads Chinese names right.
 */
export function toCsv(header: readonly string[], rows: Cell[][]): string {
  return stringify(rows, {
    header: true,
    columns: [...header],
    bom: true,
    escape_formulas: true,
    record_delimiter: "windows",
    // Setting record_delimiter turns this off by default, and a bare \n or \r in a name would then end the row.
    quote_record_delimiter: true,
  });
}

export function exportRow(customer: Customer): Cell[] {
  return [
    customer.customerId,
    customer.type,
    customer.name,
    customer.email,
    customer.phone,
    customer.tier ?? undefined,
    customer.region,
    customer.aum,
    customer.products.join(";"),
    customer.relationshipManager,
    customer.language,
  ];
}

/** `segment-<name>-v<version>.csv`: ASCII for every client, and the name as written (RFC 5987) for those that read it. */
export function exportFileName(segment: Pick<Segment, "segmentId" | "name" | "version">): SegmentExport["fileName"] {
  const slug = (text: string, keep: RegExp) =>
    text
      .normalize("NFKD")
      .replace(/\p{M}/gu, "")
      .toLowerCase()
      .replace(keep, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 60)
      .replace(/-+$/, "");
  const ascii = slug(segment.name, /[^a-z0-9]+/g) || segment.segmentId.replace(/[^A-Za-z0-9-]/g, "");
  const utf8 = slug(segment.name, /[^\p{L}\p{N}]+/gu) || ascii;
  return { ascii: `segment-${ascii}-v${segment.version}.csv`, utf8: `segment-${utf8}-v${segment.version}.csv` };
}
