import { z } from "zod";

export const Tier = z.enum(["mass", "mass_affluent", "affluent", "high_net_worth"]);
export type Tier = z.infer<typeof Tier>;

/**
 * The bank's tiers by assets under management: lower AUM bounds (CNY) of mass_affluent,
 * affluent and high_net_worth. A boundary value belongs to the higher tier.
 */
export const DEFAULT_TIER_THRESHOLDS = [50_000, 200_000, 3_000_000] as const;
export type TierThresholds = readonly [number, number, number];

/** A boundary value belongs to the higher tier: exactly 50,000 is mass_affluent. */
export function tierFor(aum: number, thresholds: TierThresholds = DEFAULT_TIER_THRESHOLDS): Tier {
  const [massAffluent, affluent, highNetWorth] = thresholds;
  if (aum >= highNetWorth) return "high_net_worth";
  if (aum >= affluent) return "affluent";
  if (aum >= massAffluent) return "mass_affluent";
  return "mass";
}

export const TIER_LABELS: Record<Tier, string> = {
  mass: "Mass",
  mass_affluent: "Mass Affluent",
  affluent: "Affluent",
  high_net_worth: "High Net Worth",
};

/** The bank's own names for the tiers, for messages written in Chinese. */
export const TIER_LABELS_ZH: Record<Tier, string> = {
  mass: "个人大众客户",
  mass_affluent: "个人大众富裕客户",
  affluent: "个人富裕客户",
  high_net_worth: "个人高端客户",
};
