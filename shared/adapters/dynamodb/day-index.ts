import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import { DAY_MS } from "../../kernel/time.js";
import { decodeTrailCursor, encodeTrailCursor, type Period, type TrailPage } from "../../kernel/trail.js";
import { documentClient } from "./client.js";
import { keys } from "./keys.js";

/**
 * Queries one page may make before it answers with what it has and a cursor: a page of a quiet
 * year (or of a filter few entries match) costs at most this many, never a scan.
 */
export const MAX_QUERIES_PER_PAGE = 40;

const previousDay = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) - DAY_MS).toISOString().slice(0, 10);

/**
 * One page of a trail kept in the byDay index (`dayKey` = partitionOf(UTC day), `dayAt` = the
 * moment then a unique part): the period's days from the last back, each newest first, with an
 * optional filter on the index's attributes. The cursor is where it stopped.
 */
export async function trailPage<T>(
  table: string,
  options: {
    partitionOf: (day: string) => string;
    period: Period;
    limit: number;
    cursor?: string;
    filter?: { expression: string; names: Record<string, string>; values: Record<string, unknown> };
    /** One item as the trail's entries (an edit requested of several fields is several). */
    entriesOf: (item: Record<string, unknown>) => T[];
  },
): Promise<TrailPage<T>> {
  const { period, limit, filter } = options;
  const firstDay = period.from.slice(0, 10);
  const lastDay = new Date(Date.parse(period.to) - 1).toISOString().slice(0, 10);
  let { day, key } = options.cursor ? decodeTrailCursor(options.cursor) : { day: lastDay, key: undefined };
  if (day > lastDay) ({ day, key } = { day: lastDay, key: undefined });
  const entries: T[] = [];
  let queries = 0;
  while (day >= firstDay && entries.length < limit && queries++ < MAX_QUERIES_PER_PAGE) {
    const out = await documentClient.send(
      new QueryCommand({
        TableName: table,
        IndexName: keys.byDay,
        KeyConditionExpression: "dayKey = :day AND dayAt BETWEEN :from AND :to",
        ExpressionAttributeValues: {
          ":day": options.partitionOf(day),
          ":from": period.from,
          ":to": period.to,
          ...filter?.values,
        },
        ...(filter ? { FilterExpression: filter.expression, ExpressionAttributeNames: filter.names } : {}),
        ScanIndexForward: false,
        Limit: limit - entries.length,
        ExclusiveStartKey: key,
      }),
    );
    for (const item of out.Items ?? []) entries.push(...options.entriesOf(item));
    if (out.LastEvaluatedKey) key = out.LastEvaluatedKey;
    else {
      day = previousDay(day);
      key = undefined;
    }
  }
  return { entries, ...(day >= firstDay ? { cursor: encodeTrailCursor({ day, key }) } : {}) };
}
