import { stringify } from "csv-stringify/sync";
import type { Context } from "hono";
import type { Table } from "./tables.js";

/**
 * A table the console shows, as the CSV an analyst downloads: the same columns and rows, each
 * cell's raw value (a number stays a number), the headings in the reader's language. A
 * byte-order mark leads, so Excel opens Chinese headings as UTF-8 rather than garbling them.
 * Every CSV of the console answers through here (results, comparison, data quality).
 */
export function csvOf(c: Context, table: Pick<Table, "columns" | "rows">, filename: string) {
  const csv = stringify([table.columns, ...table.rows.map((row) => row.map((cell) => cell.raw))]);
  return c.body(`\uFEFF${csv}`, 200, {
    "content-type": "text/csv; charset=utf-8",
    "content-disposition": `attachment; filename="${filename.replace(/[^\w.-]/g, "_")}"`,
  });
}
