import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import type { SQSHandler, SQSRecord } from "aws-lambda";
import { platform } from "../../shared/adapters/platform.js";
import { settleCampaigns } from "../../shared/domain/campaign.js";
import { SendJob } from "../../shared/domain/jobs.js";
import { sendOffer } from "../../shared/domain/send-offer.js";
import { logger } from "../../shared/observability/logger.js";

const processor = new BatchProcessor(EventType.SQS);

async function recordHandler(record: SQSRecord) {
  const job = SendJob.parse(JSON.parse(record.body));
  const outcome = await sendOffer(await platform(), job);
  logger.info("offer processed", { campaignId: job.campaignId, customerId: job.customerId, outcome });
}

const campaignOf = (record: SQSRecord) => SendJob.safeParse(JSON.parse(record.body || "null")).data?.campaignId;

export const handler: SQSHandler = async (event, context) => {
  const response = await processPartialResponse(event, recordHandler, processor, { context });
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
