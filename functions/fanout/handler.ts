import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import type { SQSHandler, SQSRecord } from "aws-lambda";
import { platform } from "../../shared/adapters/platform.js";
import { breakdownPage } from "../../shared/delivery/breakdown-run.js";
import { fanOutPage } from "../../shared/delivery/fan-out.js";
import { ScanJob } from "../../shared/delivery/jobs.js";
import { logger } from "../../shared/observability/logger.js";
import { previewPage } from "../../shared/segments/preview-jobs.js";

const processor = new BatchProcessor(EventType.SQS);

/** The fan-out queue carries campaign pages, preview pages and breakdown pages: each a scan, page by page. */
async function recordHandler(record: SQSRecord) {
  const job = ScanJob.parse(JSON.parse(record.body));
  if ("breakdownRunId" in job) {
    const result = await breakdownPage(await platform(), job);
    logger.info("breakdown page done", {
      breakdownRunId: job.breakdownRunId,
      campaignId: job.campaignId,
      resumed: Boolean(job.cursor),
      ...result,
    });
    return;
  }
  if ("previewId" in job) {
    const result = await previewPage(await platform(), job);
    logger.info("preview page done", {
      previewId: job.previewId,
      segmentId: job.segmentId,
      shard: job.shard,
      resumed: Boolean(job.cursor),
      ...result,
    });
    return;
  }
  const result = await fanOutPage(await platform(), job);
  logger.info("fan-out page done", {
    campaignId: job.campaignId,
    shard: job.shard,
    resumed: Boolean(job.cursor),
    ...result,
  });
}

export const handler: SQSHandler = (event, context) =>
  processPartialResponse(event, recordHandler, processor, { context });
