import { DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import {
  BatchGetCommand,
  BatchWriteCommand,
  GetCommand,
  PutCommand,
  ScanCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import { type CampaignAnswer, CampaignAnswers, withAnswer } from "../../customers/answers.js";
import {
  type Channel,
  chosenConsent,
  customerWithdrawal,
  type PreferenceCategory,
  type Preferences,
} from "../../customers/consent.js";
import { Customer } from "../../customers/customer.js";
import type { CustomerStore } from "../../customers/ports.js";
import { NotFoundError } from "../../kernel/errors.js";
import { chunk, documentClient, isConditionFailure, retryOnConflict } from "./client.js";
import { decodeCursor, encodeCursor } from "./keys.js";

const MAX_UNPROCESSED_ROUNDS = 8;
/** Conditional puts in flight at once: BatchWriteItem takes no condition, so each is its own call. */
const REPLACES_IN_FLIGHT = 8;
/** Attempts at merging an answer (or a preference) while other writes to the same customer land at the same time. */
const ANSWER_ATTEMPTS = 3;
const backoff = (round: number) => new Promise((r) => setTimeout(r, Math.min(1000, 25 * 2 ** round)));

export class DynamoDbCustomerStore implements CustomerStore {
  constructor(private readonly table: string) {}

  async get(customerId: string) {
    const { Item } = await documentClient.send(new GetCommand({ TableName: this.table, Key: { customerId } }));
    return Item ? Customer.parse(Item) : null;
  }

  async getMany(customerIds: string[]) {
    const found = new Map<string, Customer>();
    for (const ids of chunk(customerIds, 100)) {
      let request: Record<string, { Keys: Record<string, unknown>[] }> | undefined = {
        [this.table]: { Keys: ids.map((customerId) => ({ customerId })) },
      };
      for (let round = 0; request && Object.keys(request).length > 0; round++) {
        if (round > MAX_UNPROCESSED_ROUNDS) throw new Error("DynamoDB left keys unprocessed after retries");
        if (round > 0) await backoff(round);
        const out = await documentClient.send(new BatchGetCommand({ RequestItems: request }));
        for (const item of out.Responses?.[this.table] ?? [])
          found.set(item.customerId as string, Customer.parse(item));
        request = out.UnprocessedKeys as typeof request;
      }
    }
    return found;
  }

  async save(customers: Customer[]) {
    const writes = customers.map((customer) => ({ PutRequest: { Item: customer } }));
    await Promise.all(
      chunk(chunk(writes, 25), 4).map(async (lane) => {
        for (const batch of lane) {
          let pending: typeof batch | undefined = batch;
          for (let round = 0; pending && pending.length > 0; round++) {
            if (round > MAX_UNPROCESSED_ROUNDS) throw new Error("DynamoDB left writes unprocessed after retries");
            if (round > 0) await backoff(round);
            const out = await documentClient.send(new BatchWriteCommand({ RequestItems: { [this.table]: pending } }));
            pending = out.UnprocessedItems?.[this.table] as typeof batch | undefined;
          }
        }
      }),
    );
  }

  async replaceIfUnchanged(updates: { customer: Customer; readAt: string }[]) {
    const changed: string[] = [];
    const replace = async ({ customer, readAt }: { customer: Customer; readAt: string }) => {
      try {
        await documentClient.send(
          new PutCommand({
            TableName: this.table,
            Item: customer,
            ConditionExpression: "updatedAt = :readAt AND attribute_not_exists(deletedAt)",
            ExpressionAttributeValues: { ":readAt": readAt },
          }),
        );
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        changed.push(customer.customerId);
      }
    };
    for (const lane of chunk(updates, REPLACES_IN_FLIGHT)) await Promise.all(lane.map(replace));
    return changed;
  }

  async scanShard(shard: number, totalShards: number, pageSize: number, cursor?: string) {
    const out = await documentClient.send(
      new ScanCommand({
        TableName: this.table,
        Segment: shard,
        TotalSegments: totalShards,
        Limit: pageSize,
        ExclusiveStartKey: decodeCursor(cursor),
        // A deleted customer leaves every segment, preview and fan-out at once.
        FilterExpression: "attribute_not_exists(deletedAt)",
      }),
    );
    return {
      customers: (out.Items ?? []).map((item) => Customer.parse(item)),
      cursor: encodeCursor(out.LastEvaluatedKey),
      scanned: out.ScannedCount,
    };
  }

  /** DynamoDB's own item count: free to read, refreshed about every six hours (DynamoDB Local's is current). */
  async approximateCount() {
    const out = await documentClient.send(new DescribeTableCommand({ TableName: this.table }));
    return out.Table?.ItemCount ?? null;
  }

  async withdrawEmailConsent(customerId: string, now: string, source: string) {
    try {
      // consent.channels exists on every imported customer; the record is the proof of withdrawal,
      // marked as the customer's own so that no import without a later proof of its own undoes it.
      await documentClient.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { customerId },
          UpdateExpression: "SET emailConsent = :no, updatedAt = :now, consent.channels.email = :record",
          ConditionExpression: "attribute_exists(customerId)",
          ExpressionAttributeValues: { ":no": false, ":now": now, ":record": customerWithdrawal(source, now) },
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) throw new NotFoundError("Customer", customerId);
      throw error;
    }
  }

  /**
   * Read, merge (chosenConsent), write on condition that the record still has the `updatedAt`
   * it was read with and is not deleted: an import, an unsubscribe or an approved edit landing
   * meanwhile is read again, never overwritten. `updatedAt` moves, so an import that read the
   * customer before is sent back to judge its row again (replaceIfUnchanged).
   */
  async recordPreferences(customerId: string, chosen: Preferences, source: string, at: string) {
    let result: { changed: (Channel | PreferenceCategory)[] } | null = null;
    await retryOnConflict(
      `Preferences of customer ${customerId}`,
      isConditionFailure,
      async () => {
        const { Item } = await documentClient.send(
          new GetCommand({ TableName: this.table, Key: { customerId }, ConsistentRead: true }),
        );
        const customer = Item ? Customer.parse(Item) : null;
        if (!customer || customer.deletedAt) {
          result = null;
          return;
        }
        const next = chosenConsent(customer, chosen, source, at);
        result = { changed: next.changed };
        if (next.changed.length === 0) return;
        await documentClient.send(
          new UpdateCommand({
            TableName: this.table,
            Key: { customerId },
            UpdateExpression: "SET consent = :consent, emailConsent = :email, updatedAt = :at",
            ConditionExpression: "updatedAt = :readAt AND attribute_not_exists(deletedAt)",
            ExpressionAttributeValues: {
              ":consent": next.consent,
              ":email": next.emailConsent,
              ":at": at,
              ":readAt": customer.updatedAt,
            },
          }),
        );
      },
      ANSWER_ATTEMPTS,
    );
    return result;
  }

  /**
   * A conditional SET, so the time only moves forward: a send retried or recorded late finds a
   * later time there and changes nothing. Nor does it recreate a customer deleted meanwhile.
   * Not `updatedAt`: that says when the bank's data last changed.
   */
  async recordContact(customerId: string, at: string) {
    try {
      await documentClient.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { customerId },
          UpdateExpression: "SET lastContactedAt = :at",
          ConditionExpression:
            "attribute_exists(customerId) AND (attribute_not_exists(lastContactedAt) OR lastContactedAt < :at)",
          ExpressionAttributeValues: { ":at": at },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error; // as late already, or no such customer: nothing to do
    }
  }

  /**
   * Read, merge (withAnswer keeps the map bounded), write on condition that the map is still
   * what was read: two answers of the same customer at once both land.
   */
  async recordAnswer(customerId: string, campaignId: string, answer: CampaignAnswer) {
    await retryOnConflict(
      `Answers of customer ${customerId}`,
      isConditionFailure,
      async () => {
        const { Item } = await documentClient.send(
          new GetCommand({
            TableName: this.table,
            Key: { customerId },
            ProjectionExpression: "customerId, answers",
            ConsistentRead: true,
          }),
        );
        if (!Item) return; // deleted meanwhile: nothing to remember the answer on
        const next = withAnswer(CampaignAnswers.parse(Item.answers ?? {}), campaignId, answer);
        if (!next) return;
        await documentClient.send(
          new UpdateCommand({
            TableName: this.table,
            Key: { customerId },
            UpdateExpression: "SET answers = :next",
            ConditionExpression:
              Item.answers === undefined
                ? "attribute_exists(customerId) AND attribute_not_exists(answers)"
                : "answers = :current",
            ExpressionAttributeValues: {
              ":next": next,
              ...(Item.answers === undefined ? {} : { ":current": Item.answers }),
            },
          }),
        );
      },
      ANSWER_ATTEMPTS,
    );
  }
}
