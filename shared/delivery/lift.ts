/**
 * The lift of a campaign (treated conversion rate minus control conversion rate) with its 95%
 * confidence interval, by Newcombe's hybrid score method (Newcombe 1998, method 10): each rate
 * gets its Wilson score interval, and the two are combined. Unlike the Wald interval
 * (d ± 1.96·SE), it stays inside [-1, 1], does not collapse to a width of zero when a group has
 * no conversion at all, and keeps close to 95% coverage for the small rates and groups of a
 * control group (a few percent of a few hundred customers), where Wald's coverage falls well short.
 */
export const Z_95 = 1.959963984540054;

/** A group's size and how many of it converted. */
export type Group = { size: number; converted: number };

/** Below either, the lift says nothing worth reading (liftOf's `tooSmall`). */
export const MIN_CONTROL_SIZE = 30;
export const MIN_EXPECTED_CONTROL_CONVERSIONS = 5;

/** Wilson's score interval for a proportion x/n. */
export function wilsonInterval(converted: number, size: number, z = Z_95): { low: number; high: number } {
  if (size === 0) return { low: 0, high: 1 };
  const p = converted / size;
  const z2 = z * z;
  const denominator = 1 + z2 / size;
  const centre = (p + z2 / (2 * size)) / denominator;
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / size + z2 / (4 * size * size));
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/** Newcombe's hybrid score interval for p1 − p2 (method 10). */
export function newcombeInterval(treated: Group, control: Group, z = Z_95): { low: number; high: number } {
  const p1 = treated.converted / treated.size;
  const p2 = control.converted / control.size;
  const w1 = wilsonInterval(treated.converted, treated.size, z);
  const w2 = wilsonInterval(control.converted, control.size, z);
  const d = p1 - p2;
  return {
    low: d - Math.sqrt((p1 - w1.low) ** 2 + (w2.high - p2) ** 2),
    high: d + Math.sqrt((w1.high - p1) ** 2 + (p2 - w2.low) ** 2),
  };
}

/** Why a lift is not shown: too few in the control group, or too few conversions to expect in it. */
export type TooSmall = "control_too_small" | "too_few_conversions_expected";

export type Lift =
  | { kind: "measured"; lift: number; low: number; high: number; treatedRate: number; controlRate: number }
  | { kind: "too_small"; reason: TooSmall; controlSize: number; expectedControlConversions: number };

/**
 * The lift with its interval, or why it means nothing yet. Too small: a control group of fewer
 * than MIN_CONTROL_SIZE customers, or fewer than MIN_EXPECTED_CONTROL_CONVERSIONS conversions to
 * expect in it at the campaign's overall conversion rate (the usual rule of thumb for the normal
 * approximations behind any such interval; a 10% control of 100 customers at a 2% rate expects
 * 0.2 conversions, and its interval would span the whole plausible range).
 */
export function liftOf(treated: Group, control: Group): Lift {
  const total = treated.size + control.size;
  const pooledRate = total === 0 ? 0 : (treated.converted + control.converted) / total;
  const expectedControlConversions = control.size * pooledRate;
  if (control.size < MIN_CONTROL_SIZE || treated.size === 0)
    return { kind: "too_small", reason: "control_too_small", controlSize: control.size, expectedControlConversions };
  if (expectedControlConversions < MIN_EXPECTED_CONTROL_CONVERSIONS)
    return {
      kind: "too_small",
      reason: "too_few_conversions_expected",
      controlSize: control.size,
      expectedControlConversions,
    };
  const treatedRate = treated.converted / treated.size;
  const controlRate = control.converted / control.size;
  return {
    kind: "measured",
    lift: treatedRate - controlRate,
    ...newcombeInterval(treated, control),
    treatedRate,
    controlRate,
  };
}
