/**
 * `npm run bench -- segments [CUSTOMERS]` (default 100,000): a large bank's import and three
 * segment previews through the local platform's API, each next to the bare DynamoDB Local calls
 * underneath it, measured in the same run: a parallel Scan with as many segments as the
 * platform's fan-out shards (no rule, no parsing), and BatchWriteItem of the same stored items
 * (no validation, no read of what is there). The ratio shows what the platform adds.
 */
import { CreateTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { BatchWriteCommand, DynamoDBDocumentClient, ScanCommand } from "@aws-sdk/lib-dynamodb";
import { createTableInput } from "../infra/local/provision.js";
import { TABLES } from "../infra/resources.js";
import {
  apiClient,
  childPeakMemory,
  local,
  mib,
  printTable,
  rate,
  rssSampler,
  seconds,
  startBenchPlatform,
} from "./support.js";

const customers = Number(process.argv[2] ?? 100_000);
if (!Number.isInteger(customers) || customers < 100) {
  console.error("Usage: npm run bench -- segments [CUSTOMERS]   (a whole number, at least 100; default 100000)");
  process.exit(2);
}
const MARKETER = "bench-marketer-token-1";
const IMPORT_CHUNK_ROWS = 5_000;
const PREVIEW_RUNS = 2;

const rss = rssSampler();

// A varied bank, the same every run: a seeded PRNG (mulberry32).
let seed = 20261123;
const random = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const between = (low: number, high: number) => Math.floor(low + random() * (high - low));
const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
const weighted = <T>(choices: readonly (readonly [T, number])[]) => {
  let r = random() * choices.reduce((sum, [, w]) => sum + w, 0);
  for (const [value, w] of choices) {
    r -= w;
    if (r < 0) return value;
  }
  return choices[choices.length - 1][0];
};

const REGIONS = [
  ["Changchun", 30],
  ["Jilin", 20],
  ["Siping", 12],
  ["Yanbian", 10],
  ["Tonghua", 8],
  ["Songyuan", 7],
  ["Baicheng", 7],
  ["Baishan", 6],
] as const;
/** AUM bands of the default tier thresholds (README); a boundary belongs to the higher tier. */
const BANDS = [
  ["mass", 0, 50_000, 45],
  ["mass_affluent", 50_000, 200_000, 28],
  ["affluent", 200_000, 3_000_000, 20],
  ["high_net_worth", 3_000_000, 60_000_000, 7],
] as const;
const INDIVIDUAL_PRODUCTS = [
  "DEPOSIT_CURRENT",
  "DEPOSIT_TIME",
  "WEALTH_FUND",
  "CREDIT_CARD",
  "DEBIT_CARD",
  "MORTGAGE",
  "CONSUMER_LOAN",
  "INSURANCE",
];
const CORPORATE_PRODUCTS = ["DEPOSIT_CURRENT", "DEPOSIT_TIME", "SETTLEMENT", "REVOLVING_CREDIT", "INSURANCE"];
const ASSET_PRODUCTS = new Set(["MORTGAGE", "CONSUMER_LOAN", "REVOLVING_CREDIT"]);
const SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗";
const GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂";
const MANAGERS = Array.from({ length: 24 }, (_, i) => `rm-${String(i + 1).padStart(2, "0")}`);

type Row = {
  customerId: string;
  type: "individual" | "corporate";
  name: string;
  email?: string;
  phone?: string;
  aum: number;
  products: string;
  region: string;
  emailConsent: boolean;
  relationshipManager?: string;
};

const tierOf = (row: Row) =>
  row.type === "corporate" ? null : [...BANDS].reverse().find(([, low]) => row.aum >= low)![0];

const rows: Row[] = Array.from({ length: customers }, (_, i) => {
  const corporate = random() < 0.12;
  const band = weighted(BANDS.map((b) => [b, b[3]] as const));
  // One in a hundred sits exactly on its band's lower boundary.
  const aum = corporate ? between(100_000, 100_000_000) : random() < 0.01 ? band[1] : between(band[1], band[2]);
  const pool = [...(corporate ? CORPORATE_PRODUCTS : INDIVIDUAL_PRODUCTS)];
  const products = Array.from({ length: between(1, 4) }, () => pool.splice(Math.floor(random() * pool.length), 1)[0]);
  const region = weighted(REGIONS);
  const managed = corporate ? 0.85 : band[0] === "affluent" || band[0] === "high_net_worth" ? 0.7 : 0.03;
  return {
    customerId: `SEG-${String(i).padStart(7, "0")}`,
    type: corporate ? "corporate" : "individual",
    name: corporate
      ? `${region} ${pick(["Trading", "Machinery", "Logistics", "Agri", "Pharma", "Steel"])} Co. ${i}`
      : `${pick([...SURNAMES])}${pick([...GIVEN])}${random() < 0.5 ? pick([...GIVEN]) : ""}`,
    ...(random() < 0.96 ? { email: `c${i}@customers.test` } : {}),
    ...(random() < 0.6 ? { phone: `138${String(between(0, 100_000_000)).padStart(8, "0")}` } : {}),
    aum,
    products: products.join(";"),
    region,
    emailConsent: random() < 0.85,
    ...(random() < managed ? { relationshipManager: pick(MANAGERS) } : {}),
  };
});

/** Three shapes of rule, each with the count the generated rows say it must find. */
const SEGMENTS = [
  {
    label: "region = Siping (eq)",
    rule: { attr: "region", op: "eq", value: "Siping" },
    expect: (r: Row) => r.region === "Siping",
  },
  {
    label: "all/any/not, holds, lacksCategory",
    rule: {
      all: [
        {
          any: [
            { holds: "CREDIT_CARD" },
            { all: [{ holds: "DEPOSIT_TIME" }, { attr: "productCount", op: "gte", value: 2 }] },
          ],
        },
        { lacksCategory: "asset" },
        {
          not: {
            any: [
              { attr: "type", op: "eq", value: "corporate" },
              { attr: "emailConsent", op: "eq", value: false },
            ],
          },
        },
      ],
    },
    expect: (r: Row) => {
      const held = r.products.split(";");
      return (
        (held.includes("CREDIT_CARD") || (held.includes("DEPOSIT_TIME") && held.length >= 2)) &&
        !held.some((p) => ASSET_PRODUCTS.has(p)) &&
        r.type !== "corporate" &&
        r.emailConsent
      );
    },
  },
  {
    label: "aum between, tier in",
    rule: {
      all: [
        { attr: "aum", op: "between", value: [100_000, 5_000_000] },
        { attr: "tier", op: "in", value: ["mass_affluent", "high_net_worth"] },
      ],
    },
    expect: (r: Row) =>
      r.aum >= 100_000 && r.aum <= 5_000_000 && ["mass_affluent", "high_net_worth"].includes(tierOf(r) ?? ""),
  },
];

async function main() {
  // The previews here are the full scan, as before SYNC_COUNT_MAX_CUSTOMERS: the bound lifted past
  // the bank, so every count is exact and the figures stay comparable. `counts` measures the bound.
  const platform = await startBenchPlatform(`bench:marketer:${MARKETER}`, {
    SYNC_COUNT_MAX_CUSTOMERS: String(customers),
  });
  const api = apiClient(platform.apiUrl, MARKETER);
  // What the platform's own scan reads, now that the environment is the platform's.
  const { config } = await import("../shared/config/index.js");
  const { FANOUT_SHARDS: shards, FANOUT_PAGE_SIZE: pageSize } = config();
  const dynamodb = new DynamoDBClient({ ...local, endpoint: platform.env.AWS_ENDPOINT_URL_DYNAMODB });
  const doc = DynamoDBDocumentClient.from(dynamodb);
  try {
    // Import through the API, NDJSON in chunks, one request at a time.
    const bodies = Array.from({ length: Math.ceil(customers / IMPORT_CHUNK_ROWS) }, (_, i) =>
      rows
        .slice(i * IMPORT_CHUNK_ROWS, (i + 1) * IMPORT_CHUNK_ROWS)
        .map((r) => JSON.stringify(r))
        .join("\n"),
    );
    let imported = 0;
    let t = performance.now();
    for (const body of bodies) {
      const summary = await api("POST", "/api/customers/import", body, MARKETER, "application/x-ndjson");
      if (summary.rejected.length > 0)
        throw new Error(`import rejected rows: ${JSON.stringify(summary.rejected.slice(0, 3))}`);
      imported += summary.imported;
    }
    const importSeconds = seconds(t);
    if (imported !== customers) throw new Error(`imported ${imported} of ${customers}`);

    // Three segments, each previewed PREVIEW_RUNS times (the first includes the cold start of the rule code).
    const previews: { label: string; count: number; expected: number; ms: number[] }[] = [];
    for (const segment of SEGMENTS) {
      const { segmentId } = await api("POST", "/api/segments", { name: `bench: ${segment.label}`, rule: segment.rule });
      const ms: number[] = [];
      let count = 0;
      for (let run = 0; run < PREVIEW_RUNS; run++) {
        t = performance.now();
        count = (await api("GET", `/api/segments/${segmentId}/preview`)).count;
        ms.push(seconds(t) * 1000);
      }
      previews.push({ label: segment.label, count, expected: rows.filter(segment.expect).length, ms });
    }

    // The first segment again, as a preview run: jobs on the fan-out queue, one page per job.
    const { segmentId: runSegment } = await api("POST", "/api/segments", {
      name: `bench run: ${SEGMENTS[0].label}`,
      rule: SEGMENTS[0].rule,
    });
    t = performance.now();
    const { previewId } = await api("POST", `/api/segments/${runSegment}/previews`);
    let run: { status: string; count: number; pagesCounted: number };
    do {
      await new Promise((r) => setTimeout(r, 250));
      run = await api("GET", `/api/segments/${runSegment}/previews/${previewId}`);
    } while (run.status !== "done");
    const previewRun = {
      ms: seconds(t) * 1000,
      count: run.count,
      pages: run.pagesCounted,
      expected: previews[0].expected,
    };
    const platformPeakRss = rss.peak;

    // The bare parallel Scan underneath: the same segments and page size, no parsing, no rule.
    const bareScan = async () => {
      const shardItems = await Promise.all(
        Array.from({ length: shards }, async (_, segment) => {
          const items: Record<string, unknown>[] = [];
          let key: Record<string, unknown> | undefined;
          do {
            const out = await doc.send(
              new ScanCommand({
                TableName: platform.env.CUSTOMERS_TABLE,
                Segment: segment,
                TotalSegments: shards,
                Limit: pageSize,
                ExclusiveStartKey: key,
              }),
            );
            items.push(...(out.Items ?? []));
            key = out.LastEvaluatedKey;
          } while (key);
          return items;
        }),
      );
      return shardItems.flat();
    };
    const scanMs: number[] = [];
    let stored: Record<string, unknown>[] = [];
    for (let run = 0; run < PREVIEW_RUNS; run++) {
      t = performance.now();
      stored = await bareScan();
      scanMs.push(seconds(t) * 1000);
    }
    if (stored.length !== customers) throw new Error(`bare scan read ${stored.length} of ${customers}`);

    // The bare BatchWriteItem of the very items the import stored, into a scratch table of the
    // same definition (25 a batch, 4 in flight, unprocessed items retried).
    const scratch = "bench-scratch-customers";
    await dynamodb.send(new CreateTableCommand(createTableInput(scratch, TABLES.customers)));
    const batches = Array.from({ length: Math.ceil(stored.length / 25) }, (_, i) => stored.slice(i * 25, i * 25 + 25));
    t = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (next < batches.length) {
          let pending = batches[next++].map((Item) => ({ PutRequest: { Item } }));
          while (pending.length > 0) {
            const out = await doc.send(new BatchWriteCommand({ RequestItems: { [scratch]: pending } }));
            pending = (out.UnprocessedItems?.[scratch] ?? []) as typeof pending;
          }
        }
      }),
    );
    const bareWriteSeconds = seconds(t);
    const javaPeak = childPeakMemory("DynamoDBLocal.jar");

    const best = (ms: number[]) => Math.min(...ms);
    const ms = (values: number[]) => `${values.map((v) => v.toFixed(0)).join(" / ")} ms`;
    const table = [
      ["what", "platform", "bare DynamoDB Local", "ratio"],
      ["---", "---", "---", "---"],
      [
        "import (rows)",
        `${rate(customers, importSeconds)} (${importSeconds.toFixed(1)} s)`,
        `${rate(customers, bareWriteSeconds)} (${bareWriteSeconds.toFixed(1)} s)`,
        `${(importSeconds / bareWriteSeconds).toFixed(1)}x`,
      ],
      ...previews.map((p) => [
        `preview: ${p.label}`,
        `${ms(p.ms)}, ${p.count.toLocaleString("en")}${p.count === p.expected ? "" : ` (expected ${p.expected.toLocaleString("en")}!)`}`,
        ms(scanMs),
        `${(best(p.ms) / best(scanMs)).toFixed(1)}x`,
      ]),
      [
        `preview run (jobs): ${SEGMENTS[0].label}, ${previewRun.pages} pages`,
        `${previewRun.ms.toFixed(0)} ms, ${previewRun.count.toLocaleString("en")}${previewRun.count === previewRun.expected ? "" : ` (expected ${previewRun.expected.toLocaleString("en")}!)`}`,
        ms(scanMs),
        `${(previewRun.ms / best(scanMs)).toFixed(1)}x`,
      ],
      [
        `  scan rate (${shards} segments, pages of ${pageSize})`,
        rate(customers, best(previews.map((p) => best(p.ms))) / 1000),
        rate(customers, best(scanMs) / 1000),
        "",
      ],
      ["peak RSS, this process (import + previews)", mib(platformPeakRss), "", ""],
      ["peak RSS, this process (whole run)", mib(rss.peak), "", ""],
      ["peak RSS, DynamoDB Local's JVM (VmHWM)", javaPeak === undefined ? "n/a" : mib(javaPeak), "", ""],
    ];
    console.log(
      `\nSegments, ${customers.toLocaleString("en")} customers, Node ${process.version}; preview and scan times are run 1 / run 2, ratios use the best\n`,
    );
    printTable(table, 44, 28);
  } finally {
    rss.stop();
    dynamodb.destroy();
    await platform.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
