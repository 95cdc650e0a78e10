import { CreateQueueCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { beforeAll, describe, expect, inject, it } from "vitest";
import type { JobQueue } from "../../shared/delivery/ports.js";

/**
 * Quiet hours hold a send message back by changing its visibility: against the real SQS
 * emulator, the deferred message is gone from the queue for the time asked, then comes back.
 */
let queue: JobQueue;
let queueUrl: string;
let sqs: SQSClient;

const receive = () =>
  sqs
    .send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 1, WaitTimeSeconds: 0 }))
    .then((r) => r.Messages ?? []);

beforeAll(async () => {
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_SQS: inject("sqsEndpoint"),
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "local",
    AWS_SECRET_ACCESS_KEY: "local",
  });
  sqs = new SQSClient({
    endpoint: inject("sqsEndpoint"),
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    useQueueUrlAsEndpoint: false,
  });
  queueUrl = (
    await sqs.send(
      new CreateQueueCommand({ QueueName: `deferred-send-${Date.now()}`, Attributes: { VisibilityTimeout: "30" } }),
    )
  ).QueueUrl!;
  const { SqsJobQueue } = await import("../../shared/adapters/sqs/job-queue.js");
  queue = new SqsJobQueue(queueUrl, queueUrl);
});

describe("deferSend", () => {
  it("keeps a received send message out of sight for the seconds asked, then lets it come back", async () => {
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: JSON.stringify({ campaignId: "cmp-night", customerId: "C-1" }),
      }),
    );
    const [message] = await receive();

    await queue.deferSend(message.ReceiptHandle!, 2);
    const duringTheNight = await receive();
    await new Promise((r) => setTimeout(r, 2500));
    const inTheMorning = await receive();

    expect(duringTheNight).toEqual([]);
    expect(inTheMorning.map((m) => m.Body)).toEqual([message.Body]);
  });
});
