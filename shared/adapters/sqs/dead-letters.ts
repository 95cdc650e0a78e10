import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
} from "@aws-sdk/client-sqs";
import type { DeadLetterQueues, QueueName } from "../../delivery/ports.js";
import { sqs } from "./client.js";

export type QueuePair = { queueUrl: string; deadLetterQueueUrl: string };

/**
 * Moves messages back from a dead-letter queue itself (receive, send, delete) rather than with
 * SQS's StartMessageMoveTask, which the local emulator does not have: one code path. A message
 * is deleted from the dead-letter queue only once the queue has taken its copy, so a failure
 * in between leaves a duplicate, never a loss; every consumer is idempotent.
 */
export class SqsDeadLetterQueues implements DeadLetterQueues {
  constructor(private readonly queues: Record<QueueName, QueuePair>) {}

  async depths() {
    const entries = await Promise.all(
      (Object.entries(this.queues) as [QueueName, QueuePair][]).map(async ([name, pair]) => {
        const { Attributes } = await sqs.send(
          new GetQueueAttributesCommand({
            QueueUrl: pair.deadLetterQueueUrl,
            AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
          }),
        );
        const waiting =
          Number(Attributes?.ApproximateNumberOfMessages ?? 0) +
          Number(Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0);
        return [name, waiting] as const;
      }),
    );
    return Object.fromEntries(entries) as Record<QueueName, number>;
  }

  async redrive(queue: QueueName, max: number) {
    const { queueUrl, deadLetterQueueUrl } = this.queues[queue];
    let moved = 0;
    while (moved < max) {
      const { Messages } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: deadLetterQueueUrl,
          MaxNumberOfMessages: Math.min(10, max - moved),
          WaitTimeSeconds: 1, // a short poll may answer empty while messages wait
          VisibilityTimeout: 60,
        }),
      );
      if (!Messages?.length) break;
      const sent = await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: Messages.map((m, i) => ({ Id: String(i), MessageBody: m.Body ?? "" })),
        }),
      );
      const taken = new Set((sent.Successful ?? []).map((s) => Number(s.Id)));
      const done = Messages.filter((_, i) => taken.has(i));
      if (done.length > 0) {
        await sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: deadLetterQueueUrl,
            Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
          }),
        );
      }
      moved += done.length;
      if (done.length < Messages.length) break; // the queue refused some: they stay where they are, for the next try
    }
    return { moved };
  }
}
