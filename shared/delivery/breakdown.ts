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

/** The row for `key`, made on first use. */
function rowIn<R>(rows: Map<string, R>, key: string, empty: (key: string) => R): R {
  const found = rows.get(key);
  if (found) return found;
  const row = empty(key);
  rows.set(key, row);
  return row;
}

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
 * A campaign's results by the customer's tier and region at the offer, and by day: read from
 * its deliveries page by page (one query of the campaign's partition), so every table adds up
 * to the funnel the counters give. It reads the whole campaign: a few seconds for a hundred
 * thousand deliveries (README, "Benchmarks"); the counters stay the live numbers.
 */
export async function campaignBreakdown(
  p: BreakdownDeps,
  campaignId: string,
  timeZone: string = DEFAULT_TIME_ZONE,
): Promise<CampaignBreakdown> {
  await getCampaign(p, campaignId);
  const byTier = new Map<string, FunnelRow>();
  const byRegion = new Map<string, FunnelRow>();
  const byDay = new Map<string, DayRow>();
  const day = dayIn(timeZone);
  const dayRow = (iso: string) => rowIn(byDay, day(iso), emptyDay);
  const tierRow = (key: string) => rowIn(byTier, key, emptyRow);
  const regionRow = (key: string) => rowIn(byRegion, key, emptyRow);
  let deliveries = 0;
  let unknownProfile = 0;
  for await (const page of p.deliveries.pagesOfCampaign(campaignId)) {
    for (const d of page) {
      deliveries++;
      if (!d.tier || !d.region) unknownProfile++;
      count(tierRow(d.tier ?? UNKNOWN), d);
      count(regionRow(d.region ?? UNKNOWN), d);
      if (d.sentAt && d.status === "sent") dayRow(d.sentAt).sent++;
      if (d.clickedAt) dayRow(d.clickedAt).clicked++;
      if (d.answeredAt) dayRow(d.answeredAt).responded++;
      if (d.convertedAt) dayRow(d.convertedAt)[d.status === "control" ? "controlConverted" : "converted"]++;
    }
  }
  const byKey = (a: FunnelRow, b: FunnelRow) =>
    b.targeted + b.control - (a.targeted + a.control) || a.key.localeCompare(b.key);
  return {
    campaignId,
    timeZone,
    deliveries,
    byTier: [...byTier.values()].sort((a, b) => TIER_ORDER.indexOf(a.key) - TIER_ORDER.indexOf(b.key)),
    byRegion: [...byRegion.values()].sort(byKey),
    byDay: [...byDay.values()].sort((a, b) => a.day.localeCompare(b.day)),
    unknownProfile,
  };
}

/** Highest tier first, as a bank reads its tiers; corporate clients and unknowns after. */
const TIER_ORDER: string[] = [...[...Tier.options].reverse(), "corporate", UNKNOWN];
