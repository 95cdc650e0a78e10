import type { Customer } from "../customers/customer.js";
import type { CampaignAnswer, RecordedConversion } from "../customers/answers.js";
import type { AuditEntry, ChangeEffect, CustomerChange } from "../customers/changes.js";
import type { PageTally, PreviewRun } from "../segments/preview-run.js";
import type { LifecycleSettings } from "../customers/history.js";
import type { QuietHours } from "../delivery/quiet-hours.js";
import type { Segment } from "../segments/segment.js";
import type { ExportRecord } from "../segments/export.js";
import type { Campaign, CampaignTransition } from "../campaigns/campaign.js";
import type { Answer, Delivery, FanoutDecision, WithdrawalReason } from "../delivery/delivery.js";
import type { Counters } from "../delivery/stats.js";
import type { TierThresholds } from "../kernel/tiers.js";

export type ScanPage = { customers: Customer[]; cursor?: string };

export interface CustomerStore {
  get(customerId: string): Promise<Customer | null>;
  getMany(customerIds: string[]): Promise<Map<string, Customer>>;
  /** Writes new and changed customers whole. */
  save(customers: Customer[]): Promise<void>;
  /** One page of one shard of a parallel scan of the customers not deleted; `cursor` is opaque and resumes the shard. */
  scanShard(shard: number, totalShards: number, pageSize: number, cursor?: string): Promise<ScanPage>;
  /** Email consent off, with `source` and `now` recorded as the proof. */
  withdrawEmailConsent(customerId: string, now: string, source: string): Promise<void>;
  /** lastContactedAt = at, unless it is as late already (a late or retried send): it never moves back. */
  recordContact(customerId: string, at: string): Promise<void>;
  /** Merges the campaign's answer into `answers` (withAnswer), safe against concurrent answers; idempotent. */
  recordAnswer(customerId: string, campaignId: string, answer: CampaignAnswer): Promise<void>;
}

export interface CustomerChangeStore {
  /** Saves a pending change; it is listed by pending() until an approver decides it. */
  request(change: CustomerChange): Promise<void>;
  get(customerId: string, changeId: string): Promise<CustomerChange | null>;
  /** Every change waiting for an approver, oldest first. */
  pending(): Promise<CustomerChange[]>;
  /** A customer's changes, newest first. */
  of(customerId: string): Promise<CustomerChange[]>;
  /**
   * In one transaction: the change recorded as applied (saved so, or moved from pending), its
   * effect on the customer record (only if the record still holds the values the change was
   * asked against), and its audit entries. CustomerChangeConflictError when either moved on.
   */
  apply(change: CustomerChange, audit: AuditEntry[], effect: ChangeEffect, options: { requestedNow: boolean }): Promise<void>;
  reject(change: CustomerChange): Promise<void>;
  /** Appends entries; nothing edits or deletes them. */
  appendAudit(entries: AuditEntry[]): Promise<void>;
  /** A customer's audit trail, newest first. */
  auditTrail(customerId: string): Promise<AuditEntry[]>;
}

export interface PreviewStore {
  create(run: PreviewRun): Promise<void>;
  get(segmentId: string, previewId: string): Promise<PreviewRun | null>;
  /**
   * Adds a page's tally to the run, once: the page is recorded as counted in the same
   * transaction. False when it had been counted already (a redelivered job).
   */
  countPage(run: PreviewRun, shard: number, cursor: string | undefined, tally: PageTally, lastOfShard: boolean): Promise<boolean>;
  /** The sample candidates every counted page kept. */
  sampleIds(segmentId: string, previewId: string): Promise<string[]>;
}

export interface SegmentStore {
  /** Saves a version once; a second save of the same version is a conflict (someone revised it first). */
  save(segment: Segment): Promise<void>;
  /** The latest version, or the given one. */
  get(segmentId: string, version?: number): Promise<Segment | null>;
  /** The latest version of every segment. */
  list(): Promise<Segment[]>;
}

/** The segment exports' trail: append-only, like the customers' audit trail. */
export interface SegmentExportStore {
  /** Appends a record; nothing edits or deletes it. */
  append(record: ExportRecord): Promise<void>;
  /** A segment's exports, newest first. */
  of(segmentId: string): Promise<ExportRecord[]>;
}

export interface CampaignStore {
  create(campaign: Campaign): Promise<void>;
  get(campaignId: string): Promise<Campaign | null>;
  /** Applies a lifecycle transition only from an allowed status, else CampaignStateConflictError. */
  transition(campaignId: string, transition: CampaignTransition, patch: Partial<Campaign>): Promise<Campaign>;
}

