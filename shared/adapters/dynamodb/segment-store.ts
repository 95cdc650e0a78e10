import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { NotFoundError, SegmentVersionConflictError } from "../../kernel/errors.js";
import type { SegmentStore } from "../../segments/ports.js";
import { Segment } from "../../segments/segment.js";
import { documentClient, isConditionFailure } from "./client.js";
import { keys } from "./keys.js";

export class DynamoDbSegmentStore implements SegmentStore {
  constructor(private readonly table: string) {}

  async save(segment: Segment) {
    try {
      await documentClient.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...keys.segmentVersion(segment.segmentId, segment.version), ...segment },
          ConditionExpression: "attribute_not_exists(pk)",
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) {
        throw new SegmentVersionConflictError(segment.segmentId, segment.version);
      }
      throw error;
    }
  }

  async get(segmentId: string, version?: number) {
    if (version !== undefined) {
      const { Item } = await documentClient.send(
        new GetCommand({ TableName: this.table, Key: keys.segmentVersion(segmentId, version) }),
      );
      return Item ? Segment.parse(Item) : null;
    }
    const { Items } = await documentClient.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
        ExpressionAttributeValues: { ":pk": keys.segments, ":prefix": keys.segmentVersionsPrefix(segmentId) },
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: true,
      }),
    );
    return Items?.[0] ? Segment.parse(Items[0]) : null;
  }

  async setArchived(segmentId: string, version: number, archive: { archivedAt: string; archivedBy: string } | null) {
    try {
      await documentClient.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.segmentVersion(segmentId, version),
          ConditionExpression: "attribute_exists(pk)",
          ...(archive
            ? {
                UpdateExpression: "SET archivedAt = :at, archivedBy = :by",
                ExpressionAttributeValues: { ":at": archive.archivedAt, ":by": archive.archivedBy },
              }
            : { UpdateExpression: "REMOVE archivedAt, archivedBy" }),
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) throw new NotFoundError(`Version ${version} of segment`, segmentId);
      throw error;
    }
  }

  async list() {
    const latest = new Map<string, Segment>();
    let cursor: Record<string, unknown> | undefined;
    do {
      const out = await documentClient.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: "pk = :pk",
          ExpressionAttributeValues: { ":pk": keys.segments },
          ExclusiveStartKey: cursor,
        }),
      );
      // Versions sort after one another within a segment, so the last one seen is the latest.
      for (const item of out.Items ?? []) {
        const segment = Segment.parse(item);
        latest.set(segment.segmentId, segment);
      }
      cursor = out.LastEvaluatedKey;
    } while (cursor);
    return [...latest.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }
}
