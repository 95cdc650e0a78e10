import { GetQueueAttributesCommand, SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { api, waitFor } from "./client.js";

/**
 * A preview run as jobs on the fan-out queue (4 shards, pages of 10 in these tests): it must
 * end with exactly what the synchronous preview says, and a page delivered twice counts once.
 */
const REGION = "RunTown";
const TIERS = ["20000", "80000", "250000", "5000000"];
const rows = Array.from(
  { length: 57 },
  (_, i) =>
    `RUN-${String(i).padStart(3, "0")},individual,Run ${i},run${i}@bank.cn,${TIERS[i % 4]},DEPOSIT_CURRENT,${i % 3 ? REGION : `${REGION}-North`},true`,
);

let segmentId: string;
const finished = (previewId: string) =>
  waitFor(
    "the preview run to finish",
    () => api("GET", `/api/segments/${segmentId}/previews/${previewId}`, "marketer").then((r) => r.body),
    (body) => body.status === "done",
  );

beforeAll(async () => {
  const imported = await api(
    "POST",
    "/api/customers/import",
    "marketer",
    ["customerId,type,name,email,aum,products,region,emailConsent", ...rows].join("\n"),
    "text/csv",
  );
  expect(imported.body.rejected).toEqual([]);
  segmentId = (
    await api("POST", "/api/segments", "marketer", {
      name: "RunTown",
      rule: { attr: "region", op: "in", value: [REGION, `${REGION}-North`] },
    })
  ).body.segmentId;
});

describe("a preview run", () => {
  it("starts with 202 and ends with the same figures and masked sample as the synchronous preview", async () => {
    const started = await api("POST", `/api/segments/${segmentId}/previews`, "marketer");
    const done = await finished(started.body.previewId);
    const direct = await api("GET", `/api/segments/${segmentId}/preview`, "marketer");

    expect(started.status).toBe(202);
    expect(started.headers.get("location")).toBe(`/api/segments/${segmentId}/previews/${started.body.previewId}`);
    expect(done).toMatchObject({ status: "done", shardsDone: 4, totalShards: 4, segmentVersion: 1 });
    expect(done.pagesCounted).toBeGreaterThanOrEqual(6); // 57 customers in pages of 10, over 4 shards
    expect({ count: done.count, byTier: done.byTier, byRegion: done.byRegion }).toEqual({
      count: direct.body.count,
      byTier: direct.body.byTier,
      byRegion: direct.body.byRegion,
    });
    expect(done.count).toBe(57);
    expect(done.sample).toHaveLength(10);
    expect(done.sample[0]).toMatchObject({ customerId: "RUN-000", email: "r***@bank.cn" });
  });

  it("counts a page once when SQS delivers its job again", async () => {
    const started = await api("POST", `/api/segments/${segmentId}/previews`, "analyst");
    const done = await finished(started.body.previewId);
    const sqs = new SQSClient({
      endpoint: inject("sqsEndpoint"),
      region: "us-east-1",
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
      useQueueUrlAsEndpoint: false,
    });
    const queueUrl = inject("fanoutQueueUrl");

    await sqs.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: JSON.stringify({ previewId: started.body.previewId, segmentId, shard: 0, totalShards: 4 }),
      }),
    );
    await waitFor(
      "the repeated job to be consumed",
      () =>
        sqs.send(
          new GetQueueAttributesCommand({
            QueueUrl: queueUrl,
            AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
          }),
        ),
      (q) =>
        q.Attributes?.ApproximateNumberOfMessages === "0" &&
        q.Attributes?.ApproximateNumberOfMessagesNotVisible === "0",
    );
    const after = (await api("GET", `/api/segments/${segmentId}/previews/${started.body.previewId}`, "analyst")).body;

    expect(after).toMatchObject({ count: done.count, pagesCounted: done.pagesCounted, shardsDone: 4 });
  });

  it("answers 404 for an unknown run or segment", async () => {
    const unknownRun = await api("GET", `/api/segments/${segmentId}/previews/nope`, "marketer");
    const unknownSegment = await api("POST", "/api/segments/nope/previews", "marketer");

    expect(unknownRun.status).toBe(404);
    expect(unknownSegment.status).toBe(404);
  });
});
