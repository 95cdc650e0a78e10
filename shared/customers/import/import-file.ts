import { parse } from "csv-parse/sync";
import { z } from "zod";
import { ValidationError } from "../../kernel/errors.js";
import type { TierThresholds } from "../../kernel/tiers.js";
import { type CustomerProfile, CustomerRow, profileFromRow } from "./customer-row.js";

export type ImportFormat = "csv" | "ndjson";
export type RejectedRow = { line: number; reason: string };
export type ParsedImport = { profiles: { line: number; profile: CustomerProfile }[]; rejected: RejectedRow[] };

export function importFormatFor(contentType: string | undefined): ImportFormat {
  const type = (contentType ?? "").split(";")[0].trim().toLowerCase();
  if (type === "text/csv") return "csv";
  if (type === "application/x-ndjson" || type === "application/ndjson") return "ndjson";
  throw new ValidationError(`Unsupported Content-Type '${type || "(none)"}': send text/csv or application/x-ndjson`);
}

// --- encodings ------------------------------------------------------------------------------

/** UTF-8, or GB18030, the superset of GBK that Chinese core-banking exports use. */
export const ImportEncoding = z.enum(["utf-8", "gb18030"]);
export type ImportEncoding = z.infer<typeof ImportEncoding>;

export const HOW_TO_CONVERT =
  "convert it to UTF-8 first, e.g. `iconv -f GBK -t UTF-8 customers.csv > customers-utf8.csv`";

export class UnsupportedEncodingError extends ValidationError {
  constructor() {
    super(`The file is neither UTF-8 nor GBK (GB18030) text: ${HOW_TO_CONVERT}`);
  }
}

const decodes = (encoding: ImportEncoding, bytes: Uint8Array, complete: boolean): boolean => {
  try {
    // stream: true keeps a character cut off at the end of a prefix instead of refusing it.
    new TextDecoder(encoding, { fatal: true }).decode(bytes, { stream: !complete });
    return true;
  } catch {
    return false;
  }
};

/**
 * No CSV or NDJSON text holds a NUL byte; UTF-16 (Excel's "Unicode text") is mostly NULs and
 * ASCII, which would otherwise pass for UTF-8 and import as garbage.
 */
export const hasNul = (bytes: Uint8Array) => bytes.includes(0);

/**
 * The encoding of an import: UTF-8 when the bytes are valid UTF-8 (ASCII included), else
 * GB18030 when they decode as that. `complete: false` judges a prefix of a longer file.
 * Throws UnsupportedEncodingError otherwise. UTF-8 wins a tie: GBK text that is also valid
 * UTF-8 is vanishingly rare beyond a few characters. GBK accepts most byte pairs, so text in
 * a Western single-byte encoding (Latin-1) may decode as GBK: the import's `encoding` says
 * which was used.
 */
export function detectEncoding(bytes: Uint8Array, complete = true): ImportEncoding {
  if (hasNul(bytes)) throw new UnsupportedEncodingError();
  for (const encoding of ImportEncoding.options) if (decodes(encoding, bytes, complete)) return encoding;
  throw new UnsupportedEncodingError();
}

/**
 * A file of zero bytes is no import: most often the export failed or the wrong file was picked,
 * and a 200 with zero rows would read as "nothing to change". A CSV with only its header line
 * is still a file (it imports nothing, and says so).
 */
export class EmptyImportError extends ValidationError {
  constructor() {
    super(
      "The file is empty: a CSV needs its header line and a row per customer, an NDJSON file one customer per line",
    );
  }
}

/** A whole import body as text, with the encoding it was in. Refuses a file of zero bytes. */
export function decodeImport(bytes: Uint8Array): { text: string; encoding: ImportEncoding } {
  if (bytes.length === 0) throw new EmptyImportError();
  const encoding = detectEncoding(bytes);
  return { text: new TextDecoder(encoding).decode(bytes), encoding };
}

// --- rows -----------------------------------------------------------------------------------

/** A row as read, with its line number (1-based, as an editor shows it). */
export type RawRow = { line: number; value?: unknown; error?: string };

/**
 * How a CSV import is read; the streaming import (import-stream.ts) uses the same options,
 * so both report the same line numbers. `info.lines` is the line a record ends on.
 */
export const CSV_OPTIONS = {
  columns: (header: string[]) => header.map((h) => h.trim()),
  skip_empty_lines: true,
  trim: true,
  bom: true,
  info: true,
  relax_column_count: true,
} as const;

export type CsvRecord = { record: Record<string, string>; info: { lines: number } };

/**
 * csv-parse counts a CRLF inside a quoted field as two lines, so every line number after it
 * would be one too high; with LF line ends it counts right. A quoted CRLF becomes LF.
 */
export const lfLineEnds = (text: string) => text.replace(/\r\n/g, "\n");

/** One NDJSON line (without its line break) as a row; blank lines are no row. */
export function ndjsonRow(raw: string, line: number): RawRow | undefined {
  if (raw.trim() === "") return undefined;
  try {
    return { line, value: JSON.parse(raw) as unknown };
  } catch {
    return { line, error: "not valid JSON" };
  }
}

export const csvReadError = (error: unknown) =>
  new ValidationError(`The CSV could not be read: ${(error as Error).message}`);

function readRows(text: string, format: ImportFormat): RawRow[] {
  if (format === "ndjson") {
    return text
      .replace(/^\uFEFF/, "")
      .split(/\r?\n/)
      .flatMap((raw, index) => ndjsonRow(raw, index + 1) ?? []);
  }
  try {
    const records = parse(lfLineEnds(text), CSV_OPTIONS) as CsvRecord[];
    return records.map(({ record, info }) => ({ line: info.lines, value: record }));
  } catch (error) {
    throw csvReadError(error);
  }
}

function describe(error: z.ZodError): string {
  return error.issues
    .map((issue) => (issue.path.length ? `${issue.path.join(".")}: ${issue.message}` : issue.message))
    .join("; ");
}

export type CheckedRow =
  | { line: number; row: CustomerRow; rejected?: undefined }
  | { line: number; rejected: RejectedRow; row?: undefined };

/**
 * Validates one row. `firstLine` holds the customerIds of the file's valid rows so far, with
 * the line each first appeared on: a repeat is rejected, naming that line.
 */
export function checkRow(raw: RawRow, firstLine: Map<string, number>): CheckedRow {
  const reject = (reason: string): CheckedRow => ({ line: raw.line, rejected: { line: raw.line, reason } });
  if (raw.error) return reject(raw.error);
  const parsed = CustomerRow.safeParse(raw.value);
  if (!parsed.success) return reject(describe(parsed.error));
  const seen = firstLine.get(parsed.data.customerId);
  if (seen !== undefined) return reject(`customerId '${parsed.data.customerId}' already appears on line ${seen}`);
  firstLine.set(parsed.data.customerId, raw.line);
  return { line: raw.line, row: parsed.data };
}

/**
 * Parses an import file. Bad rows are rejected with their line and reason; good rows go on.
 * A customerId seen twice in one file is rejected the second time, naming the first line.
 */
export function parseImport(text: string, format: ImportFormat, thresholds?: TierThresholds): ParsedImport {
  const profiles: ParsedImport["profiles"] = [];
  const rejected: RejectedRow[] = [];
  const firstLine = new Map<string, number>();
  for (const raw of readRows(text, format)) {
    const checked = checkRow(raw, firstLine);
    if (checked.rejected) rejected.push(checked.rejected);
    else profiles.push({ line: checked.line, profile: profileFromRow(checked.row, thresholds) });
  }
  return { profiles, rejected };
}
