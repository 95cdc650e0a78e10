/**
 * `npm run bench -- campaign [CUSTOMERS]`: a campaign's import, fan-out and send through the local
 * platform (no SES_MAX_SEND_RATE: the SES stand-in states a quota this machine cannot reach, so the
 * senders take their slots of the send rate but never wait for one; `npm run bench -- rate` holds them to a limit), each next to the bare emulator calls underneath it, measured in the same run, so
 * the ratio shows what the platform adds (validation, claims, counters, transactions).
 * Figures from a shared machine vary between runs: compare the ratios, not the absolutes.
 */

import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SESClient, SendRawEmailCommand } from "@aws-sdk/client-ses";
import {
  BatchWriteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import {
  apiClient,
  approvedCampaign,
  local,
  mib,
  printTable,
  rate,
  rssSampler,
  seconds,
  startBenchPlatform,
  untilCompleted,
} from "./support.js";

const customers = Number(process.argv[2] ?? 3000);
if (!Number.isInteger(customers) || customers < 100) {
  console.error("Usage: npm run bench -- campaign [CUSTOMERS]   (a whole number, at least 100; default 3000)");
  process.exit(2);
}
const TOKEN = "bench-admin-token-1";
const APPROVER = "bench-approver-token-1";

const rss = rssSampler();

const rows = Array.from({ length: customers }, (_, i) => ({
  customerId: `BENCH-${i}`,
  type: "individual",
  name: `Bench Customer ${i}`,
  email: `bench${i}@customers.test`,
  aum: 50_000 + (i % 100) * 5_000,
  products: "DEPOSIT_CURRENT",
  region: "Bench",
  emailConsent: true,
}));

async function main() {
  // The breakdown measured here is the one read in the request: the bound lifted past the campaign.
  const platform = await startBenchPlatform(`bench:admin:${TOKEN},approver:approver:${APPROVER}`, {
    SYNC_BREAKDOWN_MAX_DELIVERIES: String(customers),
  });
  const api = apiClient(platform.apiUrl, TOKEN);
  try {
    // Import through the API vs the bare BatchWriteItem of the same items (25 a batch, 4 in flight).
    const ndjson = rows.map((r) => JSON.stringify(r)).join("\n");
    let t = performance.now();
    const imported = await api("POST", "/api/customers/import", ndjson, TOKEN, "application/x-ndjson");
    const importSeconds = seconds(t);
    if (imported.imported !== customers) throw new Error(`imported ${imported.imported} of ${customers}`);

    const doc = DynamoDBDocumentClient.from(
      new DynamoDBClient({ ...local, endpoint: platform.env.AWS_ENDPOINT_URL_DYNAMODB }),
    );
    const batches = Array.from({ length: Math.ceil(customers / 25) }, (_, i) => rows.slice(i * 25, i * 25 + 25));
    t = performance.now();
    for (let i = 0; i < batches.length; i += 4) {
      await Promise.all(
        batches.slice(i, i + 4).map((batch) =>
          doc.send(
            new BatchWriteCommand({
              RequestItems: {
                [platform.env.CUSTOMERS_TABLE]: batch.map((r) => ({
                  PutRequest: {
                    Item: {
                      ...r,
                      customerId: `RAW-${r.customerId}`,
                      region: "Raw",
                      tier: "affluent",
                      products: ["DEPOSIT_CURRENT"],
                      createdAt: "2026-01-01T00:00:00.000Z",
                      updatedAt: "2026-01-01T00:00:00.000Z",
                    },
                  },
                })),
              },
            }),
          ),
        ),
      );
    }
    const rawImportSeconds = seconds(t);

    // A campaign to every imported customer, no control group: launch until completed.
    const { segmentId } = await api("POST", "/api/segments", {
      name: "bench",
      rule: { attr: "region", op: "eq", value: "Bench" },
    });
    t = performance.now();
    const preview = await api("GET", `/api/segments/${segmentId}/preview`);
    const previewSeconds = seconds(t);
    const campaignId = await approvedCampaign(api, segmentId, APPROVER, "bench");
    t = performance.now();
    await api("POST", `/api/campaigns/${campaignId}/launch`);
    let fanoutSeconds = 0;
    const launchedAt = t;
    await untilCompleted(api, campaignId, launchedAt, customers, 100, (polled: { status: string }) => {
      if (!fanoutSeconds && polled.status !== "launching") fanoutSeconds = seconds(launchedAt);
    });
    const campaignSeconds = seconds(t);

    // An analyst's results by tier, region and day read every delivery of the campaign; the
    // funnel's counters are the live numbers. Both through the API, then the bare query underneath.
    t = performance.now();
    const breakdown = await api("GET", `/api/campaigns/${campaignId}/breakdown`);
    const breakdownSeconds = seconds(t);
    if (breakdown.deliveries !== customers) throw new Error(`the breakdown read ${breakdown.deliveries} deliveries`);
    t = performance.now();
    await api("GET", `/api/campaigns/${campaignId}/stats`);
    const statsSeconds = seconds(t);

    // The same campaign as a large one: with the bound below it, what a request reads (the
    // counters and the latest run, no delivery), and the breakdown run counting it as jobs.
    const { platform: ports } = await import("../shared/adapters/platform.js");
    const { resultsBreakdown } = await import("../shared/delivery/breakdown-run.js");
    const p = await ports();
    const bounded = { ...p, settings: { ...p.settings, syncBreakdownMaxDeliveries: Math.floor(customers / 2) } };
    t = performance.now();
    const run = await api("POST", `/api/campaigns/${campaignId}/breakdown-runs`);
    for (;;) {
      const [latest] = await p.breakdownRuns.recent(campaignId, 1);
      if (latest?.runId === run.runId && latest.finishedAt) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const runSeconds = seconds(t);
    t = performance.now();
    const large = await resultsBreakdown(bounded, campaignId);
    const largeSeconds = seconds(t);
    if (large.source !== "run" || large.breakdown.deliveries !== customers)
      throw new Error(`the large campaign's breakdown: ${large.source}`);

    // The bare SES calls underneath, at the sender's concurrency (2 pollers x 10 records).
    const ses = new SESClient({ ...local, endpoint: platform.env.AWS_ENDPOINT_URL_SES });
    const raw = (i: number) =>
      Buffer.from(
        `From: offers@demo-bank.test\r\nTo: raw${i}@customers.test\r\nSubject: Hello\r\nContent-Type: text/plain\r\n\r\nHello ${i}\r\n`,
      );
    t = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        while (next < customers) {
          const i = next++;
          await ses.send(new SendRawEmailCommand({ RawMessage: { Data: raw(i) } }));
        }
      }),
    );
    const rawSendSeconds = seconds(t);

    // The DynamoDB calls one email costs (claim transaction, customer read, a slot of the send
    // rate, sent transaction), bare.
    const counter = (n: number) => ({
      Update: {
        TableName: platform.env.CAMPAIGNS_TABLE,
        Key: { pk: "RAW", sk: `COUNTERS#${n % 8}` },
        UpdateExpression: "ADD c :one",
        ExpressionAttributeValues: { ":one": 1 },
      },
    });
    const put = (i: number, status: string) => ({
      Put: { TableName: platform.env.DELIVERIES_TABLE, Item: { campaignId: "RAW", customerId: `R${i}`, status } },
    });
    t = performance.now();
    next = 0;
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        while (next < customers) {
          const i = next++;
          await doc.send(new TransactWriteCommand({ TransactItems: [put(i, "sending"), counter(i)] }));
          await doc.send(
            new GetCommand({ TableName: platform.env.CUSTOMERS_TABLE, Key: { customerId: `BENCH-${i}` } }),
          );
          await doc.send(
            new UpdateCommand({
              TableName: platform.env.CAMPAIGNS_TABLE,
              Key: { pk: `RAWRATE#${Math.floor(Date.now() / 1000)}`, sk: "RATE" },
              UpdateExpression: "ADD taken :one SET expiresAt = if_not_exists(expiresAt, :expiresAt)",
              ConditionExpression: "attribute_not_exists(taken) OR taken < :limit",
              ExpressionAttributeValues: { ":one": 1, ":limit": 1_000_000, ":expiresAt": 0 },
            }),
          );
          await doc.send(new TransactWriteCommand({ TransactItems: [put(i, "sent"), counter(i)] }));
        }
      }),
    );
    const rawStoreSeconds = seconds(t);

    t = performance.now();
    let cursor: Record<string, unknown> | undefined;
    do {
      const page = await doc.send(
        new QueryCommand({
          TableName: platform.env.DELIVERIES_TABLE,
          KeyConditionExpression: "campaignId = :c",
          ExpressionAttributeValues: { ":c": campaignId },
          ExclusiveStartKey: cursor,
        }),
      );
      cursor = page.LastEvaluatedKey;
    } while (cursor);
    const rawQuerySeconds = seconds(t);

    const table = [
      ["what", "platform", "bare emulator calls", "ratio"],
      [
        "import (rows)",
        rate(customers, importSeconds),
        rate(customers, rawImportSeconds),
        `${(importSeconds / rawImportSeconds).toFixed(1)}x`,
      ],
      [
        "launch to completed (emails)",
        rate(customers, campaignSeconds),
        `${rate(customers, rawSendSeconds)} SES only`,
        `${(campaignSeconds / rawSendSeconds).toFixed(1)}x`,
      ],
      [
        "  same per-email DynamoDB calls",
        "",
        rate(customers, rawStoreSeconds),
        `${(campaignSeconds / rawStoreSeconds).toFixed(1)}x`,
      ],
      ["  of which fan-out (all shards)", `${fanoutSeconds.toFixed(1)} s`, "", ""],
      [
        "segment preview (scan + rule)",
        `${(previewSeconds * 1000).toFixed(0)} ms for ${preview.count.toLocaleString("en")}`,
        "",
        "",
      ],
      [
        "results by tier, region and day (deliveries read)",
        rate(customers, breakdownSeconds),
        `${rate(customers, rawQuerySeconds)} bare Query`,
        `${(breakdownSeconds / rawQuerySeconds).toFixed(1)}x`,
      ],
      ["  the funnel's counters (GET /stats)", `${(statsSeconds * 1000).toFixed(0)} ms`, "", ""],
      [
        "  past the bound: what the request reads (counters, latest run)",
        `${(largeSeconds * 1000).toFixed(0)} ms`,
        "",
        `${(breakdownSeconds / largeSeconds).toFixed(0)}x faster than reading`,
      ],
      ["  the breakdown run counting it (POST .../breakdown-runs to done)", rate(customers, runSeconds), "", ""],
      ["peak RSS (whole local platform)", mib(rss.peak), "", ""],
    ];
    console.log(`\nCampaign pipeline, ${customers.toLocaleString("en")} customers, Node ${process.version}\n`);
    printTable(table);
  } finally {
    rss.stop();
    await platform.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
