import { parse } from "csv-parse/sync";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { api } from "./client.js";

/**
 * A segment export is admin-only, needs a reason, is recorded before the file is answered, and
 * cannot smuggle a formula into a spreadsheet. "root" is the test admin.
 */
const REGION = "ExportTown";
const EVIL = '=HYPERLINK("http://evil","x")';
const csv = [
  "customerId,type,name,email,phone,aum,products,region,emailConsent,relationshipManager,language",
  `EXP-1,individual,"${EVIL.replaceAll('"', '""')}",evil@example.cn,,250000,DEPOSIT_CURRENT,${REGION},true,,en`,
  `EXP-2,individual,李小龙,lixiaolong@bank.cn,+86 13812345678,80000,DEPOSIT_CURRENT;WEALTH_FUND,${REGION},true,zhou,zh-CN`,
  `EXP-3,corporate,"Songhua Logistics, Ltd.",treasury@songhua.cn,,9000000,SETTLEMENT,${REGION},false,,zh-CN`,
  `EXP-4,individual,Small Saver,small.saver@bank.cn,,10000,DEPOSIT_CURRENT,${REGION},true,,zh-CN`,
].join("\n");

const MEMBERS = [
  {
    customerId: "EXP-1",
    type: "individual",
    name: `'${EVIL}`,
    email: "evil@example.cn",
    phone: "",
    tier: "affluent",
    region: REGION,
    aum: "250000",
    products: "DEPOSIT_CURRENT",
    relationshipManager: "",
    language: "en",
  },
  {
    customerId: "EXP-2",
    type: "individual",
    name: "李小龙",
    email: "lixiaolong@bank.cn",
    phone: "'+86 13812345678",
    tier: "mass_affluent",
    region: REGION,
    aum: "80000",
    products: "DEPOSIT_CURRENT;WEALTH_FUND",
    relationshipManager: "zhou",
    language: "zh-CN",
  },
  {
    customerId: "EXP-3",
    type: "corporate",
    name: "Songhua Logistics, Ltd.",
    email: "treasury@songhua.cn",
    phone: "",
    tier: "",
    region: REGION,
    aum: "9000000",
    products: "SETTLEMENT",
    relationshipManager: "",
    language: "zh-CN",
  },
];

/** The raw answer: the BOM is part of what is checked, and Response.text() would drop it. */
async function download(path: string) {
  const response = await fetch(`${inject("apiUrl")}${path}`, { headers: { authorization: "Bearer it-admin-token" } });
  return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
}

let segmentId: string;

beforeAll(async () => {
  const imported = await api("POST", "/api/customers/import", "marketer", csv, "text/csv");
  expect(imported.body).toMatchObject({ rejected: [] });
  const created = await api("POST", "/api/segments", "marketer", {
    name: "ExportTown 储蓄 savers",
    rule: {
      all: [
        { attr: "region", op: "eq", value: REGION },
        { attr: "aum", op: "gte", value: 50_000 },
      ],
    },
  });
  segmentId = created.body.segmentId;
});

describe("GET /api/segments/{id}/export", () => {
  it.each(["marketer", "analyst", "approver"] as const)("refuses a %s, naming who may export", async (role) => {
    const refused = await api("GET", `/api/segments/${segmentId}/export?reason=quarterly%20call%20list`, role);

    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ code: "forbidden", message: expect.stringContaining("admin") });
  });

  it("needs a reason of at least 5 characters, naming it", async () => {
    const missing = await api("GET", `/api/segments/${segmentId}/export`, "admin");
    const short = await api("GET", `/api/segments/${segmentId}/export?reason=why`, "admin");

    expect(missing.status).toBe(400);
    expect(missing.body.message).toContain("reason");
    expect(short.status).toBe(400);
    expect(short.body.message).toContain("reason");
  });

  it("answers the members in full as UTF-8 CSV with a BOM, the formula defused, and records the export", async () => {
    const file = await download(
      `/api/segments/${segmentId}/export?reason=${encodeURIComponent("RM call list, Q3 wealth drive")}`,
    );
    const rows = parse(file.bytes, { bom: true, columns: true }) as Record<string, string>[];
    const trail = await api("GET", `/api/segments/${segmentId}/exports`, "approver");

    expect(file.status).toBe(200);
    expect(file.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(file.headers.get("content-disposition")).toBe(
      `attachment; filename="segment-exporttown-savers-v1.csv"; filename*=UTF-8''${encodeURIComponent("segment-exporttown-储蓄-savers-v1.csv")}`,
    );
    expect([...file.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(rows).toEqual(MEMBERS);
    expect(rows[0].name.startsWith("'")).toBe(true);
    expect(trail.status).toBe(200);
    expect(trail.body.exports).toEqual([
      {
        exportId: expect.any(String),
        segmentId,
        segmentVersion: 1,
        segmentName: "ExportTown 储蓄 savers",
        actor: "root",
        at: expect.any(String),
        rows: 3,
        reason: "RM call list, Q3 wealth drive",
      },
    ]);
  });

  it("exports the version asked for, and lists the exports newest first", async () => {
    await api("PUT", `/api/segments/${segmentId}`, "marketer", {
      name: "ExportTown everyone",
      rule: { attr: "region", op: "eq", value: REGION },
    });

    const latest = await download(
      `/api/segments/${segmentId}/export?reason=${encodeURIComponent("whole town for the branch")}`,
    );
    const first = await download(
      `/api/segments/${segmentId}/export?version=1&reason=${encodeURIComponent("first version again")}`,
    );
    const trail = await api("GET", `/api/segments/${segmentId}/exports`, "admin");

    expect(
      (parse(latest.bytes, { bom: true, columns: true }) as { customerId: string }[]).map((r) => r.customerId),
    ).toEqual(["EXP-1", "EXP-2", "EXP-3", "EXP-4"]);
    expect(parse(first.bytes, { bom: true, columns: true })).toEqual(MEMBERS);
    expect(
      trail.body.exports.map((e: { segmentVersion: number; rows: number; reason: string }) => [
        e.segmentVersion,
        e.rows,
        e.reason,
      ]),
    ).toEqual([
      [1, 3, "first version again"],
      [2, 4, "whole town for the branch"],
      [1, 3, "RM call list, Q3 wealth drive"],
    ]);
  });

  it("shows the trail to approvers and admins only, and appears in the OpenAPI document as text/csv", async () => {
    const marketer = await api("GET", `/api/segments/${segmentId}/exports`, "marketer");
    const unknown = await api("GET", "/api/segments/no-such-segment/exports", "admin");
    const doc = await api("GET", "/openapi.json", null);

    expect(marketer.status).toBe(403);
    expect(unknown.status).toBe(404);
    expect(doc.body.paths["/api/segments/{segmentId}/export"].get.responses["200"].content).toHaveProperty("text/csv");
    expect(doc.body.paths["/api/segments/{segmentId}/exports"]).toHaveProperty("get");
  });
});
