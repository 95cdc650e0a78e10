import { describe, expect, it } from "vitest";
import { PLAYBOOK_SEGMENTS } from "../../shared/segments/playbook.js";
import { matches } from "../../shared/segments/rule.js";
import { NewSegment } from "../../shared/segments/segment.js";
import { aCustomer } from "./fixtures.js";

const rule = (name: string) => {
  const segment = PLAYBOOK_SEGMENTS.find((s) => s.name === name);
  if (!segment) throw new Error(`no playbook segment '${name}'`);
  return NewSegment.parse(segment).rule;
};

const corporate = (products: string[]) => aCustomer({ type: "corporate", tier: null, products: products as never });

describe("the playbook segments", () => {
  it("are all valid segments", () => {
    for (const segment of PLAYBOOK_SEGMENTS) expect(NewSegment.safeParse(segment).success, segment.name).toBe(true);
  });

  it("single-product customers: exactly one product, whatever it is", () => {
    const single = rule("Single-product customers");

    expect(matches(single, aCustomer({ products: ["DEPOSIT_CURRENT"] }))).toBe(true);
    expect(matches(single, corporate(["SETTLEMENT"]))).toBe(true);
    expect(matches(single, aCustomer({ products: ["DEPOSIT_CURRENT", "CREDIT_CARD"] }))).toBe(false);
    expect(matches(single, aCustomer({ products: [] }))).toBe(false);
  });

  it("settlement-only corporates without a loan: no product of the asset category", () => {
    const settlementOnly = rule("Settlement-only corporates without a loan");

    expect(matches(settlementOnly, corporate(["SETTLEMENT"]))).toBe(true);
    expect(matches(settlementOnly, corporate(["SETTLEMENT", "REVOLVING_CREDIT"]))).toBe(false);
    expect(matches(settlementOnly, corporate(["DEPOSIT_CURRENT"]))).toBe(false);
    expect(matches(settlementOnly, aCustomer({ products: ["SETTLEMENT"] }))).toBe(false);
  });

  it("affluent without a wealth product: affluent and above, no wealth fund", () => {
    const affluent = rule("Affluent without a wealth product");

    expect(matches(affluent, aCustomer({ tier: "affluent", products: ["DEPOSIT_CURRENT"] }))).toBe(true);
    expect(matches(affluent, aCustomer({ tier: "high_net_worth", products: ["DEPOSIT_CURRENT"] }))).toBe(true);
    expect(matches(affluent, aCustomer({ tier: "affluent", products: ["DEPOSIT_CURRENT", "WEALTH_FUND"] }))).toBe(
      false,
    );
    expect(matches(affluent, aCustomer({ tier: "mass_affluent", products: ["DEPOSIT_CURRENT"] }))).toBe(false);
  });
});

describe("the playbook's moments", () => {
  const now = new Date("2026-11-23T00:00:00.000Z");
  const daysAgo = (n: number) => new Date(now.getTime() - n * 86_400_000).toISOString();
  const context = { at: now };

  it("moved up a tier in the last 30 days: a recent upward move only", () => {
    const upgraded = rule("Moved up a tier in the last 30 days");
    const history = (moveDaysAgo: number, to: "affluent" | "mass") => ({
      tierHistory: [
        { tier: "mass_affluent" as const, since: daysAgo(400) },
        { tier: to, since: daysAgo(moveDaysAgo) },
      ],
    });

    expect(matches(upgraded, aCustomer(history(10, "affluent")), context)).toBe(true);
    expect(matches(upgraded, aCustomer(history(45, "affluent")), context)).toBe(false);
    expect(matches(upgraded, aCustomer(history(10, "mass")), context)).toBe(false);
  });

  it("declining balances: down 10% or more on the balance of 90 days ago", () => {
    const declining = rule("Declining balances (retention)");
    const balances = (then: number, current: number) => ({
      aumHistory: [
        { aum: then, at: daysAgo(100) },
        { aum: current, at: daysAgo(5) },
      ],
    });

    expect(matches(declining, aCustomer(balances(100_000, 60_000)), context)).toBe(true);
    expect(matches(declining, aCustomer(balances(100_000, 95_000)), context)).toBe(false);
    expect(matches(declining, aCustomer(balances(100_000, 150_000)), context)).toBe(false);
  });
});
