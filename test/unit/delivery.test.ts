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

describe("a customer who answered 'not now' (the promise the page after the answer makes)", () => {
  const LAUNCH = new Date("2026-12-01T09:00:00.000Z");
  const daysBefore = (days: number) => new Date(LAUNCH.getTime() - days * 86_400_000).toISOString();
  const notNow = (productCode: ProductCode, at: string) => ({
    "cmp-earlier": { answer: "not_now" as const, at, productCode },
  });
  const campaign = { campaignId: "camp-2", controlGroupPercent: 0, ...creditCardOffer };

  it("is held back as asked_not_now from a campaign offering the same product within NOT_NOW_QUIET_DAYS", () => {
    // prepare
    const customer = aCustomer({ answers: notNow("CREDIT_CARD", daysBefore(89)) });
    // act
    const decision = decideDelivery(customer, campaign, undefined, LAUNCH);
    // assess
    expect(decision).toEqual({ customerId: customer.customerId, status: "suppressed", reason: "asked_not_now" });
  });

  it("counts the 90th day as still within the promise", () => {
    const customer = aCustomer({ answers: notNow("CREDIT_CARD", daysBefore(90)) });

    expect(suppressionFor(customer, creditCardOffer, undefined, LAUNCH)).toBe("asked_not_now");
  });

  it.each([
    ["after the quiet days are over", notNow("CREDIT_CARD", daysBefore(91))],
    ["about another product", notNow("WEALTH_FUND", daysBefore(1))],
    [
      "with another answer",
      { "cmp-earlier": { answer: "interested" as const, at: daysBefore(1), productCode: "CREDIT_CARD" as const } },
    ],
    ["kept before answers named their product", { "cmp-earlier": { answer: "not_now" as const, at: daysBefore(1) } }],
  ])("reaches the customer again when the answer was given %s", (_, answers) => {
    const customer = aCustomer({ answers });

    expect(decideDelivery(customer, campaign, undefined, LAUNCH).status).toBe("queued");
  });

  it("is judged as of the moment given (the launch), not the clock of the page that runs it", () => {
    const customer = aCustomer({ answers: notNow("CREDIT_CARD", daysBefore(30)) });

    expect(suppressionFor(customer, creditCardOffer, undefined, LAUNCH)).toBe("asked_not_now");
    expect(
      suppressionFor(customer, creditCardOffer, undefined, new Date(LAUNCH.getTime() + 61 * 86_400_000)),
    ).toBeNull();
  });

  it("names the reasons before it first: a customer with no consent is counted under no_email_consent", () => {
    const customer = aCustomer({ emailConsent: false, answers: notNow("CREDIT_CARD", daysBefore(1)) });

    expect(suppressionFor(customer, creditCardOffer, undefined, LAUNCH)).toBe("no_email_consent");
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
