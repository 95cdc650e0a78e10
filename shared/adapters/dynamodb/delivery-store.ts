import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { Campaign } from "../../campaigns/campaign.js";
import type { Answer } from "../../customers/answers.js";
import { type Counters, counterFor, MAIL_OUTCOMES, type MailOutcome } from "../../delivery/counters.js";
import type { FanoutDecision } from "../../delivery/decide.js";
import { Delivery, type WithdrawalReason } from "../../delivery/delivery.js";
import type {
  DeliveryKey,
  DeliveryStore,
  OutcomeRecorded,
  PendingDelivery,
  ShardProgress,
} from "../../delivery/ports.js";
import { DeliveryAlreadyClaimedError } from "../../kernel/errors.js";
import { type Attribution, type Conversion, RecordedConversion } from "../../responses/conversions.js";
import type { ResponseStore } from "../../responses/ports.js";
import {
  cancellationCodes,
  chunk,
  documentClient,
  isConditionFailure,
  itemsWithPrefix,
  retryOnConflict,
  transactionConditionFailed,
} from "./client.js";
import { counterShardFor, decodeCursor, encodeCursor, keys, PENDING_SHARDS, pendingShardFor } from "./keys.js";

/** Attempts of a transaction that another one touching the same counter item cancelled. */
const CONFLICT_ATTEMPTS = 4;

/**
 * Sends a transaction again when DynamoDB cancelled it for a conflict with another transaction
 * on one of its items (a counter shard that concurrent sends share), after a short random
 * pause, as DynamoDB advises: the result of a send must not be lost to a collision.
 */
async function sendTransaction(command: TransactWriteCommand): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await documentClient.send(command);
      return;
    } catch (error) {
      const conflict = cancellationCodes(error)?.includes("TransactionConflict") ?? false;
      if (!conflict || attempt >= CONFLICT_ATTEMPTS) throw error;
      await new Promise((r) => setTimeout(r, 10 + Math.random() * 40 * attempt));
    }
  }
}

type TransactItem = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]["TransactItems"]>[number];

/** A transaction holds at most 100 items; one is the counter update. */
const FANOUT_CHUNK = 99;

/** Conversions read for one customer before sorting: product openings are few, this is a backstop. */
const MAX_CONVERSIONS_READ = 1_000;

/** The pending index's keys, kept on a delivery only while it waits for a send (keys.pendingDeliveries). */
type PendingKeys = { dueAt?: string; pendingShard?: number };

const counterNameOf = (d: FanoutDecision) =>
  d.status === "queued" ? "targeted" : d.status === "control" ? "control" : counterFor.suppressed(d.reason);

export class DynamoDbDeliveryStore implements DeliveryStore, ResponseStore {
  constructor(
    private readonly deliveriesTable: string,
    private readonly campaignsTable: string,
  ) {}

  /** ADD to one shard of the campaign's counters; negative amounts undo. */
  private counterUpdate(campaignId: string, shardKey: string, changes: Counters): TransactItem {
    const entries = Object.entries(changes).filter(([, v]) => v !== 0);
    return {
      Update: {
        TableName: this.campaignsTable,
        Key: keys.campaignCounters(campaignId, counterShardFor(shardKey)),
        UpdateExpression: `ADD ${entries.map((_, i) => `#c${i} :c${i}`).join(", ")}`,
        ExpressionAttributeNames: Object.fromEntries(entries.map(([k], i) => [`#c${i}`, k])),
        ExpressionAttributeValues: Object.fromEntries(entries.map(([, v], i) => [`:c${i}`, v])),
      },
    };
  }

  private deliveryPut(campaign: Campaign, decision: FanoutDecision, offeredAt: string): TransactItem {
    const item: Delivery = {
      campaignId: campaign.campaignId,
      customerId: decision.customerId,
      productCode: campaign.offer.productCode,
      status: decision.status,
      suppressionReason: decision.status === "suppressed" ? decision.reason : undefined,
      offeredAt,
      ...decision.profile,
    };
    const pending =
      decision.status === "queued" ? { pendingShard: pendingShardFor(decision.customerId), dueAt: offeredAt } : {};
    return {
      Put: {
        TableName: this.deliveriesTable,
        Item: { ...item, ...pending },
        ConditionExpression: "attribute_not_exists(customerId)",
      },
    };
  }

