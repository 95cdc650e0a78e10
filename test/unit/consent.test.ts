import { describe, expect, it } from "vitest";
import {
  Consent,
  ConsentRecord,
  consented,
  importedConsent,
  refusedCategory,
  withdrawn,
} from "../../shared/customers/consent.js";
import { CustomerRow, profileFromRow } from "../../shared/customers/import/customer-row.js";
import { suppressionFor } from "../../shared/delivery/decide.js";
import { aCustomer } from "./fixtures.js";

const MARCH = "2025-03-01T00:00:00.000Z";
const JUNE = "2025-06-01T00:00:00.000Z";

/** The consent after an import row, without the answers it kept. */
const consentAfter = (...args: Parameters<typeof importedConsent>) => importedConsent(...args).consent;

describe("importedConsent: the consent after an import row", () => {
  it("records each stated answer with its source and time", () => {
    const consent = consentAfter(undefined, {
      channels: { email: true, sms: false },
      categories: { asset: false },
      source: "branch form",
      at: MARCH,
    });

    expect(consent).toEqual({
      channels: {
        email: { granted: true, source: "branch form", at: MARCH, by: "bank" },
        sms: { granted: false, source: "branch form", at: MARCH, by: "bank" },
      },
      categories: { asset: { granted: false, source: "branch form", at: MARCH, by: "bank" } },
    });
  });

  it("keeps the proof of an answer restated unchanged, and replaces a changed one", () => {
    const march = consentAfter(undefined, {
      channels: { email: true, sms: false },
      categories: {},
      source: "branch form",
      at: MARCH,
    });
    const june = consentAfter(march, {
      channels: { email: true, sms: true },
      categories: {},
      source: "import",
      at: JUNE,
    });

    expect(june.channels.email).toEqual({ granted: true, source: "branch form", at: MARCH, by: "bank" });
    expect(june.channels.sms).toEqual({ granted: true, source: "import", at: JUNE, by: "bank" });
  });

  it("leaves an answer the row does not give as it was", () => {
    const march = consentAfter(undefined, {
      channels: { phone: true },
      categories: { liability: true },
      source: "call centre",
      at: MARCH,
    });
    const june = consentAfter(march, {
      channels: { email: false, phone: undefined },
      categories: {},
      source: "import",
      at: JUNE,
    });

    expect(june.channels.phone).toEqual({ granted: true, source: "call centre", at: MARCH, by: "bank" });
    expect(june.categories.liability).toEqual({ granted: true, source: "call centre", at: MARCH, by: "bank" });
  });

  it("withdraws a channel as the customer's own answer, with the proof of where", () => {
    const consent = withdrawn(
      consentAfter(undefined, { channels: { email: true }, categories: {}, source: "import", at: MARCH }),
      "email",
      "unsubscribe link",
      JUNE,
    );

    expect(consent.channels.email).toEqual({ granted: false, source: "unsubscribe link", at: JUNE, by: "customer" });
  });

  it("treats no answer as no for a channel, and only a refusal as closing a category", () => {
    const consent = consentAfter(undefined, {
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

describe("a customer's own withdrawal against the bank's feed", () => {
  const APRIL = "2025-04-01T00:00:00.000Z";
  const JULY = "2025-07-01T00:00:00.000Z";
  const grantedInMarch = consentAfter(undefined, {
    channels: { email: true, sms: true, phone: true },
    categories: { liability: true, asset: true, intermediary: true },
    source: "import",
    at: MARCH,
  });
  const unsubscribedInJune = withdrawn(grantedInMarch, "email", "unsubscribe link of campaign K1", JUNE);
  /** What the demo bank's rows say on every import: yes, with no consentSource or consentAt of their own. */
  const yesFromTheFeed = (at: string) => ({
    channels: { email: true },
    categories: {},
    source: "import",
    at,
    ownProof: false,
  });

  it("keeps the withdrawal when a later row says yes with no proof of its own, and reports it kept", () => {
    // prepare
    const before = unsubscribedInJune;
    // act
    const { consent, kept } = importedConsent(before, yesFromTheFeed(JULY));
    // assess
    expect(consent.channels.email).toEqual({
      granted: false,
      source: "unsubscribe link of campaign K1",
      at: JUNE,
      by: "customer",
    });
    expect(kept).toEqual([{ answer: "email", withdrawal: before.channels.email }]);
    expect(consented(consent, "email")).toBe(false);
  });

  it("keeps the withdrawal when the row's consentSource and consentAt are older than it", () => {
    // prepare
    const row = { channels: { email: true }, categories: {}, source: "branch form", at: APRIL, ownProof: true };
    // act
    const { consent, kept } = importedConsent(unsubscribedInJune, row);
    // assess
    expect(consent.channels.email).toEqual(unsubscribedInJune.channels.email);
    expect(kept.map((k) => k.answer)).toEqual(["email"]);
  });

  it("keeps the withdrawal when the row gives a later time but not its own source", () => {
    // prepare: consentAt given, consentSource left to the import's default
    const row = { channels: { email: true }, categories: {}, source: "import", at: JULY, ownProof: false };
    // act
    const { consent, kept } = importedConsent(unsubscribedInJune, row);
    // assess
    expect(consent.channels.email?.granted).toBe(false);
    expect(kept).toHaveLength(1);
  });

  it("grants consent again when the row proves one given after the withdrawal, with that proof", () => {
    // prepare
    const row = { channels: { email: true }, categories: {}, source: "branch form", at: JULY, ownProof: true };
    // act
    const { consent, kept } = importedConsent(unsubscribedInJune, row);
    // assess
    expect(consent.channels.email).toEqual({ granted: true, source: "branch form", at: JULY, by: "bank" });
    expect(kept).toEqual([]);
  });

  it("lets a later row say yes again after the bank's own no, as before", () => {
    // prepare
    const bankSaidNo = consentAfter(grantedInMarch, {
      channels: { email: false },
      categories: {},
      source: "import",
      at: JUNE,
    });
    // act
    const { consent, kept } = importedConsent(bankSaidNo, yesFromTheFeed(JULY));
    // assess
    expect(consent.channels.email).toEqual({ granted: true, source: "import", at: JULY, by: "bank" });
    expect(kept).toEqual([]);
  });

  it("keeps the customer's proof when the row restates the withdrawal, and does not count it as kept", () => {
    // prepare
    const row = { channels: { email: false }, categories: {}, source: "import", at: JULY, ownProof: false };
    // act
    const { consent, kept } = importedConsent(unsubscribedInJune, row);
    // assess
    expect(consent).toEqual(unsubscribedInJune);
    expect(kept).toEqual([]);
  });

  it.each([
    ["sms", "channels"],
    ["phone", "channels"],
    ["liability", "categories"],
    ["asset", "categories"],
    ["intermediary", "categories"],
  ] as const)("treats %s withdrawn by the customer the same way", (answer, group) => {
    // prepare: the customer's own refusal, stored as the unsubscribe link stores one
    const refusal = { granted: false, source: "complaint to branch 12", at: JUNE, by: "customer" as const };
    const before: Consent = { ...grantedInMarch, [group]: { ...grantedInMarch[group], [answer]: refusal } };
    const saysYes = (ownProof: boolean, at: string) => ({
      channels: group === "channels" ? { [answer]: true } : {},
      categories: group === "categories" ? { [answer]: true } : {},
      source: ownProof ? "branch form" : "import",
      at,
      ownProof,
    });
    // act
    const noProof = importedConsent(before, saysYes(false, JULY));
    const olderProof = importedConsent(before, saysYes(true, APRIL));
    const laterProof = importedConsent(before, saysYes(true, JULY));
    // assess
    expect(consented(noProof.consent, answer)).toBe(false);
    expect(noProof.kept.map((k) => k.answer)).toEqual([answer]);
    expect(consented(olderProof.consent, answer)).toBe(false);
    expect(olderProof.kept.map((k) => k.answer)).toEqual([answer]);
    expect(laterProof.consent[group][answer as never]).toEqual({
      granted: true,
      source: "branch form",
      at: JULY,
      by: "bank",
    });
    expect(laterProof.kept).toEqual([]);
  });

  it.each([
    ["unsubscribe link of campaign K1", "customer"],
    ["offer page of campaign K1", "customer"],
    ["import", "bank"],
    ["branch form", "bank"],
  ])("reads a record stored before `by` existed, from %s, as given by the %s", (source, by) => {
    // prepare
    const stored = { granted: false, source, at: JUNE };
    // act
    const record = ConsentRecord.parse(stored);
    // assess
    expect(record).toEqual({ ...stored, by });
  });

  it("keeps a withdrawal stored before `by` existed against the feed's yes", () => {
    // prepare: a stored item as the unsubscribe link wrote it before this change
    const stored = Consent.parse({
      channels: { email: { granted: false, source: "unsubscribe link of campaign K1", at: JUNE } },
    });
    // act
    const { consent, kept } = importedConsent(stored, yesFromTheFeed(JULY));
    // assess
    expect(consent.channels.email?.granted).toBe(false);
    expect(kept).toHaveLength(1);
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
      statedConsent: { channels: { email: true }, source: "import", ownProof: false },
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
        ownProof: true,
      },
    });
  });

  it.each([
    ["only consentSource", { consentSource: "branch form" }],
    ["only consentAt", { consentAt: "2025-03-01" }],
  ])("gives a row with %s no proof of its own", (_, columns) => {
    // prepare / act
    const profile = profileFromRow(CustomerRow.parse({ ...base, ...columns }));
    // assess
    expect(profile.statedConsent.ownProof).toBe(false);
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
      consent: consentAfter(undefined, {
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
      consent: consentAfter(undefined, {
        channels: { email: true, sms: true },
        categories: { asset: true },
        source: "import",
        at: MARCH,
      }),
    });
    const smsNo = aCustomer({
      customerId: "NO",
      consent: consentAfter(undefined, {
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
