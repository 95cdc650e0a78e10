/**
 * The platform's tables, queues and the environment that names them: defined once, read by
 * the CDK stack and by the local runtime, so local and AWS cannot drift apart.
 */
export type KeyAttribute = { name: string; type: "S" | "N" };
export type TableDefinition = {
  id: string;
  partitionKey: KeyAttribute;
  sortKey?: KeyAttribute;
  indexes?: { name: string; partitionKey: KeyAttribute; sortKey?: KeyAttribute }[];
  /** An epoch-seconds attribute after which DynamoDB deletes the item. */
  timeToLiveAttribute?: string;
  /** The environment variable that carries the table's name to the functions. */
  env: string;
};

export const TABLES = {
  /** Soft-deleted customers carry `purgeAt`: DynamoDB purges them once it has passed. */
  customers: {
    id: "Customers",
    partitionKey: { name: "customerId", type: "S" },
    timeToLiveAttribute: "purgeAt",
    env: "CUSTOMERS_TABLE",
  },
  /** Segments, campaigns, their sharded counters and fan-out markers, conversions, customer changes and audit trails. */
  campaigns: {
    id: "Campaigns",
    partitionKey: { name: "pk", type: "S" },
    sortKey: { name: "sk", type: "S" },
    env: "CAMPAIGNS_TABLE",
  },
  deliveries: {
    id: "Deliveries",
    partitionKey: { name: "campaignId", type: "S" },
    sortKey: { name: "customerId", type: "S" },
    indexes: [
      {
        name: "byCustomer",
        partitionKey: { name: "customerId", type: "S" },
        sortKey: { name: "offeredAt", type: "S" },
      },
    ],
    env: "DELIVERIES_TABLE",
  },
} as const satisfies Record<string, TableDefinition>;

export type QueueDefinition = {
  id: string;
  env: string;
  /** Six times the consumer's timeout, as AWS advises for event source mappings. */
  visibilityTimeoutSeconds: number;
  consumerTimeoutSeconds: number;
  /** Receives before a message goes to the dead-letter queue. */
  maxReceiveCount: number;
  batchSize: number;
  /** The Lambda entry point that consumes it (`functions/<handler>/handler.ts`). */
  handler: "fanout" | "sender";
};

export const QUEUES = {
  fanout: {
    id: "Fanout",
    env: "FANOUT_QUEUE_URL",
    visibilityTimeoutSeconds: 360,
    consumerTimeoutSeconds: 60,
    maxReceiveCount: 5,
    batchSize: 1,
    handler: "fanout",
  },
  send: {
    id: "Send",
    env: "SEND_QUEUE_URL",
    visibilityTimeoutSeconds: 180,
    consumerTimeoutSeconds: 30,
    maxReceiveCount: 5,
    batchSize: 10,
    handler: "sender",
  },
} as const satisfies Record<string, QueueDefinition>;

/** Variables the functions read besides resource names (see shared/config). */
export const SETTINGS_ENV = {
  mailFrom: "MAIL_FROM",
  configurationSet: "SES_CONFIGURATION_SET",
  publicBaseUrl: "PUBLIC_BASE_URL",
  platformSecretArn: "PLATFORM_SECRET_ARN",
} as const;
