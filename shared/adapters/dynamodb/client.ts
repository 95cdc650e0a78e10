import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from "@aws-sdk/lib-dynamodb";

/** One client per container. Locally AWS_ENDPOINT_URL_DYNAMODB points it at DynamoDB Local. */
export const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
  marshallOptions: { removeUndefinedValues: true },
});

export const chunk = <T>(items: T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, i * size + size));

/** Why each item of a cancelled transaction failed, by position ("None" when it did not). */
export function cancellationCodes(error: unknown): string[] | null {
  if ((error as Error)?.name !== "TransactionCanceledException") return null;
  const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons;
  if (reasons?.length) return reasons.map((r) => r.Code ?? "None");
  // DynamoDB Local reports the reasons only in the message: "... [ConditionalCheckFailed, None]".
  const listed = /\[([^\]]*)\]/.exec((error as Error).message)?.[1];
  return listed ? listed.split(",").map((s) => s.trim()) : [];
}

export const isConditionFailure = (error: unknown) => (error as Error)?.name === "ConditionalCheckFailedException";

/** Whether a cancelled transaction failed on a condition: on any item, or on the item at `index`. */
export function transactionConditionFailed(error: unknown, index?: number): boolean {
  const codes = cancellationCodes(error);
  if (!codes) return false;
  return index === undefined ? codes.includes("ConditionalCheckFailed") : codes[index] === "ConditionalCheckFailed";
}

/**
 * Optimistic concurrency: `attempt` reads, decides and writes on condition that what it read
 * is unchanged. When another writer got there first (`isConflict`), it runs again on a fresh
 * read, at most `attempts` times.
 */
export async function retryOnConflict(
  what: string,
  isConflict: (error: unknown) => boolean,
  attempt: (attemptNumber: number) => Promise<void>,
  attempts = 3,
): Promise<void> {
  for (let n = 0; n < attempts; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      if (!isConflict(error)) throw error;
    }
  }
  throw new Error(`${what} kept changing concurrently`);
}

/** The items of every sort key under `pk` that begins with `prefix`, page by page. */
export async function* itemsWithPrefix(
  table: string,
  pk: string,
  prefix: string,
  options: Pick<QueryCommandInput, "ScanIndexForward" | "ConsistentRead"> = {},
): AsyncGenerator<Record<string, unknown>[]> {
  let cursor: Record<string, unknown> | undefined;
  do {
    const out = await documentClient.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
        ExpressionAttributeValues: { ":pk": pk, ":prefix": prefix },
        ExclusiveStartKey: cursor,
        ...options,
      }),
    );
    yield out.Items ?? [];
    cursor = out.LastEvaluatedKey;
  } while (cursor);
}