  async recordFanout(campaign: Campaign, decisions: FanoutDecision[], offeredAt: string) {
    const toSend: string[] = [];
    for (const part of chunk(decisions, FANOUT_CHUNK)) {
      const tally: Counters = {};
      for (const d of part) tally[counterNameOf(d)] = (tally[counterNameOf(d)] ?? 0) + 1;
      try {
        await documentClient.send(
          new TransactWriteCommand({
            TransactItems: [
              ...part.map((d) => this.deliveryPut(campaign, d, offeredAt)),
              this.counterUpdate(campaign.campaignId, part[0].customerId, tally),
            ],
          }),
        );
        toSend.push(...part.filter((d) => d.status === "queued").map((d) => d.customerId));
      } catch (error) {
        if (!transactionConditionFailed(error)) throw error;
        // A retried page: some deliveries exist already. Record the rest one by one.
        for (const d of part) {
          if (await this.recordOne(campaign, d, offeredAt)) toSend.push(d.customerId);
        }
      }
    }
    return toSend;
  }

  /** True when a send message must go: newly queued, or still queued from an earlier attempt. */
  private async recordOne(campaign: Campaign, d: FanoutDecision, offeredAt: string): Promise<boolean> {
    try {
      await documentClient.send(
        new TransactWriteCommand({
          TransactItems: [
            this.deliveryPut(campaign, d, offeredAt),
            this.counterUpdate(campaign.campaignId, d.customerId, { [counterNameOf(d)]: 1 }),
          ],
        }),
      );
      return d.status === "queued";
    } catch (error) {
      if (!transactionConditionFailed(error)) throw error;
      const existing = await this.get(campaign.campaignId, d.customerId);
      return existing?.status === "queued";
    }
  }

