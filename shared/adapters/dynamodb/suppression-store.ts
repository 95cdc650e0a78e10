import { BatchGetCommand, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import type { SuppressionList } from "../../delivery/ports.js";
import { SuppressedAddress } from "../../delivery/suppression.js";
import { chunk, documentClient, isConditionFailure } from "./client.js";
import { keys } from "./keys.js";

const MAX_UNPROCESSED_ROUNDS = 8;
const backoff = (round: number) => new Promise((r) => setTimeout(r, Math.min(1000, 25 * 2 ** round)));

/** The suppression list in the campaigns table, one item per address (keys.suppressedAddress). */
export class DynamoDbSuppressionList implements SuppressionList {
  constructor(private readonly table: string) {}

  async suppress(entry: SuppressedAddress) {
    try {
      await documentClient.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...keys.suppressedAddress(entry.address), ...entry },
          // The first hard bounce is the proof; a report seen again, or a later bounce, keeps it.
          ConditionExpression: "attribute_not_exists(pk)",
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  async find(address: string) {
    const { Item } = await documentClient.send(
      new GetCommand({ TableName: this.table, Key: keys.suppressedAddress(address), ConsistentRead: true }),
    );
    if (!Item) return null;
    const { pk: _, sk: __, ...entry } = Item;
    return SuppressedAddress.parse(entry);
  }

  async suppressedAmong(addresses: string[]) {
    const found = new Set<string>();
    for (const part of chunk([...new Set(addresses)], 100)) {
      let request: Record<string, { Keys: Record<string, unknown>[]; ProjectionExpression: string }> | undefined = {
        [this.table]: { Keys: part.map(keys.suppressedAddress), ProjectionExpression: "address" },
      };
      for (let round = 0; request && Object.keys(request).length > 0; round++) {
        if (round > MAX_UNPROCESSED_ROUNDS) throw new Error("DynamoDB left keys unprocessed after retries");
        if (round > 0) await backoff(round);
        const out = await documentClient.send(new BatchGetCommand({ RequestItems: request }));
        for (const item of out?.Responses?.[this.table] ?? []) found.add(item.address as string);
        request = out?.UnprocessedKeys as typeof request;
      }
    }
    return found;
  }
}
