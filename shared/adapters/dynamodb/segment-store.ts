import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { Segment } from "../../domain/segment.js";
import type { SegmentStore } from "../../ports/index.js";
import { documentClient } from "./client.js";
import { keys } from "./keys.js";

export class DynamoDbSegmentStore implements SegmentStore {
  constructor(private readonly table: string) {}

  async create(segment: Segment) {
    await documentClient.send(
      new PutCommand({ TableName: this.table, Item: { ...keys.segment(segment.segmentId), ...segment }, ConditionExpression: "attribute_not_exists(pk)" }),
    );
  }

  async get(segmentId: string) {
    const { Item } = await documentClient.send(new GetCommand({ TableName: this.table, Key: keys.segment(segmentId) }));
    return Item ? Segment.parse(Item) : null;
  }
}
