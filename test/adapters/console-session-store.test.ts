import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { DynamoDbCampaignStore } from "../../shared/adapters/dynamodb/campaign-store.js";
import { DynamoDbConsoleSessionStore } from "../../shared/adapters/dynamodb/console-session-store.js";
import type { ConsoleSession } from "../../shared/console/session.js";
import { CAMPAIGNS_TABLE } from "./fixtures.js";

process.env.AWS_REGION ??= "us-east-1";

const ddb = mockClient(DynamoDBDocumentClient);

const SESSION: ConsoleSession = {
  sessionKey: "ab12",
  csrfToken: "csrf",
  user: { id: "sub-1", name: "mei", role: "marketer" },
  language: "en",
  createdAt: "2026-06-01T12:00:00.000Z",
  lastSeenAt: "2026-06-01T12:00:00.000Z",
};
const inAnHour = () => Math.floor(Date.now() / 1000) + 3600;

describe("DynamoDbConsoleSessionStore", () => {
  const store = new DynamoDbConsoleSessionStore(CAMPAIGNS_TABLE);

  beforeEach(() => ddb.reset());
  afterAll(() => ddb.restore());

  it("keeps a session as one item of the campaigns table, expiring by its TTL attribute", async () => {
    // prepare
    ddb.on(PutCommand).resolves({});
    // act
    await store.save(SESSION, new Date("2026-06-01T12:15:00.000Z"));
    // assess
    expect(ddb.commandCalls(PutCommand)[0].args[0].input).toEqual({
      TableName: CAMPAIGNS_TABLE,
      Item: { pk: "CONSOLE_SESSION#ab12", sk: "SESSION", ...SESSION, expiresAt: 1_780_316_100 },
    });
  });

  it("reads a live session, and none whose expiry passed before DynamoDB's TTL removed it", async () => {
    // prepare
    const item = { pk: "CONSOLE_SESSION#ab12", sk: "SESSION", ...SESSION };
    ddb
      .on(GetCommand)
      .resolvesOnce({ Item: { ...item, expiresAt: inAnHour() } })
      .resolvesOnce({
        Item: { ...item, expiresAt: Math.floor(Date.now() / 1000) - 1 },
      });
    // act
    const live = await store.get("ab12");
    const expired = await store.get("ab12");
    // assess
    expect(live).toEqual(SESSION);
    expect(expired).toBeNull();
    expect(ddb.commandCalls(GetCommand)[0].args[0].input).toMatchObject({ ConsistentRead: true });
  });

  it("takes a sign-in under way once: read and deleted in one call", async () => {
    // prepare
    const login = { stateKey: "cd34", verifier: "v", returnTo: "/console/campaigns", createdAt: SESSION.createdAt };
    ddb
      .on(DeleteCommand)
      .resolvesOnce({ Attributes: { pk: "CONSOLE_LOGIN#cd34", sk: "LOGIN", ...login, expiresAt: inAnHour() } })
      .resolvesOnce({});
    // act
    const first = await store.takePendingLogin("cd34");
    const second = await store.takePendingLogin("cd34");
    // assess
    expect(first).toEqual(login);
    expect(second).toBeNull();
    expect(ddb.commandCalls(DeleteCommand)[0].args[0].input).toEqual({
      TableName: CAMPAIGNS_TABLE,
      Key: { pk: "CONSOLE_LOGIN#cd34", sk: "LOGIN" },
      ReturnValues: "ALL_OLD",
    });
  });
});

describe("DynamoDbCampaignStore.listByStatus's cursor", () => {
  const store = new DynamoDbCampaignStore(CAMPAIGNS_TABLE);
  const cursorOf = (key: unknown) => Buffer.from(JSON.stringify(key)).toString("base64url");

  beforeEach(() => ddb.reset());
  afterAll(() => ddb.restore());

  it("refuses a cursor it did not give, or one of another status, before asking DynamoDB", async () => {
    // prepare
    ddb.on(QueryCommand).resolves({ Items: [] });
    // act
    const attempts = await Promise.allSettled([
      store.listByStatus("completed", 10, "not-base64-json"),
      store.listByStatus("completed", 10, cursorOf(["an", "array"])),
      store.listByStatus("completed", 10, cursorOf({ campaignStatus: "draft", pk: "x", sk: "y", createdAt: "z" })),
      store.listByStatus("completed", 10, cursorOf({ campaignStatus: "completed", pk: { nested: 1 } })),
    ]);
    // assess
    expect(attempts.map((a) => a.status === "rejected" && (a.reason as Error).name)).toEqual([
      "ValidationError",
      "ValidationError",
      "ValidationError",
      "ValidationError",
    ]);
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(0);
  });

  it("gives back the cursor DynamoDB's last key makes, and starts there when it comes back", async () => {
    // prepare
    const lastKey = {
      campaignStatus: "completed",
      createdAt: "2026-06-01T00:00:00.000Z",
      pk: "CAMPAIGN#c",
      sk: "CAMPAIGN",
    };
    ddb.on(QueryCommand).resolves({ Items: [], LastEvaluatedKey: lastKey });
    // act
    const { cursor } = await store.listByStatus("completed", 10);
    await store.listByStatus("completed", 10, cursor);
    // assess
    expect(ddb.commandCalls(QueryCommand)[1].args[0].input.ExclusiveStartKey).toEqual(lastKey);
  });
});

describe("DynamoDbConsoleSessionStore: a person's language", () => {
  const store = new DynamoDbConsoleSessionStore(CAMPAIGNS_TABLE);

  beforeEach(() => ddb.reset());

  it("keeps a person's chosen language by their user id, without expiry, and reads none they never chose", async () => {
    // prepare
    ddb.on(PutCommand).resolves({});
    ddb
      .on(GetCommand)
      .resolvesOnce({ Item: { pk: "CONSOLE_USER#sub-1", sk: "LANGUAGE", language: "zh-CN" } })
      .resolvesOnce({});
    // act
    await store.rememberLanguage("sub-1", "zh-CN");
    const chosen = await store.languageOf("sub-1");
    const never = await store.languageOf("sub-2");
    // assess
    expect(ddb.commandCalls(PutCommand)[0].args[0].input).toEqual({
      TableName: CAMPAIGNS_TABLE,
      Item: { pk: "CONSOLE_USER#sub-1", sk: "LANGUAGE", language: "zh-CN" },
    });
    expect([chosen, never]).toEqual(["zh-CN", null]);
    expect(ddb.commandCalls(GetCommand)[1].args[0].input.Key).toEqual({ pk: "CONSOLE_USER#sub-2", sk: "LANGUAGE" });
  });
});