/** A delivery's identity: its campaign and customer. */
export type DeliveryKey = Pick<Delivery, "campaignId" | "customerId">;

export type Conversion = { customerId: string; productCode: string; amount: number; occurredAt: string };
export type Attribution = { attributedTo: string | null; group: "treated" | "control" | null };

export interface DeliveryStore {
  /** Records fan-out decisions once each; returns the customers whose send message must go (still queued). */
  recordFanout(campaign: Campaign, decisions: FanoutDecision[], offeredAt: string): Promise<string[]>;
  /** Marks a fan-out shard finished, once; true when it was the last one of the campaign. */
  finishShard(campaignId: string, shard: number, totalShards: number): Promise<boolean>;
  get(campaignId: string, customerId: string): Promise<Delivery | null>;
  /** queued -> sending, conditionally on the business key; DeliveryAlreadyClaimedError otherwise. */
  claim(delivery: DeliveryKey): Promise<void>;
  recordSent(delivery: DeliveryKey, messageId: string, at: string): Promise<void>;
  recordFailed(delivery: DeliveryKey, reason: string): Promise<void>;
  /** sending -> queued, when the mail service certainly did not take the message. */
  release(delivery: DeliveryKey): Promise<void>;
  /** sending -> suppressed: the customer withdrew consent, lost their address or was deleted between fan-out and send. */
  withdraw(delivery: DeliveryKey, reason: WithdrawalReason): Promise<void>;
  recordClick(delivery: Delivery, at: string): Promise<void>;
  recordAnswer(delivery: Delivery, answer: Answer, at: string): Promise<void>;
  /** The latest treated or control offer of the product to the customer in [from, to]. */
  latestOffer(customerId: string, productCode: string, from: string, to: string): Promise<Delivery | null>;
  /** Stores the conversion once (same customer, product and time = same conversion) and credits the delivery. */
  recordConversion(conversion: Conversion, delivery: Delivery | null): Promise<Attribution>;
  counters(campaignId: string): Promise<Counters>;
  /** The customer's latest `limit` deliveries, newest offer first (the byCustomer index). */
  ofCustomer(customerId: string, limit: number): Promise<Delivery[]>;
  /** The customer's latest `limit` recorded conversions, newest first. */
  conversionsOf(customerId: string, limit: number): Promise<RecordedConversion[]>;
}

import type { FanoutJob, PreviewJob, SendJob } from "../delivery/jobs.js";
export type { FanoutJob, PreviewJob, SendJob };

export interface JobQueue {
  enqueueFanout(jobs: FanoutJob[]): Promise<void>;
  /** Preview pages go on the fan-out queue too: the same scan, the same consumer. */
  enqueuePreviews(jobs: PreviewJob[]): Promise<void>;
  enqueueSends(jobs: SendJob[]): Promise<void>;
  /** Holds a received send message back for `seconds` (at most 12 hours) instead of retrying it soon. */
  deferSend(receiptHandle: string, seconds: number): Promise<void>;
}

export type OutgoingEmail = {
  to: string;
  subject: string;
  html: string;
  text: string;
  /** One-click unsubscribe (RFC 8058), sent as List-Unsubscribe headers. */
  unsubscribeUrl: string;
  tags: Record<string, string>;
};

export interface Mailer {
  /** Throws MailRejectedError (never taken, never will be) or MailDeferredError (not taken, try later). */
  send(email: OutgoingEmail): Promise<{ messageId: string }>;
}

export type Settings = {
  fanoutShards: number;
  fanoutPageSize: number;
  attributionWindowDays: number;
  linkTtlDays: number;
  linkSigningSecret: string;
  publicBaseUrl: string;
  tierThresholds: TierThresholds;
  /** Defaults to DEFAULT_LIFECYCLE. */
  lifecycle?: LifecycleSettings;
  /** Local hours no offer is sent in; none when absent. */
  quietHours?: QuietHours | null;
};

/** Everything a use case may touch. Built once per Lambda container by the composition root. */
export type Platform = {
  customers: CustomerStore;
  customerChanges: CustomerChangeStore;
  segments: SegmentStore;
  segmentExports: SegmentExportStore;
  previews: PreviewStore;
  campaigns: CampaignStore;
  deliveries: DeliveryStore;
  queue: JobQueue;
  mailer: Mailer;
  settings: Settings;
  now: () => Date;
  newId: () => string;
};

export type Actor = { name: string; role: "marketer" | "approver" | "analyst" | "admin" };
