import { z } from "zod";
import type { LifecycleSettings } from "../kernel/settings.js";
import { Tier } from "../kernel/tiers.js";
import { DAY_MS } from "../kernel/time.js";

/**
 * What a customer's record remembers of its own past: the tiers it moved through and the AUM
 * each import reported. Both are bounded, so an item never outgrows DynamoDB's 400 KB: a tier
 * move or a balance two years old no longer drives a campaign.
 */
export const HISTORY_LIMIT = 24;

export const TierChange = z.object({ tier: Tier, since: z.iso.datetime() });
export type TierChange = z.infer<typeof TierChange>;

export const AumSnapshot = z.object({ aum: z.number().nonnegative(), at: z.iso.datetime() });
export type AumSnapshot = z.infer<typeof AumSnapshot>;

export type CustomerHistory = { tierHistory: TierChange[]; aumHistory: AumSnapshot[] };

const bounded = <T>(items: T[]) => items.slice(-HISTORY_LIMIT);

/**
 * The history after an import saw `aum` and `tier`: a tier entry when the tier is new or
 * moved, an AUM snapshot when the balance is new or changed. Corporate clients have no tier.
 */
export function nextHistory(
  before: Partial<CustomerHistory> | undefined,
  current: { aum: number; tier: Tier | null },
  now: string,
): CustomerHistory {
  const tierHistory = before?.tierHistory ?? [];
  const aumHistory = before?.aumHistory ?? [];
  const lastTier = tierHistory.at(-1)?.tier;
  const lastAum = aumHistory.at(-1)?.aum;
  return {
    tierHistory:
      current.tier !== null && current.tier !== lastTier
        ? bounded([...tierHistory, { tier: current.tier, since: now }])
        : tierHistory,
    aumHistory: current.aum !== lastAum ? bounded([...aumHistory, { aum: current.aum, at: now }]) : aumHistory,
  };
}

// --- tier moves -----------------------------------------------------------------------------

export const TierDirection = z.enum(["up", "down", "any"]);
export type TierDirection = z.infer<typeof TierDirection>;

export type TierMove = { from: Tier; to: Tier; at: string; direction: "up" | "down" };

/** The latest move between tiers; the first tier a customer is given is no move. */
export function lastTierMove(tierHistory: TierChange[]): TierMove | null {
  if (tierHistory.length < 2) return null;
  const [previous, latest] = tierHistory.slice(-2);
  const rank = (tier: Tier) => Tier.options.indexOf(tier);
  return {
    from: previous.tier,
    to: latest.tier,
    at: latest.since,
    direction: rank(latest.tier) > rank(previous.tier) ? "up" : "down",
  };
}

/** Whether the customer moved tier (in that direction) within `days` days before `at`. */
export function movedTierWithin(tierHistory: TierChange[], direction: TierDirection, days: number, at: Date): boolean {
  const move = lastTierMove(tierHistory);
  if (!move || (direction !== "any" && move.direction !== direction)) return false;
  const age = at.getTime() - Date.parse(move.at);
  return age >= 0 && age <= days * DAY_MS;
}

// --- lifecycle ------------------------------------------------------------------------------

export const LifecycleStage = z.enum(["growth", "mature", "declining"]);
export type LifecycleStage = z.infer<typeof LifecycleStage>;

/**
 * The bank's lifecycle stages (mature, growth, declining), read from the AUM trend: over
 * `windowDays`, a change of `changePercent` or more is a trend.
 */
export const DEFAULT_LIFECYCLE: LifecycleSettings = { windowDays: 90, changePercent: 10 };

/**
 * The lifecycle stage, from the AUM trend:
 * - the baseline is the latest balance reported at least `windowDays` before `at`;
 * - up by `changePercent` or more since then: `growth`; down by as much: `declining`;
 *   in between: `mature` (a steady balance);
 * - no balance that old: `null`, the customer is too new to have a trend.
 * Rising from a zero baseline is growth.
 */
export function lifecycleStage(
  aumHistory: AumSnapshot[],
  at: Date,
  settings: LifecycleSettings = DEFAULT_LIFECYCLE,
): LifecycleStage | null {
  const current = aumHistory.at(-1);
  if (!current) return null;
  const cutoff = at.getTime() - settings.windowDays * DAY_MS;
  const baseline = aumHistory.findLast((snapshot) => Date.parse(snapshot.at) <= cutoff);
  if (!baseline) return null;
  if (baseline.aum === 0) return current.aum > 0 ? "growth" : "mature";
  const changePercent = ((current.aum - baseline.aum) / baseline.aum) * 100;
  if (changePercent >= settings.changePercent) return "growth";
  if (changePercent <= -settings.changePercent) return "declining";
  return "mature";
}
