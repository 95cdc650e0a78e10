import { PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import type { Period } from "../../kernel/trail.js";
import { ExportRecord } from "../../segments/export.js";
import type { SegmentExportStore } from "../../segments/ports.js";
import { documentClient } from "./client.js";
import { trailPage } from "./day-index.js";
import { keys } from "./keys.js";

/** Export records live in the campaigns table under the segment's own partition, in time order. */
export class DynamoDbSegmentExportStore implements SegmentExportStore {
  constructor(private readonly table: string) {}

  async append(record: ExportRecord) {
    await documentClient.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          ...keys.segmentExport(record.segmentId, record.at, record.exportId),
          ...keys.exportsByDay(record.at, record.exportId),
          ...record,
        },
        ConditionExpression: "attribute_not_exists(pk)",
      }),
    );
  }

  async of(segmentId: string) {
    const records: ExportRecord[] = [];
    let cursor: Record<string, unknown> | undefined;
    do {
      const out = await documentClient.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
          ExpressionAttributeValues: { ":pk": keys.segmentPartition(segmentId), ":prefix": keys.segmentExportsPrefix },
          ScanIndexForward: false,
          ConsistentRead: true,
          ExclusiveStartKey: cursor,
        }),
      );
      records.push(...(out.Items ?? []).map((item) => ExportRecord.parse(item)));
      cursor = out.LastEvaluatedKey;
    } while (cursor);
    return records;
  }

  /** Every segment's exports in the period, newest first, from the byDay index (records since it was added). */
  async bankWide(query: { period: Period; limit: number; cursor?: string; actor?: string }) {
    return trailPage(this.table, {
      partitionOf: keys.exportsDay,
      period: query.period,
      limit: query.limit,
      cursor: query.cursor,
      ...(query.actor
        ? { filter: { expression: "#actor = :actor", names: { "#actor": "actor" }, values: { ":actor": query.actor } } }
        : {}),
      entriesOf: (item) => [ExportRecord.parse(item)],
    });
  }
}
