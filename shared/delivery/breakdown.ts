import type { CampaignReader } from "../campaigns/get-campaign.js";
import { getCampaign } from "../campaigns/get-campaign.js";
import { DEFAULT_TIME_ZONE } from "../customers/customer.js";
import { Tier } from "../kernel/tiers.js";
import type { Delivery } from "./delivery.js";
import type { DeliveryStore } from "./ports.js";

/** One group's funnel: treated and control side by side, counted from the deliveries themselves. */
export type FunnelRow = {
  key: string;
  /** Offered the campaign (sent or not), the control group excluded: the funnel's top, as the stats count it. */
  targeted: number;
  control: number;
  suppressed: number;
  sent: number;
  clicked: number;
  responded: number;
  converted: number;
  controlConverted: number;
};

/** What happened on one day, in the bank's time zone: each event counted on the day it happened. */
export type DayRow = {
  day: string;
  sent: number;
  clicked: number;
  responded: number;
  converted: number;
  controlConverted: number;
};

export type CampaignBreakdown = {
  campaignId: string;
  /** The time zone the days are counted in. */
  timeZone: string;
  /** Deliveries read: equals the stats' targeted + control + suppressed, so each table adds up to the funnel. */
  deliveries: number;
  byTier: FunnelRow[];
  byRegion: FunnelRow[];
  byDay: DayRow[];
  /**
   * Deliveries recorded before tier and region were kept on them (the fan-out has kept them
   * since): they are counted under "unknown" rather than under today's tier, which would
   * rewrite history.
   */
  unknownProfile: number;
};

export type BreakdownDeps = CampaignReader & { deliveries: Pick<DeliveryStore, "pagesOfCampaign"> };

export const UNKNOWN = "unknown";

const emptyRow = (key: string): FunnelRow => ({
  key,
  targeted: 0,
  control: 0,
  suppressed: 0,
  sent: 0,
  clicked: 0,
  responded: 0,
  converted: 0,
  controlConverted: 0,
});

const emptyDay = (day: string): DayRow => ({
  day,
  sent: 0,
  clicked: 0,
  responded: 0,
  converted: 0,
  controlConverted: 0,
});

/** The calendar day of an instant in `timeZone`, as YYYY-MM-DD. */
function dayIn(timeZone: string): (iso: string) => string {
  const format = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
  return (iso) => format.format(new Date(iso));
}

/** Adds one delivery to its group's row. */
function count(row: FunnelRow, d: Delivery) {
  if (d.status === "suppressed") row.suppressed++;
  else if (d.status === "control") row.control++;
  else row.targeted++;
  if (d.status === "sent") row.sent++;
  if (d.clickedAt) row.clicked++;
  if (d.answer) row.responded++;
  if (d.convertedAt) d.status === "control" ? row.controlConverted++ : row.converted++;
}

/**
 * The breakdown's numbers while they are being counted, keyed by tier, region and day: what
 * one page adds (tallyDeliveries), what a breakdown run keeps between pages (breakdown-run.ts),
 * and what breakdownOf turns into the tables. Plain records, so a run can store them as they are.
 */
export type BreakdownTally = {
  deliveries: number;
  unknownProfile: number;
  byTier: Record<string, Omit<FunnelRow, "key">>;
  byRegion: Record<string, Omit<FunnelRow, "key">>;
  byDay: Record<string, Omit<DayRow, "day">>;
};

export const emptyTally = (): BreakdownTally => ({
  deliveries: 0,
  unknownProfile: 0,
  byTier: {},
  byRegion: {},
  byDay: {},
});

/**
 * Where regions past the first MAX_REGION_ROWS are counted: a bank has a few hundred regions at
 * most, so this caps a run's stored tally (DynamoDB's 400 KB item) without touching a real bank.
 */
export const OTHER_REGIONS = "other";
export const MAX_REGION_ROWS = 500;

const rowOf = <R>(rows: Record<string, R>, key: string, empty: () => R): R => {
  rows[key] ??= empty();
  return rows[key];
};
const regionKey = (rows: Record<string, unknown>, key: string) =>
  key in rows || Object.keys(rows).length < MAX_REGION_ROWS ? key : OTHER_REGIONS;