  async finishShard(campaignId: string, shard: number, totalShards: number) {
    try {
      await documentClient.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.campaignsTable,
                Item: keys.fanoutShardFinished(campaignId, shard),
                ConditionExpression: "attribute_not_exists(pk)",
              },
            },
            {
              Update: {
                TableName: this.campaignsTable,
                Key: keys.fanoutProgress(campaignId),
                UpdateExpression: "ADD shardsFinished :one",
                ExpressionAttributeValues: { ":one": 1 },
              },
            },
          ],
        }),
      );
    } catch (error) {
      if (!transactionConditionFailed(error)) throw error;
    }
    return (await this.shardsFinished(campaignId)) >= totalShards;
  }

  async shardsFinished(campaignId: string) {
    const { Item } = await documentClient.send(
      new GetCommand({ TableName: this.campaignsTable, Key: keys.fanoutProgress(campaignId), ConsistentRead: true }),
    );
    return (Item?.shardsFinished as number | undefined) ?? 0;
  }

  async get(campaignId: string, customerId: string) {
    const { Item } = await documentClient.send(
      new GetCommand({
        TableName: this.deliveriesTable,
        Key: keys.delivery(campaignId, customerId),
        ConsistentRead: true,
      }),
    );
    return Item ? Delivery.parse(Item) : null;
  }

  /** Changes a delivery under a condition and its counters with it, or neither. */
  private async updateCounted(
    delivery: DeliveryKey,
    update: {
      set: Partial<Delivery> & PendingKeys;
      condition: string;
      values?: Record<string, unknown>;
      names?: Record<string, string>;
      /** Out of the pending index: the delivery waits for no message any more. */
      leavesPending?: boolean;
    },
    counters: Counters,
  ) {
    const fields = Object.entries(update.set).filter(([, v]) => v !== undefined);
    const remove = update.leavesPending ? " REMOVE pendingShard, dueAt" : "";
    await sendTransaction(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: this.deliveriesTable,
              Key: keys.delivery(delivery.campaignId, delivery.customerId),
              UpdateExpression: `SET ${fields.map((_, i) => `#f${i} = :f${i}`).join(", ")}${remove}`,
              ConditionExpression: update.condition,
              ExpressionAttributeNames: {
                ...update.names,
                ...Object.fromEntries(fields.map(([k], i) => [`#f${i}`, k])),
              },
              ExpressionAttributeValues: {
                ...update.values,
                ...Object.fromEntries(fields.map(([, v], i) => [`:f${i}`, v])),
              },
            },
          },
          this.counterUpdate(delivery.campaignId, delivery.customerId, counters),
        ],
      }),
    );
  }

  /** Moves a delivery from one status to another, counters included. */
  private move(
    delivery: DeliveryKey,
    from: Delivery["status"],
    set: Partial<Delivery> & PendingKeys,
    counters: Counters,
    options: { leavesPending?: boolean; condition?: string; values?: Record<string, unknown> } = {},
  ) {
    return this.updateCounted(
      delivery,
      {
        set,
        condition: `#status = :from${options.condition ? ` AND ${options.condition}` : ""}`,
        names: { "#status": "status" },
        values: { ":from": from, ...options.values },
        leavesPending: options.leavesPending,
      },
      counters,
    );
  }

  /** The same move, false instead of an error when the delivery was not as the condition says. */
  private async moveIf(...args: Parameters<DynamoDbDeliveryStore["move"]>): Promise<boolean> {
    try {
      await this.move(...args);
      return true;
    } catch (error) {
      if (transactionConditionFailed(error)) return false;
      throw error;
    }
  }

  async claim(delivery: DeliveryKey, at: string) {
    // The claim keeps the delivery in the pending index, due from the claim: one never answered is settled (reconcile.ts).
    const claimed =
      (await this.moveIf(delivery, "queued", { status: "sending", dueAt: at }, { claimed: 1 })) ||
      // A redriven message: its delivery was counted stuck when the message went to the dead-letter queue.
      (await this.moveIf(
        delivery,
        "stuck",
        { status: "sending", dueAt: at, pendingShard: pendingShardFor(delivery.customerId) },
        { claimed: 1, stuck: -1 },
      ));
    if (!claimed) {
      throw new DeliveryAlreadyClaimedError(
        `Delivery ${delivery.campaignId}/${delivery.customerId} is not queued: already claimed or never queued`,
      );
    }
  }

  async recordSent(delivery: DeliveryKey, messageId: string, at: string) {
    const sent = { status: "sent" as const, messageId, sentAt: at };
    if (await this.moveIf(delivery, "sending", sent, { sent: 1 }, { leavesPending: true })) return;
    // SES's Send event can come back before the sender writes: it recorded the same send (confirmSent).
    const current = await this.get(delivery.campaignId, delivery.customerId);
    if (current?.status === "sent" && current.messageId === messageId) return;
    throw new Error(
      `Delivery ${delivery.campaignId}/${delivery.customerId} is ${current?.status ?? "missing"}, not sending: its send cannot be recorded`,
    );
  }

  recordFailed(delivery: DeliveryKey, reason: string) {
    return this.move(
      delivery,
      "sending",
      { status: "failed", failureReason: reason.slice(0, 500) },
      { failed: 1 },
      { leavesPending: true },
    );
  }

  release(delivery: DeliveryKey, dueAt: string) {
    return this.move(delivery, "sending", { status: "queued", dueAt }, { claimed: -1 });
  }

  withdraw(delivery: DeliveryKey, reason: WithdrawalReason) {
    return this.move(
      delivery,
      "sending",
      { status: "suppressed", suppressionReason: reason },
      { claimed: -1, targeted: -1, [counterFor.suppressed(reason)]: 1 },
      { leavesPending: true },
    );
  }

  markStuck(delivery: DeliveryKey) {
    // It stays in the pending index: should its dead-letter queue be lost with it (the local
    // queues live in memory), the reconciler of the next start gives it a message again.
    return this.moveIf(delivery, "queued", { status: "stuck" }, { stuck: 1 });
  }

  settleUnconfirmed(delivery: DeliveryKey, claimedBefore: string) {
    return this.moveIf(
      delivery,
      "sending",
      { status: "unconfirmed" },
      { unconfirmed: 1 },
      { leavesPending: true, condition: "dueAt < :before", values: { ":before": claimedBefore } },
    );
  }

  async confirmSent(delivery: DeliveryKey, messageId: string, at: string) {
    // Nearly every Send event finds its delivery recorded sent already: one read, and no
    // transaction doomed to fail its condition, for the usual case.
    const current = await this.get(delivery.campaignId, delivery.customerId);
    if (current?.status !== "sending" && current?.status !== "unconfirmed") return false;
    const sent = { status: "sent" as const, messageId, sentAt: at };
    return current.status === "sending"
      ? this.moveIf(delivery, "sending", sent, { sent: 1 }, { leavesPending: true })
      : this.moveIf(delivery, "unconfirmed", sent, { sent: 1, unconfirmed: -1 });
  }

  async overdue(before: { queuedBefore: string; claimedBefore: string; stuckToo?: boolean }, limit: number) {
    const latest = [before.queuedBefore, before.claimedBefore].sort().at(-1)!;
    const found: PendingDelivery[] = [];
    for (let shard = 0; shard < PENDING_SHARDS && found.length < limit; shard++) {
      let cursor: Record<string, unknown> | undefined;
      do {
        const out = await documentClient.send(
          new QueryCommand({
            TableName: this.deliveriesTable,
            IndexName: keys.pendingDeliveries,
            KeyConditionExpression: "pendingShard = :shard AND dueAt < :latest",
            ExpressionAttributeValues: { ":shard": shard, ":latest": latest },
            ExclusiveStartKey: cursor,
          }),
        );
        for (const item of out.Items ?? []) {
          if (found.length >= limit) break;
          // A filter expression may not name the index's own key (dueAt): the cut-offs apply here.
          if (item.status === "stuck" && !before.stuckToo) continue;
          const cutoff = item.status === "sending" ? before.claimedBefore : before.queuedBefore;
          if (!((item.dueAt as string) < cutoff)) continue;
          found.push({
            campaignId: item.campaignId as string,
            customerId: item.customerId as string,
            status: item.status as PendingDelivery["status"],
            dueAt: item.dueAt as string,
          });
        }
        cursor = out.LastEvaluatedKey;
      } while (cursor && found.length < limit);
    }
    return found;
  }

  async requeue(delivery: PendingDelivery, dueAt: string) {
    try {
      await documentClient.send(
        new UpdateCommand({
          TableName: this.deliveriesTable,
          Key: keys.delivery(delivery.campaignId, delivery.customerId),
          UpdateExpression: "SET dueAt = :due",
          // Queued, or stuck with its dead-letter queue lost (a local start): the claim takes either.
          ConditionExpression: "#status IN (:queued, :stuck) AND dueAt = :was",
          ExpressionAttributeNames: { "#status": "status" },
          ExpressionAttributeValues: { ":due": dueAt, ":queued": "queued", ":stuck": "stuck", ":was": delivery.dueAt },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async recordShardProgress(campaignId: string, shard: number, cursor: string, at: string) {
    await documentClient.send(
      new PutCommand({
        TableName: this.campaignsTable,
        Item: { ...keys.fanoutShardProgress(campaignId, shard), shard, cursor, at },
      }),
    );
  }

  async shardProgress(campaignId: string) {
    const progress: ShardProgress[] = [];
    for await (const items of itemsWithPrefix(
      this.campaignsTable,
      keys.campaign(campaignId).pk,
      keys.fanoutShardProgressPrefix,
      { ConsistentRead: true },
    )) {
      for (const item of items)
        progress.push({ shard: item.shard as number, cursor: item.cursor as string, at: item.at as string });
    }
    return progress;
  }

  async finishedShards(campaignId: string) {
    const finished = new Set<number>();
    for await (const items of itemsWithPrefix(
      this.campaignsTable,
      keys.campaign(campaignId).pk,
      keys.fanoutShardFinishedPrefix,
      { ConsistentRead: true },
    )) {
      for (const item of items) finished.add(Number((item.sk as string).slice(keys.fanoutShardFinishedPrefix.length)));
    }
    return finished;
  }

  async recordClick(delivery: Delivery, at: string) {
    try {
      await this.updateCounted(
        delivery,
        { set: { clickedAt: at }, condition: "attribute_not_exists(clickedAt)" },
        { clicked: 1 },
      );
    } catch (error) {
      if (!transactionConditionFailed(error)) throw error; // clicked before: counts once
    }
  }

  /**
   * A renewal (responses/renew.ts) on the delivery and counted apart from the sends, in one
   * transaction, on condition that the delivery was sent and not renewed since `notSince`: two
   * presses at once send one email. False when it was renewed since.
   */
  async recordRenewal(delivery: DeliveryKey, at: string, notSince: string) {
    try {
      await this.updateCounted(
        delivery,
        {
          set: { renewedAt: at },
          condition: "#status = :sent AND (attribute_not_exists(renewedAt) OR renewedAt < :notSince)",
          names: { "#status": "status" },
          values: { ":sent": "sent", ":notSince": notSince },
        },
        { renewed: 1 },
      );
      return true;
    } catch (error) {
      if (transactionConditionFailed(error)) return false;
      throw error;
    }
  }

  /** The mail service did not take the renewal: it no longer counts, and the customer may ask again. */
  async undoRenewal(delivery: DeliveryKey, at: string, before: string | undefined) {
    try {
      await this.updateCounted(
        delivery,
        {
          set: { renewedAt: before ?? new Date(0).toISOString() },
          condition: "renewedAt = :at",
          values: { ":at": at },
        },
        { renewed: -1 },
      );
    } catch (error) {
      if (!transactionConditionFailed(error)) throw error; // renewed again meanwhile: that one stands
    }
  }

  /**
   * The outcome's time on the delivery and its counter, in one transaction, on condition that
   * the delivery exists and has no such time yet: a report the mail system sends twice counts once.
   */
  async recordOutcome(delivery: DeliveryKey, outcome: MailOutcome, at: string): Promise<OutcomeRecorded> {
    const { field, counter } = MAIL_OUTCOMES[outcome];
    try {
      await this.updateCounted(
        delivery,
        {
          set: { [field]: at },
          condition: "attribute_exists(customerId) AND attribute_not_exists(#outcome)",
          names: { "#outcome": field },
        },
        { [counter]: 1 },
      );
      return "recorded";
    } catch (error) {
      if (!transactionConditionFailed(error)) throw error;
      return (await this.get(delivery.campaignId, delivery.customerId)) ? "already_recorded" : "unknown";
    }
  }

  /** The latest answer counts; a changed answer moves the count from the old one to the new. */
  async recordAnswer(delivery: Delivery, answer: Answer, at: string) {
    const what = `Answer for delivery ${delivery.campaignId}/${delivery.customerId}`;
    await retryOnConflict(
      what,
      (error) => transactionConditionFailed(error),
      async (attempt) => {
        const previous =
          attempt === 0 ? delivery.answer : (await this.get(delivery.campaignId, delivery.customerId))?.answer;
        if (previous === answer) return;
        await this.updateCounted(
          delivery,
          {
            set: { answer, answeredAt: at },
            condition: previous ? "answer = :previous" : "attribute_not_exists(answer)",
            values: previous ? { ":previous": previous } : {},
          },
          { [counterFor.answer(answer)]: 1, ...(previous ? { [counterFor.answer(previous)]: -1 } : {}) },
        );
      },
    );
  }

  async latestOffer(customerId: string, productCode: string, from: string, to: string) {
    let cursor: Record<string, unknown> | undefined;
    do {
      const out = await documentClient.send(
        new QueryCommand({
          TableName: this.deliveriesTable,
          IndexName: keys.deliveriesByCustomer,
          KeyConditionExpression: "customerId = :customer AND offeredAt BETWEEN :from AND :to",
          FilterExpression: "productCode = :product AND #status IN (:sent, :control)",
          ExpressionAttributeNames: { "#status": "status" },
          ExpressionAttributeValues: {
            ":customer": customerId,
            ":from": from,
            ":to": to,
            ":product": productCode,
            ":sent": "sent",
            ":control": "control",
          },
          ScanIndexForward: false,
          ExclusiveStartKey: cursor,
        }),
      );
      if (out.Items?.length) return Delivery.parse(out.Items[0]);
      cursor = out.LastEvaluatedKey;
    } while (cursor);
    return null;
  }

  async recordConversion(conversion: Conversion, delivery: Delivery | null): Promise<Attribution> {
    const attribution: Attribution = delivery
      ? { attributedTo: delivery.campaignId, group: delivery.status === "control" ? "control" : "treated" }
      : { attributedTo: null, group: null };
    const key = keys.conversion(conversion.customerId, conversion.productCode, conversion.occurredAt);
    const put: TransactItem = {
      Put: {
        TableName: this.campaignsTable,
        Item: { ...key, ...conversion, ...attribution },
        ConditionExpression: "attribute_not_exists(pk)",
      },
    };
    const existing = async (): Promise<Attribution> => {
      const { Item } = await documentClient.send(
        new GetCommand({ TableName: this.campaignsTable, Key: key, ConsistentRead: true }),
      );
      return {
        attributedTo: (Item?.attributedTo as string | null) ?? null,
        group: (Item?.group as Attribution["group"]) ?? null,
      };
    };
    try {
      if (!delivery) {
        await documentClient.send(new PutCommand(put.Put!));
        return attribution;
      }
      await documentClient.send(
        new TransactWriteCommand({
          TransactItems: [
            put,
            {
              Update: {
                TableName: this.deliveriesTable,
                Key: keys.delivery(delivery.campaignId, delivery.customerId),
                UpdateExpression: "SET convertedAt = :at",
                ConditionExpression: "attribute_not_exists(convertedAt)",
                ExpressionAttributeValues: { ":at": conversion.occurredAt },
              },
            },
            this.counterUpdate(delivery.campaignId, delivery.customerId, {
              [attribution.group === "control" ? "controlConverted" : "converted"]: 1,
            }),
          ],
        }),
      );
      return attribution;
    } catch (error) {
      if (isConditionFailure(error)) return existing();
      if (transactionConditionFailed(error, 0)) return existing(); // the same conversion, posted again
      if (transactionConditionFailed(error, 1)) {
        // The customer converted on this offer before: keep the record, count the customer once.
        await documentClient.send(new PutCommand(put.Put!)).catch((e) => {
          if (!isConditionFailure(e)) throw e;
        });
        return attribution;
      }
      throw error;
    }
  }

  async counters(campaignId: string) {
    const totals: Counters = {};
    for await (const items of itemsWithPrefix(
      this.campaignsTable,
      keys.campaign(campaignId).pk,
      keys.campaignCountersPrefix,
      { ConsistentRead: true },
    )) {
      for (const item of items) {
        for (const [name, value] of Object.entries(item))
          if (typeof value === "number") totals[name] = (totals[name] ?? 0) + value;
      }
    }
    return totals;
  }

  async ofCustomer(customerId: string, limit: number) {
    // The index projects every attribute, and one page of `limit` small items is well under 1 MB.
    const out = await documentClient.send(
      new QueryCommand({
        TableName: this.deliveriesTable,
        IndexName: keys.deliveriesByCustomer,
        KeyConditionExpression: "customerId = :customer",
        ExpressionAttributeValues: { ":customer": customerId },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (out.Items ?? []).map((item) => Delivery.parse(item));
  }

  async *pagesOfCampaign(campaignId: string) {
    let cursor: Record<string, unknown> | undefined;
    do {
      const out = await documentClient.send(
        new QueryCommand({
          TableName: this.deliveriesTable,
          KeyConditionExpression: "campaignId = :campaign",
          ExpressionAttributeValues: { ":campaign": campaignId },
          ExclusiveStartKey: cursor,
        }),
      );
      yield (out.Items ?? []).map((item) => Delivery.parse(item));
      cursor = out.LastEvaluatedKey;
    } while (cursor);
  }

  async pageOfCampaign(campaignId: string, limit: number, cursor?: string) {
    const out = await documentClient.send(
      new QueryCommand({
        TableName: this.deliveriesTable,
        KeyConditionExpression: "campaignId = :campaign",
        ExpressionAttributeValues: { ":campaign": campaignId },
        ExclusiveStartKey: decodeCursor(cursor),
        Limit: limit,
      }),
    );
    const next = encodeCursor(out.LastEvaluatedKey);
    return { deliveries: (out.Items ?? []).map((item) => Delivery.parse(item)), ...(next ? { cursor: next } : {}) };
  }

  /** Sorted by product, then time, under the customer's key: read them all (bounded), newest first. */
  async conversionsOf(customerId: string, limit: number) {
    const found: RecordedConversion[] = [];
    for await (const items of itemsWithPrefix(
      this.campaignsTable,
      keys.conversion(customerId, "", "").pk,
      keys.conversionsPrefix,
    )) {
      for (const item of items) found.push(RecordedConversion.parse(item));
      if (found.length >= MAX_CONVERSIONS_READ) break;
    }
    return found.sort((a, b) => b.occurredAt.localeCompare(a.occurredAt)).slice(0, limit);
  }
}
