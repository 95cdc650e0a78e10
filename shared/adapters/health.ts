import { GetQueueAttributesCommand } from "@aws-sdk/client-sqs";
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import type { Config } from "../config/index.js";
import { documentClient } from "./dynamodb/client.js";
import { sqs } from "./sqs/client.js";

type ServiceState = "ok" | "unavailable";

const probe = (check: () => Promise<unknown>): Promise<ServiceState> =>
  Promise.race([
    check().then((): ServiceState => "ok"),
    new Promise<ServiceState>((resolve) => setTimeout(() => resolve("unavailable"), 2000).unref()),
  ]).catch((): ServiceState => "unavailable");

/** Whether the stores and queues this API depends on answer. */
export async function checkServices(c: Config): Promise<Record<string, ServiceState>> {
  const [dynamodb, sqsState] = await Promise.all([
    probe(() =>
      documentClient.send(new GetCommand({ TableName: c.CAMPAIGNS_TABLE, Key: { pk: "HEALTH", sk: "HEALTH" } })),
    ),
    probe(() =>
      sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: c.SEND_QUEUE_URL, AttributeNames: ["ApproximateNumberOfMessages"] }),
      ),
    ),
  ]);
  return { dynamodb, sqs: sqsState };
}
