import { DynamoDBDocumentClient, PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { DynamoDbSegmentExportStore } from "../../shared/adapters/dynamodb/segment-export-store.js";
import { decodeTrailCursor, periodOf } from "../../shared/kernel/trail.js";
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

  it("appends a record under the segment's partition and its day's in the byDay index, never overwriting one", async () => {
    // prepare
    ddb.on(PutCommand).resolves({});

    // act
    await store.append(aRecord());

    // assess
    const puts = ddb.commandCalls(PutCommand).map((c) => c.args[0].input);
    expect(puts).toEqual([
      {
        TableName: CAMPAIGNS_TABLE,
        Item: {
          pk: "SEGMENT#seg-1",
          sk: "EXPORT#2026-06-01T12:00:00.000Z#exp-1",
          dayKey: "EXPORTS#2026-06-01",
          dayAt: "2026-06-01T12:00:00.000Z#exp-1",
          ...aRecord(),
        },
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

  it("reads the bank-wide trail by day from the period's last back, newest first, and stops at a page with a cursor", async () => {
    // prepare: the period is the bank's 2026-06-01 and 02 (UTC+8), so UTC days 05-31 to 06-02
    const period = periodOf({ from: "2026-06-01", to: "2026-06-02" }, new Date("2026-06-02T12:00:00.000Z"));
    const later = aRecord({ exportId: "exp-3", at: "2026-06-02T08:00:00.000Z" });
    const earlier = aRecord({ exportId: "exp-2", at: "2026-05-31T20:00:00.000Z" });
    ddb.on(QueryCommand).callsFake((input) => {
      const day = input.ExpressionAttributeValues[":day"];
      if (day === "EXPORTS#2026-06-02") return { Items: [{ dayKey: day, ...later }] };
      if (day === "EXPORTS#2026-05-31")
        return { Items: [{ dayKey: day, ...earlier }], LastEvaluatedKey: { dayKey: day, dayAt: "x" } };
      return { Items: [] };
    });

    // act
    const page = await store.bankWide({ period, limit: 2, actor: "root" });

    // assess
    const queries = ddb.commandCalls(QueryCommand).map((c) => c.args[0].input);
    expect(queries.map((q) => q.ExpressionAttributeValues?.[":day"])).toEqual([
      "EXPORTS#2026-06-02",
      "EXPORTS#2026-06-01",
      "EXPORTS#2026-05-31",
    ]);
    expect(queries[0]).toMatchObject({
      IndexName: "byDay",
      KeyConditionExpression: "dayKey = :day AND dayAt BETWEEN :from AND :to",
      FilterExpression: "#actor = :actor",
      ExpressionAttributeValues: {
        ":from": "2026-05-31T16:00:00.000Z",
        ":to": "2026-06-02T16:00:00.000Z",
        ":actor": "root",
      },
      ScanIndexForward: false,
      Limit: 2,
    });
    expect(queries[2].Limit).toBe(1);
    expect(page.entries).toEqual([later, earlier]);
    expect(decodeTrailCursor(page.cursor!)).toEqual({
      day: "2026-05-31",
      key: { dayKey: "EXPORTS#2026-05-31", dayAt: "x" },
    });
  });

  it("answers the last page without a cursor once the period's first day is read", async () => {
    // prepare
    const period = periodOf({ from: "2026-06-01", to: "2026-06-01" }, new Date("2026-06-02T12:00:00.000Z"));
    ddb.on(QueryCommand).resolves({ Items: [] });

    // act
    const page = await store.bankWide({ period, limit: 50 });

    // assess
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(2); // UTC 05-31 and 06-01
    expect(page).toEqual({ entries: [] });
  });
});
