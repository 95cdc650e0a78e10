import type { CampaignStatus } from "../../../shared/campaigns/lifecycle.js";
import type { DataQualityReport } from "../../../shared/customers/data-quality.js";
import type { Lift } from "../../../shared/delivery/lift.js";
import type { CampaignStats } from "../../../shared/delivery/stats.js";
import type { Language } from "../../../shared/kernel/language.js";
import { type ConsoleCopyKey, t } from "../copy/say.js";
import { formatsFor } from "../format.js";
import { liftTooSmallWords, productName } from "../pages.js";
import type { Cell, Table } from "../results/tables.js";

/**
 * The analysis pages' tables as data, in the results page's shape (results/tables.ts): each
 * cell's raw value for the CSV and its text for the page, so the CSV is the table shown.
 */

/** A launched campaign as the comparison reads it: what it is, its numbers, and its lift (liftOf). */
export type Compared = {
  campaignId: string;
  name: string;
  status: CampaignStatus;
  productCode: string;
  launchedAt: string;
  stats: CampaignStats;
  lift: Lift;
};

export const DQ_TABLE_IDS = ["customers", "completeness", "invalid", "shared", "stale"] as const;
export type DqTableId = (typeof DQ_TABLE_IDS)[number];

const cellsOf = (language: Language) => {
  const f = formatsFor(language);
  return {
    f,
    count: (n: number): Cell => ({ raw: n, text: f.integer(n), numeric: true }),
    /** Words, in the CSV as on the page: the CSV an analyst downloads reads as the table they saw. */
    label: (text: string): Cell => ({ raw: text, text, numeric: false }),
    /** A rate of 0..1, four decimals in the CSV; "not yet known" when nothing was sent, in the CSV too. */
    rate: (r: number | null): Cell => ({
      raw: r === null ? t(language, "results.noRate") : Math.round(r * 10_000) / 10_000,
      text: f.percent(r) ?? t(language, "results.noRate"),
      numeric: true,
    }),
    /** A difference of rates in percentage points, one decimal, as the results page writes a lift. */
    points: (d: number): Cell => ({
      raw: Math.round(d * 1000) / 10,
      text: t(language, "results.liftValue", { lift: f.points(d) }),
      numeric: true,
    }),
  };
};

/**
 * Campaigns side by side: one column per campaign, one row per measure. A lift too small to
 * measure says why in the results page's words, and its interval is left empty.
 */
export function comparisonTable(language: Language, campaigns: Compared[]): Table<"compare"> {
  const { f, count, label, rate, points } = cellsOf(language);
  const say = (key: ConsoleCopyKey) => t(language, key);
  const none: Cell = { raw: "", text: "–", numeric: true };
  const measures: [string, (c: Compared) => Cell][] = [
    [say("results.product"), (c) => label(productName(language, c.productCode))],
    [say("results.status"), (c) => label(t(language, `status.${c.status}`))],
    [say("results.launched"), (c) => label(f.dateTime(c.launchedAt))],
    [say("analysis.compare.treated"), (c) => count(c.stats.targeted)],
    [say("analysis.compare.control"), (c) => count(c.stats.control)],
    [say("results.col.sent"), (c) => count(c.stats.sent)],
    [say("results.clickRate"), (c) => rate(c.stats.rates.clickRate)],
    [say("results.responseRate"), (c) => rate(c.stats.rates.responseRate)],
    [say("results.conversionTreated"), (c) => rate(c.stats.rates.conversionRate)],
    [say("results.conversionControl"), (c) => rate(c.stats.rates.controlConversionRate)],
    [
      say("results.lift"),
      (c) => (c.lift.kind === "measured" ? points(c.lift.lift) : label(liftTooSmallWords(language, c.lift))),
    ],
    [say("analysis.compare.liftLow"), (c) => (c.lift.kind === "measured" ? points(c.lift.low) : none)],
    [say("analysis.compare.liftHigh"), (c) => (c.lift.kind === "measured" ? points(c.lift.high) : none)],
  ];
  return {
    id: "compare",
    title: say("analysis.compare.tableTitle"),
    caption: say("analysis.compare.caption"),
    columns: [say("analysis.compare.measure"), ...campaigns.map((c) => c.name)],
    rows: measures.map(([name, cell]) => [label(name), ...campaigns.map(cell)]),
  };
}

/** The data-quality report's tables: customers by type, completeness, invalid and shared addresses, stale records. */
export function dataQualityTables(language: Language, report: DataQualityReport): Table<DqTableId>[] {
  const { f, count, label } = cellsOf(language);
  const say = (key: ConsoleCopyKey, params?: Record<string, string | number>) => t(language, key, params);
  /** The report's percentage (floored to 0.1) as a share of 0..1, like every rate in the console's CSVs. */
  const percent = (p: number): Cell => ({
    raw: Math.round(p * 10) / 1000,
    text: f.percent(p / 100) ?? "",
    numeric: true,
  });
  const customer = (id: string) => label(id);
  return [
    {
      id: "customers",
      title: say("analysis.dq.customers"),
      caption: say("analysis.dq.customersCaption"),
      columns: [say("analysis.dq.col.type"), say("results.col.customers")],
      rows: Object.entries(report.customers.byType).map(([type, n]) => [
        label(say(`analysis.dq.type.${type}` as ConsoleCopyKey)),
        count(n),
      ]),
    },
    {
      id: "completeness",
      title: say("analysis.dq.completeness"),
      caption: say("analysis.dq.completenessCaption"),
      columns: [
        say("analysis.dq.col.field"),
        say("analysis.dq.col.present"),
        say("analysis.dq.col.missing"),
        say("analysis.dq.col.complete"),
      ],
      rows: Object.entries(report.completeness).map(([field, c]) => [
        label(say(`analysis.dq.field.${field}` as ConsoleCopyKey)),
        count(c.present),
        count(c.missing),
        percent(c.percent),
      ]),
    },
    {
      id: "invalid",
      title: say("analysis.dq.invalid"),
      caption: say("analysis.dq.invalidCaption"),
      columns: [say("analysis.dq.col.customer"), say("analysis.dq.col.reason")],
      rows: report.invalidContacts.list.map((e) => [
        customer(e.customerId),
        label(say(`analysis.dq.reason.${e.reason}`)),
      ]),
    },
    {
      id: "shared",
      title: say("analysis.dq.shared"),
      caption: say("analysis.dq.sharedCaption"),
      columns: [
        say("analysis.dq.col.contact"),
        say("analysis.dq.col.channel"),
        say("analysis.dq.col.count"),
        say("analysis.dq.col.sharedBy"),
      ],
      rows: report.duplicateContacts.list.map((d) => [
        label(d.contact),
        label(say(`analysis.dq.channel.${d.channel}`)),
        count(d.customerIds.length),
        label(d.customerIds.join(", ")),
      ]),
    },
    {
      id: "stale",
      title: say("analysis.dq.stale"),
      caption: say("analysis.dq.staleCaption", { date: f.dateTime(report.stale.updatedBefore) }),
      columns: [say("analysis.dq.col.customer")],
      rows: report.stale.customerIds.map((id) => [customer(id)]),
    },
  ];
}
