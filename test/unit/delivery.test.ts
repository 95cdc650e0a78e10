import { describe, expect, it } from "vitest";
import { decideDelivery, inControlGroup, suppressionFor } from "../../shared/delivery/decide.js";
import { deliveryIdOf, parseDeliveryId } from "../../shared/delivery/delivery.js";
import { InvalidLinkError } from "../../shared/kernel/errors.js";
import type { ProductCode } from "../../shared/kernel/products.js";
import { aCustomer, thrownBy } from "./fixtures.js";

const creditCardOffer = { offer: { productCode: "CREDIT_CARD" as ProductCode } };
const customerIds = (n: number) => Array.from({ length: n }, (_, i) => `C-${String(i).padStart(6, "0")}`);

describe("suppressionFor", () => {
  it("lets through a consenting customer with an address who lacks the product", () => {
    // prepare
    const customer = aCustomer({ products: ["DEPOSIT_CURRENT"] });
    // act
    const reason = suppressionFor(customer, creditCardOffer);
    // assess
    expect(reason).toBeNull();
  });

  it.each([
    [
      "no consent, no address, holds the product",
      { emailConsent: false, email: undefined, products: ["CREDIT_CARD" as const] },
      "no_email_consent",
    ],
    ["no consent only", { emailConsent: false }, "no_email_consent"],
    ["no address, holds the product", { email: undefined, products: ["CREDIT_CARD" as const] }, "no_email_address"],
    ["no address only", { email: undefined }, "no_email_address"],
    [
      "holds the product only",
      { products: ["DEPOSIT_CURRENT" as const, "CREDIT_CARD" as const] },
      "already_holds_product",
    ],
  ])("names the first reason in priority order: %s -> %s", (_, overrides, expected) => {
    // prepare
    const customer = aCustomer(overrides);
    // act
    const reason = suppressionFor(customer, creditCardOffer);
    // assess
    expect(reason).toBe(expected);
  });

  it("treats an empty email address as no address", () => {
    // prepare
    const customer = aCustomer({ email: "" });
    // act
    const reason = suppressionFor(customer, creditCardOffer);
    // assess
    expect(reason).toBe("no_email_address");
  });
});

describe("inControlGroup", () => {
  it("always puts the same campaign and customer in the same group", () => {
    // prepare
    const ids = customerIds(500);
    // act
    const first = ids.map((id) => inControlGroup("camp-1", id, 20));
    const second = ids.map((id) => inControlGroup("camp-1", id, 20));
    // assess
    expect(second).toEqual(first);
    expect(first.some(Boolean)).toBe(true);
  });

  it("puts nobody in control at 0%", () => {
    // prepare
    const ids = customerIds(10_000);
    // act
    const inControl = ids.filter((id) => inControlGroup("camp-1", id, 0));
    // assess
    expect(inControl).toEqual([]);
  });

  it("puts about 10% of 10,000 customers in control at 10%", () => {
    // prepare
    const ids = customerIds(10_000);
    // act
    const share = ids.filter((id) => inControlGroup("camp-1", id, 10)).length / ids.length;
    // assess
    expect(share).toBeGreaterThanOrEqual(0.085);
    expect(share).toBeLessThanOrEqual(0.115);
  });

  it("puts about half in control at 50%", () => {
    // prepare
    const ids = customerIds(10_000);
    // act
    const share = ids.filter((id) => inControlGroup("camp-2", id, 50)).length / ids.length;
    // assess
    expect(share).toBeGreaterThanOrEqual(0.47);
    expect(share).toBeLessThanOrEqual(0.53);
  });

  it("keeps everyone in control at 10% also in control at 20% (a larger group only adds people)", () => {
    // prepare
    const ids = customerIds(2_000);
    // act
    const at10 = ids.filter((id) => inControlGroup("camp-1", id, 10));
    const at20 = new Set(ids.filter((id) => inControlGroup("camp-1", id, 20)));
    // assess
    expect(at10.every((id) => at20.has(id))).toBe(true);
    expect(at20.size).toBeGreaterThan(at10.length);
  });

  it("draws a different control group for another campaign", () => {
    // prepare
    const ids = customerIds(2_000);
    // act
    const a = ids.filter((id) => inControlGroup("camp-A", id, 10));
    const b = ids.filter((id) => inControlGroup("camp-B", id, 10));
    // assess
    expect(b).not.toEqual(a);
  });
});

describe("decideDelivery", () => {
  const campaign = { campaignId: "camp-1", controlGroupPercent: 50, ...creditCardOffer };
  const ids = customerIds(200);
  const controlId = ids.find((id) => inControlGroup("camp-1", id, 50))!;
  const treatedId = ids.find((id) => !inControlGroup("camp-1", id, 50))!;

  it("queues a reachable customer outside the control group", () => {
    // prepare
    const customer = aCustomer({ customerId: treatedId });
    // act
    const decision = decideDelivery(customer, campaign);
    // assess
    expect(decision).toEqual({ customerId: treatedId, status: "queued" });
  });

  it("holds back a reachable customer drawn into the control group", () => {
    // prepare
    const customer = aCustomer({ customerId: controlId });
    // act
    const decision = decideDelivery(customer, campaign);
    // assess
    expect(decision).toEqual({ customerId: controlId, status: "control" });
  });

  it("suppresses before the control draw: an unreachable control-draw customer is suppressed, not control", () => {
    // prepare
    const customer = aCustomer({ customerId: controlId, emailConsent: false });
    // act
    const decision = decideDelivery(customer, campaign);
    // assess
    expect(decision).toEqual({ customerId: controlId, status: "suppressed", reason: "no_email_consent" });
  });

  it("suppresses a customer who already holds the offered product", () => {
    // prepare
    const customer = aCustomer({ customerId: treatedId, products: ["CREDIT_CARD"] });
    // act
    const decision = decideDelivery(customer, campaign);
    // assess
    expect(decision).toEqual({ customerId: treatedId, status: "suppressed", reason: "already_holds_product" });
  });

  it("queues everyone reachable when the control group is 0%", () => {
    // prepare
    const customer = aCustomer({ customerId: controlId });
    // act
    const decision = decideDelivery(customer, { ...campaign, controlGroupPercent: 0 });
    // assess
    expect(decision.status).toBe("queued");
  });
});

describe("deliveryIdOf / parseDeliveryId", () => {
  it.each([
    ["camp-1", "C-0001"],
    ["3f2b9c1e-8a7d-4e1a-9c3b-2d5e6f7a8b9c", "CUST_42"],
  ])("round-trips campaign %s and customer %s", (campaignId, customerId) => {
    // prepare
    const deliveryId = deliveryIdOf(campaignId, customerId);
    // act
    const parsed = parseDeliveryId(deliveryId);
    // assess
    expect(parsed).toEqual({ campaignId, customerId });
  });

  it.each([["nodot"], [""], [".C-1"], ["camp-1."], ["."]])("refuses %j with InvalidLinkError", (deliveryId) => {
    // prepare / act
    const error = thrownBy(() => parseDeliveryId(deliveryId));
    // assess
    expect(error).toBeInstanceOf(InvalidLinkError);
  });
});