/** Counts deliveries into `tally`, days in `timeZone`: the one place the breakdown's counting rules live. */
export function tallyDeliveries(tally: BreakdownTally, deliveries: Delivery[], timeZone: string): BreakdownTally {
  const day = dayIn(timeZone);
  const funnel = () => {
    const { key: _, ...row } = emptyRow("");
    return row;
  };
  const dayRow = (iso: string) =>
    rowOf(tally.byDay, day(iso), () => {
      const { day: _, ...row } = emptyDay("");
      return row;
    });
  for (const d of deliveries) {
    tally.deliveries++;
    if (!d.tier || !d.region) tally.unknownProfile++;
    count(rowOf(tally.byTier, d.tier ?? UNKNOWN, funnel) as FunnelRow, d);
    count(rowOf(tally.byRegion, regionKey(tally.byRegion, d.region ?? UNKNOWN), funnel) as FunnelRow, d);
    if (d.sentAt && d.status === "sent") dayRow(d.sentAt).sent++;
    if (d.clickedAt) dayRow(d.clickedAt).clicked++;
    if (d.answeredAt) dayRow(d.answeredAt).responded++;
    if (d.convertedAt) dayRow(d.convertedAt)[d.status === "control" ? "controlConverted" : "converted"]++;
  }
  return tally;
}

/** Adds one tally to another (a page's to a run's), regions past the cap under OTHER_REGIONS. */
export function addTally(into: BreakdownTally, page: BreakdownTally): BreakdownTally {
  into.deliveries += page.deliveries;
  into.unknownProfile += page.unknownProfile;
  const add = <R extends Record<string, number>>(rows: Record<string, R>, key: string, row: R) => {
    const target = rowOf(rows, key, () => Object.fromEntries(Object.keys(row).map((k) => [k, 0])) as R);
    for (const [k, n] of Object.entries(row)) (target as Record<string, number>)[k] += n;
  };
  for (const [key, row] of Object.entries(page.byTier)) add(into.byTier, key, row);
  for (const [key, row] of Object.entries(page.byRegion)) add(into.byRegion, regionKey(into.byRegion, key), row);
  for (const [key, row] of Object.entries(page.byDay)) add(into.byDay, key, row);
  return into;
}

/** The tables of a tally: tiers highest first, regions largest first, days in order. */
export function breakdownOf(campaignId: string, timeZone: string, tally: BreakdownTally): CampaignBreakdown {
  const byKey = (a: FunnelRow, b: FunnelRow) =>
    b.targeted + b.control - (a.targeted + a.control) || a.key.localeCompare(b.key);
  return {
    campaignId,
    timeZone,
    deliveries: tally.deliveries,
    byTier: Object.entries(tally.byTier)
      .map(([key, row]) => ({ key, ...row }))
      .sort((a, b) => TIER_ORDER.indexOf(a.key) - TIER_ORDER.indexOf(b.key)),
    byRegion: Object.entries(tally.byRegion)
      .map(([key, row]) => ({ key, ...row }))
      .sort(byKey),
    byDay: Object.entries(tally.byDay)
      .map(([day, row]) => ({ day, ...row }))
      .sort((a, b) => a.day.localeCompare(b.day)),
    unknownProfile: tally.unknownProfile,
  };
}

/**
 * A campaign's results by the customer's tier and region at the offer, and by day: read from
 * its deliveries page by page (one query of the campaign's partition), so every table adds up
 * to the funnel the counters give. It reads the whole campaign: a few seconds for a hundred
 * thousand deliveries (README, "Benchmarks"), so a request calls it only for a campaign within
 * SYNC_BREAKDOWN_MAX_DELIVERIES; a larger one is counted by a breakdown run (breakdown-run.ts).
 */
export async function campaignBreakdown(
  p: BreakdownDeps,
  campaignId: string,
  timeZone: string = DEFAULT_TIME_ZONE,
): Promise<CampaignBreakdown> {
  await getCampaign(p, campaignId);
  const tally = emptyTally();
  for await (const page of p.deliveries.pagesOfCampaign(campaignId)) tallyDeliveries(tally, page, timeZone);
  return breakdownOf(campaignId, timeZone, tally);
}

/** Highest tier first, as a bank reads its tiers; corporate clients and unknowns after. */
const TIER_ORDER: string[] = [...[...Tier.options].reverse(), "corporate", UNKNOWN];
