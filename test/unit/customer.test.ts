import { describe, expect, it } from "vitest";
import type { Platform } from "../../shared/adapters/platform.js";
import { customerWithdrawal } from "../../shared/customers/consent.js";
import type { Customer } from "../../shared/customers/customer.js";
import { getCustomer } from "../../shared/customers/get-customer.js";
import {
  type CustomerProfile,
  CustomerRow,
  profileFromRow,
  sameProfile,
} from "../../shared/customers/import/customer-row.js";
import { importCustomers } from "../../shared/customers/import/import-customers.js";
import type { CustomerStore } from "../../shared/customers/ports.js";
import { NotFoundError } from "../../shared/kernel/errors.js";
import { platformWith as basePlatform, partOf } from "./platform.js";

/** An in-memory CustomerStore, keeping what save() writes the way the real store would. */
class InMemoryCustomers implements Partial<CustomerStore> {
  readonly rows = new Map<string, Customer>();
  saves = 0;
  async get(customerId: string) {
    return this.rows.get(customerId) ?? null;
  }
  async getMany(customerIds: string[]) {
    return new Map(customerIds.flatMap((id) => (this.rows.has(id) ? [[id, this.rows.get(id)!] as const] : [])));
  }
  async save(customers: Customer[]) {
    this.saves++;
    for (const customer of customers) this.rows.set(customer.customerId, customer);
  }
  /** Runs once just before the next conditional replace: a write landing between the import's read and its write. */
  meanwhile?: () => Promise<void>;
  /** As the DynamoDB store: each write only if the record is still as read, and not deleted. */
  async replaceIfUnchanged(updates: { customer: Customer; readAt: string }[]) {
    const meanwhile = this.meanwhile;
    this.meanwhile = undefined;
    await meanwhile?.();
    this.saves++;
    const changed: string[] = [];
    for (const { customer, readAt } of updates) {
      const stored = this.rows.get(customer.customerId);
      if (stored?.updatedAt !== readAt || stored.deletedAt) changed.push(customer.customerId);
      else this.rows.set(customer.customerId, customer);
    }
    return changed;
  }
  /** What the unsubscribe link and the offer page write (DynamoDbCustomerStore.withdrawEmailConsent). */
  async withdrawEmailConsent(customerId: string, now: string, source: string) {
    const known = this.rows.get(customerId);
    if (!known) throw new NotFoundError("Customer", customerId);
    this.rows.set(customerId, {
      ...known,
      emailConsent: false,
      updatedAt: now,
      consent: { ...known.consent, channels: { ...known.consent.channels, email: customerWithdrawal(source, now) } },
    });
  }
}

const platformWith = (customers: Partial<CustomerStore>, now: Date): Platform =>
  basePlatform({ customers: partOf("customers", customers) }, now);

const HEADER = "customerId,type,name,email,aum,products,region,emailConsent";

const aProfile = (overrides: Partial<CustomerProfile> = {}): CustomerProfile => ({
  customerId: "C1",
  type: "individual",
  name: "Ann",
  email: "ann@example.cn",
  aum: 100,
  tier: "mass",
  products: ["CREDIT_CARD", "DEPOSIT_TIME"],
  region: "Jilin",
  emailConsent: true,
  language: "zh-CN",
  timeZone: "Asia/Shanghai",
  events: [],
  statedConsent: { channels: { email: true }, categories: {}, source: "import" },
  ...overrides,
});

describe("profileFromRow", () => {
  it("tiers an individual, gives a corporate customer no tier, and sorts unique products", () => {
    // prepare
    const row = CustomerRow.parse({
      customerId: "C1",
      type: "individual",
      name: "Ann",
      aum: "200000",
      products: "MORTGAGE;CREDIT_CARD;MORTGAGE",
      region: "Jilin",
      emailConsent: "no",
    });
    // act
    const individual = profileFromRow(row);
    const corporate = profileFromRow({ ...row, type: "corporate" });
    // assess
    expect(individual).toMatchObject({
      tier: "affluent",
      products: ["CREDIT_CARD", "MORTGAGE"],
      emailConsent: false,
      aum: 200_000,
    });
    expect(corporate.tier).toBeNull();
  });
});

