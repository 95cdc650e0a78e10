import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { DynamoDbBreakdownRunStore } from "../../shared/adapters/dynamodb/breakdown-run-store.js";
import { emptyTally } from "../../shared/delivery/breakdown.js";
import type { BreakdownRun } from "../../shared/delivery/breakdown-run.js";
import { CAMPAIGNS_TABLE, transactionCancelled } from "./fixtures.js";

process.env.AWS_REGION ??= "us-east-1";

const ddb = mockClient(DynamoDBDocumentClient);
const store = new DynamoDbBreakdownRunStore(CAMPAIGNS_TABLE);

const aRun = (overrides: Partial<BreakdownRun> = {}): BreakdownRun => ({
  runId: "20260601T120000000Z-r1",
  campaignId: "cmp-1",
  timeZone: "Asia/Shanghai",
  requestedBy: "zhou",
  startedAt: "2026-06-01T12:00:00.000Z",
  updatedAt: "2026-06-01T12:00:00.000Z",
  expected: 30_000,
  pagesCounted: 0,
  version: 0,
  tally: emptyTally(),
  ...overrides,
});

describe("DynamoDbBreakdownRunStore", () => {
  beforeEach(() => {
    ddb.reset();
  });

  afterAll(() => {
    ddb.restore();
  });

  it("starts a run with the campaign's hold, taken only if free, released or stalled", async () => {
    // prepare
    ddb.on(TransactWriteCommand).resolves({});
    // act
    const started = await store.start(aRun(), "2026-06-01T11:50:00.000Z");
    // assess
    expect(started.runId).toBe("20260601T120000000Z-r1");
    const [hold] = ddb.commandCalls(TransactWriteCommand)[0].args[0].input.TransactItems!.slice(1);
    expect(hold.Put).toMatchObject({
      Item: { pk: "CAMPAIGN#cmp-1", sk: "BREAKDOWN_RUNNING", runId: "20260601T120000000Z-r1" },
      ConditionExpression: "attribute_not_exists(pk) OR attribute_exists(releasedAt) OR heardAt < :stale",
      ExpressionAttributeValues: { ":stale": "2026-06-01T11:50:00.000Z" },
    });
  });

  it("returns the run holding the campaign when another counts it", async () => {
    // prepare
    const holder = aRun({ runId: "20260601T115900000Z-r0", pagesCounted: 4 });
    ddb.on(TransactWriteCommand).rejects(transactionCancelled("None", "ConditionalCheckFailed"));
    ddb
      .on(GetCommand, { Key: { pk: "CAMPAIGN#cmp-1", sk: "BREAKDOWN_RUNNING" } })
      .resolves({ Item: { runId: holder.runId } });
    ddb
      .on(GetCommand, { Key: { pk: "CAMPAIGN#cmp-1", sk: `BREAKDOWN#${holder.runId}` } })
      .resolves({ Item: { pk: "CAMPAIGN#cmp-1", sk: `BREAKDOWN#${holder.runId}`, ...holder } });
    // act
    const found = await store.start(aRun(), "2026-06-01T11:50:00.000Z");
    // assess
    expect(found).toEqual(holder);
  });

  it("counts a page once: already when its marker exists, changed when the run moved on", async () => {
    // prepare
    const run = aRun();
    const next = aRun({ version: 1, pagesCounted: 1 });
    ddb
      .on(TransactWriteCommand)
      .rejectsOnce(transactionCancelled("ConditionalCheckFailed", "None"))
      .rejectsOnce(transactionCancelled("None", "ConditionalCheckFailed"))
      .resolves({});
    ddb.on(UpdateCommand).resolves({});
    // act
    const outcomes = [
      await store.countPage(run, "c1", next),
      await store.countPage(run, "c1", next),
      await store.countPage(run, "c1", next),
    ];
    // assess
    expect(outcomes).toEqual(["already", "changed", "counted"]);
    const [marker, update] = ddb.commandCalls(TransactWriteCommand)[2].args[0].input.TransactItems!;
    expect(marker.Put?.ConditionExpression).toBe("attribute_not_exists(pk)");
    expect(marker.Put?.Item?.pk).toBe("BREAKDOWN#20260601T120000000Z-r1");
    expect(update.Put).toMatchObject({
      Item: { pk: "CAMPAIGN#cmp-1", sk: "BREAKDOWN#20260601T120000000Z-r1", version: 1 },
      ConditionExpression: "version = :version",
      ExpressionAttributeValues: { ":version": 0 },
    });
  });
});
