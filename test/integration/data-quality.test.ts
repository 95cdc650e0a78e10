import { beforeAll, describe, expect, it } from "vitest";
import { REPORT_LIST_LIMIT } from "../../shared/customers/data-quality.js";
import { api } from "./client.js";

/**
 * The data-quality report over the real emulators. Other files import customers into the same
 * platform, so this asserts on its own DQ- customers and on invariants, never on totals.
 */
const REGION = "DQ-Town";
const SHARED = "dq.family@dq-town.test";
const PLACEHOLDER = "noemail@dq-town.test";
const rows = [
  ["DQ-SHARE-1", "individual", "Zhou Wei", SHARED, "120000", "DEPOSIT_CURRENT"],
  ["DQ-SHARE-2", "individual", "Zhou Min", SHARED, "30000", "DEPOSIT_CURRENT;CREDIT_CARD"],
  ["DQ-PLACEHOLDER", "individual", "Li Na", PLACEHOLDER, "80000", "DEPOSIT_CURRENT"],
  ["DQ-NO-EMAIL", "individual", "Sun Lei", "", "60000", "DEPOSIT_TIME"],
  ["DQ-NO-PRODUCTS", "individual", "Wu Hao", "wu.hao@dq-town.test", "10000", ""],
  ["DQ-CORP", "corporate", "DQ Trading Co", "treasury@dq-corp.test", "5000000", "SETTLEMENT"],
];
const ids = rows.map((r) => r[0]);
const csv = [
  "customerId,type,name,email,aum,products,region,emailConsent",
  ...rows.map((r) => [...r, REGION, "true"].join(",")),
].join("\n");

const FIELDS = ["name", "email", "phone", "region", "aum", "products", "emailConsent"] as const;

beforeAll(async () => {
  const imported = await api("POST", "/api/customers/import", "marketer", csv, "text/csv");
  expect(imported.status).toBe(200);
  expect(imported.body.rejected).toEqual([]);
});

describe("GET /api/data-quality", () => {
  it("lets analysts, approvers and admins read it, not marketers or anonymous callers", async () => {
    expect((await api("GET", "/api/data-quality", "analyst")).status).toBe(200);
    expect((await api("GET", "/api/data-quality", "approver")).status).toBe(200);
    expect((await api("GET", "/api/data-quality", "admin")).status).toBe(200);
    const marketer = await api("GET", "/api/data-quality", "marketer");
    expect(marketer.status).toBe(403);
    expect(marketer.body.code).toBe("forbidden");
    expect((await api("GET", "/api/data-quality", null)).status).toBe(401);
  });

  it("reports completeness that adds up to the customers scanned", async () => {
    const { body } = await api("GET", "/api/data-quality", "analyst");

    expect(body.customers.total).toBeGreaterThanOrEqual(rows.length);
    expect(body.customers.byType.individual + body.customers.byType.corporate).toBe(body.customers.total);
    expect(body.customers.byType.corporate).toBeGreaterThanOrEqual(1);
    for (const field of FIELDS) {
      expect(body.completeness[field].present + body.completeness[field].missing, field).toBe(body.customers.total);
    }
    expect(body.completeness.email.missing).toBeGreaterThanOrEqual(1); // DQ-NO-EMAIL
    expect(body.completeness.products.missing).toBeGreaterThanOrEqual(1); // DQ-NO-PRODUCTS
    expect(Date.parse(body.generatedAt)).not.toBeNaN();
  });

  it("names the placeholder address by customer and reason, and the shared one masked with exactly its two customers", async () => {
    const { body, text } = await api("GET", "/api/data-quality", "analyst");

    expect(body.invalidContacts.list).toContainEqual({
      customerId: "DQ-PLACEHOLDER",
      field: "email",
      reason: "placeholder",
    });
    expect(body.invalidContacts.count).toBeGreaterThanOrEqual(1);
    expect(body.duplicateContacts.list).toContainEqual({
      channel: "email",
      contact: "d***@dq-town.test",
      customerIds: ["DQ-SHARE-1", "DQ-SHARE-2"],
    });
    expect(body.duplicateContacts.count).toBeGreaterThanOrEqual(1);
    expect(text).not.toContain(SHARED);
    expect(text).not.toContain(PLACEHOLDER);
    expect(text).not.toContain("wu.hao@");
  });

  it("counts records written before now as stale with staleDays=0, and fresh ones not by default", async () => {
    const zero = await api("GET", "/api/data-quality?staleDays=0", "analyst");
    const byDefault = await api("GET", "/api/data-quality", "analyst");

    expect(zero.status).toBe(200);
    expect(zero.body.stale).toMatchObject({ staleDays: 0 });
    // The list holds the first REPORT_LIST_LIMIT ids in order; other files' customers share this platform.
    const listed: string[] = zero.body.stale.customerIds;
    expect(listed).toEqual([...listed].sort());
    expect(listed).toHaveLength(Math.min(zero.body.stale.count, REPORT_LIST_LIMIT));
    const within = ids.filter((id) => listed.length < REPORT_LIST_LIMIT || id <= listed[listed.length - 1]);
    expect(listed).toEqual(expect.arrayContaining(within));
    expect(zero.body.stale.count).toBeGreaterThanOrEqual(ids.length);
    expect(byDefault.body.stale.staleDays).toBe(365);
    expect(byDefault.body.stale.customerIds).not.toContain("DQ-SHARE-1");
  });

  it("answers a bad staleDays with a 400 naming it", async () => {
    for (const value of ["abc", "-1", "1.5", ""]) {
      const reply = await api("GET", `/api/data-quality?staleDays=${value}`, "analyst");
      expect(reply.status, value).toBe(400);
      expect(reply.body.code).toBe("invalid_request");
      expect(reply.body.message).toContain("staleDays");
    }
  });

  it("is described in the OpenAPI document", async () => {
    const doc = await api("GET", "/openapi.json", null);

    expect(doc.body.paths["/api/data-quality"].get.parameters).toContainEqual(
      expect.objectContaining({ name: "staleDays", in: "query" }),
    );
  });
});