describe("sameProfile", () => {
  it("is true for identical profiles", () => {
    // prepare / act / assess
    expect(sameProfile(aProfile(), aProfile())).toBe(true);
  });

  it.each<[string, Partial<CustomerProfile>]>([
    ["name", { name: "Ann Li" }],
    ["email", { email: "other@example.cn" }],
    ["email removed", { email: undefined }],
    ["aum", { aum: 101 }],
    ["tier", { tier: "mass_affluent" }],
    ["type", { type: "corporate" }],
    ["region", { region: "Changchun" }],
    ["emailConsent", { emailConsent: false }],
    ["products", { products: ["CREDIT_CARD"] }],
    ["language", { language: "en" }],
    ["timeZone", { timeZone: "Europe/London" }],
    ["riskTolerance", { riskTolerance: "C3" }],
  ])("is false when %s changed", (_, change) => {
    // prepare / act
    const same = sameProfile(aProfile(), aProfile(change));
    // assess
    expect(same).toBe(false);
  });
});

describe("importCustomers", () => {
  const firstImport = new Date("2024-03-01T08:00:00.000Z");
  const secondImport = new Date("2024-04-01T08:00:00.000Z");
  const file = [
    HEADER,
    "C1,individual,Ann,ann@example.cn,100,DEPOSIT_CURRENT,Jilin,true",
    "C2,individual,Bob,bad-email,100,,Jilin,true",
    "C3,corporate,Grain Co,cfo@grain.example.cn,0,SETTLEMENT,Jilin,true",
    "C1,individual,Ann Again,ann@example.cn,100,,Jilin,true",
  ].join("\n");

  it("imports the good rows, rejects the bad ones by line, and counts every row read", async () => {
    // prepare
    const customers = new InMemoryCustomers();
    const p = platformWith(customers, firstImport);
    // act
    const summary = await importCustomers(p, file, "csv");
    // assess
    expect(summary.rowsRead).toBe(4);
    expect(summary.rowsRead).toBe(summary.imported + summary.updated + summary.unchanged + summary.rejected.length);
    expect(summary).toMatchObject({ imported: 2, updated: 0, unchanged: 0 });
    expect(summary.rejected.map((r) => r.line)).toEqual([3, 5]);
    expect([...customers.rows.keys()].sort()).toEqual(["C1", "C3"]);
    expect(customers.rows.get("C1")).toMatchObject({ tier: "mass", createdAt: firstImport.toISOString() });
  });

  it("reports everything unchanged when the same file is imported twice", async () => {
    // prepare
    const customers = new InMemoryCustomers();
    await importCustomers(platformWith(customers, firstImport), file, "csv");
    const savesBefore = customers.saves;
    // act
    const summary = await importCustomers(platformWith(customers, secondImport), file, "csv");
    // assess
    expect(summary).toMatchObject({ imported: 0, updated: 0, unchanged: 2 });
    expect(customers.saves).toBe(savesBefore);
    expect(customers.rows.get("C1")?.updatedAt).toBe(firstImport.toISOString());
  });

  it("updates a changed customer, keeping when it was first created and re-tiering it", async () => {
    // prepare
    const customers = new InMemoryCustomers();
    await importCustomers(platformWith(customers, firstImport), file, "csv");
    const richer = [HEADER, "C1,individual,Ann,ann@example.cn,250000,DEPOSIT_CURRENT,Jilin,true"].join("\n");
    // act
    const summary = await importCustomers(platformWith(customers, secondImport), richer, "csv");
    // assess
    expect(summary).toMatchObject({ rowsRead: 1, imported: 0, updated: 1, unchanged: 0, rejected: [] });
    expect(customers.rows.get("C1")).toMatchObject({
      aum: 250_000,
      tier: "affluent",
      createdAt: firstImport.toISOString(),
      updatedAt: secondImport.toISOString(),
    });
  });

  it("counts a changed consent answer as an update, keeping the proof of the answers that did not change", async () => {
    // prepare
    const customers = new InMemoryCustomers();
    const withSource = (sms: string) =>
      [
        `${HEADER},smsConsent,consentSource`,
        `C1,individual,Ann,ann@example.cn,100,DEPOSIT_CURRENT,Jilin,true,${sms},branch form`,
      ].join("\n");
    await importCustomers(platformWith(customers, firstImport), withSource("true"), "csv");
    // act
    const again = await importCustomers(platformWith(customers, secondImport), withSource("true"), "csv");
    const changed = await importCustomers(platformWith(customers, secondImport), withSource("false"), "csv");
    // assess
    expect(again).toMatchObject({ unchanged: 1, updated: 0 });
    expect(changed).toMatchObject({ unchanged: 0, updated: 1 });
    expect(customers.rows.get("C1")?.consent.channels).toEqual({
      email: { granted: true, source: "branch form", at: firstImport.toISOString(), by: "bank" },
      sms: { granted: false, source: "branch form", at: secondImport.toISOString(), by: "bank" },
    });
  });

  it("remembers the tier move and the balances, so a rule can find who just moved up", async () => {
    // prepare
    const customers = new InMemoryCustomers();
    await importCustomers(platformWith(customers, firstImport), file, "csv");
    const richer = [HEADER, "C1,individual,Ann,ann@example.cn,250000,DEPOSIT_CURRENT,Jilin,true"].join("\n");
    // act
    await importCustomers(platformWith(customers, secondImport), richer, "csv");
    await importCustomers(platformWith(customers, new Date("2024-05-01T08:00:00.000Z")), richer, "csv"); // unchanged: no new entries
    // assess
    expect(customers.rows.get("C1")).toMatchObject({
      tierHistory: [
        { tier: "mass", since: firstImport.toISOString() },
        { tier: "affluent", since: secondImport.toISOString() },
      ],
      aumHistory: [
        { aum: 100, at: firstImport.toISOString() },
        { aum: 250_000, at: secondImport.toISOString() },
      ],
    });
    expect(customers.rows.get("C3")).toMatchObject({ tierHistory: [], aumHistory: [{ aum: 0 }] });
  });

  it("handles files larger than one store batch", async () => {
    // prepare
    const customers = new InMemoryCustomers();
    const rows = Array.from(
      { length: 250 },
      (_, i) => `K${i},individual,Name ${i},k${i}@example.cn,${i * 1000},,Jilin,true`,
    );
    const big = [HEADER, ...rows].join("\n");
    // act
    const summary = await importCustomers(platformWith(customers, firstImport), big, "csv");
    // assess
    expect(summary).toMatchObject({ rowsRead: 250, imported: 250, rejected: [] });
    expect(customers.rows.size).toBe(250);
  });
});

