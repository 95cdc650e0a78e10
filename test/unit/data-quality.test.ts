import { describe, expect, it } from "vitest";
import type { Platform } from "../../shared/adapters/platform.js";
import type { Customer } from "../../shared/customers/customer.js";
import {
  contactIssue,
  DataQualityQuery,
  DataQualityReport,
  dataQualityReport,
  REPORT_LIST_LIMIT,
} from "../../shared/customers/data-quality.js";
import type { CustomerStore, ScanPage } from "../../shared/customers/ports.js";
import { aCustomer } from "./fixtures.js";
import { platformWith as basePlatform, partOf } from "./platform.js";

const NOW = new Date("2026-06-01T12:00:00.000Z");
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000).toISOString();

/**
 * An in-memory CustomerStore whose scan deals customers to shards round-robin and answers
 * each shard in pages, with a cursor that is the next offset; it records every call.
 */
class ScannedCustomers implements Partial<CustomerStore> {
  readonly calls: { shard: number; totalShards: number; pageSize: number; cursor?: string }[] = [];
  constructor(private readonly rows: Customer[]) {}
  async scanShard(shard: number, totalShards: number, pageSize: number, cursor?: string): Promise<ScanPage> {
    this.calls.push({ shard, totalShards, pageSize, cursor });
    const mine = this.rows.filter((_, i) => i % totalShards === shard);
    const from = cursor ? Number(cursor) : 0;
    const next = from + pageSize;
    return { customers: mine.slice(from, next), cursor: next < mine.length ? String(next) : undefined };
  }
}

const platformWith = (customers: Partial<CustomerStore>, shards = 4, pageSize = 100): Platform =>
  basePlatform(
    { customers: partOf("customers", customers), settings: { fanoutShards: shards, fanoutPageSize: pageSize } },
    NOW,
  );

const report = (rows: Customer[], staleDays = 365, shards = 4, pageSize = 100) =>
  dataQualityReport(platformWith(new ScannedCustomers(rows), shards, pageSize), { staleDays });

/** `count` customers C-000..., each fresh, valid and with a distinct address. */
const many = (count: number, overrides: (i: number) => Partial<Customer> = () => ({})) =>
  Array.from({ length: count }, (_, i) => {
    const id = `C-${String(i).padStart(3, "0")}`;
    return aCustomer({ customerId: id, email: `c${i}@bank.cn`, updatedAt: daysAgo(1), ...overrides(i) });
  });

describe("dataQualityReport: customers and completeness", () => {
  it("counts customers by type and each field's present, missing and percent", async () => {
    // prepare: 3 of 4 with an email, 2 with products; records written before the import validated
    const rows = [
      aCustomer({ customerId: "A", updatedAt: daysAgo(1) }),
      aCustomer({ customerId: "B", type: "corporate", tier: null, email: undefined, updatedAt: daysAgo(1) }),
      aCustomer({ customerId: "C", email: "c@bank.cn", products: [], name: "  ", updatedAt: daysAgo(1) }),
      {
        ...aCustomer({ customerId: "D", email: "d@bank.cn", products: [], updatedAt: daysAgo(1) }),
        region: undefined,
        aum: undefined,
        emailConsent: undefined,
      } as unknown as Customer,
    ];
    // act
    const result = await report(rows);
    // assess
    expect(result.customers).toEqual({ total: 4, byType: { individual: 3, corporate: 1 } });
    expect(result.completeness).toEqual({
      name: { present: 3, missing: 1, percent: 75 },
      email: { present: 3, missing: 1, percent: 75 },
      phone: { present: 0, missing: 4, percent: 0 },
      region: { present: 3, missing: 1, percent: 75 },
      aum: { present: 3, missing: 1, percent: 75 },
      products: { present: 2, missing: 2, percent: 50 },
      emailConsent: { present: 3, missing: 1, percent: 75 },
    });
  });

  it("rounds the percent down, so only a complete field shows 100", async () => {
    // prepare: 1 of 2,000 without an email
    const rows = many(2_000, (i) => (i === 0 ? { email: undefined } : {}));
    // act
    const result = await report(rows);
    // assess
    expect(result.completeness.email).toEqual({ present: 1_999, missing: 1, percent: 99.9 });
    expect(result.completeness.name.percent).toBe(100);
  });

  it("reports an empty table as zero customers, nothing missing", async () => {
    // prepare / act
    const result = await report([]);
    // assess
    expect(result.customers).toEqual({ total: 0, byType: { individual: 0, corporate: 0 } });
    expect(result.completeness.email).toEqual({ present: 0, missing: 0, percent: 100 });
    expect(result.invalidContacts).toEqual({ count: 0, list: [] });
    expect(result.duplicateContacts).toEqual({ count: 0, list: [] });
    expect(result.stale).toMatchObject({ count: 0, customerIds: [] });
  });

  it("answers in the shape its schema publishes", async () => {
    // prepare
    const rows = [...many(3), aCustomer({ customerId: "X", email: "noemail@bank.cn" })];
    // act
    const result = await report(rows);
    // assess
    expect(DataQualityReport.parse(result)).toEqual(result);
    expect(result.generatedAt).toBe(NOW.toISOString());
  });
});

