import { SendMessageBatchCommand, SQSClient } from "@aws-sdk/client-sqs";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { SqsJobQueue } from "../../shared/adapters/sqs/job-queue.js";
import type { SendJob } from "../../shared/delivery/jobs.js";

process.env.AWS_REGION ??= "us-east-1";

const FANOUT_QUEUE_URL = "https://sqs.us-east-1.amazonaws.com/123456789012/fanout";
const SEND_QUEUE_URL = "https://sqs.us-east-1.amazonaws.com/123456789012/send";

const sqs = mockClient(SQSClient);
const queue = new SqsJobQueue(FANOUT_QUEUE_URL, SEND_QUEUE_URL);

const sendJobs = (n: number): SendJob[] =>
  Array.from({ length: n }, (_, i) => ({ campaignId: "cmp-1", customerId: `C-${i}` }));
const batches = () => sqs.commandCalls(SendMessageBatchCommand).map((c) => c.args[0].input);

describe("SqsJobQueue", () => {
  beforeEach(() => {
    sqs.reset();
  });

  afterAll(() => {
    sqs.restore();
  });

  it("hides held send jobs for the delay asked, at most SQS's 900 seconds, and sends others at once", async () => {
    // prepare
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });

    // act
    await queue.enqueueSends(sendJobs(1), 60);
    await queue.enqueueSends(sendJobs(1), 3600);
    await queue.enqueueSends(sendJobs(1));

    // assess
    expect(batches().map((b) => b.Entries?.[0].DelaySeconds)).toEqual([60, 900, undefined]);
  });

  it("sends 25 send jobs as 3 batches of at most 10, each job once, as JSON, to the send queue", async () => {
    // prepare
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    const jobs = sendJobs(25);

    // act
    await queue.enqueueSends(jobs);

    // assess
    const sent = batches();
    expect(sent).toHaveLength(3);
    expect(sent.map((b) => b.Entries?.length).sort()).toEqual([10, 10, 5].sort());
    for (const batch of sent) {
      expect(batch.QueueUrl).toBe(SEND_QUEUE_URL);
      const ids = batch.Entries!.map((e) => e.Id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{1,80}$/);
    }
    const bodies = sent.flatMap((b) => b.Entries!.map((e) => JSON.parse(e.MessageBody!) as SendJob));
    expect(bodies).toHaveLength(25);
    expect(bodies).toEqual(expect.arrayContaining(jobs));
    expect(new Set(bodies.map((b) => b.customerId)).size).toBe(25);
  });

  it("sends fan-out jobs to the fan-out queue", async () => {
    // prepare
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    const jobs = [
      { campaignId: "cmp-1", shard: 0, totalShards: 2 },
      { campaignId: "cmp-1", shard: 1, totalShards: 2, cursor: "abc" },
    ];

    // act
    await queue.enqueueFanout(jobs);

    // assess
    expect(batches()).toHaveLength(1);
    expect(batches()[0].QueueUrl).toBe(FANOUT_QUEUE_URL);
    expect(batches()[0].Entries!.map((e) => JSON.parse(e.MessageBody!))).toEqual(jobs);
  });

  it("sends nothing for no jobs", async () => {
    // prepare
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });

    // act
    await queue.enqueueSends([]);

    // assess
    expect(batches()).toHaveLength(0);
  });

  it("throws when SQS refuses some entries, so the calling record is retried", async () => {
    // prepare
    sqs.on(SendMessageBatchCommand).resolves({
      Successful: [],
      Failed: [{ Id: "3", SenderFault: false, Code: "InternalError", Message: "try again" }],
    });

    // act
    const outcome = queue.enqueueSends(sendJobs(5));

    // assess
    await expect(outcome).rejects.toThrow(/InternalError/);
  });

  it("throws when SQS itself fails", async () => {
    // prepare
    sqs.on(SendMessageBatchCommand).rejects(new Error("connect ECONNREFUSED"));

    // act
    const outcome = queue.enqueueSends(sendJobs(3));

    // assess
    await expect(outcome).rejects.toThrow(/ECONNREFUSED/);
  });
});
