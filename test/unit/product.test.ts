import { describe, expect, it } from "vitest";
import { suppressionFor } from "../../shared/delivery/decide.js";
import {
  categoryOf,
  PRODUCT_CATALOGUE,
  PRODUCT_NAMES,
  ProductCode,
  productCatalogue,
} from "../../shared/kernel/products.js";
import { aCustomer } from "./fixtures.js";

describe("the product catalogue", () => {
  it("groups products as the bank does: deposits and funds are liabilities, loans assets, cards and settlement intermediary", () => {
    expect(categoryOf("DEPOSIT_TIME")).toBe("liability");
    expect(categoryOf("WEALTH_FUND")).toBe("liability");
    expect(categoryOf("MORTGAGE")).toBe("asset");
    expect(categoryOf("REVOLVING_CREDIT")).toBe("asset");
    expect(categoryOf("CREDIT_CARD")).toBe("intermediary");
    expect(categoryOf("SETTLEMENT")).toBe("intermediary");
  });

  it("names every product in Chinese and English, with a risk level", () => {
    for (const product of productCatalogue()) {
      expect(product.nameZh).toMatch(/\p{Script=Han}/u);
      expect(product.nameEn.length).toBeGreaterThan(0);
      expect(product.riskLevel).toMatch(/^R[1-5]$/);
      expect(PRODUCT_NAMES[product.code]).toBe(product.nameEn);
    }
  });

  it("rejects an unknown code, listing the known ones", () => {
    const result = ProductCode.safeParse("GOLD_BAR");

    expect(result.success).toBe(false);
    expect(result.error?.issues[0].message).toContain("unknown product code 'GOLD_BAR'");
    expect(result.error?.issues[0].message).toContain("WEALTH_FUND");
  });
});

describe("minimum tier", () => {
  const offerFund = { offer: { productCode: "WEALTH_FUND" as const } };

  it("suppresses an individual below the product's minimum tier", () => {
    expect(PRODUCT_CATALOGUE.WEALTH_FUND.minimumTier).toBe("mass_affluent");
    expect(suppressionFor(aCustomer({ aum: 10_000, tier: "mass" }), offerFund)).toBe("below_minimum_tier");
  });

  it("offers it at the minimum tier and above", () => {
    expect(suppressionFor(aCustomer({ tier: "mass_affluent" }), offerFund)).toBeNull();
    expect(suppressionFor(aCustomer({ tier: "high_net_worth" }), offerFund)).toBeNull();
  });

  it("does not apply AUM tiers to corporate clients", () => {
    expect(suppressionFor(aCustomer({ type: "corporate", tier: null }), offerFund)).toBeNull();
  });

  it("reports consent before tier: the first reason that applies is the one recorded", () => {
    expect(suppressionFor(aCustomer({ tier: "mass", emailConsent: false }), offerFund)).toBe("no_email_consent");
  });
});