describe("contactIssue: stricter than the import", () => {
  it.each([
    ["test@test.com", "placeholder"],
    ["noemail@bank.cn", "placeholder"],
    ["NONE@Bank.cn", "placeholder"],
    ["li.na@example.com", "placeholder"],
    ["li..na@bank.cn", "consecutive_dots"],
    ["li.na@bank..cn", "consecutive_dots"],
    ["li.na@localhost", "domain_without_dot"],
    ["li.na.bank.cn", "malformed"],
    ["li@na@bank.cn", "malformed"],
    ["@bank.cn", "malformed"],
    ["li na@bank.cn", "malformed"],
  ])("flags %s as %s", (email, reason) => {
    expect(contactIssue(email)).toBe(reason);
  });

  it.each(["wang.fang@example.cn", "Zhou.Wei@Bank.CN", "tester@bank.cn", "o'brien+offers@mail.bank.cn"])(
    "passes %s",
    (email) => {
      expect(contactIssue(email)).toBeNull();
    },
  );
});

describe("dataQualityReport: invalid contacts", () => {
  it("lists each customer with an invalid email by id, field and reason, never the address", async () => {
    // prepare
    const rows = [
      ...many(3),
      aCustomer({ customerId: "P-2", email: "noemail@bank.cn" }),
      aCustomer({ customerId: "P-1", email: "test@test.com" }),
      aCustomer({ customerId: "P-3", email: "zhou..wei@bank.cn" }),
      aCustomer({ customerId: "P-4", email: "zhou@bank" }),
    ];
    // act
    const result = await report(rows);
    // assess
    expect(result.invalidContacts).toEqual({
      count: 4,
      list: [
        { customerId: "P-1", field: "email", reason: "placeholder" },
        { customerId: "P-2", field: "email", reason: "placeholder" },
        { customerId: "P-3", field: "email", reason: "consecutive_dots" },
        { customerId: "P-4", field: "email", reason: "domain_without_dot" },
      ],
    });
    expect(JSON.stringify(result)).not.toMatch(/noemail|test@test|zhou/);
  });

  it(`counts them all but lists the first ${REPORT_LIST_LIMIT} by customer id`, async () => {
    // prepare: listed backwards, so the list must be sorted, not arrival order
    const rows = many(250, () => ({ email: "none@bank.cn" })).reverse();
    // act
    const result = await report(rows, 365, 3, 7);
    // assess
    expect(result.invalidContacts.count).toBe(250);
    expect(result.invalidContacts.list.map((e) => e.customerId)).toEqual(
      many(REPORT_LIST_LIMIT).map((c) => c.customerId),
    );
  });
});

describe("dataQualityReport: duplicate contacts", () => {
  it("groups customers sharing an address, ignoring case, and masks the address", async () => {
    // prepare
    const rows = [
      ...many(4),
      aCustomer({ customerId: "F-2", email: "zhou.family@bank.cn" }),
      aCustomer({ customerId: "F-1", email: "Zhou.Family@Bank.cn " }),
      aCustomer({ customerId: "F-3", email: "zhou.family@bank.cn" }),
      aCustomer({ customerId: "G-1", email: "office@corp.cn" }),
      aCustomer({ customerId: "G-2", email: "office@corp.cn" }),
    ];
    // act
    const result = await report(rows);
    // assess
    expect(result.duplicateContacts).toEqual({
      count: 2,
      list: [
        { channel: "email", contact: "z***@bank.cn", customerIds: ["F-1", "F-2", "F-3"] },
        { channel: "email", contact: "o***@corp.cn", customerIds: ["G-1", "G-2"] },
      ],
    });
    expect(JSON.stringify(result)).not.toMatch(/zhou\.family|office@/i);
  });

  it("groups customers sharing a phone number, however it is written, and masks it", async () => {
    // prepare
    const rows = many(4, (i) => ({ phone: ["+86 138-1234-5678", "13812345678", "+8613812345678", "13900000000"][i] }));
    // act
    const result = await report(rows);
    // assess
    expect(result.duplicateContacts).toEqual({
      count: 1,
      list: [{ channel: "phone", contact: "138****5678", customerIds: ["C-000", "C-001", "C-002"] }],
    });
  });

  it("leaves shared placeholders to the invalid list", async () => {
    // prepare
    const rows = [
      aCustomer({ customerId: "N-1", email: "noemail@bank.cn" }),
      aCustomer({ customerId: "N-2", email: "noemail@bank.cn" }),
    ];
    // act
    const result = await report(rows);
    // assess
    expect(result.duplicateContacts.count).toBe(0);
    expect(result.invalidContacts.count).toBe(2);
  });

  it(`counts every shared address but lists the first ${REPORT_LIST_LIMIT}, by their first customer`, async () => {
    // prepare: 150 pairs, C-000 and C-001 share, C-002 and C-003 share, ...
    const rows = many(300, (i) => ({ email: `pair${Math.floor(i / 2)}@bank.cn` }));
    // act
    const result = await report(rows, 365, 4, 9);
    // assess
    expect(result.duplicateContacts.count).toBe(150);
    expect(result.duplicateContacts.list).toHaveLength(REPORT_LIST_LIMIT);
    expect(result.duplicateContacts.list[0]).toEqual({
      channel: "email",
      contact: "p***@bank.cn",
      customerIds: ["C-000", "C-001"],
    });
    expect(result.duplicateContacts.list[REPORT_LIST_LIMIT - 1].customerIds).toEqual(["C-198", "C-199"]);
  });
});

