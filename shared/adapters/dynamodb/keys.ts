import { createHash } from "node:crypto";

/**
 * Every key of the campaigns table, named after the access pattern it serves. Campaign
 * counters are spread over COUNTER_SHARDS items so concurrent senders rarely contend.
 */
export const COUNTER_SHARDS = 8;

export const counterShardFor = (customerId: string) =>
  createHash("md5").update(customerId).digest().readUInt8(0) % COUNTER_SHARDS;

/** The pending index's partitions: every pending delivery of every campaign, spread so writes do not crowd one. */
export const PENDING_SHARDS = 16;
export const pendingShardFor = (customerId: string) =>
  createHash("md5").update(customerId).digest().readUInt8(1) % PENDING_SHARDS;

/** Cursors are long and opaque: a counted page is named by a hash of where it starts, the first "start". */
const pageName = (cursor: string | undefined) =>
  cursor ? createHash("sha256").update(cursor).digest("base64url").slice(0, 22) : "start";

export const keys = {
  /** All segments share one partition (there are few), versions sorting under their segment. */
  segments: "SEGMENTS",
  segmentVersion: (segmentId: string, version: number) => ({
    pk: "SEGMENTS",
    sk: `SEGMENT#${segmentId}#v${String(version).padStart(6, "0")}`,
  }),
  segmentVersionsPrefix: (segmentId: string) => `SEGMENT#${segmentId}#v`,
  /** A segment's export trail, time-ordered under the segment; `exportId` keeps two of the same moment apart. */
  segmentPartition: (segmentId: string) => `SEGMENT#${segmentId}`,
  segmentExport: (segmentId: string, at: string, exportId: string) => ({
    pk: `SEGMENT#${segmentId}`,
    sk: `EXPORT#${at}#${exportId}`,
  }),
  segmentExportsPrefix: "EXPORT#",
  campaign: (campaignId: string) => ({ pk: `CAMPAIGN#${campaignId}`, sk: "CAMPAIGN" }),
  /**
   * A campaign's append-only history, time-ordered under the campaign; the event keeps two
   * entries of the same moment apart (a status change happens once per event and moment).
   */
  campaignHistoryEntry: (campaignId: string, at: string, event: string) => ({
    pk: `CAMPAIGN#${campaignId}`,
    sk: `HISTORY#${at}#${event}`,
  }),
  campaignHistoryPrefix: "HISTORY#",
  /** Query begins_with(sk, COUNTERS#) sums the shards into the funnel. */
  campaignCounters: (campaignId: string, shard: number) => ({ pk: `CAMPAIGN#${campaignId}`, sk: `COUNTERS#${shard}` }),
  campaignCountersPrefix: "COUNTERS#",
  /** A marker per finished fan-out shard makes "finished" idempotent; FANOUT counts them. */
  fanoutShardFinished: (campaignId: string, shard: number) => ({ pk: `CAMPAIGN#${campaignId}`, sk: `FANOUT#${shard}` }),
  fanoutShardFinishedPrefix: "FANOUT#",
  fanoutProgress: (campaignId: string) => ({ pk: `CAMPAIGN#${campaignId}`, sk: "FANOUT" }),
  /** Where each shard's scan has got to: the reconciler resumes a shard whose message was lost from here. */
  fanoutShardProgress: (campaignId: string, shard: number) => ({
    pk: `CAMPAIGN#${campaignId}`,
    sk: `FANOUTAT#${shard}`,
  }),
  fanoutShardProgressPrefix: "FANOUTAT#",
  /** Same customer, product and moment is the same conversion, however often it is posted. */
  conversion: (customerId: string, productCode: string, occurredAt: string) => ({
    pk: `CUSTOMER#${customerId}`,
    sk: `CONVERSION#${productCode}#${occurredAt}`,
  }),
  /** Query begins_with(sk, CONVERSION#) under the customer's pk lists their conversions. */
  conversionsPrefix: "CONVERSION#",
  /** A customer's changes and audit trail share the customer's partition, which outlives the purged record. */
  customerPartition: (customerId: string) => `CUSTOMER#${customerId}`,
  customerChange: (customerId: string, changeId: string) => ({
    pk: `CUSTOMER#${customerId}`,
    sk: `CHANGE#${changeId}`,
  }),
  /** The approvers' queue: a copy of each pending change, oldest first, removed when decided. */
  pendingChanges: "PENDING_CHANGES",
  pendingChange: (requestedAt: string, changeId: string) => ({
    pk: "PENDING_CHANGES",
    sk: `CHANGE#${requestedAt}#${changeId}`,
  }),
  /** Time-ordered; `unique` keeps two entries of the same moment apart. */
  auditEntry: (customerId: string, at: string, unique: string) => ({
    pk: `CUSTOMER#${customerId}`,
    sk: `AUDIT#${at}#${unique}`,
  }),
  /**
   * A breakdown run sits with its campaign, its id sorting by start; the campaign's hold names
   * the run counting it now; its counted pages under a partition of their own.
   */
  breakdownRun: (campaignId: string, runId: string) => ({ pk: `CAMPAIGN#${campaignId}`, sk: `BREAKDOWN#${runId}` }),
  breakdownRunPrefix: "BREAKDOWN#",
  breakdownHold: (campaignId: string) => ({ pk: `CAMPAIGN#${campaignId}`, sk: "BREAKDOWN_RUNNING" }),
  /** A page a breakdown run counted, named by where it starts (pageName). */
  breakdownPage: (runId: string, cursor: string | undefined) => ({
    pk: `BREAKDOWN#${runId}`,
    sk: `PAGE#${pageName(cursor)}`,
  }),
  /** A preview run sits with its segment; its counted pages under a partition of their own. */
  previewRun: (segmentId: string, previewId: string) => ({ pk: `SEGMENT#${segmentId}`, sk: `PREVIEW#${previewId}` }),
  previewPages: (previewId: string) => `PREVIEW#${previewId}`,
  previewPagePrefix: "PAGE#",
  /** A page of a shard a preview run counted, named by the shard and where it starts (pageName). */
  previewPage: (previewId: string, shard: number, cursor: string | undefined) => ({
    pk: `PREVIEW#${previewId}`,
    sk: `PAGE#${shard}#${pageName(cursor)}`,
  }),
  /** The suppression list: one item per normalised address, read by address at fan-out and send. */
  suppressedAddress: (address: string) => ({ pk: `SUPPRESSED#${address}`, sk: "SUPPRESSED" }),
  /** The shared send-rate bucket: one counter per second of the clock, expired by TTL (`expiresAt`). */
  sendRateSecond: (second: number) => ({ pk: `RATE#${second}`, sk: "RATE" }),
  delivery: (campaignId: string, customerId: string) => ({ campaignId, customerId }),
  /** byCustomer index: a customer's offers in time order, for attribution. */
  deliveriesByCustomer: "byCustomer",
  /** pending index: deliveries waiting for a send, by when they are due (sparse). */
  pendingDeliveries: "pending",
  /** A console session, by the SHA-256 of its cookie; expired by TTL (`expiresAt`) and checked on every read. */
  consoleSession: (sessionKey: string) => ({ pk: `CONSOLE_SESSION#${sessionKey}`, sk: "SESSION" }),
  /** A console sign-in under way, by the SHA-256 of its state; read once. */
  consoleLogin: (stateKey: string) => ({ pk: `CONSOLE_LOGIN#${stateKey}`, sk: "LOGIN" }),
  /** A person's chosen console language, by their user id (the token's subject); kept without expiry. */
  consoleLanguage: (userId: string) => ({ pk: `CONSOLE_USER#${userId}`, sk: "LANGUAGE" }),
  /** The brand kit an admin set, and its history by version, in one partition (there is one kit). */
  brandKit: { pk: "BRAND_KIT", sk: "CURRENT" },
  brandKitPartition: "BRAND_KIT",
  brandKitChange: (version: number) => ({ pk: "BRAND_KIT", sk: `HISTORY#${String(version).padStart(6, "0")}` }),
  brandKitHistoryPrefix: "HISTORY#",
  /** A logo's bytes, by the first 16 hex digits of its SHA-256 (logoPath); kept after it is replaced, for the emails that show it. */
  brandLogo: (sha256Prefix: string) => ({ pk: `BRAND_LOGO#${sha256Prefix}`, sk: "LOGO" }),
  /** campaignsByStatus index: campaign items only, by `campaignStatus`, then `createdAt`. */
  campaignsByStatus: "campaignsByStatus",
  /** byDay index: the bank-wide trails, one partition per trail and UTC day, newest last. */
  byDay: "byDay",
  /** Where an export record sits in the byDay index; `exportId` keeps two of the same moment apart. */
  exportsByDay: (at: string, exportId: string) => ({
    dayKey: `EXPORTS#${at.slice(0, 10)}`,
    dayAt: `${at}#${exportId}`,
  }),
  exportsDay: (day: string) => `EXPORTS#${day}`,
  /**
   * Where a customer change event sits in the byDay index, with who and what kind of event it
   * is (`trailActor`, `trailKind`), so a filter by either is the index's own.
   */
  changesByDay: (at: string, unique: string, actor: string, kind: string) => ({
    dayKey: `CHANGES#${at.slice(0, 10)}`,
    dayAt: `${at}#${unique}`,
    trailActor: actor,
    trailKind: kind,
  }),
  changesDay: (day: string) => `CHANGES#${day}`,
  /** A rejected change's own record of its rejection, under the customer, for the bank-wide trail. */
  rejectedChange: (customerId: string, decidedAt: string, changeId: string) => ({
    pk: `CUSTOMER#${customerId}`,
    sk: `REJECTED#${decidedAt}#${changeId}`,
  }),
};

export const encodeCursor = (key: Record<string, unknown> | undefined) =>
  key ? Buffer.from(JSON.stringify(key)).toString("base64url") : undefined;
export const decodeCursor = (cursor: string | undefined) =>
  cursor ? (JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as Record<string, unknown>) : undefined;
