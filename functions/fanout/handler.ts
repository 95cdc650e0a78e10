import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import type { SQSHandler, SQSRecord } from "aws-lambda";
import { platform } from "../../shared/adapters/platform.js";
import { fanOutPage } from "../../shared/domain/fan-out.js";
import { FanoutJob } from "../../shared/domain/jobs.js";
import { logger } from "../../shared/observability/logger.js";

const processor = new BatchProcessor(EventType.SQS);

async function recordHandler(record: SQSRecord) {
  const job = FanoutJob.parse(JSON.parse(record.body));
  const result = await fanOutPage(await platform(), job);
  logger.info("fan-out page done", { campaignId: job.campaignId, shard: job.shard, resumed: Boolean(job.cursor), ...result });
}

export const handler: SQSHandler = (event, context) => processPartialResponse(event, recordHandler, processor, { context });