describe("dataQualityReport: stale records", () => {
  const rows = [
    aCustomer({ customerId: "OLD-2", updatedAt: daysAgo(400) }),
    aCustomer({ customerId: "OLD-1", updatedAt: daysAgo(366) }),
    aCustomer({ customerId: "EDGE", updatedAt: daysAgo(365) }),
    aCustomer({ customerId: "MID", updatedAt: daysAgo(100) }),
    aCustomer({ customerId: "NEW", updatedAt: daysAgo(1) }),
  ];

  it("lists records not updated for a year by default", async () => {
    // prepare / act
    const result = await report(rows);
    // assess: exactly 365 days old is not older than 365 days
    expect(result.stale).toEqual({
      staleDays: 365,
      updatedBefore: daysAgo(365),
      count: 2,
      customerIds: ["OLD-1", "OLD-2"],
    });
  });

  it("takes the number of days as an option", async () => {
    // prepare / act
    const ninety = await report(rows, 90);
    const zero = await report(rows, 0);
    // assess
    expect(ninety.stale).toMatchObject({ staleDays: 90, count: 4, customerIds: ["EDGE", "MID", "OLD-1", "OLD-2"] });
    expect(zero.stale.count).toBe(5);
  });

  it("counts a record whose update time cannot be read as stale", async () => {
    // prepare
    const unreadable = { ...aCustomer({ customerId: "LEGACY" }), updatedAt: undefined } as unknown as Customer;
    // act
    const result = await report([unreadable]);
    // assess
    expect(result.stale.customerIds).toEqual(["LEGACY"]);
  });

  it(`counts every stale record but lists the first ${REPORT_LIST_LIMIT} ids`, async () => {
    // prepare
    const old = many(120, () => ({ updatedAt: daysAgo(500) }));
    // act
    const result = await report(old);
    // assess
    expect(result.stale.count).toBe(120);
    expect(result.stale.customerIds).toEqual(old.slice(0, REPORT_LIST_LIMIT).map((c) => c.customerId));
  });
});

describe("DataQualityQuery", () => {
  it("defaults staleDays to 365 and reads whole days", () => {
    expect(DataQualityQuery.parse({})).toEqual({ staleDays: 365 });
    expect(DataQualityQuery.parse({ staleDays: "0" })).toEqual({ staleDays: 0 });
    expect(DataQualityQuery.parse({ staleDays: "30" })).toEqual({ staleDays: 30 });
  });

  it.each(["abc", "", "-1", "1.5", "1e3", " 30", "99999"])("refuses staleDays=%j, naming the parameter", (value) => {
    // prepare / act
    const result = DataQualityQuery.safeParse({ staleDays: value });
    // assess
    expect(result.success).toBe(false);
    expect(result.error?.issues[0].path).toEqual(["staleDays"]);
  });
});

describe("dataQualityReport: the sharded scan", () => {
  it("walks every page of every shard, each with the configured size, and sees each customer once", async () => {
    // prepare: 4 shards of 25 customers, pages of 10: 3 pages per shard
    const store = new ScannedCustomers(many(100));
    // act
    const result = await dataQualityReport(platformWith(store, 4, 10), { staleDays: 365 });
    // assess
    expect(result.customers.total).toBe(100);
    expect(store.calls).toHaveLength(12);
    for (let shard = 0; shard < 4; shard++) {
      expect(store.calls.filter((c) => c.shard === shard).map((c) => c.cursor)).toEqual([undefined, "10", "20"]);
    }
    expect(store.calls.every((c) => c.totalShards === 4 && c.pageSize === 10)).toBe(true);
  });

  it("runs the shards in parallel: every shard's first page is asked for before any second page", async () => {
    // prepare
    const store = new ScannedCustomers(many(40));
    // act
    await dataQualityReport(platformWith(store, 4, 5), { staleDays: 365 });
    // assess
    expect(store.calls.slice(0, 4).map((c) => [c.shard, c.cursor])).toEqual([
      [0, undefined],
      [1, undefined],
      [2, undefined],
      [3, undefined],
    ]);
  });

  it("gives the same report whatever the shard count and page size", async () => {
    // prepare
    const rows = many(97, (i) => ({
      email: i % 10 === 0 ? "none@bank.cn" : `c${i % 40}@bank.cn`,
      updatedAt: daysAgo(i * 5),
      products: i % 3 === 0 ? [] : ["DEPOSIT_CURRENT"],
    }));
    // act
    const one = await report(rows, 200, 1, 1_000);
    const eight = await report(rows, 200, 8, 3);
    // assess
    expect(eight).toEqual(one);
    expect(one.duplicateContacts.count).toBeGreaterThan(0);
    expect(one.stale.count).toBeGreaterThan(0);
  });
});
