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
  /**
   * Segments, campaigns, their sharded counters and fan-out markers, conversions, customer changes
   * and audit trails; and the send-rate counters, one per second, which expire by `expiresAt`.
   */
  campaigns: {
    id: "Campaigns",
    partitionKey: { name: "pk", type: "S" },
    sortKey: { name: "sk", type: "S" },
    timeToLiveAttribute: "expiresAt",
    indexes: [
      {
        /** Sparse: only campaign items carry `campaignStatus`; lists them by status, newest first. */
        name: "campaignsByStatus",
        partitionKey: { name: "campaignStatus", type: "S" },
        sortKey: { name: "createdAt", type: "S" },
      },
      {
        /**
         * Sparse: the bank-wide trails by day, so the admin pages read a day's exports or
         * customer changes without scanning the table. Export records, audit entries, requested
         * and rejected changes carry `dayKey` (EXPORTS#2026-11-30, CHANGES#2026-11-30, UTC days)
         * and `dayAt` (the moment, then a unique part), from the day this index was added.
         */
        name: "byDay",
        partitionKey: { name: "dayKey", type: "S" },
        sortKey: { name: "dayAt", type: "S" },
      },
    ],
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
      {
        /**
         * Sparse: only a delivery waiting for a send message (queued, or claimed by a sender)
         * carries `pendingShard` and `dueAt`, the time it is next expected to move; the
         * reconciler reads the overdue ones (shared/delivery/reconcile.ts).
         */
        name: "pending",
        partitionKey: { name: "pendingShard", type: "N" },
        sortKey: { name: "dueAt", type: "S" },
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
  handler: "fanout" | "sender" | "feedback";
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
  /** SES's events about sent emails (MAIL_EVENTS), delivered by SNS. */
  feedback: {
    id: "Feedback",
    env: "FEEDBACK_QUEUE_URL",
    visibilityTimeoutSeconds: 120,
    consumerTimeoutSeconds: 20,
    maxReceiveCount: 5,
    batchSize: 10,
    handler: "feedback",
  },
} as const satisfies Record<string, QueueDefinition>;

/**
 * The variable that carries a queue's dead-letter queue URL (`SEND_QUEUE_URL` → `SEND_QUEUE_DLQ_URL`),
 * for the reconciler and the API's redrive: the same name locally (infra/local/provision.ts) and on AWS.
 */
export const dlqEnv = (queue: QueueDefinition): string => queue.env.replace(/_URL$/, "_DLQ_URL");

/**
 * Where SES reports what became of each email: the configuration set publishes these events
 * to an SNS topic, which delivers them to the feedback queue. SNS rather than EventBridge
 * because the local runtime has SNS (fauxqs) and no EventBridge: the topic, the subscription
 * and the envelope the feedback handler parses are then the same locally as on AWS.
 * Open and Click are left out: the offer link counts clicks itself, and opens are unreliable.
 */
export const MAIL_EVENTS = {
  id: "MailEvents",
  /** The SES event types published (SES's names, as they appear in `eventType`). */
  eventTypes: ["Send", "Delivery", "Bounce", "Complaint", "Reject", "DeliveryDelay", "Rendering Failure"],
  /** The queue the topic delivers to (a key of QUEUES). */
  queue: "feedback",
} as const;

/** Variables the functions read besides resource names (see shared/config). */
export const SETTINGS_ENV = {
  mailFrom: "MAIL_FROM",
  configurationSet: "SES_CONFIGURATION_SET",
  publicBaseUrl: "PUBLIC_BASE_URL",
  platformSecretArn: "PLATFORM_SECRET_ARN",
} as const;
