import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import type { SQSHandler, SQSRecord } from "aws-lambda";
import { QUEUES } from "../../infra/resources.js";
import { type Platform, platform } from "../../shared/adapters/platform.js";
import { SendJob } from "../../shared/delivery/jobs.js";
import { sendOffer } from "../../shared/delivery/send.js";
import { RATE_RETRY_SECONDS, SendRateExceededError } from "../../shared/delivery/send-rate.js";
import { settleCampaigns } from "../../shared/delivery/settle.js";
import { SendDeferredError } from "../../shared/kernel/errors.js";
import { logger } from "../../shared/observability/logger.js";

const processor = new BatchProcessor(EventType.SQS);

async function recordHandler(record: SQSRecord) {
  const job = SendJob.parse(JSON.parse(record.body));
  const p = await platform();
  try {
    const outcome = await sendOffer(p, job);
    logger.info("offer processed", { campaignId: job.campaignId, customerId: job.customerId, outcome });
  } catch (error) {
    if (error instanceof SendRateExceededError) {
      // Released for the send rate: a copy comes back within seconds and this record is done.
      // A copy, not this message made visible again: every receive of a message counts towards
      // the queue's maxReceiveCount, and a send that waits for the rate often must not end up in
      // the dead-letter queue. A second copy is harmless: the claim is on the business key.
      const { from, to } = RATE_RETRY_SECONDS;
      const seconds = from + Math.floor(Math.random() * (to - from + 1));
      await p.queue.enqueueSends([job], seconds);
      logger.info("offer deferred for the send rate", {
        campaignId: job.campaignId,
        customerId: job.customerId,
        seconds,
      });
      return;
    }
    if (!(error instanceof SendDeferredError)) {
      // The error's kind and where it arose, not its message: a message may quote the data it choked on.
      logger.warn("offer not sent: SQS delivers it again", {
        campaignId: job.campaignId,
        customerId: job.customerId,
        receives: Number(record.attributes.ApproximateReceiveCount),
        error: (error as Error)?.name ?? "unknown",
      });
      await markStuckOnLastReceive(p, record, job);
      throw error;
    }
    // Failing the record keeps the message; its new visibility brings it back when the customer is awake.
    await p.queue.deferSend(record.receiptHandle, error.seconds);
    logger.info("offer deferred to the customer's morning", {
      campaignId: job.campaignId,
      customerId: job.customerId,
      seconds: error.seconds,
    });
    throw error;
  }
}

/**
 * This receive was the message's last: failing it sends the message to the dead-letter queue.
 * Its delivery is counted stuck, so the stats show it and the reconciler leaves it to the
 * admin's redrive (a redriven message claims a stuck delivery as it would a queued one).
 */
async function markStuckOnLastReceive(p: Platform, record: SQSRecord, job: SendJob): Promise<void> {
  if (Number(record.attributes.ApproximateReceiveCount) < QUEUES.send.maxReceiveCount) return;
  const marked = await p.deliveries.markStuck(job).catch(() => false);
  logger.error("offer stuck: its send message goes to the dead-letter queue", {
    campaignId: job.campaignId,
    customerId: job.customerId,
    receives: Number(record.attributes.ApproximateReceiveCount),
    countedStuck: marked,
  });
}

const campaignOf = (record: SQSRecord) => SendJob.safeParse(JSON.parse(record.body || "null")).data?.campaignId;

export const handler: SQSHandler = async (event, context) => {
  // A batch that is all deferred or all failed is reported record by record, not as a crash.
  const response = await processPartialResponse(event, recordHandler, processor, {
    context,
    throwOnFullBatchFailure: false,
  });
  const touched = event.Records.flatMap((record) => {
    try {
      return campaignOf(record) ?? [];
    } catch {
      return []; // a malformed body is already a failed record
    }
  });
  await settleCampaigns(await platform(), touched);
  return response;
};
