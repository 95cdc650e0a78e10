import type { CampaignAnswer } from "./answers.js";
import type { ChangeTrailReader } from "./change-trail.js";
import type { AuditEntry, ChangeEffect, CustomerChange } from "./changes.js";
import type { Channel, PreferenceCategory, Preferences } from "./consent.js";
import type { Customer } from "./customer.js";

export type ScanPage = {
  customers: Customer[];
  cursor?: string;
  /** Records the page read, deleted ones included (they are skipped, not unread); `customers.length` when absent. */
  scanned?: number;
};

export interface CustomerStore {
  get(customerId: string): Promise<Customer | null>;
  getMany(customerIds: string[]): Promise<Map<string, Customer>>;
  /** Writes new customers whole. */
  save(customers: Customer[]): Promise<void>;
  /**
   * Writes known customers whole, each only if its record still has the `updatedAt` it was read
   * with (and is not deleted): a customer's unsubscribe, an approved edit or a deletion that
   * landed meanwhile is never overwritten. Returns the ids that changed meanwhile, unwritten.
   */
  replaceIfUnchanged(updates: { customer: Customer; readAt: string }[]): Promise<string[]>;
  /** One page of one shard of a parallel scan of the customers not deleted; `cursor` is opaque and resumes the shard. */
  scanShard(shard: number, totalShards: number, pageSize: number, cursor?: string): Promise<ScanPage>;
  /** The customer's own withdrawal of email consent, with `source` and `now` recorded as the proof. */
  withdrawEmailConsent(customerId: string, now: string, source: string): Promise<void>;
  /**
   * About how many customer records there are, deleted ones included, as the store counts them
   * without reading them (DynamoDB's item count, refreshed about every six hours): the scale of a
   * count estimated from a bounded scan. Absent or null: unknown.
   */
  approximateCount?(): Promise<number | null>;
  /**
   * The customer's own choices in the preference centre, merged by chosenConsent (a record of
   * the customer's own, with `source` and `at`, for each answer that changes), written only if
   * the record is still as read (an import or an unsubscribe meanwhile is read again). Returns
   * what changed, or null when the customer is unknown or deleted.
   */
  recordPreferences(
    customerId: string,
    chosen: Preferences,
    source: string,
    at: string,
  ): Promise<{ changed: (Channel | PreferenceCategory)[] } | null>;
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
  apply(
    change: CustomerChange,
    audit: AuditEntry[],
    effect: ChangeEffect,
    options: { requestedNow: boolean },
  ): Promise<void>;
  reject(change: CustomerChange): Promise<void>;
  /** Appends entries; nothing edits or deletes them. */
  appendAudit(entries: AuditEntry[]): Promise<void>;
  /** A customer's audit trail, newest first. */
  auditTrail(customerId: string): Promise<AuditEntry[]>;
  /**
   * Every customer's changes in a period, newest first, a page at a time: requests, rejections
   * and audit entries (applied changes, consent choices), by actor and kind when given.
   */
  bankWide: ChangeTrailReader["bankWide"];
}
