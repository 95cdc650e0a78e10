/**
 * `npm run bench -- counts [CUSTOMERS]` (default 100,000): the builder's count of a bank larger
 * than SYNC_COUNT_MAX_CUSTOMERS (20,000, the default) against the full scan of the same base,
 * measured in the same run. Through the API, `POST /api/segments/preview` reads at most the
 * bound and answers an estimate; beside it, the same use case (previewRule) on the same ports
 * with no bound, which reads every customer as the count did before the bound.
 */
import type { Actor } from "../shared/kernel/actor.js";
import type { SegmentRule } from "../shared/segments/rule.js";
import { apiClient, printTable, rate, seconds, startBenchPlatform } from "./support.js";

const customers = Number(process.argv[2] ?? 100_000);
if (!Number.isInteger(customers) || customers < 1_000) {
  console.error("Usage: npm run bench -- counts [CUSTOMERS]   (a whole number, at least 1000; default 100000)");
  process.exit(2);
}
const MARKETER = "bench-marketer-token-1";
const BOUND = 20_000;
const RUNS = 2;
const CHUNK = 5_000;
const TOWNS = ["Siping", "Jilin", "Tonghua", "Baishan", "Yanji", "Songyuan", "Baicheng", "Liaoyuan"];
/** Siping gets one customer in eight, by a hash of the row number: the rule's truth is known. */
const townOf = (i: number) => TOWNS[Math.imul(i + 1, 2654435761) >>> 29];
const RULE: SegmentRule = { attr: "region", op: "eq", value: "Siping" };
const ME: Actor = { kind: "person", id: "bench", name: "bench", role: "marketer" };

const platform = await startBenchPlatform(`bench:marketer:${MARKETER}`, { SYNC_COUNT_MAX_CUSTOMERS: String(BOUND) });
const api = apiClient(platform.apiUrl, MARKETER);
try {
  let t = performance.now();
  for (let from = 0; from < customers; from += CHUNK) {
    const rows = Array.from({ length: Math.min(CHUNK, customers - from) }, (_, k) => {
      const i = from + k;
      return JSON.stringify({
        customerId: `B-${String(i).padStart(7, "0")}`,
        type: "individual",
        name: `Bench Customer ${i}`,
        email: `b${i}@bench.test`,
        aum: 10_000 + ((i * 7919) % 900_000),
        products: "DEPOSIT_CURRENT",
        region: townOf(i),
        emailConsent: i % 10 !== 0,
      });
    });
    await api("POST", "/api/customers/import", rows.join("\n"), MARKETER, "application/x-ndjson");
  }
  const importSeconds = seconds(t);
  const truth = Array.from({ length: customers }, (_, i) => townOf(i)).filter((town) => town === "Siping").length;

  // The full scan of the same base: the same use case and ports, the bound lifted.
  const { platform: ports } = await import("../shared/adapters/platform.js");
  const { previewRule } = await import("../shared/segments/preview-rule.js");
  const p = await ports();
  const unbounded = { ...p, settings: { ...p.settings, syncCountMaxCustomers: Number.POSITIVE_INFINITY } };

  const bounded: { ms: number; count: number; read: number; exact: boolean }[] = [];
  const full: { ms: number; count: number }[] = [];
  for (let run = 0; run < RUNS; run++) {
    t = performance.now();
    const estimate = await api("POST", "/api/segments/preview", { rule: RULE });
    bounded.push({
      ms: performance.now() - t,
      count: estimate.count,
      read: estimate.basedOn.customersRead,
      exact: estimate.exact,
    });
    t = performance.now();
    const exact = await previewRule(unbounded, RULE, ME);
    full.push({ ms: performance.now() - t, count: exact.count });
  }
  const best = (xs: { ms: number }[]) => Math.min(...xs.map((x) => x.ms));
  const b = bounded[bounded.length - 1];
  console.log(
    `\nCounts, ${customers.toLocaleString("en")} customers (imported at ${rate(customers, importSeconds)}), bound ${BOUND.toLocaleString("en")}, Node ${process.version}; times are run 1 / run 2, the ratio uses the best\n`,
  );
  printTable(
    [
      ["what", "time", "customers read", "count"],
      ["---", "---", "---", "---"],
      [
        `count, bound ${BOUND.toLocaleString("en")} (POST /api/segments/preview)`,
        bounded.map((x) => `${(x.ms / 1000).toFixed(2)} s`).join(" / "),
        b.read.toLocaleString("en"),
        `${b.exact ? "" : "about "}${b.count.toLocaleString("en")} (${(((b.count - truth) / truth) * 100).toFixed(1)}% off)`,
      ],
      [
        "full scan of the same base (previewRule, no bound)",
        full.map((x) => `${(x.ms / 1000).toFixed(2)} s`).join(" / "),
        customers.toLocaleString("en"),
        `${full[0].count.toLocaleString("en")}${full[0].count === truth ? "" : ` (expected ${truth.toLocaleString("en")}!)`}`,
      ],
      ["ratio, full / bounded", `${(best(full) / best(bounded)).toFixed(1)}x`, "", ""],
    ],
    52,
    22,
  );
} finally {
  await platform.stop();
}
