import type { Customer } from "../../shared/customers/customer.js";

/** A stored individual customer who may be offered anything; override what a test is about. */
export function aCustomer(overrides: Partial<Customer> = {}): Customer {
  return {
    customerId: "C-0001",
    type: "individual",
    name: "Wang Fang",
    email: "wang.fang@example.cn",
    aum: 120_000,
    tier: "mass_affluent",
    products: ["DEPOSIT_CURRENT"],
    region: "Jilin",
    emailConsent: true,
    consent: {
      channels: { email: { granted: true, source: "import", at: "2024-01-01T00:00:00.000Z", by: "bank" } },
      categories: {},
    },
    language: "zh-CN",
    timeZone: "Asia/Shanghai",
    events: [],
    tierHistory: [{ tier: "mass_affluent", since: "2024-01-01T00:00:00.000Z" }],
    aumHistory: [{ aum: 120_000, at: "2024-01-01T00:00:00.000Z" }],
    createdAt: "2024-01-01T00:00:00.000Z",
    updatedAt: "2024-01-01T00:00:00.000Z",
    ...overrides,
  };
}

/** Runs fn and returns what it threw; fails the test when it throws nothing. */
export function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to throw, but it returned");
}
