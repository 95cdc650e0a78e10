import {
  ChangeMessageVisibilityCommand,
  GetQueueAttributesCommand,
  SendMessageBatchCommand,
} from "@aws-sdk/client-sqs";
import type { BreakdownJob } from "../../delivery/breakdown-job.js";
import type { BreakdownQueue } from "../../delivery/breakdown-run.js";
import type { FanoutJob, SendJob } from "../../delivery/jobs.js";
import type { JobQueue } from "../../delivery/ports.js";
import type { PreviewQueue } from "../../segments/ports.js";
import type { PreviewJob } from "../../segments/preview-run.js";
import { sqs } from "./client.js";

const SQS_BATCH = 10;
const IN_FLIGHT = 4;

async function sendAll(queueUrl: string, bodies: unknown[], delaySeconds?: number): Promise<void> {
  const batches = Array.from({ length: Math.ceil(bodies.length / SQS_BATCH) }, (_, i) =>
    bodies.slice(i * SQS_BATCH, (i + 1) * SQS_BATCH),
  );
  for (let i = 0; i < batches.length; i += IN_FLIGHT) {
    await Promise.all(
      batches.slice(i, i + IN_FLIGHT).map(async (batch) => {
        const out = await sqs.send(
          new SendMessageBatchCommand({
            QueueUrl: queueUrl,
            Entries: batch.map((body, id) => ({
              Id: String(id),
              MessageBody: JSON.stringify(body),
              ...(delaySeconds ? { DelaySeconds: Math.min(900, Math.max(0, Math.round(delaySeconds))) } : {}),
            })),
          }),
        );
        if (out.Failed?.length) {
          // Throwing fails the calling record, so SQS redelivers it and the whole page is retried.
          throw new Error(`SQS refused ${out.Failed.length} message(s): ${out.Failed.map((f) => f.Code).join(", ")}`);
        }
      }),
    );
  }
}

export class SqsJobQueue implements JobQueue, PreviewQueue, BreakdownQueue {
  constructor(
    private readonly fanoutQueueUrl: string,
    private readonly sendQueueUrl: string,
  ) {}

  enqueueFanout(jobs: FanoutJob[]) {
    return sendAll(this.fanoutQueueUrl, jobs);
  }

  enqueuePreviews(jobs: PreviewJob[]) {
    return sendAll(this.fanoutQueueUrl, jobs);
  }

  enqueueBreakdowns(jobs: BreakdownJob[]) {
    return sendAll(this.fanoutQueueUrl, jobs);
  }

  async deferSend(receiptHandle: string, seconds: number) {
    await sqs.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: this.sendQueueUrl,
        ReceiptHandle: receiptHandle,
        VisibilityTimeout: Math.max(0, Math.round(seconds)),
      }),
    );
  }

  enqueueSends(jobs: SendJob[], delaySeconds?: number) {
    return sendAll(this.sendQueueUrl, jobs, delaySeconds);
  }

  async sendBacklog() {
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: this.sendQueueUrl, AttributeNames: ["ApproximateNumberOfMessages"] }),
    );
    return Number(Attributes?.ApproximateNumberOfMessages ?? 0);
  }
}
