import { Logger } from "@aws-lambda-powertools/logger";

/**
 * One structured JSON logger for every function. Never log a customer's name, email or phone:
 * log ids (customerId, campaignId, deliveryId) and counts.
 */
export const logger = new Logger({ serviceName: "cross-sell-campaigns" });
