import { describe, expect, it } from "vitest";
import {
  Consent,
  ConsentRecord,
  chosenConsent,
  consentCategoryOf,
  consented,
  importedConsent,
  type Preferences,
  preferencesOf,
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

describe("the preference centre: the customer's own choices per channel and category", () => {
  const AT = "2026-11-30T10:00:00.000Z";
  const LATER = "2026-12-01T10:00:00.000Z";
  const SOURCE = "preference centre, link of campaign cmp-1";
  /** What the bank's nightly file says: every channel and category yes, no proof of its own. */
  const bankFile = (at: string, categories = { liability: true, asset: true, intermediary: true }) => ({
    channels: { email: true, sms: true, phone: true },
    categories,
    source: "import",
    at,
  });
  const imported = aCustomer({ emailConsent: true, consent: consentAfter(undefined, bankFile(MARCH)) });
  const allOn: Preferences = {
    channels: { email: true, sms: true, phone: true },
    categories: { deposits: true, wealth: true, asset: true, intermediary: true },
  };
  const withWealthOff = { ...allOn, categories: { ...allOn.categories, wealth: false } };

  it("maps each product to the category a customer would name it by", () => {
    expect(consentCategoryOf("DEPOSIT_CURRENT")).toBe("deposits");
    expect(consentCategoryOf("DEPOSIT_TIME")).toBe("deposits");
    expect(consentCategoryOf("WEALTH_FUND")).toBe("wealth");
    expect(consentCategoryOf("MORTGAGE")).toBe("asset");
    expect(consentCategoryOf("CREDIT_CARD")).toBe("intermediary");
    expect(consentCategoryOf("INSURANCE")).toBe("intermediary");
  });

  it("shows channels on only with a yes and categories on unless refused", () => {
    const unknown = aCustomer({ emailConsent: false, consent: { channels: {}, categories: {} } });

    expect(preferencesOf(imported)).toEqual(allOn);
    expect(preferencesOf(unknown)).toEqual({
      channels: { email: false, sms: false, phone: false },
      categories: { deposits: true, wealth: true, asset: true, intermediary: true },
    });
  });

  it("records only what the customer changed, as the customer's own with its source and time", () => {
    const { consent, emailConsent, changed } = chosenConsent(imported, withWealthOff, SOURCE, AT);

    expect(changed).toEqual(["wealth"]);
    expect(emailConsent).toBe(true);
    expect(consent.categories.wealth).toEqual({ granted: false, source: SOURCE, at: AT, by: "customer" });
    expect(consent.categories.liability).toEqual(imported.consent.categories.liability); // the bank's, kept
    expect(consent.channels).toEqual(imported.consent.channels);
  });

  it("changes nothing when the customer saves what the page showed", () => {
    expect(chosenConsent(imported, allOn, SOURCE, AT)).toMatchObject({ changed: [], consent: imported.consent });
  });

  it("keeps the email flag equal to the email channel's record, both ways", () => {
    const off = chosenConsent(imported, { ...allOn, channels: { ...allOn.channels, email: false } }, SOURCE, AT);
    const backOn = chosenConsent({ ...imported, ...off }, allOn, SOURCE, LATER);

    expect(off.emailConsent).toBe(false);
    expect(off.consent.channels.email).toEqual({ granted: false, source: SOURCE, at: AT, by: "customer" });
    expect(backOn.emailConsent).toBe(true);
    expect(backOn.consent.channels.email).toEqual({ granted: true, source: SOURCE, at: LATER, by: "customer" });
  });

  it("holds a wealth offer back as category_refused, and still lets a deposit offer through", () => {
    const chosen = chosenConsent(imported, withWealthOff, SOURCE, AT);
    const customer = aCustomer({ ...imported, ...chosen, products: ["CREDIT_CARD"] });

    expect(suppressionFor(customer, { offer: { productCode: "WEALTH_FUND" } })).toBe("category_refused");
    expect(suppressionFor(customer, { offer: { productCode: "DEPOSIT_TIME" } })).toBeNull();
  });

  it("lets the narrower answer win over the bank's broader one, both ways", () => {
    const bankSaysNo = aCustomer({
      consent: consentAfter(undefined, bankFile(MARCH, { liability: false, asset: true, intermediary: true })),
    });
    const wealthOn = chosenConsent(
      bankSaysNo,
      { ...allOn, categories: { ...allOn.categories, deposits: false } },
      SOURCE,
      AT,
    );

    expect(refusedCategory(bankSaysNo.consent, "wealth")).toBe(true); // no answer of its own: the bank's liability no
    expect(wealthOn.changed).toEqual(["wealth"]); // the page showed it off, the customer turned it on
    expect(refusedCategory(wealthOn.consent, "wealth")).toBe(false);
    expect(refusedCategory(wealthOn.consent, "deposits")).toBe(true);
    expect(consented(wealthOn.consent, "wealth")).toBe(true);
  });

  it("is not undone by the bank's file: a re-import keeps the category and channel withdrawals the customer made", () => {
    const chosen = chosenConsent(
      imported,
      {
        channels: { email: true, sms: false, phone: true },
        categories: { ...allOn.categories, wealth: false, asset: false },
      },
      SOURCE,
      AT,
    );
    // The bank's file again, saying yes to everything, the next night and with no proof of its own.
    const { consent, kept } = importedConsent(chosen.consent, {
      ...bankFile(LATER, { liability: true, asset: true, intermediary: true }),
    });

    expect(kept.map((k) => k.answer).sort()).toEqual(["asset", "sms"]);
    expect(consent.categories.asset).toEqual({ granted: false, source: SOURCE, at: AT, by: "customer" });
    expect(consent.channels.sms).toEqual({ granted: false, source: SOURCE, at: AT, by: "customer" });
    expect(refusedCategory(consent, "wealth")).toBe(true);
    expect(preferencesOf({ emailConsent: true, consent }).categories).toEqual({
      deposits: true,
      wealth: false,
      asset: false,
      intermediary: true,
    });
  });

  it("gives a category back only for a row with its own proof of a later consent, as for a channel", () => {
    const chosen = chosenConsent(imported, { ...allOn, categories: { ...allOn.categories, asset: false } }, SOURCE, AT);
    const branchForm = { ...bankFile(LATER), source: "branch form", ownProof: true };

    expect(importedConsent(chosen.consent, { ...branchForm, at: MARCH }).consent.categories.asset?.granted).toBe(false);
    expect(importedConsent(chosen.consent, branchForm).consent.categories.asset).toEqual({
      granted: true,
      source: "branch form",
      at: LATER,
      by: "bank",
    });
  });

  it("reads a stored record with a category only the preference centre writes", () => {
    const stored = { channels: {}, categories: { wealth: { granted: false, source: SOURCE, at: AT, by: "customer" } } };

    expect(Consent.parse(stored).categories.wealth?.granted).toBe(false);
    expect(Consent.safeParse({ channels: {}, categories: { savings: stored.categories.wealth } }).success).toBe(false);
  });
});
