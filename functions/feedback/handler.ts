import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import type { SQSHandler, SQSRecord } from "aws-lambda";
import { z } from "zod";
import { platform } from "../../shared/adapters/platform.js";
import { mailFeedbackOf, SesEvent } from "../../shared/adapters/ses/events.js";
import { recordMailFeedback } from "../../shared/delivery/feedback.js";
import { logger } from "../../shared/observability/logger.js";

/** What SNS puts on an SQS queue it delivers to (no raw message delivery): the SES event is `Message`. */
const SnsNotification = z.object({
  Type: z.literal("Notification"),
  MessageId: z.string(),
  TopicArn: z.string(),
  Message: z.string(),
});

/** What SES publishes once when the topic becomes a destination: no event, nothing to record. */
const SetUpNotice = z.object({ notificationType: z.literal("AmazonSnsSubscriptionSucceeded") });

const processor = new BatchProcessor(EventType.SQS);

/** One SES event (configuration set → SNS → this queue): a bounce, complaint, delivery... recorded once. */
async function recordHandler(record: SQSRecord) {
  const notification = SnsNotification.parse(JSON.parse(record.body));
  const message = JSON.parse(notification.Message);
  if (SetUpNotice.safeParse(message).success) {
    logger.info("SES confirmed the event destination", { topicArn: notification.TopicArn });
    return;
  }
  const feedback = mailFeedbackOf(SesEvent.parse(message));
  const result = await recordMailFeedback(await platform(), feedback);
  // Ids and the outcome only: never the recipients' addresses.
  logger.info("mail feedback processed", {
    kind: feedback.kind,
    messageId: feedback.messageId,
    campaignId: feedback.delivery?.campaignId,
    customerId: feedback.delivery?.customerId,
    ...result,
  });
}

export const handler: SQSHandler = (event, context) =>
  processPartialResponse(event, recordHandler, processor, { context });
