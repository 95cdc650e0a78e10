import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import type { Customer } from "../../shared/customers/customer.js";
import type { CustomerStore, ScanPage } from "../../shared/customers/ports.js";
import type { Actor } from "../../shared/kernel/actor.js";
import { ExportTooLargeError, ForbiddenError, NotFoundError } from "../../shared/kernel/errors.js";
import {
  EXPORT_COLUMNS,
  EXPORT_MAX_ROWS,
  type ExportRecord,
  ExportRequest,
  exportFileName,
  toCsv,
} from "../../shared/segments/export.js";
import { exportSegment, exportsOf } from "../../shared/segments/export-segment.js";
import type { SegmentExportStore, SegmentStore } from "../../shared/segments/ports.js";
import type { Segment } from "../../shared/segments/segment.js";
import { aCustomer } from "./fixtures.js";
import { platformWith } from "./platform.js";

const ADMIN: Actor = { name: "root", role: "admin" };
const NOW = new Date("2026-06-01T12:00:00.000Z");

/** One CSV line of one cell, without the BOM, header and line end. */
const cell = (value: string | number) =>
  toCsv(["x"], [[value]])
    .replace(/^\uFEFFx\r\n/, "")
    .replace(/\r\n$/, "");

describe("toCsv: cells are safe to open in a spreadsheet", () => {
  it.each([
    ["=", "=1+1", "'=1+1"],
    ["+", "+1+1", "'+1+1"],
    ["-", "-1+1", "'-1+1"],
    ["@", "@SUM(A1)", "'@SUM(A1)"],
    ["tab", "\t=1+1", "'\t=1+1"],
  ])("prefixes a cell starting with %s with a single quote", (_, value, expected) => {
    expect(cell(value)).toBe(expected);
  });

  it("prefixes a cell starting with a carriage return, and quotes it for the line break", () => {
    expect(cell("\r=1+1")).toBe(`"'\r=1+1"`);
  });

  it("prefixes and quotes a formula holding quotes and commas, and it parses back to the prefixed text", () => {
    const evil = '=HYPERLINK("http://evil","x")';

    const line = cell(evil);

    expect(line).toBe(`"'=HYPERLINK(""http://evil"",""x"")"`);
    expect(parse(line)).toEqual([[`'${evil}`]]);
  });

  it("leaves a normal value untouched, and a formula character later in the value too", () => {
    expect(cell("Wang Fang")).toBe("Wang Fang");
    expect(cell("wang.fang+news@example.cn")).toBe("wang.fang+news@example.cn");
    expect(cell("1+1=2")).toBe("1+1=2");
  });

  it("leaves numbers as numbers, a negative one included", () => {
    expect(cell(250_000)).toBe("250000");
    expect(cell(-5)).toBe("-5");
  });

  it("quotes values with commas, quotes and line breaks, and they parse back unchanged", () => {
    const values = ["Li, Na", 'The "Big" Company', "line one\nline two"];

    const lines = values.map(cell);

    expect(lines).toEqual(['"Li, Na"', '"The ""Big"" Company"', '"line one\nline two"']);
    expect(lines.map((line) => parse(line)[0][0])).toEqual(values);
  });

  it("keeps Chinese text as it is, in UTF-8 with a BOM", () => {
    const csv = toCsv(["name"], [["张伟"]]);

    expect(csv).toBe("\uFEFFname\r\n张伟\r\n");
    expect(Buffer.from(csv, "utf8").subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  });
});

describe("ExportRequest", () => {
  it("needs a reason of at least 5 characters, naming it", () => {
    const missing = ExportRequest.safeParse({});
    const short = ExportRequest.safeParse({ reason: " ok  " });

    expect(missing.error?.issues).toEqual([expect.objectContaining({ path: ["reason"] })]);
    expect(short.error?.issues).toEqual([
      expect.objectContaining({ path: ["reason"], message: expect.stringContaining("5 characters") }),
    ]);
    expect(ExportRequest.parse({ reason: "quarterly RM call list", version: "2" })).toEqual({
      reason: "quarterly RM call list",
      version: 2,
    });
  });
});

describe("exportFileName", () => {
  it("slugs the name, keeping an ASCII form and the name as written", () => {
    expect(exportFileName({ segmentId: "s-1", name: "Affluent savers, Jilin!", version: 3 })).toEqual({
      ascii: "segment-affluent-savers-jilin-v3.csv",
      utf8: "segment-affluent-savers-jilin-v3.csv",
    });
    expect(exportFileName({ segmentId: "s-1", name: "高端客户 2026", version: 1 })).toEqual({
      ascii: "segment-2026-v1.csv",
      utf8: "segment-高端客户-2026-v1.csv",
    });
    expect(exportFileName({ segmentId: "0b1c-2d", name: "高端客户", version: 1 }).ascii).toBe("segment-0b1c-2d-v1.csv");
  });
});

// --- the use case, on an in-memory platform -----------------------------------------------------

/** Deals the customers to shards round-robin and answers each shard in pages of `pageSize`. */
const scanned = (rows: Customer[]) =>
  ({
    async scanShard(shard: number, totalShards: number, pageSize: number, cursor?: string): Promise<ScanPage> {
      const mine = rows.filter((_, i) => i % totalShards === shard);
      const from = cursor ? Number(cursor) : 0;
      return {
        customers: mine.slice(from, from + pageSize),
        cursor: from + pageSize < mine.length ? String(from + pageSize) : undefined,
      };
    },
  }) as unknown as CustomerStore;

const SEGMENT: Segment = {
  segmentId: "seg-1",
  version: 2,
  name: "Jilin savers",
  rule: { attr: "region", op: "eq", value: "Jilin" },
  createdBy: "mei",
  createdAt: "2026-05-01T00:00:00.000Z",
};
const segmentStore = (segment: Segment = SEGMENT) =>
  ({
    get: async (id: string, version?: number) =>
      id === segment.segmentId && (version === undefined || version === segment.version) ? segment : null,
  }) as unknown as SegmentStore;

class ExportTrail implements SegmentExportStore {
  readonly records: ExportRecord[] = [];
  async append(record: ExportRecord) {
    this.records.push(record);
  }
  async of(segmentId: string) {
    return this.records.filter((r) => r.segmentId === segmentId).reverse();
  }
  async bankWide() {
    return { entries: [...this.records].reverse() };
  }
}

function setUp(rows: Customer[], options: { failAppend?: boolean; pageSize?: number } = {}) {
  const trail = new ExportTrail();
  if (options.failAppend) trail.append = async () => Promise.reject(new Error("table unavailable"));
  const p = platformWith(
    {
      customers: scanned(rows),
      segments: segmentStore(),
      segmentExports: trail,
      settings: { fanoutShards: 3, fanoutPageSize: options.pageSize ?? 2 },
    },
    NOW,
  );
  return { p, trail };
}

const members = [
  aCustomer({
    customerId: "C-3",
    name: "张伟",
    email: "zhangwei@bank.cn",
    phone: "+86 13812345678",
    products: ["DEPOSIT_CURRENT", "WEALTH_FUND"],
    relationshipManager: "zhou",
  }),
  aCustomer({
    customerId: "C-1",
    name: '=HYPERLINK("http://evil","x")',
    email: "evil@example.cn",
    tier: "affluent",
    aum: 250_000,
  }),
  aCustomer({
    customerId: "C-2",
    type: "corporate",
    name: "Songhua Logistics",
    email: "treasury@songhua.cn",
    tier: null,
    aum: 9_000_000,
    language: "en",
  }),
];
const others = [aCustomer({ customerId: "C-9", region: "Harbin" }), aCustomer({ customerId: "C-8", region: "Dalian" })];

describe("exportSegment", () => {
  it("answers every member in full, sorted by customer id, with the same matching as the preview", async () => {
    const { p } = setUp([...others, ...members]);

    const exported = await exportSegment(p, "seg-1", { reason: "RM call list for Q3" }, ADMIN);
    const rows = parse(exported.csv, { bom: true, columns: true }) as Record<string, string>[];

    expect(exported.csv.startsWith("\uFEFF")).toBe(true);
    expect(Object.keys(rows[0])).toEqual([...EXPORT_COLUMNS]);
    expect(rows).toEqual([
      {
        customerId: "C-1",
        type: "individual",
        name: `'=HYPERLINK("http://evil","x")`,
        email: "evil@example.cn",
        phone: "",
        tier: "affluent",
        region: "Jilin",
        aum: "250000",
        products: "DEPOSIT_CURRENT",
        relationshipManager: "",
        language: "zh-CN",
      },
      {
        customerId: "C-2",
        type: "corporate",
        name: "Songhua Logistics",
        email: "treasury@songhua.cn",
        phone: "",
        tier: "",
        region: "Jilin",
        aum: "9000000",
        products: "DEPOSIT_CURRENT",
        relationshipManager: "",
        language: "en",
      },
      {
        customerId: "C-3",
        type: "individual",
        name: "张伟",
        email: "zhangwei@bank.cn",
        phone: "'+86 13812345678",
        tier: "mass_affluent",
        region: "Jilin",
        aum: "120000",
        products: "DEPOSIT_CURRENT;WEALTH_FUND",
        relationshipManager: "zhou",
        language: "zh-CN",
      },
    ]);
    expect(exported.fileName).toEqual({ ascii: "segment-jilin-savers-v2.csv", utf8: "segment-jilin-savers-v2.csv" });
  });

  it("records who, when, which segment and version, how many rows and why", async () => {
    const { p, trail } = setUp([...others, ...members]);

    const exported = await exportSegment(p, "seg-1", { reason: "RM call list for Q3", version: 2 }, ADMIN);

    expect(trail.records).toEqual([
      {
        exportId: "id-1",
        segmentId: "seg-1",
        segmentVersion: 2,
        segmentName: "Jilin savers",
        actor: "root",
        at: NOW.toISOString(),
        rows: 3,
        reason: "RM call list for Q3",
      },
    ]);
    expect(exported.record).toEqual(trail.records[0]);
    expect(await exportsOf(p, "seg-1")).toEqual(trail.records);
  });

  it("records an empty segment too: an export of nobody is still an export", async () => {
    const { p, trail } = setUp(others);

    const exported = await exportSegment(p, "seg-1", { reason: "checking the rule" }, ADMIN);

    expect(exported.csv).toBe(`\uFEFF${EXPORT_COLUMNS.join(",")}\r\n`);
    expect(trail.records).toEqual([expect.objectContaining({ rows: 0 })]);
  });

  it("hands nothing over when the record cannot be written", async () => {
    const { p } = setUp(members, { failAppend: true });

    await expect(exportSegment(p, "seg-1", { reason: "RM call list for Q3" }, ADMIN)).rejects.toThrow(
      "table unavailable",
    );
  });

  it.each(["marketer", "approver", "analyst"] as const)(
    "refuses a %s, even one who reaches the use case",
    async (role) => {
      const { p, trail } = setUp(members);

      await expect(
        exportSegment(p, "seg-1", { reason: "RM call list for Q3" }, { name: "x", role }),
      ).rejects.toBeInstanceOf(ForbiddenError);
      expect(trail.records).toEqual([]);
    },
  );

  it("answers 404 for a segment or version that does not exist, recording nothing", async () => {
    const { p, trail } = setUp(members);

    await expect(exportSegment(p, "nope", { reason: "RM call list for Q3" }, ADMIN)).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(
      exportSegment(p, "seg-1", { reason: "RM call list for Q3", version: 7 }, ADMIN),
    ).rejects.toBeInstanceOf(NotFoundError);
    expect(trail.records).toEqual([]);
  });

  it(`refuses a segment above ${EXPORT_MAX_ROWS} members, recording nothing`, async () => {
    const crowd = Array.from({ length: EXPORT_MAX_ROWS + 1 }, (_, i) => aCustomer({ customerId: `C-${i}` }));
    const { p, trail } = setUp(crowd, { pageSize: 1000 });

    const refused = exportSegment(p, "seg-1", { reason: "everyone, please" }, ADMIN);

    await expect(refused).rejects.toBeInstanceOf(ExportTooLargeError);
    await expect(refused).rejects.toThrow(`${EXPORT_MAX_ROWS + 1} members`);
    expect(trail.records).toEqual([]);
  });
});