describe("importCustomers after the customer unsubscribed", () => {
  const firstImport = new Date("2024-03-01T08:00:00.000Z");
  const unsubscribedAt = "2024-03-10T09:00:00.000Z";
  const secondImport = new Date("2024-04-01T08:00:00.000Z");
  const ROW = "C1,individual,Ann,ann@example.cn,100,DEPOSIT_CURRENT,Jilin";
  const UNSUBSCRIBE_LINK = "unsubscribe link of campaign K1";

  /** C1 imported with email consent, then unsubscribed through the link of campaign K1. */
  async function unsubscribedCustomer() {
    const customers = new InMemoryCustomers();
    await importCustomers(platformWith(customers, firstImport), [HEADER, `${ROW},true`].join("\n"), "csv");
    await customers.withdrawEmailConsent("C1", unsubscribedAt, UNSUBSCRIBE_LINK);
    return customers;
  }
  const withProof = (source: string, at: string) =>
    [`${HEADER},consentSource,consentAt`, `${ROW},true,${source},${at}`].join("\n");

  it("keeps an unsubscribe that lands between the import's read and its write", async () => {
    // prepare: C1 consented; the next file changes the region and says yes again, and C1 unsubscribes
    // after the import read the record but before it wrote the new one
    const customers = new InMemoryCustomers();
    await importCustomers(platformWith(customers, firstImport), [HEADER, `${ROW},true`].join("\n"), "csv");
    customers.meanwhile = () => customers.withdrawEmailConsent("C1", unsubscribedAt, UNSUBSCRIBE_LINK);
    const moved = `${ROW.replace("Jilin", "Siping")},true`;
    // act
    const summary = await importCustomers(platformWith(customers, secondImport), [HEADER, moved].join("\n"), "csv");
    // assess: the region is updated on a fresh read, and the withdrawal stands
    expect(summary).toMatchObject({ rowsRead: 1, imported: 0, updated: 1, unchanged: 0, consentKept: 1 });
    expect(customers.rows.get("C1")).toMatchObject({
      region: "Siping",
      emailConsent: false,
      consent: { channels: { email: { granted: false, source: UNSUBSCRIBE_LINK, by: "customer" } } },
    });
  });

  it("keeps email consent withdrawn when the same file says yes again, and counts the row", async () => {
    // prepare
    const customers = await unsubscribedCustomer();
    // act
    const summary = await importCustomers(
      platformWith(customers, secondImport),
      [HEADER, `${ROW},true`].join("\n"),
      "csv",
    );
    // assess
    expect(summary).toMatchObject({ rowsRead: 1, imported: 0, updated: 0, unchanged: 1, consentKept: 1 });
    expect(customers.rows.get("C1")).toMatchObject({
      emailConsent: false,
      consent: {
        channels: { email: { granted: false, source: UNSUBSCRIBE_LINK, at: unsubscribedAt, by: "customer" } },
      },
    });
  });

  it("keeps it withdrawn when the row's consentSource and consentAt are earlier than the withdrawal", async () => {
    // prepare
    const customers = await unsubscribedCustomer();
    // act
    const summary = await importCustomers(
      platformWith(customers, secondImport),
      withProof("branch form", "2024-03-05"),
      "csv",
    );
    // assess
    expect(summary).toMatchObject({ unchanged: 1, consentKept: 1 });
    expect(customers.rows.get("C1")).toMatchObject({
      emailConsent: false,
      consent: { channels: { email: { granted: false, source: UNSUBSCRIBE_LINK, by: "customer" } } },
    });
  });

  it("still updates the row's other fields while keeping the withdrawal", async () => {
    // prepare
    const customers = await unsubscribedCustomer();
    // act
    const summary = await importCustomers(
      platformWith(customers, secondImport),
      [HEADER, "C1,individual,Ann,ann@example.cn,250000,DEPOSIT_CURRENT,Jilin,true"].join("\n"),
      "csv",
    );
    // assess
    expect(summary).toMatchObject({ updated: 1, unchanged: 0, consentKept: 1 });
    expect(customers.rows.get("C1")).toMatchObject({ aum: 250_000, tier: "affluent", emailConsent: false });
  });

  it("grants it again with the row's proof when its consentSource and consentAt are later", async () => {
    // prepare
    const customers = await unsubscribedCustomer();
    // act
    const summary = await importCustomers(
      platformWith(customers, secondImport),
      withProof("branch form", "2024-03-20T10:00:00+08:00"),
      "csv",
    );
    // assess
    expect(summary).toMatchObject({ updated: 1, consentKept: 0 });
    expect(customers.rows.get("C1")).toMatchObject({
      emailConsent: true,
      consent: {
        channels: { email: { granted: true, source: "branch form", at: "2024-03-20T02:00:00.000Z", by: "bank" } },
      },
    });
  });

  it("lets a later import say yes again after the bank's own no, when the customer withdrew nothing", async () => {
    // prepare
    const customers = new InMemoryCustomers();
    await importCustomers(platformWith(customers, firstImport), [HEADER, `${ROW},false`].join("\n"), "csv");
    // act
    const summary = await importCustomers(
      platformWith(customers, secondImport),
      [HEADER, `${ROW},true`].join("\n"),
      "csv",
    );
    // assess
    expect(summary).toMatchObject({ updated: 1, consentKept: 0 });
    expect(customers.rows.get("C1")).toMatchObject({
      emailConsent: true,
      consent: { channels: { email: { granted: true, source: "import", at: secondImport.toISOString(), by: "bank" } } },
    });
  });
});

describe("getCustomer", () => {
  it("throws NotFoundError for an unknown customer", async () => {
    // prepare
    const p = platformWith(new InMemoryCustomers(), new Date("2024-01-01T00:00:00.000Z"));
    // act
    const result = getCustomer(p, "NOPE");
    // assess
    await expect(result).rejects.toBeInstanceOf(NotFoundError);
  });
});
