import { randomUUID } from "node:crypto";
import { DeleteMessageBatchCommand, type Message, ReceiveMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { Context, SQSBatchResponse, SQSEvent, SQSHandler } from "aws-lambda";
import type { QueueDefinition } from "../resources.js";

export type PollerOptions = {
  queueUrl: string;
  queueArn: string;
  definition: QueueDefinition;
  handler: SQSHandler;
  concurrency: number;
  onError: (error: unknown) => void;
};

function toRecord(message: Message, queueArn: string): SQSEvent["Records"][number] {
  const attributes = message.Attributes ?? {};
  return {
    messageId: message.MessageId!,
    receiptHandle: message.ReceiptHandle!,
    body: message.Body ?? "",
    attributes: {
      ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? "1",
      SentTimestamp: attributes.SentTimestamp ?? String(Date.now()),
      SenderId: attributes.SenderId ?? "local",
      ApproximateFirstReceiveTimestamp: attributes.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
    },
    messageAttributes: {},
    md5OfBody: message.MD5OfBody ?? "",
    eventSource: "aws:sqs",
    eventSourceARN: queueArn,
    awsRegion: process.env.AWS_REGION ?? "us-east-1",
  };
}

function lambdaContext(functionName: string, timeoutSeconds: number): Context {
  const deadline = Date.now() + timeoutSeconds * 1000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: "512",
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: "local",
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/**
 * Does what Lambda's SQS event source mapping does: receives batches, invokes the handler,
 * deletes what succeeded, and leaves failed records to reappear after the visibility timeout
 * (the queue's redrive policy moves them to the dead-letter queue after maxReceiveCount).
 */
export function startPoller(sqs: SQSClient, options: PollerOptions): { stop: () => Promise<void> } {
  let running = true;
  const lane = async () => {
    while (running) {
      try {
        const { Messages } = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: options.queueUrl,
            MaxNumberOfMessages: options.definition.batchSize,
            WaitTimeSeconds: 1,
            MessageSystemAttributeNames: ["All"],
          }),
        );
        if (!Messages?.length) continue;
        const event: SQSEvent = { Records: Messages.map((m) => toRecord(m, options.queueArn)) };
        let failed: Set<string>;
        try {
          const response = (await options.handler(
            event,
            lambdaContext(options.definition.handler, options.definition.consumerTimeoutSeconds),
            () => undefined,
          )) as SQSBatchResponse | undefined;
          failed = new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
        } catch (error) {
          options.onError(error);
          failed = new Set(Messages.map((m) => m.MessageId!));
        }
        const done = Messages.filter((m) => !failed.has(m.MessageId!));
        if (done.length > 0) {
          await sqs.send(
            new DeleteMessageBatchCommand({
              QueueUrl: options.queueUrl,
              Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
            }),
          );
        }
      } catch (error) {
        if (running) {
          options.onError(error);
          await new Promise((r) => setTimeout(r, 500));
        }
      }
    }
  };
  const lanes = Array.from({ length: options.concurrency }, lane);
  return {
    stop: async () => {
      running = false;
      await Promise.all(lanes);
    },
  };
}
