/**
 * `npm run bench -- import [ROWS...]` (default 10000 50000 200000): `npm run import` of CSV
 * files of growing size into the local platform, each in its own process so that its peak
 * memory can be read. Two baselines run in the same way on the same files:
 * - the same streaming read, parse and chunking with nothing sent: the importer's own ceiling;
 * - the whole file read into memory and parsed at once, as one API request handles a body.
 * Then both baselines run once more on the largest file with the heap capped, which shows what
 * each way needs rather than what V8 took because it could.
 * The point: the importer's memory stays flat as the file grows; reading everything does not.
 */
import { spawn } from "node:child_process";
import { closeSync, createReadStream, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { decodeImport, parseImport } from "../shared/customers/import/import-file.js";
import { balances, type StreamImportSummary, streamImport } from "../shared/customers/import/import-stream.js";
import { mib, printTable, startBenchPlatform } from "./support.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const TOKEN = "bench-marketer-token-1";
const HEADER = "customerId,type,name,email,aum,products,region,emailConsent";

/** Loaded before anything else in each measured process: it reports the process's peak RSS (KiB) as it exits. */
const REPORT_PEAK_RSS = `data:text/javascript,process.on("exit",()=>process.stderr.write("\\npeakRssKiB="+process.resourceUsage().maxRSS+"\\n"))`;

type Measured = { rows: number; seconds: number; peakRss: number };

/** Runs `node NODE_FLAGS --import tsx ARGS` with the peak-RSS reporter; its stdout's last line is JSON. */
function measure(args: string[], nodeFlags: string[] = []): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeFlags, "--import", REPORT_PEAK_RSS, "--import", "tsx", ...args], {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      const peak = /peakRssKiB=(\d+)/.exec(stderr);
      if (code !== 0 || !peak) return reject(new Error(`${args.join(" ")} exited ${code}: ${stderr.trim()}`));
      const out = JSON.parse(stdout.trim().split("\n").pop()!) as {
        rowsRead: number;
        seconds: number;
      } & Partial<StreamImportSummary>;
      if (out.imported !== undefined && !balances(out as StreamImportSummary))
        return reject(new Error(`the import does not balance: ${stdout}`));
      resolve({ rows: out.rowsRead, seconds: out.seconds, peakRss: Number(peak[1]) * 1024 });
    });
  });
}

/** A CSV of `rows` customers, a third with Chinese names, one row in 1,000 with a bad email. */
function writeCsv(path: string, rows: number, prefix: string) {
  const fd = openSync(path, "w");
  try {
    writeSync(fd, `${HEADER}\n`);
    for (let start = 0; start < rows; start += 10_000) {
      const lines: string[] = [];
      for (let i = start; i < Math.min(rows, start + 10_000); i++) {
        const name = i % 3 === 0 ? `张伟 ${i}` : `Customer ${i}`;
        const email = i % 1000 === 999 ? "not-an-email" : `c${i}@${prefix.toLowerCase()}.example.cn`;
        lines.push(
          `${prefix}-${i},individual,${name},${email},${(i * 7919) % 4_000_000},DEPOSIT_CURRENT;CREDIT_CARD,BenchImport,${i % 4 ? "true" : "false"}`,
        );
      }
      writeSync(fd, `${lines.join("\n")}\n`);
    }
  } finally {
    closeSync(fd);
  }
}

/** In a child process: a baseline over FILE, printing { rowsRead, seconds } as JSON. */
async function baseline(mode: string, file: string) {
  const started = performance.now();
  let rowsRead: number;
  if (mode === "stream") {
    // The importer's read, decode, parse, validation and chunking; the "API" answers at once.
    const summary = await streamImport(createReadStream(file, { highWaterMark: 64 * 1024 }), {
      format: "csv",
      send: async (ndjson) => {
        let rows = 1;
        for (let at = ndjson.indexOf("\n"); at >= 0; at = ndjson.indexOf("\n", at + 1)) rows++;
        return { rowsRead: rows, imported: rows, updated: 0, unchanged: 0, rejected: [], consentKept: 0 };
      },
    });
    rowsRead = summary.rowsRead;
  } else {
    // What one request does with a body: all of it in memory, decoded, then parsed.
    const { profiles, rejected } = parseImport(decodeImport(readFileSync(file)).text, "csv");
    rowsRead = profiles.length + rejected.length;
  }
  console.log(JSON.stringify({ rowsRead, seconds: (performance.now() - started) / 1000 }));
}

