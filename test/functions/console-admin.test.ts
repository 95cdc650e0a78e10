import { describe, expect, it } from "vitest";
import type { ChangeTrailEntry } from "../../shared/customers/change-trail.js";
import type { Actor } from "../../shared/kernel/actor.js";
import { decodeTrailCursor, encodeTrailCursor, type Period } from "../../shared/kernel/trail.js";
import type { ExportRecord } from "../../shared/segments/export.js";
import { consoleHarness } from "../support/console-app.js";
import { platformWith } from "../unit/platform.js";

/**
 * The admin pages through the whole console app, the trails' stores in memory: the landing
 * page, the exports trail and the audit trail of customer changes, each filtered, paged and
 * downloaded as the CSV of what the page shows. The browser test
 * (test/e2e/console-admin.test.ts) runs them on the local platform.
 */

const ROOT: Actor = { kind: "person", id: "sub-root", name: "root", role: "admin" };
const MEI: Actor = { kind: "person", id: "sub-mei", name: "mei", role: "marketer" };
const LI: Actor = { kind: "person", id: "sub-li", name: "li.approver", role: "approver" };
const clock = new Date("2026-06-01T12:00:00.000Z");
const harness = consoleHarness(() => clock);

const EXPORTS: ExportRecord[] = [
  {
    exportId: "exp-2",
    segmentId: "seg-jilin",
    segmentVersion: 3,
    segmentName: "Jilin savers",
    actor: "root",
    at: "2026-05-30T02:00:00.000Z",
    rows: 1234,
    reason: "RM call list for Q3",
  },
  {
    exportId: "exp-1",
    segmentId: "seg-cards",
    segmentVersion: 1,
    segmentName: "信用卡潜客",
    actor: "ops.admin",
    at: "2026-05-20T09:30:00.000Z",
    rows: 12,
    reason: '=HYPERLINK("x") audit sample',
  },
];

const CHANGES: ChangeTrailEntry[] = [
  {
    at: "2026-05-31T03:00:00.000Z",
    event: "consent",
    action: "consent",
    customerId: "C-0001",
    actor: "customer",
    field: "channel.sms",
    before: "on",
    after: "off",
    reason: "preference centre, link of campaign cmp-1",
  },
  {
    at: "2026-05-30T08:00:00.000Z",
    event: "rejected",
    action: "delete",
    customerId: "C-0002",
    actor: "li.approver",
    requestedBy: "mei",
    reason: "Customer asked to close",
    changeId: "chg-2",
    rejectionReason: "Accounts still open",
  },
  {
    at: "2026-05-29T08:00:00.000Z",
    event: "applied",
    action: "edit",
    customerId: "C-0003",
    actor: "li.approver",
    requestedBy: "mei",
    field: "email",
    before: "old@example.cn",
    after: "new@example.cn",
    reason: "Customer moved banks for mail",
    changeId: "chg-1",
  },
  {
    at: "2026-05-28T08:00:00.000Z",
    event: "requested",
    action: "edit",
    customerId: "C-0003",
    actor: "mei",
    field: "phone",
    before: null,
    after: "+86 13812345678",
    reason: "Phone given at the branch",
    changeId: "chg-3",
    status: "pending",
  },
];

type Asked = { period: Period; limit: number; cursor?: string; actor?: string; kind?: string };

/** The stores' bank-wide reads in memory: two entries a page, the cursor the next one's index. */
function pagedOf<T extends { at: string; actor: string }>(all: T[], asked: Asked[]) {
  return async (query: Asked) => {
    asked.push(query);
    const start = query.cursor ? Number(decodeTrailCursor(query.cursor).day.slice(8)) : 0;
    const matching = all.filter(
      (e) =>
        e.at >= query.period.from &&
        e.at < query.period.to &&
        (!query.actor || e.actor === query.actor) &&
        (!query.kind || (e as unknown as ChangeTrailEntry).event === query.kind),
    );
    const entries = matching.slice(start, start + 2);
    const next =
      start + 2 < matching.length
        ? encodeTrailCursor({ day: `2026-01-${String(start + 2).padStart(2, "0")}` })
        : undefined;
    return { entries, ...(next ? { cursor: next } : {}) };
  };
}

