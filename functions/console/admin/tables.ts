import type { ChangeTrailEntry } from "../../../shared/customers/change-trail.js";
import type { Language } from "../../../shared/kernel/language.js";
import type { ExportRecord } from "../../../shared/segments/export.js";
import { CONSOLE_CATALOGUES, type ConsoleCopyKey, t } from "../copy/say.js";
import { formatsFor } from "../format.js";
import type { Cell, Table } from "../results/tables.js";

/**
 * The admin trails as tables: one definition serves the page and its CSV, so the file an admin
 * downloads is the page they were looking at. A cell may link somewhere (the segment, the
 * customer view); `sub` is a second line under it on the page, kept in the CSV's own column.
 */
export type TrailCell = Cell & { href?: string; sub?: string; subRaw?: string };
export type TrailTable = Omit<Table<"exports" | "changes">, "rows"> & {
  rows: TrailCell[][];
  /** The CSV's heading for each column's second line, where it has one. */
  subColumns?: (string | undefined)[];
};

const cell = (raw: string | number, text = String(raw), extra: Partial<TrailCell> = {}): TrailCell => ({
  raw,
  text,
  numeric: typeof raw === "number",
  ...extra,
});

/** A catalogue key this console has, or the text as written (a field or channel it has no name for). */
const known = (language: Language, key: string, otherwise: string) =>
  key in CONSOLE_CATALOGUES[language] ? t(language, key as ConsoleCopyKey) : otherwise;

export function exportsTable(language: Language, records: ExportRecord[], base: string): TrailTable {
  const f = formatsFor(language);
  return {
    id: "exports",
    title: t(language, "admin.exports"),
    caption: t(language, "admin.exports.caption"),
    columns: [
      t(language, "admin.exports.at"),
      t(language, "admin.exports.actor"),
      t(language, "admin.exports.segment"),
      t(language, "admin.exports.version"),
      t(language, "admin.exports.rows"),
      t(language, "admin.exports.reason"),
      t(language, "admin.exports.state"),
    ],
    rows: records.map((r) => [
      cell(r.at, f.dateTime(r.at)),
      cell(r.actor),
      cell(r.segmentName, r.segmentName, { href: `${base}/segments/${encodeURIComponent(r.segmentId)}` }),
      cell(r.segmentVersion, `v${r.segmentVersion}`),
      cell(r.rows, f.integer(r.rows)),
      cell(r.reason),
      cell(t(language, "admin.exports.recorded")),
    ]),
  };
}

const shown = (language: Language, value: string | null | undefined) =>
  value === null || value === undefined || value === "" ? t(language, "customers.empty") : value;
const consentWord = (language: Language, value: string | null | undefined) =>
  value === "on"
    ? t(language, "customers.consent.granted")
    : value === "off"
      ? t(language, "customers.consent.refused")
      : shown(language, value);

/** What the event did, in the customer view's words for fields and consent answers. */
function whatOf(language: Language, entry: ChangeTrailEntry): string {
  const field = entry.field ?? "";
  if (entry.action === "consent")
    return t(language, "admin.audit.edit", {
      field: known(language, `customers.${field}`, field),
      before: consentWord(language, entry.before),
      after: consentWord(language, entry.after),
    });
  if (entry.action === "edit")
    return t(language, "admin.audit.edit", {
      field: known(language, `customers.field.${field}`, field),
      before: shown(language, entry.before),
      after: shown(language, entry.after),
    });
  return t(language, `admin.audit.${entry.action}`);
}

function eventOf(language: Language, entry: ChangeTrailEntry): TrailCell {
  const text = t(language, `admin.audit.event.${entry.event}`);
  const sub =
    entry.event === "requested" && entry.status
      ? t(language, `admin.audit.status.${entry.status}`)
      : entry.event === "rejected" && entry.rejectionReason
        ? t(language, "admin.audit.rejectedBecause", { reason: entry.rejectionReason })
        : undefined;
  return cell(entry.event, text, sub ? { sub } : {});
}

export function changesTable(language: Language, entries: ChangeTrailEntry[], base: string): TrailTable {
  const f = formatsFor(language);
  return {
    id: "changes",
    title: t(language, "admin.audit"),
    caption: t(language, "admin.audit.caption"),
    columns: [
      t(language, "admin.audit.at"),
      t(language, "admin.audit.actor"),
      t(language, "admin.audit.event"),
      t(language, "admin.audit.customer"),
      t(language, "admin.audit.what"),
      t(language, "admin.audit.reason"),
    ],
    subColumns: [undefined, t(language, "admin.audit.requestedByColumn"), t(language, "admin.audit.detail")],
    rows: entries.map((e) => [
      cell(e.at, f.dateTime(e.at)),
      cell(
        e.actor,
        e.event === "consent" && e.actor === "customer" ? t(language, "admin.audit.byCustomer") : e.actor,
        e.requestedBy
          ? { sub: t(language, "admin.audit.requestedBy", { name: e.requestedBy }), subRaw: e.requestedBy }
          : {},
      ),
      eventOf(language, e),
      cell(e.customerId, e.customerId, { href: `${base}/customers/${encodeURIComponent(e.customerId)}` }),
      cell(whatOf(language, e)),
      cell(e.reason),
    ]),
  };
}

/**
 * The CSV of a table: each cell's raw value, and a cell's second line (who asked, where a
 * request stands, why it was rejected) in a column of its own after it, so nothing shown is left out.
 */
export function csvTableOf(table: TrailTable): Pick<Table, "columns" | "rows"> {
  const sub = table.subColumns ?? [];
  return {
    columns: table.columns.flatMap((column, i) => (sub[i] ? [column, sub[i]] : [column])),
    rows: table.rows.map((row) =>
      row.flatMap((c, i) => (sub[i] ? [c, { raw: c.subRaw ?? c.sub ?? "", text: c.sub ?? "", numeric: false }] : [c])),
    ),
  };
}
