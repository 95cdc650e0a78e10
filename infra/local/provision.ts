import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  type DynamoDBClient,
  type KeySchemaElement,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from "@aws-sdk/client-dynamodb";
import { CreateTopicCommand, type SNSClient, SubscribeCommand } from "@aws-sdk/client-sns";
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { dlqEnv, MAIL_EVENTS, QUEUES, type QueueDefinition, TABLES, type TableDefinition } from "../resources.js";
import { LocalStartError } from "./emulators.js";

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

const keysOf = (schema: KeySchemaElement[] | undefined) =>
  (schema ?? []).map((k) => `${k.AttributeName}:${k.KeyType}`).join(",");

/** Polls until the table and every one of its indexes is ACTIVE (an index added by UpdateTable is CREATING first). */
async function waitUntilActive(dynamodb: DynamoDBClient, name: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: name }));
    if (
      Table?.TableStatus === "ACTIVE" &&
      (Table.GlobalSecondaryIndexes ?? []).every((i) => i.IndexStatus === "ACTIVE")
    )
      return;
    if (Date.now() > deadline)
      throw new LocalStartError(
        `Table ${name} did not become ACTIVE within 60 s: start empty with npm start -- --fresh`,
      );
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * Creates the table, or, when it is there already (DynamoDB Local keeping its data in a folder),
 * keeps it and its items: it adds a global secondary index the definition has and the table
 * lacks (UpdateTable, as on AWS) and turns on TTL if it is off. A table whose keys differ from
 * the definition cannot be changed in place: that stops the start, saying how to start empty.
 */
async function ensureTable(dynamodb: DynamoDBClient, name: string, table: TableDefinition): Promise<void> {
  const wanted = createTableInput(name, table);
  const existing = await dynamodb
    .send(new DescribeTableCommand({ TableName: name }))
    .then((r) => r.Table)
    .catch((error: unknown) => {
      if ((error as Error).name === "ResourceNotFoundException") return undefined;
      throw error;
    });
  const fresh = () =>
    new LocalStartError(
      `The kept table ${name} no longer matches infra/resources.ts (${table.id}): start empty with npm start -- --fresh`,
    );
  if (!existing) {
    await dynamodb.send(new CreateTableCommand(wanted));
  } else {
    if (keysOf(existing.KeySchema) !== keysOf(wanted.KeySchema)) throw fresh();
    const have = new Map((existing.GlobalSecondaryIndexes ?? []).map((i) => [i.IndexName, keysOf(i.KeySchema)]));
    for (const index of wanted.GlobalSecondaryIndexes ?? []) {
      const keys = have.get(index.IndexName);
      if (keys === keysOf(index.KeySchema)) continue;
      if (keys !== undefined) throw fresh(); // an index of that name with other keys
      const used = new Set(index.KeySchema?.map((k) => k.AttributeName));
      try {
        await dynamodb.send(
          new UpdateTableCommand({
            TableName: name,
            AttributeDefinitions: wanted.AttributeDefinitions?.filter((a) => used.has(a.AttributeName)),
            GlobalSecondaryIndexUpdates: [{ Create: index }],
          }),
        );
      } catch {
        throw fresh();
      }
      await waitUntilActive(dynamodb, name); // one index at a time, as DynamoDB asks
    }
  }
  if (table.timeToLiveAttribute) {
    const ttl = existing
      ? (await dynamodb.send(new DescribeTimeToLiveCommand({ TableName: name }))).TimeToLiveDescription
      : undefined;
    if (ttl?.TimeToLiveStatus === "ENABLED" && ttl.AttributeName === table.timeToLiveAttribute) return;
    if (ttl?.TimeToLiveStatus === "ENABLED") throw fresh(); // TTL on another attribute
    await dynamodb.send(
      new UpdateTimeToLiveCommand({
        TableName: name,
        TimeToLiveSpecification: { AttributeName: table.timeToLiveAttribute, Enabled: true },
      }),
    );
  }
}

/**
 * Creates every table and queue (each queue with its dead-letter queue), and the SES events
 * topic subscribed by its queue, as the CDK stack does; returns the env that names them.
 * Tables already there (DynamoDB Local in file mode) are kept with their items; the queues and
 * the topic live in fauxqs's memory and are created anew at each start.
 */
export async function provision(
  dynamodb: DynamoDBClient,
  sqs: SQSClient,
  sns: SNSClient,
  prefix: string,
  /** Seconds a failed message stays hidden, per queue, where a test cannot wait the real timeout. */
  visibilityTimeouts: Partial<Record<keyof typeof QUEUES, number>> = {},
): Promise<Record<string, string>> {
  const env: Record<string, string> = {};
  for (const [key, table] of Object.entries(TABLES) as [string, TableDefinition][]) {
    const name = `${prefix}-${key}`;
    await ensureTable(dynamodb, name, table);
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
          VisibilityTimeout: String(visibilityTimeouts[key as keyof typeof QUEUES] ?? queue.visibilityTimeoutSeconds),
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