function appNow() {
  const exportsAsked: Asked[] = [];
  const changesAsked: Asked[] = [];
  const ports = platformWith(
    {
      segmentExports: { bankWide: pagedOf(EXPORTS, exportsAsked) },
      customerChanges: { bankWide: pagedOf(CHANGES, changesAsked) },
    },
    clock,
  );
  const app = harness.appWith(ports);
  return { signIn: (who: Actor) => harness.signedIn(app, who, "/admin"), exportsAsked, changesAsked };
}

const csvRows = (text: string) =>
  text
    .replace(/^\uFEFF/, "")
    .trim()
    .split(/\r?\n/);

describe("the console's admin pages", () => {
  it("lands an admin on links to the exports trail, the audit trail and the brand kit, under the header's Admin", async () => {
    // prepare
    const root = await appNow().signIn(ROOT);
    // act
    const page = await root.get("/admin");
    const html = await page.text();
    // assess
    expect(page.status).toBe(200);
    expect(html).toContain('href="/console/admin/exports"');
    expect(html).toContain('href="/console/admin/audit"');
    expect(html).toContain('href="/console/admin/brand"');
    expect(html).toMatch(/<a[^>]*href="\/console\/admin"[^>]*>Admin<\/a>/);
  });

  it("refuses every admin page to a marketer and an approver, in their words, with no Admin in their header", async () => {
    // prepare
    const app = appNow();
    const mei = await app.signIn(MEI);
    const li = await app.signIn(LI);
    // act
    const answers = await Promise.all(
      ["/admin", "/admin/exports", "/admin/audit.csv"].flatMap((path) => [mei.get(path), li.get(path)]),
    );
    // assess
    for (const answer of answers) {
      expect(answer.status).toBe(403);
      const html = await answer.text();
      expect(html).toContain("Only an administrator may open the admin pages.");
      expect(html).not.toMatch(/href="\/console\/admin"/);
    }
    expect(app.exportsAsked).toEqual([]);
    expect(app.changesAsked).toEqual([]);
  });

  it("lists the last 30 of the bank's days of exports, newest first, each linked to its segment, and pages to older ones", async () => {
    // prepare
    const app = appNow();
    const root = await app.signIn(ROOT);
    // act
    const first = await (await root.get("/admin/exports")).text();
    const older = /href="(\/console\/admin\/exports\?[^"]*cursor=[^"]+)"/.exec(first)?.[1]?.replaceAll("&amp;", "&");
    // assess
    expect(app.exportsAsked[0].period).toEqual({
      from: "2026-05-02T16:00:00.000Z",
      to: "2026-06-01T16:00:00.000Z",
      fromDay: "2026-05-03",
      toDay: "2026-06-01",
    });
    expect(first).toContain('value="2026-05-03"');
    expect(first).toContain('value="2026-06-01"');
    expect(first).toContain('<a href="/console/segments/seg-jilin">Jilin savers</a>');
    expect(first).toContain("v3");
    expect(first).toContain("1,234");
    expect(first).toContain("RM call list for Q3");
    expect(first.indexOf("Jilin savers")).toBeLessThan(first.indexOf("信用卡潜客"));
    expect(older).toBeUndefined(); // two exports: one page
  });

  it("filters the exports by person and days, and the CSV holds the rows shown, formulas defused", async () => {
    // prepare
    const app = appNow();
    const root = await app.signIn(ROOT);
    // act
    const html = await (await root.get("/admin/exports?from=2026-05-01&to=2026-05-25&actor=ops.admin")).text();
    const csv = await root.get("/admin/exports.csv?from=2026-05-01&to=2026-05-25&actor=ops.admin");
    const body = await csv.text();
    // assess
    expect(app.exportsAsked[0]).toMatchObject({
      actor: "ops.admin",
      period: { fromDay: "2026-05-01", toDay: "2026-05-25" },
    });
    expect(html).toContain("信用卡潜客");
    expect(html).not.toContain("Jilin savers");
    expect(csv.headers.get("content-type")).toContain("text/csv");
    expect(csv.headers.get("content-disposition")).toContain("exports-2026-05-01-2026-05-25.csv");
    const rows = csvRows(body);
    expect(rows[0]).toBe("When,Exported by,Segment,Version,Customers,Reason given,State");
    expect(rows).toHaveLength(2);
    expect(rows[1]).toBe(
      '2026-05-20T09:30:00.000Z,ops.admin,信用卡潜客,1,12,"\'=HYPERLINK(""x"") audit sample",Recorded',
    );
  });

  it("says what is wrong with a date, a backwards period or a year too long, and reads nothing", async () => {
    // prepare
    const app = appNow();
    const root = await app.signIn(ROOT);
    // act
    const notADate = await root.get("/admin/exports?from=2026-02-30");
    const backwards = await root.get("/admin/audit?from=2026-05-10&to=2026-05-01");
    const tooLong = await root.get("/admin/audit?from=2024-01-01&to=2026-05-01");
    // assess
    expect(notADate.status).toBe(400);
    expect(await notADate.text()).toContain("Write From as a date, year-month-day (2026-11-30).");
    expect(backwards.status).toBe(400);
    expect(await backwards.text()).toContain("The first day (2026-05-10) is after the last (2026-05-01): swap them.");
    expect(tooLong.status).toBe(400);
    expect(await tooLong.text()).toContain("That is 852 days; read at most 366 at a time.");
    expect(app.exportsAsked).toEqual([]);
    expect(app.changesAsked).toEqual([]);
  });

  it("lists every kind of customer change, each linked to its customer view, and pages through them", async () => {
    // prepare
    const app = appNow();
    const root = await app.signIn(ROOT);
    // act
    const first = await (await root.get("/admin/audit")).text();
    const older = /href="(\/console\/admin\/audit\?[^"]*cursor=[^"]+)"/.exec(first)![1].replaceAll("&amp;", "&");
    const second = await (await root.get(older.replace("/console", ""))).text();
    // assess
    expect(first).toContain("The customer (preference centre)");
    expect(first).toContain("Text message: Agreed → Refused");
    expect(first).toContain('<a href="/console/customers/C-0001">C-0001</a>');
    expect(first).toContain("Rejected because: Accounts still open");
    expect(first).toContain("asked for by mei");
    expect(first).not.toContain("new@example.cn");
    expect(second).toContain("Email: old@example.cn → new@example.cn");
    expect(second).toContain("Phone: (empty) → +86 13812345678");
    expect(second).toContain("still waiting for an approver");
    expect(second).toContain("Back to the newest");
    expect(app.changesAsked[1].cursor).toBeDefined();
  });

  it("passes the person and kind chosen to the trail, and the CSV names who asked and why a change was rejected", async () => {
    // prepare
    const app = appNow();
    const root = await app.signIn(ROOT);
    // act
    const html = await (await root.get("/admin/audit?kind=rejected&actor=li.approver")).text();
    const body = await (await root.get("/admin/audit.csv?kind=rejected&actor=li.approver")).text();
    // assess
    expect(app.changesAsked[0]).toMatchObject({ kind: "rejected", actor: "li.approver" });
    expect(html).toContain('<option value="rejected" selected="">');
    const rows = csvRows(body);
    expect(rows[0]).toBe('When,Who,Asked for by,Event,"Since then, or why rejected",Customer,What,Reason');
    expect(rows[1]).toBe(
      "2026-05-30T08:00:00.000Z,li.approver,mei,rejected,Rejected because: Accounts still open,C-0002,Deletion of the customer,Customer asked to close",
    );
  });

  it("starts again from the newest when a page link's cursor is not one the trail gave", async () => {
    // prepare
    const root = await appNow().signIn(ROOT);
    // act
    const page = await root.get("/admin/exports?cursor=bogus");
    const html = await page.text();
    // assess
    expect(page.status).toBe(200);
    expect(html).toContain("That page link no longer fits the filters");
    expect(html).toContain("Jilin savers");
  });

  it("speaks Chinese to an admin who chose it", async () => {
    // prepare
    const root = await appNow().signIn(ROOT);
    await root.post("/language", { language: "zh-CN", returnTo: "/console/admin" });
    // act
    const landing = await (await root.get("/admin")).text();
    const audit = await (await root.get("/admin/audit")).text();
    // assess
    expect(landing).toContain("客户变更审计记录");
    expect(landing).toContain("导出记录");
    expect(audit).toContain("客户本人（偏好设置中心）");
    expect(audit).toContain("驳回原因：Accounts still open");
  });
});
