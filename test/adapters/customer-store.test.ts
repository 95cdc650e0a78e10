import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { DynamoDbCustomerStore } from "../../shared/adapters/dynamodb/customer-store.js";
import { DynamoDbDeliveryStore } from "../../shared/adapters/dynamodb/delivery-store.js";
import { aCustomer } from "../unit/fixtures.js";
import { conditionOf, setsOf } from "./dynamodb-expressions.js";
import { aDelivery, CAMPAIGNS_TABLE, CUSTOMERS_TABLE, conditionFailed, DELIVERIES_TABLE } from "./fixtures.js";

process.env.AWS_REGION ??= "us-east-1";

const ddb = mockClient(DynamoDBDocumentClient);
const store = new DynamoDbCustomerStore(CUSTOMERS_TABLE);
const updates = () => ddb.commandCalls(UpdateCommand).map((call) => call.args[0].input);

describe("DynamoDbCustomerStore, the campaign fields", () => {
  beforeEach(() => {
    ddb.reset();
  });

  afterAll(() => {
    ddb.restore();
  });

  describe("replaceIfUnchanged", () => {
    it("writes each customer only if the record still has the updatedAt it was read with and is not deleted", async () => {
      // prepare
      ddb.on(PutCommand).resolves({});
      const customer = aCustomer({ customerId: "C-1", updatedAt: "2026-06-01T12:00:00.000Z" });

      // act
      const changed = await store.replaceIfUnchanged([{ customer, readAt: "2026-05-01T08:00:00.000Z" }]);

      // assess
      const [put] = ddb.commandCalls(PutCommand).map((call) => call.args[0].input);
      expect(put.Item).toEqual(customer);
      expect(put.ConditionExpression).toBe("updatedAt = :readAt AND attribute_not_exists(deletedAt)");
      expect(put.ExpressionAttributeValues).toEqual({ ":readAt": "2026-05-01T08:00:00.000Z" });
      expect(changed).toEqual([]);
    });

    it("returns, unwritten, the customers that changed meanwhile, and writes the others", async () => {
      // prepare: C-2 unsubscribed between the import's read and this write
      ddb.on(PutCommand).callsFake((input: { Item: { customerId: string } }) => {
        if (input.Item.customerId === "C-2") throw conditionFailed();
        return {};
      });
      const readAt = "2026-05-01T08:00:00.000Z";

      // act
      const changed = await store.replaceIfUnchanged(
        ["C-1", "C-2", "C-3"].map((customerId) => ({ customer: aCustomer({ customerId }), readAt })),
      );

      // assess
      expect(changed).toEqual(["C-2"]);
      expect(ddb.commandCalls(PutCommand)).toHaveLength(3);
    });

    it("lets any other DynamoDB failure through, so the import fails rather than counting a row it did not write", async () => {
      // prepare
      ddb
        .on(PutCommand)
        .rejects(Object.assign(new Error("throughput exceeded"), { name: "ProvisionedThroughputExceededException" }));

      // act / assess
      await expect(
        store.replaceIfUnchanged([{ customer: aCustomer({ customerId: "C-1" }), readAt: "2026-05-01T08:00:00.000Z" }]),
      ).rejects.toThrow("throughput exceeded");
    });
  });

  describe("withdrawEmailConsent", () => {
    it("writes the withdrawal as the customer's own, with its source and time, so no plain import undoes it", async () => {
      // prepare
      ddb.on(UpdateCommand).resolves({});

      // act
      await store.withdrawEmailConsent("C-1", "2026-06-01T12:00:00.000Z", "unsubscribe link of campaign cmp-1");

      // assess
      const [update] = updates();
      expect(setsOf(update)).toEqual({
        emailConsent: false,
        updatedAt: "2026-06-01T12:00:00.000Z",
        "consent.channels.email": {
          granted: false,
          source: "unsubscribe link of campaign cmp-1",
          at: "2026-06-01T12:00:00.000Z",
          by: "customer",
        },
      });
      expect(conditionOf(update)).toBe("attribute_exists(customerId)");
    });
  });

  describe("recordPreferences", () => {
    const AT = "2026-12-01T08:00:00.000Z";
    const chosen = {
      channels: { email: true, sms: false, phone: false },
      categories: { deposits: true, wealth: false, asset: true, intermediary: true },
    };
    const stored = aCustomer({ customerId: "C-1", updatedAt: "2026-11-01T00:00:00.000Z" });

    it("writes the customer's own records on condition that the customer is still as read, moving updatedAt", async () => {
      // prepare
      ddb.on(GetCommand).resolves({ Item: stored });
      ddb.on(UpdateCommand).resolves({});

      // act
      const result = await store.recordPreferences("C-1", chosen, "preference centre", AT);

      // assess
      const [update] = updates();
      expect(result).toEqual({ changed: ["wealth"] });
      expect(setsOf(update)).toMatchObject({
        emailConsent: true,
        updatedAt: AT,
        consent: { categories: { wealth: { granted: false, source: "preference centre", at: AT, by: "customer" } } },
      });
      expect(conditionOf(update)).toBe(`updatedAt = "${stored.updatedAt}" AND attribute_not_exists(deletedAt)`);
    });

    it("reads again when the record changed meanwhile, and writes nothing for a deleted customer", async () => {
      // prepare
      ddb
        .on(GetCommand)
        .resolvesOnce({ Item: stored })
        .resolvesOnce({ Item: { ...stored, deletedAt: AT } });
      ddb.on(UpdateCommand).rejects(conditionFailed());

      // act
      const result = await store.recordPreferences("C-1", chosen, "preference centre", AT);

      // assess
      expect(result).toBeNull();
      expect(updates()).toHaveLength(1);
    });
  });

  describe("recordContact", () => {
    it("sets lastContactedAt only forward, and only on a customer that exists", async () => {
      // prepare
      ddb.on(UpdateCommand).resolves({});

      // act
      await store.recordContact("C-1", "2026-06-01T12:00:00.000Z");

      // assess
      const [update] = updates();
      expect(update.Key).toEqual({ customerId: "C-1" });
      expect(setsOf(update)).toEqual({ lastContactedAt: "2026-06-01T12:00:00.000Z" });
      expect(conditionOf(update)).toBe(
        'attribute_exists(customerId) AND (attribute_not_exists(lastContactedAt) OR lastContactedAt < "2026-06-01T12:00:00.000Z")',
      );
    });

    it("treats a failed condition (a later contact is there already) as done", async () => {
      // prepare
      ddb.on(UpdateCommand).rejects(conditionFailed());

      // act
      const outcome = store.recordContact("C-1", "2026-06-01T12:00:00.000Z");

      // assess
      await expect(outcome).resolves.toBeUndefined();
    });
  });

  describe("recordAnswer", () => {
    const interested = { answer: "interested" as const, at: "2026-06-01T12:00:00.000Z" };

    it("writes the first answer on condition that no answers were there", async () => {
      // prepare
      ddb.on(GetCommand).resolves({ Item: { customerId: "C-1" } });
      ddb.on(UpdateCommand).resolves({});

      // act
      await store.recordAnswer("C-1", "cmp-1", interested);

      // assess
      const [update] = updates();
      expect(setsOf(update)).toEqual({ answers: { "cmp-1": interested } });
      expect(conditionOf(update)).toBe("attribute_exists(customerId) AND attribute_not_exists(answers)");
    });

    it("merges into the answers it read, on condition they did not change, and reads again when they did", async () => {
      // prepare
      const before = { "cmp-0": { answer: "not_now", at: "2026-05-01T12:00:00.000Z" } };
      const meanwhile = { ...before, "cmp-9": { answer: "call_me", at: "2026-06-01T11:00:00.000Z" } };
      ddb
        .on(GetCommand)
        .resolvesOnce({ Item: { customerId: "C-1", answers: before } })
        .resolves({ Item: { customerId: "C-1", answers: meanwhile } });
      ddb.on(UpdateCommand).rejectsOnce(conditionFailed()).resolves({});

      // act
      await store.recordAnswer("C-1", "cmp-1", interested);

      // assess
      const [first, second] = updates();
      expect(conditionOf(first)).toBe(`answers = ${JSON.stringify(before)}`);
      expect(setsOf(second)).toEqual({ answers: { ...meanwhile, "cmp-1": interested } });
      expect(conditionOf(second)).toBe(`answers = ${JSON.stringify(meanwhile)}`);
    });

    it("writes nothing for the same answer again, nor for a customer that is gone", async () => {
      // prepare
      ddb
        .on(GetCommand)
        .resolvesOnce({ Item: { customerId: "C-1", answers: { "cmp-1": interested } } })
        .resolves({});

      // act
      await store.recordAnswer("C-1", "cmp-1", { ...interested, at: "2026-06-02T12:00:00.000Z" });
      await store.recordAnswer("C-2", "cmp-1", interested);

      // assess
      expect(updates()).toEqual([]);
    });
  });
});

