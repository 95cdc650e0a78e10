import {
  CreateTableCommand,
  type CreateTableCommandInput,
  type DynamoDBClient,
  UpdateTimeToLiveCommand,
} from "@aws-sdk/client-dynamodb";
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { QUEUES, type QueueDefinition, TABLES, type TableDefinition } from "../resources.js";

/** The CreateTable call for a definition: the same keys and indexes the CDK stack declares. */
export function createTableInput(name: string, table: TableDefinition): CreateTableCommandInput {
  const keys = [
    table.partitionKey,
    table.sortKey,
    ...(table.indexes ?? []).flatMap((i) => [i.partitionKey, i.sortKey]),
  ].filter((k): k is NonNullable<typeof k> => Boolean(k));
  const attributes = [...new Map(keys.map((k) => [k.name, k])).values()];
  const schema = (pk: typeof table.partitionKey, sk?: typeof table.sortKey) => [
    { AttributeName: pk.name, KeyType: "HASH" as const },
    ...(sk ? [{ AttributeName: sk.name, KeyType: "RANGE" as const }] : []),
  ];
  return {
    TableName: name,
    BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: attributes.map((a) => ({ AttributeName: a.name, AttributeType: a.type })),
    KeySchema: schema(table.partitionKey, table.sortKey),
    GlobalSecondaryIndexes: table.indexes?.map((i) => ({
      IndexName: i.name,
      KeySchema: schema(i.partitionKey, i.sortKey),
      Projection: { ProjectionType: "ALL" },
    })),
  };
}

/** Creates every table and queue (each queue with its dead-letter queue); returns the env that names them. */
export async function provision(
  dynamodb: DynamoDBClient,
  sqs: SQSClient,
  prefix: string,
): Promise<Record<string, string>> {
  const env: Record<string, string> = {};
  for (const [key, table] of Object.entries(TABLES) as [string, TableDefinition][]) {
    const name = `${prefix}-${key}`;
    await dynamodb.send(new CreateTableCommand(createTableInput(name, table)));
    if (table.timeToLiveAttribute) {
      await dynamodb.send(
        new UpdateTimeToLiveCommand({
          TableName: name,
          TimeToLiveSpecification: { AttributeName: table.timeToLiveAttribute, Enabled: true },
        }),
      );
    }
    env[table.env] = name;
  }
  for (const [key, queue] of Object.entries(QUEUES) as [string, QueueDefinition][]) {
    const dlq = await sqs.send(
      new CreateQueueCommand({ QueueName: `${prefix}-${key}-dlq`, Attributes: { MessageRetentionPeriod: "1209600" } }),
    );
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, AttributeNames: ["QueueArn"] }),
    );
    const main = await sqs.send(
      new CreateQueueCommand({
        QueueName: `${prefix}-${key}`,
        Attributes: {
          VisibilityTimeout: String(queue.visibilityTimeoutSeconds),
          RedrivePolicy: JSON.stringify({
            deadLetterTargetArn: Attributes!.QueueArn,
            maxReceiveCount: queue.maxReceiveCount,
          }),
        },
      }),
    );
    env[queue.env] = main.QueueUrl!;
    env[`${queue.env.replace(/_URL$/, "")}_DLQ_URL`] = dlq.QueueUrl!;
  }
  return env;
}
