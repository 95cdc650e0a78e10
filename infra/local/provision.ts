import {
  CreateTableCommand,
  type CreateTableCommandInput,
  type DynamoDBClient,
  UpdateTimeToLiveCommand,
} from "@aws-sdk/client-dynamodb";
import { CreateTopicCommand, type SNSClient, SubscribeCommand } from "@aws-sdk/client-sns";
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { dlqEnv, MAIL_EVENTS, QUEUES, type QueueDefinition, TABLES, type TableDefinition } from "../resources.js";

/** The variable that names the local SES events topic; only the local SES stand-in publishes to it. */
export const MAIL_EVENTS_TOPIC_ENV = "MAIL_EVENTS_TOPIC_ARN";

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

/**
 * Creates every table and queue (each queue with its dead-letter queue), and the SES events
 * topic subscribed by its queue, as the CDK stack does; returns the env that names them.
 */
export async function provision(
  dynamodb: DynamoDBClient,
  sqs: SQSClient,
  sns: SNSClient,
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
    env[dlqEnv(queue)] = dlq.QueueUrl!;
  }
  // SNS wraps each event in its envelope (no raw delivery), as the stack's subscription does.
  const topic = await sns.send(new CreateTopicCommand({ Name: `${prefix}-${MAIL_EVENTS.id}` }));
  const target = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: env[QUEUES[MAIL_EVENTS.queue].env], AttributeNames: ["QueueArn"] }),
  );
  await sns.send(
    new SubscribeCommand({ TopicArn: topic.TopicArn, Protocol: "sqs", Endpoint: target.Attributes!.QueueArn }),
  );
  env[MAIL_EVENTS_TOPIC_ENV] = topic.TopicArn!;
  return env;
}
