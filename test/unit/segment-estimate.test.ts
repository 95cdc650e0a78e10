import { describe, expect, it } from "vitest";
import type { Actor } from "../../shared/kernel/actor.js";
import { previewRule } from "../../shared/segments/preview-rule.js";
import { aCustomer } from "./fixtures.js";
import { hashedBase } from "./hashed-base.js";
import { platformWith } from "./platform.js";

const MARKETER: Actor = { name: "mei", role: "marketer" };
const BOUND = 500;

/** 5,000 customers, every third in Tonghua, every tenth of those affluent: ten times the bound. */
const LARGE = Array.from({ length: 5_000 }, (_, i) =>
  aCustomer({
    customerId: `C-${i}`,
    region: i % 3 === 0 ? "Tonghua" : "Jilin",
    tier: i % 30 === 0 ? "affluent" : "mass_affluent",
    email: `c${i}@example.cn`,
  }),
);
const TONGHUA = { attr: "region", op: "eq", value: "Tonghua" } as const;

/** The estimate may be this far (relative) from the truth: 500 of 5,000 read, a 33% share. */
const TOLERANCE = 0.15;

describe("the live count of a base larger than SYNC_COUNT_MAX_CUSTOMERS", () => {
  it("reads at most the bound and says its count is an estimate from that share of the base", async () => {
    // prepare
    const base = hashedBase(LARGE);
    const p = platformWith({ customers: base, settings: { syncCountMaxCustomers: BOUND } });
    // act
    const preview = await previewRule(p, TONGHUA, MARKETER);
    // assess
    expect(base.reads).toBeLessThanOrEqual(BOUND);
    expect(preview.exact).toBe(false);
    expect(preview.basedOn).toEqual({ customersRead: base.reads, customersInBase: 5_000, share: base.reads / 5_000 });
    const truth = LARGE.filter((c) => c.region === "Tonghua").length;
    expect(Math.abs(preview.count - truth) / truth).toBeLessThan(TOLERANCE);
    expect(Math.abs(preview.byRegion.Tonghua - truth) / truth).toBeLessThan(TOLERANCE);
  });

  it("scales the held back and the tiers in the same way", async () => {
    // prepare
    const bounced = new Set(LARGE.filter((_, i) => i % 6 === 0).map((c) => c.email as string));
    const p = platformWith({
      customers: hashedBase(LARGE),
      suppressions: {
        suppressedAmong: async (addresses: string[]) => new Set(addresses.filter((a) => bounced.has(a))),
      },
      settings: { syncCountMaxCustomers: BOUND },
    });
    // act
    const preview = await previewRule(p, TONGHUA, MARKETER);
    // assess: every other Tonghua customer bounced (i % 6 === 0), 1 in 10 of them affluent
    const truth = LARGE.filter((c) => c.region === "Tonghua").length;
    expect(Math.abs(preview.heldBack.addressBounced - truth / 2) / (truth / 2)).toBeLessThan(TOLERANCE * 2);
    expect(preview.heldBack.total).toBe(preview.heldBack.addressBounced);
    expect(Math.abs(preview.byTier.affluent - truth / 10) / (truth / 10)).toBeLessThan(TOLERANCE * 3);
  });

  it("counts a base within the bound exactly, reading it once", async () => {
    // prepare
    const small = LARGE.slice(0, 400);
    const base = hashedBase(small);
    const p = platformWith({ customers: base, settings: { syncCountMaxCustomers: BOUND } });
    // act
    const preview = await previewRule(p, TONGHUA, MARKETER);
    // assess
    expect(preview.exact).toBe(true);
    expect(preview.count).toBe(small.filter((c) => c.region === "Tonghua").length);
    expect(preview.basedOn).toEqual({ customersRead: 400, customersInBase: 400, share: 1 });
    expect(base.reads).toBe(400);
  });

  it("holds back a member whose address is on the bounce list, as the launch would (address_bounced)", async () => {
    // prepare
    const customers = [
      aCustomer({ customerId: "C-1", region: "Tonghua", email: "Bounced@Example.cn" }),
      aCustomer({ customerId: "C-2", region: "Tonghua", email: "fine@example.cn" }),
      aCustomer({ customerId: "C-3", region: "Tonghua", emailConsent: false, email: "bounced@example.cn" }),
    ];
    const asked: string[][] = [];
    const p = platformWith({
      customers: hashedBase(customers),
      suppressions: {
        suppressedAmong: async (addresses: string[]) => {
          asked.push(addresses);
          return new Set(addresses.filter((a) => a === "bounced@example.cn"));
        },
      },
    });
    // act
    const preview = await previewRule(p, TONGHUA, MARKETER);
    // assess: the one without consent is held back for that first, as suppressionFor decides
    expect(preview.heldBack).toMatchObject({ total: 2, noEmailConsent: 1, addressBounced: 1 });
    expect(asked.flat().sort()).toEqual(["bounced@example.cn", "fine@example.cn"]);
  });
});
