import { SQSClient } from "@aws-sdk/client-sqs";

/**
 * One client per container. It talks to the endpoint it resolves (the region's on AWS,
 * AWS_ENDPOINT_URL_SQS locally) rather than the host inside a queue URL: the SQS emulator's
 * queue URLs name hosts that do not resolve, while on AWS both are the same.
 */
export const sqs = new SQSClient({ useQueueUrlAsEndpoint: false });
