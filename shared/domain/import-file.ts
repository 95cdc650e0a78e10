import { parse } from "csv-parse/sync";
import { z } from "zod";
import { CustomerRow, profileFromRow, type CustomerProfile } from "./customer.js";
import type { TierThresholds } from "./tier.js";
import { ValidationError } from "./errors.js";

export type ImportFormat = "csv" | "ndjson";
export type RejectedRow = { line: number; reason: string };
export type ParsedImport = { profiles: { line: number; profile: CustomerProfile }[]; rejected: RejectedRow[] };

export function importFormatFor(contentType: string | undefined): ImportFormat {
  const type = (contentType ?? "").split(";")[0].trim().toLowerCase();
  if (type === "text/csv") return "csv";
  if (type === "application/x-ndjson" || type === "application/ndjson") return "ndjson";
  throw new ValidationError(
    `Unsupported Content-Type '${type || "(none)"}': send text/csv or application/x-ndjson`,
  );
}

/** Reads rows with their line numbers (1-based, as an editor shows them). */
type RawRow = { line: number; value?: unknown; error?: string };

function readRows(text: string, format: ImportFormat): RawRow[] {
  if (format === "ndjson") {
    return text.replace(/^\uFEFF/, "").split(/\r?\n/).flatMap((raw, index): RawRow[] => {
      if (raw.trim() === "") return [];
      try {
        return [{ line: index + 1, value: JSON.parse(raw) as unknown }];
      } catch {
        return [{ line: index + 1, error: "not valid JSON" }];
      }
    });
  }
  try {
    const records = parse(text, {
      columns: (header: string[]) => header.map((h) => h.trim()),
      skip_empty_lines: true,
      trim: true,
      bom: true,
      info: true,
      relax_column_count: true,
    }) as { record: Record<string, string>; info: { lines: number } }[];
    return records.map(({ record, info }) => ({ line: info.lines, value: record }));
  } catch (error) {
    throw new ValidationError(`The CSV could not be read: ${(error as Error).message}`);
  }
}

function describe(error: z.ZodError): string {
  return error.issues.map((issue) => (issue.path.length ? `${issue.path.join(".")}: ${issue.message}` : issue.message)).join("; ");
}

/**
 * Parses an import file. Bad rows are rejected with their line and reason; good rows go on.
 * A customerId seen twice in one file is rejected the second time, naming the first line.
 */
export function parseImport(text: string, format: ImportFormat, thresholds?: TierThresholds): ParsedImport {
  const profiles: ParsedImport["profiles"] = [];
  const rejected: RejectedRow[] = [];
  const firstLine = new Map<string, number>();
  for (const row of readRows(text, format)) {
    if (row.error) {
      rejected.push({ line: row.line, reason: row.error });
      continue;
    }
    const parsed = CustomerRow.safeParse(row.value);
    if (!parsed.success) {
      rejected.push({ line: row.line, reason: describe(parsed.error) });
      continue;
    }
    const seen = firstLine.get(parsed.data.customerId);
    if (seen !== undefined) {
      rejected.push({ line: row.line, reason: `customerId '${parsed.data.customerId}' already appears on line ${seen}` });
      continue;
    }
    firstLine.set(parsed.data.customerId, row.line);
    profiles.push({ line: row.line, profile: profileFromRow(parsed.data, thresholds) });
  }
  return { profiles, rejected };
}
