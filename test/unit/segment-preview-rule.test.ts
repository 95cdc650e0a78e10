import { describe, expect, it } from "vitest";
import type { Customer } from "../../shared/customers/customer.js";
import type { CustomerStore, ScanPage } from "../../shared/customers/ports.js";
import type { Actor } from "../../shared/kernel/actor.js";
import { looseForm, previewRule } from "../../shared/segments/preview-rule.js";
import { aCustomer } from "./fixtures.js";
import { platformWith } from "./platform.js";

const MARKETER: Actor = { name: "mei", role: "marketer" };

/** Deals the customers to shards round-robin, one page each. */
const scanned = (rows: Customer[]) =>
  ({
    async scanShard(shard: number, totalShards: number): Promise<ScanPage> {
      return { customers: rows.filter((_, i) => i % totalShards === shard), cursor: undefined };
    },
  }) as unknown as CustomerStore;

const withdrawn = { granted: false, source: "unsubscribe link of campaign c-1", at: "2026-01-01T00:00:00.000Z" };

const CUSTOMERS = [
  aCustomer({ customerId: "C-1", region: "Tonghua", tier: "affluent", language: "en" }),
  aCustomer({ customerId: "C-2", region: "Tonghua", products: ["DEPOSIT_CURRENT", "CREDIT_CARD"] }),
  aCustomer({
    customerId: "C-3",
    region: "Tonghua",
    emailConsent: false,
    consent: { channels: { email: { ...withdrawn, by: "customer" } }, categories: {} },
  }),
  aCustomer({
    customerId: "C-4",
    region: "Tonghua",
    email: undefined,
    relationshipManager: "rm.li",
    relationshipManagerName: "李经理",
  }),
  aCustomer({
    customerId: "C-5",
    region: "Jilin",
    consent: {
      channels: { email: { granted: true, source: "import", at: "2024-01-01T00:00:00.000Z", by: "bank" } },
      categories: { wealth: { ...withdrawn, by: "customer" } },
    },
  }),
];

const platform = () => platformWith({ customers: scanned(CUSTOMERS) });

describe("previewRule", () => {
  it("counts the members by tier, region and language, and who no campaign email could reach", async () => {
    // act
    const preview = await previewRule(platform(), { attr: "region", op: "eq", value: "Tonghua" }, MARKETER);
    // assess
    expect(preview.count).toBe(4);
    expect(preview.byTier).toEqual({ mass_affluent: 3, affluent: 1 });
    expect(preview.byRegion).toEqual({ Tonghua: 4 });
    expect(preview.byLanguage).toEqual({ en: 1, "zh-CN": 3 });
    expect(preview.heldBack).toMatchObject({ total: 2, noEmailConsent: 1, unsubscribed: 1, noEmailAddress: 1 });
    expect(preview.sample.map((m) => m.customerId)).toEqual(["C-1", "C-2", "C-3", "C-4"]);
    expect(preview.sample[0].name).toBe("W*** F***");
    expect(preview.warnings).toEqual([]);
  });

  it("counts a category refusal among the members an email could reach", async () => {
    // act
    const preview = await previewRule(platform(), { attr: "region", op: "eq", value: "Jilin" }, MARKETER);
    // assess
    expect(preview.heldBack.refusedCategory).toEqual({ wealth: 1 });
  });

  it("warns of a region no customer has, naming the one that differs only in case, with its count", async () => {
    // act
    const preview = await previewRule(
      platform(),
      { all: [{ attr: "region", op: "eq", value: "tonghua" }, { holds: "MORTGAGE" }] },
      MARKETER,
    );
    // assess
    expect(preview.count).toBe(0);
    expect(preview.warnings).toEqual([
      expect.objectContaining({
        path: ["all", 0, "value"],
        attr: "region",
        value: "tonghua",
        suggestion: { value: "Tonghua", count: 4 },
        message: "No customer has region 'tonghua'. Did you mean 'Tonghua' (4 customers)?",
      }),
      expect.objectContaining({ path: ["all", 1, "holds"], attr: "product", value: "MORTGAGE" }),
    ]);
    expect(preview.warnings[1].suggestion).toBeUndefined();
  });

  it("offers the regions, relationship managers and products that exist, with counts", async () => {
    // act
    const { values } = await previewRule(platform(), { attr: "tier", op: "eq", value: "mass" }, MARKETER);
    // assess
    expect(values.regions).toEqual([
      { value: "Jilin", count: 1 },
      { value: "Tonghua", count: 4 },
    ]);
    expect(values.relationshipManagers).toEqual([{ value: "rm.li", count: 1, name: "李经理" }]);
    expect(values.products).toEqual([
      { value: "DEPOSIT_CURRENT", count: 5 },
      { value: "CREDIT_CARD", count: 1 },
    ]);
  });

  it("reads case, spacing and accents alike when it looks for a near match", () => {
    expect(looseForm("  Tong  Hua ")).toBe(looseForm("tong hua"));
    expect(looseForm("Zürich")).toBe("zurich");
    expect(looseForm("Siping")).not.toBe(looseForm("Jilin"));
  });
});
