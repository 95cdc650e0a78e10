import { GetSendQuotaCommand, SESClient } from "@aws-sdk/client-ses";
import { DynamoDBDocumentClient, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import {
  DynamoDbSendRateLimiter,
  SEND_RATE_ITEM_TTL_SECONDS,
} from "../../shared/adapters/dynamodb/send-rate-limiter.js";
import { SesSendQuota } from "../../shared/adapters/ses/send-quota.js";
import { CAMPAIGNS_TABLE, conditionFailed } from "./fixtures.js";

process.env.AWS_REGION ??= "us-east-1";

const ddb = mockClient(DynamoDBDocumentClient);
const ses = mockClient(SESClient);

describe("DynamoDbSendRateLimiter", () => {
  const limiter = new DynamoDbSendRateLimiter(CAMPAIGNS_TABLE);

  beforeEach(() => {
    ddb.reset();
  });

  afterAll(() => {
    ddb.restore();
  });

  it("takes a slot with one conditional ADD on the second's item, which expires by TTL", async () => {
    // prepare
    ddb.on(UpdateCommand).resolves({});

    // act
    const taken = await limiter.tryAcquire(1_780_000_000, 14);

    // assess
    expect(taken).toBe(true);
    const calls = ddb.commandCalls(UpdateCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0].args[0].input).toEqual({
      TableName: CAMPAIGNS_TABLE,
      Key: { pk: "RATE#1780000000", sk: "RATE" },
      UpdateExpression: "ADD taken :one SET expiresAt = if_not_exists(expiresAt, :expiresAt)",
      ConditionExpression: "attribute_not_exists(taken) OR taken < :limit",
      ExpressionAttributeValues: {
        ":one": 1,
        ":limit": 14,
        ":expiresAt": 1_780_000_000 + SEND_RATE_ITEM_TTL_SECONDS,
      },
    });
  });

  it("answers false, without throwing, when the second's slots are all taken", async () => {
    // prepare
    ddb.on(UpdateCommand).rejects(conditionFailed());

    // act
    const taken = await limiter.tryAcquire(1_780_000_000, 14);

    // assess
    expect(taken).toBe(false);
  });

  it("lets any other DynamoDB failure through, so the send is retried", async () => {
    // prepare
    ddb.on(UpdateCommand).rejects(Object.assign(new Error("throughput exceeded"), { name: "ThrottlingException" }));

    // act
    const outcome = limiter.tryAcquire(1_780_000_000, 14);

    // assess
    await expect(outcome).rejects.toThrow("throughput exceeded");
  });
});

describe("SesSendQuota", () => {
  beforeEach(() => {
    ses.reset();
  });

  afterAll(() => {
    ses.restore();
  });

  it("reads MaxSendRate from SES v1 GetSendQuota", async () => {
    // prepare
    ses.on(GetSendQuotaCommand).resolves({ Max24HourSend: 50_000, MaxSendRate: 14, SentLast24Hours: 10 });

    // act
    const rate = await new SesSendQuota().maxSendRate();

    // assess
    expect(rate).toBe(14);
    expect(ses.commandCalls(GetSendQuotaCommand)).toHaveLength(1);
  });

  it("refuses an answer without a positive rate rather than sending unbounded", async () => {
    // prepare
    ses.on(GetSendQuotaCommand).resolves({});

    // act
    const outcome = new SesSendQuota().maxSendRate();

    // assess
    await expect(outcome).rejects.toThrow("SES stated no send rate");
  });
});
