import { beforeAll, describe, expect, it } from "vitest";
import { api, type InboxEmail, inbox, linkIn, runCampaign, waitFor } from "./client.js";

/**
 * The bank-wide trails on the real emulators (issue #10's admin pages): a segment exported, a
 * customer change asked for and rejected, an administrator's own edit, and a customer's consent
 * choice in the preference centre, each read back from GET /api/exports and GET
 * /api/audit/customer-changes through the byDay index, filtered as the admin pages filter them.
 */
const REGION = "TrailTown";
const HEADER = "customerId,type,name,email,phone,aum,products,region,emailConsent";
const rows = [
  `TRL-1,individual,Trail One,trail1@customers.test,13812345678,150000,SETTLEMENT,${REGION},true`,
  `TRL-2,individual,Trail Two,trail2@customers.test,,150000,SETTLEMENT,${REGION},true`,
];

/** Every page of a trail for the query, followed by its cursor: the shared platform holds other tests' entries too. */
async function allOf<T>(path: string, list: "exports" | "changes"): Promise<T[]> {
  const found: T[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 20; page++) {
    const answer = await api("GET", `${path}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`, "admin");
    expect(answer.status, answer.text).toBe(200);
    found.push(...answer.body[list]);
    cursor = answer.body.cursor;
    if (!cursor) break;
  }
  return found;
}

let segmentId: string;
let exportId: string;
let rejectedChangeId: string;
let appliedChangeId: string;

beforeAll(async () => {
  expect(
    (await api("POST", "/api/customers/import", "marketer", [HEADER, ...rows].join("\n"), "text/csv")).status,
  ).toBe(200);
  segmentId = (
    await api("POST", "/api/segments", "marketer", {
      name: "TrailTown savers",
      rule: { attr: "region", op: "eq", value: REGION },
    })
  ).body.segmentId;
  const exported = await api(
    "GET",
    `/api/segments/${segmentId}/export?reason=branch%20call%20list%20for%20audit`,
    "admin",
  );
  expect(exported.status).toBe(200);
  exportId = (await api("GET", `/api/segments/${segmentId}/exports`, "admin")).body.exports[0].exportId;

  const asked = await api("PATCH", "/api/customers/TRL-2", "marketer", {
    changes: { email: "two.trail@customers.test" },
    reason: "the customer wrote from a new address",
  });
  rejectedChangeId = asked.body.changeId;
  expect(
    (
      await api("POST", `/api/customers/TRL-2/changes/${rejectedChangeId}/reject`, "approver", {
        reason: "a new address needs the customer's signature",
      })
    ).status,
  ).toBe(200);
  const own = await api("PATCH", "/api/customers/TRL-1", "admin", {
    changes: { occupation: "Teacher" },
    reason: "corrected from the branch's form",
  });
  expect(own.status).toBe(200);
  appliedChangeId = own.body.changeId;

  // The customer's own choice, posted as a browser posts the preference centre's form.
  await runCampaign(segmentId, "TrailTown card", "CREDIT_CARD");
  const recipient = (e: InboxEmail) => e.destination.to[0].replace(/.*<|>.*/g, "");
  const [email] = await waitFor(
    "the card offer to TRL-1",
    async () => (await inbox()).filter((e) => recipient(e) === "trail1@customers.test"),
    (found) => found.length === 1,
  );
  const preferencesUrl = linkIn(email.body.text!, "p")!;
  const saved = await fetch(preferencesUrl, {
    method: "POST",
    headers: {
      accept: "text/html",
      "content-type": "application/x-www-form-urlencoded",
      origin: new URL(preferencesUrl).origin,
      "sec-fetch-site": "same-origin",
    },
    body: "form=preferences&email=yes&deposits=yes&asset=yes&intermediary=yes",
  });
  expect(saved.status).toBe(200);
});

