import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { SendRateLimiter } from "../../delivery/ports.js";
import { documentClient, isConditionFailure } from "./client.js";
import { keys } from "./keys.js";

/** How long a second's counter stays before DynamoDB's TTL removes it (TABLES.campaigns' `expiresAt`). */
export const SEND_RATE_ITEM_TTL_SECONDS = 600;

/**
 * The shared send-rate bucket (shared/delivery/send-rate.ts): one item per second of the clock
 * in the campaigns table, `RATE#<epochSecond>`, whose `taken` grows by one per slot with a
 * conditional ADD, so it never passes the limit however many senders write at once. A refused
 * write changes nothing. A second is one item, and one DynamoDB item takes up to 1,000 writes
 * a second, well above the send rates SES grants.
 */
export class DynamoDbSendRateLimiter implements SendRateLimiter {
  constructor(private readonly table: string) {}

  async tryAcquire(second: number, limit: number): Promise<boolean> {
    try {
      await documentClient.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.sendRateSecond(second),
          UpdateExpression: "ADD taken :one SET expiresAt = if_not_exists(expiresAt, :expiresAt)",
          ConditionExpression: "attribute_not_exists(taken) OR taken < :limit",
          ExpressionAttributeValues: {
            ":one": 1,
            ":limit": limit,
            ":expiresAt": second + SEND_RATE_ITEM_TTL_SECONDS,
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
}
