import { describe, expect, it } from "vitest";
import { consented, nextConsent, refusedCategory, withdrawn } from "../../shared/customers/consent.js";
import { CustomerRow, profileFromRow } from "../../shared/customers/import/customer-row.js";
import { suppressionFor } from "../../shared/delivery/decide.js";
import { aCustomer } from "./fixtures.js";

const MARCH = "2025-03-01T00:00:00.000Z";
const JUNE = "2025-06-01T00:00:00.000Z";

describe("nextConsent", () => {
  it("records each stated answer with its source and time", () => {
    const consent = nextConsent(undefined, {
      channels: { email: true, sms: false },
      categories: { asset: false },
      source: "branch form",
      at: MARCH,
    });

    expect(consent).toEqual({
      channels: {
        email: { granted: true, source: "branch form", at: MARCH },
        sms: { granted: false, source: "branch form", at: MARCH },
      },
      categories: { asset: { granted: false, source: "branch form", at: MARCH } },
    });
  });

  it("keeps the proof of an answer restated unchanged, and replaces a changed one", () => {
    const march = nextConsent(undefined, {
      channels: { email: true, sms: false },
      categories: {},
      source: "branch form",
      at: MARCH,
    });
    const june = nextConsent(march, {
      channels: { email: true, sms: true },
      categories: {},
      source: "import",
      at: JUNE,
    });

    expect(june.channels.email).toEqual({ granted: true, source: "branch form", at: MARCH });
    expect(june.channels.sms).toEqual({ granted: true, source: "import", at: JUNE });
  });

  it("leaves an answer the row does not give as it was", () => {
    const march = nextConsent(undefined, {
      channels: { phone: true },
      categories: { liability: true },
      source: "call centre",
      at: MARCH,
    });
    const june = nextConsent(march, {
      channels: { email: false, phone: undefined },
      categories: {},
      source: "import",
      at: JUNE,
    });

    expect(june.channels.phone).toEqual({ granted: true, source: "call centre", at: MARCH });
    expect(june.categories.liability).toEqual({ granted: true, source: "call centre", at: MARCH });
  });

  it("withdraws a channel with the proof of where", () => {
    const consent = withdrawn(
      nextConsent(undefined, { channels: { email: true }, categories: {}, source: "import", at: MARCH }),
      "email",
      "unsubscribe link",
      JUNE,
    );

    expect(consent.channels.email).toEqual({ granted: false, source: "unsubscribe link", at: JUNE });
  });

  it("treats no answer as no for a channel, and only a refusal as closing a category", () => {
    const consent = nextConsent(undefined, {
      channels: { email: true },
      categories: { asset: false },
      source: "import",
      at: MARCH,
    });

    expect(consented(consent, "email")).toBe(true);
    expect(consented(consent, "sms")).toBe(false);
    expect(refusedCategory(consent, "asset")).toBe(true);
    expect(refusedCategory(consent, "liability")).toBe(false);
  });
});

describe("consent, language, time zone and risk tolerance from an import row", () => {
  const base = { customerId: "C1", type: "individual", name: "Ann", aum: "100", region: "Jilin", emailConsent: "true" };

  it("reads the optional columns, with zh-CN and Asia/Shanghai as defaults", () => {
    const plain = profileFromRow(CustomerRow.parse(base));
    const full = profileFromRow(
      CustomerRow.parse({
        ...base,
        smsConsent: "no",
        assetConsent: "false",
        consentSource: "branch form",
        consentAt: "2025-03-01",
        language: "en",
        timeZone: "Europe/London",
        riskTolerance: "C2",
      }),
    );

    expect(plain).toMatchObject({
      language: "zh-CN",
      timeZone: "Asia/Shanghai",
      statedConsent: { channels: { email: true }, source: "import" },
    });
    expect(full).toMatchObject({
      language: "en",
      timeZone: "Europe/London",
      riskTolerance: "C2",
      statedConsent: {
        channels: { email: true, sms: false },
        categories: { asset: false },
        source: "branch form",
        at: MARCH,
      },
    });
  });

  it.each([
    ["consentAt", { consentAt: "01/03/2025" }, "consentAt must be a date"],
    ["timeZone", { timeZone: "Beijing" }, "IANA time zone"],
    ["language", { language: "fr" }, "language must be zh-CN or en"],
    ["riskTolerance", { riskTolerance: "C9" }, "riskTolerance must be one of"],
    ["smsConsent", { smsConsent: "maybe" }, "smsConsent must be true or false"],
  ])("rejects a bad %s with its own reason", (_, change, reason) => {
    const result = CustomerRow.safeParse({ ...base, ...change });

    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.message).join("; ")).toContain(reason);
  });
});

describe("suppression by consent and suitability", () => {
  const creditCard = { offer: { productCode: "CREDIT_CARD" as const } };
  const fund = { offer: { productCode: "WEALTH_FUND" as const } };

  it("holds back an offer in a product category the customer refused", () => {
    const refusedCards = aCustomer({
      consent: nextConsent(undefined, {
        channels: { email: true },
        categories: { intermediary: false },
        source: "import",
        at: MARCH,
      }),
    });

    expect(suppressionFor(refusedCards, creditCard)).toBe("category_refused");
    expect(suppressionFor(refusedCards, fund)).toBeNull(); // a liability product
  });

  it("holds back a product riskier than the customer's assessed tolerance, not one within it", () => {
    expect(suppressionFor(aCustomer({ riskTolerance: "C2" }), fund)).toBe("above_risk_tolerance"); // R3 > C2
    expect(suppressionFor(aCustomer({ riskTolerance: "C3" }), fund)).toBeNull();
    expect(suppressionFor(aCustomer({ riskTolerance: undefined }), fund)).toBeNull();
  });
});

describe("the consented rule", () => {
  it("selects customers who said yes to a channel or category", async () => {
    const { matches, SegmentRule } = await import("../../shared/segments/rule.js");
    const smsYes = aCustomer({
      customerId: "SMS",
      consent: nextConsent(undefined, {
        channels: { email: true, sms: true },
        categories: { asset: true },
        source: "import",
        at: MARCH,
      }),
    });
    const smsNo = aCustomer({
      customerId: "NO",
      consent: nextConsent(undefined, {
        channels: { email: true, sms: false },
        categories: {},
        source: "import",
        at: MARCH,
      }),
    });
    const who = (rule: unknown) =>
      [smsYes, smsNo].filter((c) => matches(SegmentRule.parse(rule), c)).map((c) => c.customerId);

    expect(who({ consented: "sms" })).toEqual(["SMS"]);
    expect(who({ consented: "asset" })).toEqual(["SMS"]);
    expect(who({ not: { consented: "sms" } })).toEqual(["NO"]);
    expect(SegmentRule.safeParse({ consented: "fax" }).success).toBe(false);
  });
});
