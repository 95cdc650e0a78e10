import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import type { SQSHandler, SQSRecord } from "aws-lambda";
import { platform } from "../../shared/adapters/platform.js";
import { SendJob } from "../../shared/domain/jobs.js";
import { sendOffer } from "../../shared/domain/send-offer.js";
import { logger } from "../../shared/observability/logger.js";

const processor = new BatchProcessor(EventType.SQS);

async function recordHandler(record: SQSRecord) {
  const job = SendJob.parse(JSON.parse(record.body));
  const outcome = await sendOffer(await platform(), job);
  logger.info("offer processed", { campaignId: job.campaignId, customerId: job.customerId, outcome });
}

export const handler: SQSHandler = (event, context) => processPartialResponse(event, recordHandler, processor, { context });