async function main(sizes: number[]) {
  const dir = mkdtempSync(join(tmpdir(), "bench-import-"));
  const platform = await startBenchPlatform(`bench:marketer:${TOKEN}`);
  const results: { rows: number; bytes: number; importer: Measured; stream: Measured; whole: Measured }[] = [];
  let floor: Measured;
  let cappedRuns: { rows: number; stream?: Measured; whole?: Measured };
  try {
    // What Node with tsx costs before any row: every process below starts from it.
    floor = await measure(["-e", "console.log(JSON.stringify({ rowsRead: 0, seconds: 0 }))"]);
    // DynamoDB Local's JVM is slow until warm: a first, unmeasured import.
    const warmUp = join(dir, "warm-up.csv");
    writeCsv(warmUp, 3000, "IMPBWARM");
    await measure(["infra/local/import-cli.ts", warmUp, "--api", platform.apiUrl, "--token", TOKEN, "--json"]);
    for (const rows of sizes) {
      const file = join(dir, `customers-${rows}.csv`);
      writeCsv(file, rows, `IMPB${rows}`);
      const bytes = statSync(file).size;
      process.stdout.write(`${rows.toLocaleString("en")} rows (${megabytes(bytes)}): importing…`);
      const importer = await measure([
        "infra/local/import-cli.ts",
        file,
        "--api",
        platform.apiUrl,
        "--token",
        TOKEN,
        "--json",
      ]);
      const stream = await measure(["bench/import.ts", "--baseline", "stream", file]);
      const whole = await measure(["bench/import.ts", "--baseline", "whole", file]);
      for (const [what, m] of Object.entries({ importer, stream, whole })) {
        if (m.rows !== rows) throw new Error(`${what} read ${m.rows} of ${rows} rows`);
      }
      console.log(` ${Math.round(importer.seconds)} s`);
      results.push({ rows, bytes, importer, stream, whole });
    }
    // Peak RSS is also V8 letting its heap grow while it can. With the heap capped, what each
    // way truly needs shows: the largest file once more, both baselines, at most 64 MiB of heap.
    const largest = results.at(-1)!;
    const file = join(dir, `customers-${largest.rows}.csv`);
    const capped = (mode: string) =>
      measure(["bench/import.ts", "--baseline", mode, file], [`--max-old-space-size=${CAPPED_HEAP_MIB}`]).catch(
        () => undefined,
      );
    cappedRuns = { rows: largest.rows, stream: await capped("stream"), whole: await capped("whole") };
  } finally {
    await platform.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const perSecond = (m: Measured) => `${Math.round(m.rows / m.seconds).toLocaleString("en")}/s`;
  console.log(
    `\nImporting a CSV (UTF-8, a third Chinese names), Node ${process.version}: rows/s and peak RSS of each process\n`,
  );
  printTable(
    [
      ["rows (file)", "npm run import → platform", "same, nothing sent", "whole file at once"],
      ...results.map((r) => [
        `${r.rows.toLocaleString("en")} (${megabytes(r.bytes)})`,
        `${perSecond(r.importer)}, ${mib(r.importer.peakRss)}`,
        `${perSecond(r.stream)}, ${mib(r.stream.peakRss)}`,
        `${perSecond(r.whole)}, ${mib(r.whole.peakRss)}`,
      ]),
    ],
    18,
    26,
  );
  const outcome = (m?: Measured) => (m ? `${mib(m.peakRss)} peak RSS` : "out of memory");
  console.log(`\nNode with tsx and no work: ${mib(floor.peakRss)}.`);
  console.log(
    `Heap capped at ${CAPPED_HEAP_MIB} MiB, ${cappedRuns.rows.toLocaleString("en")} rows: streaming ${outcome(cappedRuns.stream)}; whole file at once ${outcome(cappedRuns.whole)}.`,
  );
}

const CAPPED_HEAP_MIB = 64;

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

const args = process.argv.slice(2);
if (args[0] === "--baseline") {
  await baseline(args[1], args[2]);
} else {
  const sizes = args.length ? args.map(Number) : [10_000, 50_000, 200_000];
  if (sizes.some((n) => !Number.isInteger(n) || n < 1000)) {
    console.error(
      "Usage: npm run bench -- import [ROWS...]   (whole numbers, at least 1000 each; default 10000 50000 200000)",
    );
    process.exit(2);
  }
  await main(sizes).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
