import type { CampaignBreakdown, DayRow, FunnelRow } from "../../../shared/delivery/breakdown.js";
import { OTHER_REGIONS, UNKNOWN } from "../../../shared/delivery/breakdown.js";
import type { CampaignStats } from "../../../shared/delivery/stats.js";
import type { Language } from "../../../shared/kernel/language.js";
import { TIER_LABELS, TIER_LABELS_ZH, type Tier } from "../../../shared/kernel/tiers.js";
import { type ConsoleCopyKey, t } from "../copy/say.js";
import { formatsFor } from "../format.js";

/**
 * The results page's tables as data: a title, column headings and rows of cells, each cell a
 * raw value (for the CSV) and its text in the reader's language (for the page). One definition
 * serves both, so the CSV an analyst downloads is the table they were looking at.
 */
export type Cell = { raw: string | number; text: string; numeric: boolean };
/** `Id` names the table among its page's: the results page's by default, other pages' their own. */
export type Table<Id extends string = TableId> = {
  id: Id;
  title: string;
  caption: string;
  columns: string[];
  rows: Cell[][];
};

export const TABLE_IDS = ["suppressed", "answers", "tier", "region", "day"] as const;
export type TableId = (typeof TABLE_IDS)[number];

const FUNNEL_COLUMNS = [
  "targeted",
  "control",
  "sent",
  "clicked",
  "responded",
  "converted",
  "controlConverted",
] as const satisfies readonly (keyof FunnelRow)[];
const DAY_COLUMNS = [
  "sent",
  "clicked",
  "responded",
  "converted",
  "controlConverted",
] as const satisfies readonly (keyof DayRow)[];

export function resultTables(language: Language, stats: CampaignStats, breakdown: CampaignBreakdown): Table[] {
  const f = formatsFor(language);
  const say = (key: ConsoleCopyKey, params?: Record<string, string | number>) => t(language, key, params);
  const count = (n: number): Cell => ({ raw: n, text: f.integer(n), numeric: true });
  const label = (raw: string, text: string): Cell => ({ raw, text, numeric: false });
  const rate = (n: number, of: number): Cell => {
    const r = of === 0 ? null : n / of;
    return { raw: r === null ? "" : Math.round(r * 10_000) / 10_000, text: f.percent(r) ?? "–", numeric: true };
  };
  const tierName = (key: string) =>
    key === UNKNOWN
      ? say("results.breakdown.unknown")
      : key === "corporate"
        ? say("results.tier.corporate")
        : ((language === "zh-CN" ? TIER_LABELS_ZH : TIER_LABELS)[key as Tier] ?? key);
  const funnelTable = (id: "tier" | "region", rows: FunnelRow[], name: (key: string) => string): Table => ({
    id,
    title: say(id === "tier" ? "results.breakdown.byTier" : "results.breakdown.byRegion"),
    caption: say(id === "tier" ? "results.breakdown.byTierCaption" : "results.breakdown.byRegionCaption"),
    columns: [
      say(id === "tier" ? "results.col.tier" : "results.col.region"),
      ...FUNNEL_COLUMNS.map((c) => say(`results.col.${c}`)),
      say("results.col.conversionRate"),
      say("results.col.controlConversionRate"),
    ],
    rows: rows.map((row) => [
      label(row.key, name(row.key)),
      ...FUNNEL_COLUMNS.map((c) => count(row[c])),
      rate(row.converted, row.targeted),
      rate(row.controlConverted, row.control),
    ]),
  });
  return [
    {
      id: "suppressed",
      title: say("results.breakdown.suppressed"),
      caption: say("results.breakdown.suppressedCaption"),
      columns: [say("results.col.reason"), say("results.col.customers")],
      rows: Object.entries(stats.suppressed)
        .sort(([, a], [, b]) => (b ?? 0) - (a ?? 0))
        .map(([reason, n]) => [label(reason, say(`results.reason.${reason}` as ConsoleCopyKey)), count(n ?? 0)]),
    },
    {
      id: "answers",
      title: say("results.breakdown.answers"),
      caption: say("results.breakdown.answersCaption"),
      columns: [say("results.col.answer"), say("results.col.customers")],
      rows: Object.entries(stats.responses)
        .filter(([, n]) => n > 0)
        .map(([answer, n]) => [label(answer, say(`results.answer.${answer}` as ConsoleCopyKey)), count(n)]),
    },
    funnelTable("tier", breakdown.byTier, tierName),
    funnelTable("region", breakdown.byRegion, (key) =>
      key === UNKNOWN
        ? say("results.breakdown.unknown")
        : key === OTHER_REGIONS
          ? say("results.breakdown.otherRegions")
          : key,
    ),
    {
      id: "day",
      title: say("results.breakdown.byDay"),
      caption: say("results.breakdown.byDayCaption"),
      columns: [say("results.col.day"), ...DAY_COLUMNS.map((c) => say(`results.col.${c}`))],
      rows: breakdown.byDay.map((row) => [label(row.day, row.day), ...DAY_COLUMNS.map((c) => count(row[c]))]),
    },
  ];
}
