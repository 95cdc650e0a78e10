/**
 * What every benchmark shares: the local platform on free ports, an API caller, timing and
 * rates, the peak RSS of this process, DynamoDB Local's own peak memory, and the result table.
 */
import { readdirSync, readFileSync } from "node:fs";
import { freePort } from "../infra/local/emulators.js";
import { type LocalOptions, type LocalPlatform, startLocalPlatform } from "../infra/local/runtime.js";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true"; // see infra/local/start.ts

/** SDK client options for the local emulators. */
export const local = { region: "us-east-1", credentials: { accessKeyId: "local", secretAccessKey: "local" } };

/** The whole local platform (emulators, pollers, API) in this process, on free ports, with no demo bank. */
export async function startBenchPlatform(
  devTokens: string,
  settings: Record<string, string> = {},
  concurrency?: LocalOptions["concurrency"],
): Promise<LocalPlatform> {
  return startLocalPlatform({
    apiPort: await freePort(),
    dynamodbPort: await freePort(),
    sqsPort: await freePort(),
    sesPort: await freePort(),
    devTokens,
    seedDemo: false,
    settings: { POWERTOOLS_LOG_LEVEL: "ERROR", ...settings },
    concurrency,
  });
}

/** Calls the API as `token` unless told otherwise; a non-2xx answer throws with its body. */
export function apiClient(base: string, defaultToken: string) {
  return async (
    method: string,
    path: string,
    body?: unknown,
    token = defaultToken,
    contentType = "application/json",
  ) => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": contentType },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return response.json() as Promise<any>;
  };
}

export type Api = ReturnType<typeof apiClient>;

/** The benchmarks' campaign to a segment: one message, no control group, approved and ready to launch. */
export async function approvedCampaign(api: Api, segmentId: string, approverToken: string, name: string) {
  const { campaignId } = await api("POST", "/api/campaigns", {
    name,
    segmentId,
    offer: { productCode: "WEALTH_FUND" },
    message: {
      subject: "Hello {{name}}",
      html: '<p>{{name}}: <a href="{{offerUrl}}">offer</a></p>',
      text: "{{name}}: {{offerUrl}}",
    },
    controlGroupPercent: 0,
  });
  await api("POST", `/api/campaigns/${campaignId}/submit`);
  await api("POST", `/api/campaigns/${campaignId}/approve`, undefined, approverToken);
  return campaignId as string;
}

/**
 * Polls a launched campaign's stats every `pollMs` until it completes, checks that all
 * `customers` were sent, and returns the last stats; `onPoll` sees each poll. Fails after 15 minutes.
 */
export async function untilCompleted(
  api: Api,
  campaignId: string,
  launchedAt: number,
  customers: number,
  pollMs: number,
  onPoll: (stats: any) => void = () => {},
) {
  for (;;) {
    const stats = await api("GET", `/api/campaigns/${campaignId}/stats`);
    onPoll(stats);
    if (stats.status === "completed") {
      if (stats.sent !== customers) throw new Error(`sent ${stats.sent} of ${customers}`);
      return stats;
    }
    if (seconds(launchedAt) > 900) throw new Error(`not completed after 15 minutes: ${JSON.stringify(stats)}`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

export const seconds = (since: number) => (performance.now() - since) / 1000;
export const rate = (n: number, s: number) => `${Math.round(n / s).toLocaleString("en")}/s`;
export const mib = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MiB`;

/** Samples this process's RSS every 50 ms from now on; `peak` is the highest seen. */
export function rssSampler() {
  let peak = 0;
  const sample = () => (peak = Math.max(peak, process.memoryUsage().rss));
  const timer = setInterval(sample, 50);
  return {
    get peak() {
      sample();
      return peak;
    },
    stop: () => clearInterval(timer),
  };
}

/**
 * Peak resident memory (VmHWM, bytes) of a child of this process whose command line contains
 * `marker`, such as DynamoDB Local's JVM; undefined where /proc is not there (not Linux).
 */
export function childPeakMemory(marker: string): number | undefined {
  try {
    for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
      try {
        const status = readFileSync(`/proc/${pid}/status`, "utf8");
        if (Number(/^PPid:\s+(\d+)/m.exec(status)?.[1]) !== process.pid) continue;
        if (!readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(marker)) continue;
        const kb = /^VmHWM:\s+(\d+) kB/m.exec(status)?.[1];
        return kb ? Number(kb) * 1024 : undefined;
      } catch {
        // the process ended while we looked
      }
    }
  } catch {
    // no /proc
  }
  return undefined;
}

/** Prints rows as a Markdown table, the first column `first` wide and the others `rest`. */
export function printTable(rows: string[][], first = 32, rest = 22) {
  for (const row of rows) console.log(`| ${row.map((c, i) => c.padEnd(i === 0 ? first : rest)).join(" | ")} |`);
}
