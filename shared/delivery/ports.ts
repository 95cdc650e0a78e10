import type { Campaign } from "../campaigns/campaign.js";
import type { Counters, MailOutcome } from "./counters.js";
import type { FanoutDecision } from "./decide.js";
import type { Delivery, WithdrawalReason } from "./delivery.js";
import type { FanoutJob, SendJob } from "./jobs.js";
import type { SuppressedAddress } from "./suppression.js";

/** A delivery's identity: its campaign and customer. */
export type DeliveryKey = Pick<Delivery, "campaignId" | "customerId">;

export interface DeliveryStore {
  /** Records fan-out decisions once each; returns the customers whose send message must go (still queued). */
  recordFanout(campaign: Campaign, decisions: FanoutDecision[], offeredAt: string): Promise<string[]>;
  /** Marks a fan-out shard finished, once; true when it was the last one of the campaign. */
  finishShard(campaignId: string, shard: number, totalShards: number): Promise<boolean>;
  /** How many of the campaign's fan-out shards have finished (their markers). */
  shardsFinished(campaignId: string): Promise<number>;
  get(campaignId: string, customerId: string): Promise<Delivery | null>;
  /**
   * queued (or stuck, when its message is redriven) -> sending, conditionally on the business
   * key, at `at`; DeliveryAlreadyClaimedError otherwise.
   */
  claim(delivery: DeliveryKey, at: string): Promise<void>;
  /** sending -> sent; done already by SES's Send event for the same message (confirmSent) is done. */
  recordSent(delivery: DeliveryKey, messageId: string, at: string): Promise<void>;
  recordFailed(delivery: DeliveryKey, reason: string): Promise<void>;
  /**
   * sending -> queued, when the mail service certainly did not take the message; `dueAt` is
   * when its message comes back (the reconciler leaves it alone until then).
   */
  release(delivery: DeliveryKey, dueAt: string): Promise<void>;
  /**
   * queued -> stuck: its message is going to the dead-letter queue. It keeps its due time, so
   * that a start whose queues are new (overdue's `stuckToo`) can give it a message again.
   * False when it was not queued.
   */
  markStuck(delivery: DeliveryKey): Promise<boolean>;
  /** sending -> unconfirmed, if it was claimed before `claimedBefore`; false when it moved on meanwhile. */
  settleUnconfirmed(delivery: DeliveryKey, claimedBefore: string): Promise<boolean>;
  /**
   * SES says it took the delivery's email: sending or unconfirmed -> sent. False when the
   * delivery was not waiting for that word (already sent, say).
   */
  confirmSent(delivery: DeliveryKey, messageId: string, at: string): Promise<boolean>;
  /**
   * Deliveries overdue: queued (and, with `stuckToo`, stuck) and due before `queuedBefore`, or
   * claimed before `claimedBefore`; at most `limit`, most overdue first within each index shard.
   */
  overdue(
    before: { queuedBefore: string; claimedBefore: string; stuckToo?: boolean },
    limit: number,
  ): Promise<PendingDelivery[]>;
  /** A queued delivery given a new message: its `dueAt` moves on, if nobody moved it meanwhile. */
  requeue(delivery: PendingDelivery, dueAt: string): Promise<boolean>;
  /** Where a fan-out shard's scan has got to, written before its next page is queued. */
  recordShardProgress(campaignId: string, shard: number, cursor: string, at: string): Promise<void>;
  /** Each shard's latest progress, for the shards that recorded any. */
  shardProgress(campaignId: string): Promise<ShardProgress[]>;
  /** Which of the campaign's shards have finished. */
  finishedShards(campaignId: string): Promise<Set<number>>;
  /** sending -> suppressed: the customer withdrew consent, lost their address or was deleted between fan-out and send. */
  withdraw(delivery: DeliveryKey, reason: WithdrawalReason): Promise<void>;
  /**
   * Records what the mail system reported about the delivery's email (its `…At` field) and
   * counts it, in one transaction, once: "already_recorded" when it was, "unknown" when there
   * is no such delivery.
   */
  recordOutcome(delivery: DeliveryKey, outcome: MailOutcome, at: string): Promise<OutcomeRecorded>;
  counters(campaignId: string): Promise<Counters>;
  /** Every delivery of the campaign, a page (up to 1 MB) at a time: for results broken down (breakdown.ts). */
  pagesOfCampaign(campaignId: string): AsyncIterable<Delivery[]>;
  /**
   * One page of the campaign's deliveries, at most `limit`, from `cursor` (where the previous
   * page ended); no cursor back when it was the last: a breakdown run's job (breakdown-run.ts).
   */
  pageOfCampaign(
    campaignId: string,
    limit: number,
    cursor?: string,
  ): Promise<{ deliveries: Delivery[]; cursor?: string }>;
  /** The customer's latest `limit` deliveries, newest offer first (the byCustomer index). */
  ofCustomer(customerId: string, limit: number): Promise<Delivery[]>;
}

export type OutcomeRecorded = "recorded" | "already_recorded" | "unknown";

/** A delivery waiting for a send: queued, or claimed by a sender, and when it is next expected to move. */
export type PendingDelivery = DeliveryKey & { status: "queued" | "sending" | "stuck"; dueAt: string };

export type ShardProgress = { shard: number; cursor: string; at: string };

export const QUEUE_NAMES = ["fanout", "send", "feedback"] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

/** The dead-letter queue beside each queue: where a message goes after its last receive failed. */
export interface DeadLetterQueues {
  /** How many messages wait in each dead-letter queue (approximately, as SQS counts them). */
  depths(): Promise<Record<QueueName, number>>;
  /** Moves up to `max` messages from the queue's dead-letter queue back to the queue. */
  redrive(queue: QueueName, max: number): Promise<{ moved: number }>;
}

/** The platform's own suppression list: addresses that hard-bounced, each with its proof. */
export interface SuppressionList {
  /** Puts the address on the list; an address already there keeps its first proof. */
  suppress(entry: SuppressedAddress): Promise<void>;
  /** The entry for this address (normalised by the caller), or null. */
  find(address: string): Promise<SuppressedAddress | null>;
  /** Which of these addresses (normalised by the caller) are on the list. */
  suppressedAmong(addresses: string[]): Promise<Set<string>>;
}

export interface JobQueue {
  enqueueFanout(jobs: FanoutJob[]): Promise<void>;
  /** `delaySeconds` (at most 900, SQS's limit) hides the new messages that long: a paused campaign's held sends. */
  enqueueSends(jobs: SendJob[], delaySeconds?: number): Promise<void>;
  /** Holds a received send message back for `seconds` (at most 12 hours) instead of retrying it soon. */
  deferSend(receiptHandle: string, seconds: number): Promise<void>;
  /** Send messages waiting to be received (approximately, as SQS counts them): sends still flowing. */
  sendBacklog(): Promise<number>;
}

export type OutgoingEmail = {
  to: string;
  /** The sender's display name, in the customer's language (the brand kit's senderName); the address is the mailer's. */
  fromName?: string;
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

/** The account's sending quota, as the mail service states it (SES: GetSendQuota's MaxSendRate). */
export interface SendQuota {
  /** Emails per second the mail service accepts from the account. */
  maxSendRate(): Promise<number>;
}

/**
 * Send slots shared by every sender, counted per second of the clock (see send-rate.ts).
 * Taking a slot is one atomic step: it succeeds while the second has fewer than `limit` taken.
 */
export interface SendRateLimiter {
  /** Takes one of the `limit` slots of `second` (epoch seconds); false when all are taken. */
  tryAcquire(second: number, limit: number): Promise<boolean>;
}
