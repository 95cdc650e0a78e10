import { describe, expect, it } from "vitest";
import { liftOf, newcombeInterval, wilsonInterval } from "../../shared/delivery/lift.js";

/**
 * Known values from Newcombe, "Interval estimation for the difference between independent
 * proportions" (Statistics in Medicine, 1998), Table II, method 10 (hybrid score), and
 * Wilson's interval for 0 of 10 and 1 of 29 (Newcombe 1998a, Table I).
 */
describe("the lift's 95% confidence interval (Newcombe's hybrid score)", () => {
  it.each([
    [56, 70, 48, 80, 0.0524, 0.3339],
    [9, 10, 3, 10, 0.1705, 0.809],
    [5, 56, 0, 29, -0.0381, 0.1926],
    [0, 10, 0, 20, -0.1611, 0.2775],
    [10, 10, 0, 20, 0.6791, 1.0],
  ])("%i/%i minus %i/%i is %f to %f", (x1, n1, x2, n2, low, high) => {
    // act
    const interval = newcombeInterval({ converted: x1, size: n1 }, { converted: x2, size: n2 });
    // assess
    expect(interval.low).toBeCloseTo(low, 4);
    expect(interval.high).toBeCloseTo(high, 4);
  });

  it("builds on Wilson's score interval for each group", () => {
    // act / assess
    expect(wilsonInterval(0, 10).low).toBe(0);
    expect(wilsonInterval(0, 10).high).toBeCloseTo(0.2775, 4);
    expect(wilsonInterval(1, 29).low).toBeCloseTo(0.0061, 4);
    expect(wilsonInterval(1, 29).high).toBeCloseTo(0.1718, 4);
  });
});

describe("whether the lift means anything", () => {
  it("measures it for a control group of 30 or more with 5 or more conversions to expect", () => {
    // prepare: 600 treated, 60 converted; 100 control, 5 converted. Pooled rate 65/700, so 9.3 expected in control.
    // act
    const lift = liftOf({ size: 600, converted: 60 }, { size: 100, converted: 5 });
    // assess
    expect(lift).toMatchObject({ kind: "measured", treatedRate: 0.1, controlRate: 0.05 });
    if (lift.kind !== "measured") throw new Error("measured");
    expect(lift.lift).toBeCloseTo(0.05, 10);
    expect(lift.low).toBeLessThan(lift.lift);
    expect(lift.high).toBeGreaterThan(lift.lift);
  });

  it("says the control group is too small below 30 customers, however many convert", () => {
    // prepare: a 10% control of 290 customers: 29
    // act
    const lift = liftOf({ size: 261, converted: 100 }, { size: 29, converted: 10 });
    // assess
    expect(lift).toMatchObject({ kind: "too_small", reason: "control_too_small", controlSize: 29 });
  });

  it("says too few conversions are expected when the control would expect fewer than 5", () => {
    // prepare: 2% converting overall; a control of 200 expects 4
    // act
    const lift = liftOf({ size: 1800, converted: 36 }, { size: 200, converted: 4 });
    // assess
    expect(lift).toMatchObject({ kind: "too_small", reason: "too_few_conversions_expected", controlSize: 200 });
    if (lift.kind !== "too_small") throw new Error("too small");
    expect(lift.expectedControlConversions).toBeCloseTo(4, 10);
  });

  it("measures it once exactly 5 are expected in a control of exactly 30", () => {
    // prepare: pooled rate 1/6 over 180 customers; 30 × 1/6 = 5
    // act / assess
    expect(liftOf({ size: 150, converted: 25 }, { size: 30, converted: 5 }).kind).toBe("measured");
  });

  it("has nothing to measure before anyone was targeted", () => {
    // act / assess
    expect(liftOf({ size: 0, converted: 0 }, { size: 0, converted: 0 })).toMatchObject({
      kind: "too_small",
      reason: "control_too_small",
    });
  });
});