describe("DynamoDbDeliveryStore, a customer's touches and conversions", () => {
  const deliveries = new DynamoDbDeliveryStore(DELIVERIES_TABLE, CAMPAIGNS_TABLE);

  beforeEach(() => {
    ddb.reset();
  });

  it("reads the customer's latest deliveries from the byCustomer index, newest first", async () => {
    // prepare
    ddb.on(QueryCommand).resolves({ Items: [aDelivery({ customerId: "C-1", status: "sent" })] });

    // act
    const found = await deliveries.ofCustomer("C-1", 100);

    // assess
    const [query] = ddb.commandCalls(QueryCommand).map((c) => c.args[0].input);
    expect(query).toMatchObject({
      TableName: DELIVERIES_TABLE,
      IndexName: "byCustomer",
      ScanIndexForward: false,
      Limit: 100,
    });
    expect(found).toEqual([aDelivery({ customerId: "C-1", status: "sent" })]);
  });

  it("lists the customer's conversions newest first across products, at most `limit`", async () => {
    // prepare
    const conversion = (productCode: string, occurredAt: string) => ({
      pk: "CUSTOMER#C-1",
      sk: `CONVERSION#${productCode}#${occurredAt}`,
      customerId: "C-1",
      productCode,
      amount: 1000,
      occurredAt,
      attributedTo: null,
      group: null,
    });
    ddb
      .on(QueryCommand)
      .resolvesOnce({
        Items: [conversion("CREDIT_CARD", "2026-05-01T00:00:00.000Z")],
        LastEvaluatedKey: { pk: "CUSTOMER#C-1", sk: "x" },
      })
      .resolves({
        Items: [
          conversion("WEALTH_FUND", "2026-04-01T00:00:00.000Z"),
          conversion("WEALTH_FUND", "2026-06-01T00:00:00.000Z"),
        ],
      });

    // act
    const found = await deliveries.conversionsOf("C-1", 2);

    // assess
    const [query] = ddb.commandCalls(QueryCommand).map((c) => c.args[0].input);
    expect(query.TableName).toBe(CAMPAIGNS_TABLE);
    expect(query.ExpressionAttributeValues).toEqual({ ":pk": "CUSTOMER#C-1", ":prefix": "CONVERSION#" });
    expect(found.map((c) => [c.productCode, c.occurredAt])).toEqual([
      ["WEALTH_FUND", "2026-06-01T00:00:00.000Z"],
      ["CREDIT_CARD", "2026-05-01T00:00:00.000Z"],
    ]);
    expect(found[0]).toEqual({
      productCode: "WEALTH_FUND",
      amount: 1000,
      occurredAt: "2026-06-01T00:00:00.000Z",
      attributedTo: null,
      group: null,
    });
  });
});
