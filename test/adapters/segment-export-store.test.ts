import { DynamoDBDocumentClient, PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { DynamoDbSegmentExportStore } from "../../shared/adapters/dynamodb/segment-export-store.js";
import type { ExportRecord } from "../../shared/segments/export.js";
import { CAMPAIGNS_TABLE } from "./fixtures.js";

process.env.AWS_REGION ??= "us-east-1";

const ddb = mockClient(DynamoDBDocumentClient);
const store = new DynamoDbSegmentExportStore(CAMPAIGNS_TABLE);

const aRecord = (overrides: Partial<ExportRecord> = {}): ExportRecord => ({
  exportId: "exp-1",
  segmentId: "seg-1",
  segmentVersion: 2,
  segmentName: "Jilin savers",
  actor: "root",
  at: "2026-06-01T12:00:00.000Z",
  rows: 3,
  reason: "RM call list for Q3",
  ...overrides,
});

describe("DynamoDbSegmentExportStore", () => {
  beforeEach(() => {
    ddb.reset();
  });

  afterAll(() => {
    ddb.restore();
  });

  it("appends a record under the segment's partition, never overwriting one", async () => {
    // prepare
    ddb.on(PutCommand).resolves({});

    // act
    await store.append(aRecord());

    // assess
    const puts = ddb.commandCalls(PutCommand).map((c) => c.args[0].input);
    expect(puts).toEqual([
      {
        TableName: CAMPAIGNS_TABLE,
        Item: { pk: "SEGMENT#seg-1", sk: "EXPORT#2026-06-01T12:00:00.000Z#exp-1", ...aRecord() },
        ConditionExpression: "attribute_not_exists(pk)",
      },
    ]);
  });

  it("reads every page of the segment's exports, newest first, without the keys", async () => {
    // prepare
    const newer = aRecord({ exportId: "exp-2", at: "2026-06-02T08:00:00.000Z" });
    ddb
      .on(QueryCommand)
      .resolvesOnce({
        Items: [{ pk: "SEGMENT#seg-1", sk: `EXPORT#${newer.at}#exp-2`, ...newer }],
        LastEvaluatedKey: { pk: "SEGMENT#seg-1", sk: "x" },
      })
      .resolvesOnce({ Items: [{ pk: "SEGMENT#seg-1", sk: "EXPORT#2026-06-01T12:00:00.000Z#exp-1", ...aRecord() }] });

    // act
    const records = await store.of("seg-1");

    // assess
    expect(records).toEqual([newer, aRecord()]);
    const queries = ddb.commandCalls(QueryCommand).map((c) => c.args[0].input);
    expect(queries).toHaveLength(2);
    expect(queries[0]).toMatchObject({
      TableName: CAMPAIGNS_TABLE,
      ScanIndexForward: false,
      ExpressionAttributeValues: { ":pk": "SEGMENT#seg-1", ":prefix": "EXPORT#" },
    });
    expect(queries[1].ExclusiveStartKey).toEqual({ pk: "SEGMENT#seg-1", sk: "x" });
  });
});