describe("the exports trail, bank-wide", () => {
  it("lists the export with who, when, which segment and version, how many customers and why", async () => {
    const exports = await allOf<Record<string, unknown>>("/api/exports?actor=root", "exports");

    expect(exports).toContainEqual({
      exportId,
      segmentId,
      segmentVersion: 1,
      segmentName: "TrailTown savers",
      actor: "root",
      at: expect.any(String),
      rows: 2,
      reason: "branch call list for audit",
    });
    const ats = exports.map((e) => e.at as string);
    expect(ats).toEqual([...ats].sort().reverse());
  });

  it("leaves it out of another person's exports and of a period before it", async () => {
    const others = await allOf<{ exportId: string }>("/api/exports?actor=mei", "exports");
    const lastYear = await allOf<{ exportId: string }>("/api/exports?from=2025-01-01&to=2025-01-31", "exports");

    expect(others.map((e) => e.exportId)).not.toContain(exportId);
    expect(lastYear).toEqual([]);
  });

  it("is an administrator's alone, and a wrong date is a 400 that names it", async () => {
    const asApprover = await api("GET", "/api/exports", "approver");
    const notADate = await api("GET", "/api/exports?from=30-11-2026", "admin");
    const backwards = await api("GET", "/api/exports?from=2026-05-10&to=2026-05-01", "admin");
    const badCursor = await api("GET", "/api/exports?cursor=nonsense", "admin");

    expect(asApprover.status).toBe(403);
    expect(notADate.status).toBe(400);
    expect(notADate.body.message).toContain("from must be a date written YYYY-MM-DD");
    expect(backwards.status).toBe(400);
    expect(backwards.body.message).toContain("from (2026-05-10) must not be after to (2026-05-01)");
    expect(badCursor.status).toBe(400);
    expect(badCursor.body.message).toContain("cursor is not one a previous page gave");
  });
});

describe("the audit trail of customer changes, bank-wide", () => {
  it("has the marketer's request, at its asking, with where it stands now", async () => {
    const requested = await allOf<Record<string, unknown>>(
      "/api/audit/customer-changes?actor=mei&kind=requested",
      "changes",
    );

    expect(requested).toContainEqual(
      expect.objectContaining({
        event: "requested",
        action: "edit",
        customerId: "TRL-2",
        actor: "mei",
        field: "email",
        before: "trail2@customers.test",
        after: "two.trail@customers.test",
        changeId: rejectedChangeId,
        status: "rejected",
      }),
    );
  });

  it("has its rejection, by the approver, with why", async () => {
    const rejected = await allOf<Record<string, unknown>>(
      "/api/audit/customer-changes?actor=li&kind=rejected",
      "changes",
    );

    expect(rejected).toContainEqual(
      expect.objectContaining({
        event: "rejected",
        customerId: "TRL-2",
        actor: "li",
        requestedBy: "mei",
        changeId: rejectedChangeId,
        rejectionReason: "a new address needs the customer's signature",
        reason: "the customer wrote from a new address",
      }),
    );
  });

  it("has the administrator's own edit, applied at once", async () => {
    const applied = await allOf<Record<string, unknown>>(
      "/api/audit/customer-changes?actor=root&kind=applied",
      "changes",
    );

    expect(applied).toContainEqual(
      expect.objectContaining({
        event: "applied",
        action: "edit",
        customerId: "TRL-1",
        actor: "root",
        field: "occupation",
        after: "Teacher",
        changeId: appliedChangeId,
      }),
    );
  });

  it("has the customer's own consent choice from the preference centre", async () => {
    const consent = await allOf<Record<string, unknown>>(
      "/api/audit/customer-changes?actor=customer&kind=consent",
      "changes",
    );

    expect(consent).toContainEqual(
      expect.objectContaining({
        event: "consent",
        action: "consent",
        customerId: "TRL-1",
        actor: "customer",
        field: "category.wealth",
        before: "on",
        after: "off",
      }),
    );
  });

  it("is an administrator's alone, and an unknown kind is a 400 that names it", async () => {
    const asApprover = await api("GET", "/api/audit/customer-changes", "approver");
    const unknownKind = await api("GET", "/api/audit/customer-changes?kind=deleted", "admin");

    expect(asApprover.status).toBe(403);
    expect(unknownKind.status).toBe(400);
    expect(unknownKind.body.message).toContain("kind");
  });
});
