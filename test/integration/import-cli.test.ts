/**
 * `npm run import` as a user runs it: the real CLI in a child process, against the platform
 * global-setup.ts started. Its customers are IMPCLI-* in their own region, so other files'
 * assertions are untouched.
 */

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, inject, it } from "vitest";
import { freePort } from "../../infra/local/emulators.js";
import { gbk } from "../support/gbk.js";
import { runScript, type ScriptRun } from "../support/run-script.js";
import { api } from "./client.js";

const REGION = "ImpCliRegion";
const HEADER = "customerId,type,name,email,aum,products,region,emailConsent";
const MARKETER = "it-marketer-token";
const dir = mkdtempSync(join(tmpdir(), "import-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `npm run import -- ARGS`, to its exit. */
const cli = (...args: string[]) => runScript("infra/local/import-cli.ts", args);

const file = (name: string, content: string | Uint8Array) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

type Summary = {
  rowsRead: number;
  imported: number;
  updated: number;
  unchanged: number;
  rejected: number;
  rejectedLines: { line: number; reason: string }[];
  encoding: string;
};
const summaryOf = (run: ScriptRun) => JSON.parse(run.stdout.trim()) as Summary;
const balanced = (s: Summary) => s.imported + s.updated + s.unchanged + s.rejected === s.rowsRead;

describe("npm run import", () => {
  // 3,000 rows; row i sits on line i + 2. Rows 500, 1500 and 2500 are bad, and row 2999 repeats row 10.
  const ROWS = 3000;
  const rows = Array.from({ length: ROWS }, (_, i) => {
    if (i === 500) return `IMPCLI-${i},individual,Bad Email,not-an-email,1000,,${REGION},true`;
    if (i === 1500) return `IMPCLI-${i},individual,Negative,n${i}@example.cn,-1,,${REGION},true`;
    if (i === 2500) return `IMPCLI-${i},individual,Unknown Product,u${i}@example.cn,1000,GOLD_BAR,${REGION},true`;
    if (i === 2999) return `IMPCLI-10,individual,Again,again@example.cn,1000,,${REGION},true`;
    return `IMPCLI-${i},individual,Customer ${i},c${i}@impcli.example.cn,${(i * 7919) % 4_000_000},DEPOSIT_CURRENT,${REGION},${i % 3 ? "true" : "false"}`;
  });
  const big = file("customers.csv", `${[HEADER, ...rows].join("\n")}\n`);

  it("imports a file in chunks, reports each bad row by line and reason, and balances", async () => {
    // prepare / act
    const run = await cli(big, "--api", inject("apiUrl"), "--token", MARKETER, "--chunk", "700", "--json");
    // assess
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const summary = summaryOf(run);
    expect(summary).toMatchObject({
      rowsRead: ROWS,
      imported: ROWS - 4,
      updated: 0,
      unchanged: 0,
      rejected: 4,
      encoding: "utf-8",
    });
    expect(summary.rejectedLines.map((r) => r.line)).toEqual([502, 1502, 2502, 3001]);
    expect(summary.rejectedLines[0].reason).toMatch(/email/);
    expect(summary.rejectedLines[1].reason).toMatch(/aum.*negative/);
    expect(summary.rejectedLines[2].reason).toMatch(/GOLD_BAR/);
    expect(summary.rejectedLines[3].reason).toBe("customerId 'IMPCLI-10' already appears on line 12");
    expect(balanced(summary)).toBe(true);
    const stored = await api("GET", "/api/customers/IMPCLI-2998", "admin");
    expect(stored.body).toMatchObject({ name: "Customer 2998", region: REGION });
  });

  it("finds everything unchanged on a second run, and prints a readable summary and a rejects file", async () => {
    // prepare
    const rejects = join(dir, "rejects.csv");
    // act: without --json, as a person runs it
    const run = await cli(big, "--api", inject("apiUrl"), "--token", MARKETER, "--rejects", rejects);
    // assess
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`{ rowsRead: ${ROWS}, imported: 0, updated: 0, unchanged: ${ROWS - 4}, rejected: 4 }`);
    expect(run.stdout).toContain("= rows read ✓");
    expect(run.stdout).toContain("line 3001: customerId 'IMPCLI-10' already appears on line 12");
    expect(readFileSync(rejects, "utf8").split("\n")[0]).toBe("line,reason");
    expect(readFileSync(rejects, "utf8")).toContain('1502,"aum: aum must not be negative"');
  });

  it("imports a GBK file, and the Chinese names read back intact", async () => {
    // prepare: a core-banking export in GBK
    const path = file(
      "gbk.csv",
      gbk(
        [
          HEADER,
          `IMPCLI-G1,individual,张伟,zw@impcli.example.cn,250000,,${REGION},true`,
          `IMPCLI-G2,corporate,吉林陈,,0,,长春,true`,
        ].join("\r\n"),
      ),
    );
    // act
    const run = await cli(path, "--api", inject("apiUrl"), "--token", MARKETER, "--json");
    // assess
    expect(run.code).toBe(0);
    expect(summaryOf(run)).toMatchObject({ rowsRead: 2, imported: 2, rejected: 0, encoding: "gb18030" });
    const zhang = await api("GET", "/api/customers/IMPCLI-G1", "admin");
    expect(zhang.body).toMatchObject({ name: "张伟", tier: "affluent", masked: false });
    expect((await api("GET", "/api/customers/IMPCLI-G2", "admin")).body).toMatchObject({
      name: "吉林陈",
      region: "长春",
    });
  });

  it("says in one line that a file does not exist", async () => {
    // prepare / act
    const run = await cli(join(dir, "missing.csv"), "--api", inject("apiUrl"), "--token", MARKETER);
    // assess
    expect(run.code).not.toBe(0);
    expect(run.stderr.trim()).toBe(`No such file: ${join(dir, "missing.csv")}`);
    expect(run.stdout).toBe("");
  });

  it("says in one line that no platform answers at --api", async () => {
    // prepare: a port nothing listens on
    const nowhere = `http://127.0.0.1:${await freePort()}`;
    // act
    const run = await cli(big, "--api", nowhere, "--token", MARKETER);
    // assess
    expect(run.code).not.toBe(0);
    expect(run.stderr.trim().split("\n")).toEqual([
      `No platform answers at ${nowhere}: start it with \`npm start\` (in another terminal), or pass --api URL`,
    ]);
  });

  it("says what a 401 means when the token is wrong, before sending any row", async () => {
    // prepare / act
    const run = await cli(big, "--api", inject("apiUrl"), "--token", "not-a-token");
    // assess
    expect(run.code).not.toBe(0);
    expect(run.stderr.trim()).toMatch(/^The API does not know this token \(401\): pass --token or set IMPORT_TOKEN/);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("says that an analyst's token may not import (403)", async () => {
    // prepare / act
    const run = await cli(big, "--api", inject("apiUrl"), "--token", "it-analyst-token");
    // assess
    expect(run.code).not.toBe(0);
    expect(run.stderr.trim()).toBe(
      "This token's role may not import (403): importing needs a marketer's or admin's token",
    );
  });
});

describe("POST /api/customers/import: encodings", () => {
  const post = (body: Uint8Array, contentType = "text/csv") =>
    fetch(`${inject("apiUrl")}/api/customers/import`, {
      method: "POST",
      headers: { authorization: `Bearer ${MARKETER}`, "content-type": contentType },
      body,
    });

  it("reads a GBK body and answers which encoding it read", async () => {
    // prepare
    const body = gbk([HEADER, `IMPCLI-A1,individual,王芳,wf@impcli.example.cn,60000,,${REGION},true`].join("\n"));
    // act
    const response = await post(body);
    // assess
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ rowsRead: 1, imported: 1, rejected: [], encoding: "gb18030" });
    expect((await api("GET", "/api/customers/IMPCLI-A1", "admin")).body.name).toBe("王芳");
  });

  it("answers utf-8 for a UTF-8 body", async () => {
    // prepare
    const body = new TextEncoder().encode(
      [HEADER, `IMPCLI-A2,individual,李娜,ln@impcli.example.cn,60000,,${REGION},true`].join("\n"),
    );
    // act
    const response = await post(body);
    // assess
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ imported: 1, encoding: "utf-8" });
  });

  it("refuses bytes that are no text with a 400 that says how to convert them", async () => {
    // prepare: the start of a zip archive (an .xlsx workbook)
    const body = Uint8Array.from([
      0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0x08, 0x00, 0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10,
    ]);
    // act
    const response = await post(body);
    // assess
    expect(response.status).toBe(400);
    const error = (await response.json()) as { code: string; message: string };
    expect(error.code).toBe("invalid_request");
    expect(error.message).toMatch(/neither UTF-8 nor GBK.*iconv -f GBK -t UTF-8/);
  });
});
