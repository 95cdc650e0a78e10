import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { DynamoDbDeliveryStore } from "../../shared/adapters/dynamodb/delivery-store.js";
import type { FanoutDecision } from "../../shared/delivery/decide.js";
import { DeliveryAlreadyClaimedError } from "../../shared/kernel/errors.js";
import { addsOf, conditionOf, setsOf } from "./dynamodb-expressions.js";
import {
  aCampaign,
  aDelivery,
  CAMPAIGNS_TABLE,
  conditionFailed,
  DELIVERIES_TABLE,
  transactionCancelled,
} from "./fixtures.js";

process.env.AWS_REGION ??= "us-east-1";

const ddb = mockClient(DynamoDBDocumentClient);
const store = new DynamoDbDeliveryStore(DELIVERIES_TABLE, CAMPAIGNS_TABLE);

const transactions = () => ddb.commandCalls(TransactWriteCommand).map((call) => call.args[0].input.TransactItems ?? []);
type TransactItems = NonNullable<TransactWriteCommandInput["TransactItems"]>;

const COUNTER_KEY = { pk: "CAMPAIGN#cmp-1", sk: expect.stringMatching(/^COUNTERS#[0-7]$/) };

describe("DynamoDbDeliveryStore", () => {
  beforeEach(() => {
    ddb.reset();
  });

  afterAll(() => {
    ddb.restore();
  });

  const CLAIMED_AT = "2026-11-30T10:00:00.000Z";

  describe("claim", () => {
    it("moves the delivery from queued to sending, keyed on campaign and customer, and counts the claim in the same transaction", async () => {
      // prepare
      ddb.on(TransactWriteCommand).resolves({});

      // act
      await store.claim({ campaignId: "cmp-1", customerId: "C-1" }, CLAIMED_AT);

      // assess
      expect(transactions()).toHaveLength(1);
      const [delivery, counter, ...rest] = transactions()[0];
      expect(rest).toEqual([]);
      expect(delivery.Update?.TableName).toBe(DELIVERIES_TABLE);
      expect(delivery.Update?.Key).toEqual({ campaignId: "cmp-1", customerId: "C-1" });
      expect(conditionOf(delivery.Update)).toBe('status = "queued"');
      expect(setsOf(delivery.Update)).toEqual({ status: "sending", dueAt: CLAIMED_AT }); // due from the claim: the reconciler settles it if never answered
      expect(counter.Update?.TableName).toBe(CAMPAIGNS_TABLE);
      expect(counter.Update?.Key).toEqual(COUNTER_KEY);
      expect(addsOf(counter.Update)).toEqual({ claimed: 1 });
      expect(ddb.commandCalls(GetCommand)).toHaveLength(0); // the send path needs only the key: no read back
    });

    it("turns a failed status condition into DeliveryAlreadyClaimedError", async () => {
      // prepare
      ddb.on(TransactWriteCommand).rejects(transactionCancelled("ConditionalCheckFailed", "None"));

      // act
      const outcome = store.claim({ campaignId: "cmp-1", customerId: "C-1" }, CLAIMED_AT);

      // assess
      await expect(outcome).rejects.toBeInstanceOf(DeliveryAlreadyClaimedError);
    });

    it("also recognises the reasons when only the message lists them (DynamoDB Local)", async () => {
      // prepare
      ddb.on(TransactWriteCommand).rejects(
        Object.assign(
          new Error(
            "Transaction cancelled, please refer cancellation reasons for specific reasons [ConditionalCheckFailed, None]",
          ),
          {
            name: "TransactionCanceledException",
          },
        ),
      );

      // act
      const outcome = store.claim({ campaignId: "cmp-1", customerId: "C-1" }, CLAIMED_AT);

      // assess
      await expect(outcome).rejects.toBeInstanceOf(DeliveryAlreadyClaimedError);
    });

    it.each([
      ["a transaction cancelled for a conflict", transactionCancelled("TransactionConflict", "None")],
      [
        "a throttled request",
        Object.assign(new Error("Rate of requests exceeds the allowed throughput"), {
          name: "ProvisionedThroughputExceededException",
        }),
      ],
      ["a network failure", new Error("socket hang up")],
    ])("lets %s propagate unchanged (the record is retried, not dropped)", async (_, error) => {
      // prepare
      ddb.on(TransactWriteCommand).rejects(error);

      // act
      const thrown = await store.claim({ campaignId: "cmp-1", customerId: "C-1" }, CLAIMED_AT).catch((e: unknown) => e);

      // assess
      expect(thrown).toBe(error);
      expect(thrown).not.toBeInstanceOf(DeliveryAlreadyClaimedError);
    });
  });

  describe("recordSent", () => {
    const key = { campaignId: "cmp-1", customerId: "C-1" };
    const sentBy = (messageId: string) => ({
      Item: {
        ...key,
        productCode: "WEALTH_FUND",
        status: "sent",
        offeredAt: CLAIMED_AT,
        messageId,
        sentAt: CLAIMED_AT,
      },
    });

    it("is done when SES's Send event recorded the same message first", async () => {
      // prepare
      ddb.on(TransactWriteCommand).rejects(transactionCancelled("ConditionalCheckFailed", "None"));
      ddb.on(GetCommand).resolves(sentBy("ses-1"));
      // act / assess
      await expect(store.recordSent(key, "ses-1", CLAIMED_AT)).resolves.toBeUndefined();
    });

    it("sends its transaction again when another one on the same counter item cancelled it", async () => {
      // prepare: a concurrent send's transaction held the counter shard once
      ddb.on(TransactWriteCommand).rejectsOnce(transactionCancelled("None", "TransactionConflict")).resolves({});
      // act
      await store.recordSent(key, "ses-1", CLAIMED_AT);
      // assess
      expect(transactions()).toHaveLength(2);
      expect(ddb.commandCalls(GetCommand)).toHaveLength(0);
    });

    it("fails when the delivery moved on for another reason", async () => {
      // prepare: recorded with another message: not this send
      ddb.on(TransactWriteCommand).rejects(transactionCancelled("ConditionalCheckFailed", "None"));
      ddb.on(GetCommand).resolves(sentBy("ses-other"));
      // act / assess
      await expect(store.recordSent(key, "ses-1", CLAIMED_AT)).rejects.toThrow(/not sending/);
    });
  });

  describe("recordFanout", () => {
    const campaign = aCampaign();
    const offeredAt = "2024-05-02T08:00:00.000Z";
    const decisions: FanoutDecision[] = [
      { customerId: "C-1", status: "queued" },
      { customerId: "C-2", status: "control" },
      { customerId: "C-3", status: "suppressed", reason: "no_email_consent" },
    ];

    it("writes a page in one transaction: a delivery per decision and one counter update with the totals", async () => {
      // prepare
      ddb.on(TransactWriteCommand).resolves({});

      // act
      const toSend = await store.recordFanout(campaign, decisions, offeredAt);

      // assess
      expect(toSend).toEqual(["C-1"]);
      expect(transactions()).toHaveLength(1);
      const items = transactions()[0];
      expect(items).toHaveLength(4);
      const puts = items.filter((i) => i.Put).map((i) => i.Put!);
      expect(puts).toHaveLength(3);
      for (const put of puts) {
        expect(put.TableName).toBe(DELIVERIES_TABLE);
        expect(conditionOf(put)).toMatch(/^attribute_not_exists\((customerId|campaignId)\)$/);
      }
      expect(puts.map((p) => p.Item)).toEqual([
        // Only a queued delivery enters the pending index, due from the offer (the reconciler reads it).
        {
          campaignId: "cmp-1",
          customerId: "C-1",
          productCode: "WEALTH_FUND",
          status: "queued",
          offeredAt,
          dueAt: offeredAt,
          pendingShard: expect.any(Number),
        },
        { campaignId: "cmp-1", customerId: "C-2", productCode: "WEALTH_FUND", status: "control", offeredAt },
        expect.objectContaining({
          campaignId: "cmp-1",
          customerId: "C-3",
          status: "suppressed",
          suppressionReason: "no_email_consent",
          offeredAt,
        }),
      ]);
      const counters = items.filter((i) => i.Update).map((i) => i.Update!);
      expect(counters).toHaveLength(1);
      expect(counters[0].TableName).toBe(CAMPAIGNS_TABLE);
      expect(counters[0].Key).toEqual(COUNTER_KEY);
      expect(addsOf(counters[0])).toEqual({ targeted: 1, control: 1, suppressed_no_email_consent: 1 });
    });

    it("keeps each transaction within DynamoDB's 100 items on a large page, and counts every decision once", async () => {
      // prepare
      ddb.on(TransactWriteCommand).resolves({});
      const many: FanoutDecision[] = Array.from({ length: 250 }, (_, i) => ({
        customerId: `C-${i}`,
        status: "queued",
      }));

      // act
      const toSend = await store.recordFanout(campaign, many, offeredAt);

      // assess
      expect(toSend).toHaveLength(250);
      const sent = transactions();
      for (const items of sent) expect(items.length).toBeLessThanOrEqual(100);
      const written = sent.flatMap((items) => items.filter((i) => i.Put).map((i) => i.Put!.Item!.customerId));
      expect(new Set(written).size).toBe(250);
      const targeted = sent.flatMap((items) => items.filter((i) => i.Update).map((i) => addsOf(i.Update).targeted));
      expect(targeted.reduce((a, b) => a + b, 0)).toBe(250);
    });

    it("on a retried page, records the rest one by one and still sends to customers whose delivery is queued, not to those already sent", async () => {
      // prepare
      // C-1 was recorded by the first attempt and is still queued (its send message may be lost);
      // C-2 was recorded and has been sent since; C-3 is new.
      const stored: Record<string, string> = { "C-1": "queued", "C-2": "sent" };
      const page: FanoutDecision[] = [
        { customerId: "C-1", status: "queued" },
        { customerId: "C-2", status: "queued" },
        { customerId: "C-3", status: "queued" },
      ];
      ddb.on(TransactWriteCommand).callsFake((input: TransactWriteCommandInput) => {
        const items = input.TransactItems as TransactItems;
        const puts = items.filter((i) => i.Put);
        if (puts.length > 1)
          throw transactionCancelled(
            ...puts.map((p) => (p.Put!.Item!.customerId in stored ? "ConditionalCheckFailed" : "None")),
            "None",
          );
        const customerId = puts[0].Put!.Item!.customerId as string;
        if (customerId in stored) throw transactionCancelled("ConditionalCheckFailed", "None");
        return {};
      });
      ddb.on(GetCommand).callsFake((input: { Key: { customerId: string } }) => {
        const status = stored[input.Key.customerId];
        return {
          Item: status ? aDelivery({ customerId: input.Key.customerId, status: status as "queued" }) : undefined,
        };
      });

      // act
      const toSend = await store.recordFanout(campaign, page, offeredAt);

      // assess
      expect(toSend).toEqual(["C-1", "C-3"]);
      // The first whole-page attempt, then one transaction per decision.
      expect(transactions().map((items) => items.length)).toEqual([4, 2, 2, 2]);
      // Only the new delivery's transaction went through, so only it was counted.
      const perItem = transactions().slice(1);
      expect(perItem.map((items) => addsOf(items[1].Update))).toEqual([
        { targeted: 1 },
        { targeted: 1 },
        { targeted: 1 },
      ]);
    });

    it("lets a failure that is not a condition propagate", async () => {
      // prepare
      const error = transactionCancelled("None", "ThrottlingError", "None", "None");
      ddb.on(TransactWriteCommand).rejects(error);

      // act
      const thrown = await store.recordFanout(campaign, decisions, offeredAt).catch((e: unknown) => e);

      // assess
      expect(thrown).toBe(error);
      expect(transactions()).toHaveLength(1);
    });
  });

  describe("shardsFinished and withdraw for a cancelled campaign", () => {
    it("reads the fan-out's finished shards from its progress item, consistently, 0 before any", async () => {
      // prepare
      ddb.on(GetCommand, { Key: { pk: "CAMPAIGN#cmp-1", sk: "FANOUT" } }).resolves({ Item: { shardsFinished: 3 } });
      ddb.on(GetCommand, { Key: { pk: "CAMPAIGN#cmp-2", sk: "FANOUT" } }).resolves({});

      // act
      const [started, fresh] = [await store.shardsFinished("cmp-1"), await store.shardsFinished("cmp-2")];

      // assess
      expect([started, fresh]).toEqual([3, 0]);
      expect(ddb.commandCalls(GetCommand)[0].args[0].input).toMatchObject({
        TableName: CAMPAIGNS_TABLE,
        ConsistentRead: true,
      });
    });

    it("withdraws a claimed send of a cancelled campaign as campaign_cancelled, moving it out of targeted", async () => {
      // prepare
      ddb.on(TransactWriteCommand).resolves({});

      // act
      await store.withdraw({ campaignId: "cmp-1", customerId: "C-1" }, "campaign_cancelled");

      // assess
      const [update, counter] = transactions()[0] as TransactItems;
      expect(conditionOf(update.Update)).toBe('status = "sending"');
      expect(setsOf(update.Update)).toEqual({ status: "suppressed", suppressionReason: "campaign_cancelled" });
      expect(addsOf(counter.Update)).toEqual({ claimed: -1, targeted: -1, suppressed_campaign_cancelled: 1 });
    });
  });

  describe("counters", () => {
    it("sums every numeric attribute across the campaign's counter shards, over every page", async () => {
      // prepare
      ddb
        .on(QueryCommand)
        .resolvesOnce({
          Items: [
            { pk: "CAMPAIGN#cmp-1", sk: "COUNTERS#0", targeted: 3, sent: 1, claimed: 2 },
            { pk: "CAMPAIGN#cmp-1", sk: "COUNTERS#4", targeted: 2, control: 1 },
          ],
          LastEvaluatedKey: { pk: "CAMPAIGN#cmp-1", sk: "COUNTERS#4" },
        })
        .resolvesOnce({
          Items: [{ pk: "CAMPAIGN#cmp-1", sk: "COUNTERS#7", targeted: 5, sent: 4, answer_interested: 1 }],
        });

      // act
      const totals = await store.counters("cmp-1");

      // assess
      expect(totals).toEqual({ targeted: 10, sent: 5, claimed: 2, control: 1, answer_interested: 1 });
      const queries = ddb.commandCalls(QueryCommand).map((c) => c.args[0].input);
      expect(queries).toHaveLength(2);
      expect(queries[0].TableName).toBe(CAMPAIGNS_TABLE);
      expect(
        conditionOf({
          ConditionExpression: queries[0].KeyConditionExpression,
          ExpressionAttributeValues: queries[0].ExpressionAttributeValues,
        }),
      ).toBe('pk = "CAMPAIGN#cmp-1" AND begins_with(sk, "COUNTERS#")');
      expect(queries[1].ExclusiveStartKey).toEqual({ pk: "CAMPAIGN#cmp-1", sk: "COUNTERS#4" });
    });

    it("is all zeros (empty) for a campaign with no counters yet", async () => {
      // prepare
      ddb.on(QueryCommand).resolves({ Items: [] });

      // act
      const totals = await store.counters("cmp-1");

      // assess
      expect(totals).toEqual({});
    });
  });

  describe("recordConversion", () => {
    const conversion = {
      customerId: "C-1",
      productCode: "WEALTH_FUND",
      amount: 50_000,
      occurredAt: "2024-05-10T09:00:00.000Z",
    };

    it("credits a treated delivery: stores the conversion, marks the delivery and counts it, in one transaction", async () => {
      // prepare
      ddb.on(TransactWriteCommand).resolves({});

      // act
      const attribution = await store.recordConversion(conversion, aDelivery({ status: "sent" }));

      // assess
      expect(attribution).toEqual({ attributedTo: "cmp-1", group: "treated" });
      expect(transactions()).toHaveLength(1);
      const [put, delivery, counter] = transactions()[0];
      expect(put.Put?.TableName).toBe(CAMPAIGNS_TABLE);
      expect(put.Put?.Item).toMatchObject({ ...conversion, attributedTo: "cmp-1", group: "treated" });
      expect(conditionOf(put.Put)).toBe("attribute_not_exists(pk)");
      expect(delivery.Update?.Key).toEqual({ campaignId: "cmp-1", customerId: "C-1" });
      expect(setsOf(delivery.Update)).toEqual({ convertedAt: conversion.occurredAt });
      expect(addsOf(counter.Update)).toEqual({ converted: 1 });
    });

    it("credits a control delivery to the control group", async () => {
      // prepare
      ddb.on(TransactWriteCommand).resolves({});

      // act
      const attribution = await store.recordConversion(conversion, aDelivery({ status: "control" }));

      // assess
      expect(attribution).toEqual({ attributedTo: "cmp-1", group: "control" });
      expect(addsOf(transactions()[0][2].Update)).toEqual({ controlConverted: 1 });
    });

    it("returns the stored attribution when the same conversion is posted twice (item 0 failed its condition)", async () => {
      // prepare
      ddb.on(TransactWriteCommand).rejects(transactionCancelled("ConditionalCheckFailed", "None", "None"));
      ddb.on(GetCommand).resolves({
        Item: {
          pk: "CUSTOMER#C-1",
          sk: "CONVERSION#WEALTH_FUND#2024-05-10T09:00:00.000Z",
          attributedTo: "cmp-0",
          group: "control",
        },
      });

      // act
      const attribution = await store.recordConversion(conversion, aDelivery({ status: "sent" }));

      // assess
      expect(attribution).toEqual({ attributedTo: "cmp-0", group: "control" });
      const get = ddb.commandCalls(GetCommand)[0].args[0].input;
      expect(get.TableName).toBe(CAMPAIGNS_TABLE);
      expect(get.Key).toEqual({ pk: "CUSTOMER#C-1", sk: "CONVERSION#WEALTH_FUND#2024-05-10T09:00:00.000Z" });
    });

    it("stores an unattributed conversion with a conditional put and credits no campaign", async () => {
      // prepare
      ddb.on(PutCommand).resolves({});

      // act
      const attribution = await store.recordConversion(conversion, null);

      // assess
      expect(attribution).toEqual({ attributedTo: null, group: null });
      expect(transactions()).toHaveLength(0);
      const put = ddb.commandCalls(PutCommand)[0].args[0].input;
      expect(conditionOf(put)).toBe("attribute_not_exists(pk)");
    });

    it("returns the stored attribution when an unattributed conversion is posted twice", async () => {
      // prepare
      ddb.on(PutCommand).rejects(conditionFailed());
      ddb.on(GetCommand).resolves({ Item: { attributedTo: null, group: null } });

      // act
      const attribution = await store.recordConversion(conversion, null);

      // assess
      expect(attribution).toEqual({ attributedTo: null, group: null });
    });
  });

  describe("recordOutcome", () => {
    const key = { campaignId: "cmp-1", customerId: "C-1" };

    it.each([
      ["delivered", "deliveredAt", "delivered"],
      ["bounced", "bouncedAt", "bounced"],
      ["soft_bounced", "softBouncedAt", "softBounced"],
      ["delayed", "delayedAt", "delayed"],
      ["complained", "complainedAt", "complained"],
      ["rejected", "rejectedAt", "rejected"],
    ] as const)(
      "records %s as %s on an existing delivery and counts %s in the same transaction",
      async (outcome, field, counter) => {
        // prepare
        ddb.on(TransactWriteCommand).resolves({});

        // act
        const recorded = await store.recordOutcome(key, outcome, "2024-05-02T09:00:00.000Z");

        // assess
        expect(recorded).toBe("recorded");
        const [delivery, counterUpdate, ...rest] = transactions()[0];
        expect(rest).toEqual([]);
        expect(delivery.Update?.TableName).toBe(DELIVERIES_TABLE);
        expect(delivery.Update?.Key).toEqual(key);
        expect(setsOf(delivery.Update)).toEqual({ [field]: "2024-05-02T09:00:00.000Z" });
        expect(conditionOf(delivery.Update)).toBe(`attribute_exists(customerId) AND attribute_not_exists(${field})`);
        expect(counterUpdate.Update?.Key).toEqual(COUNTER_KEY);
        expect(addsOf(counterUpdate.Update)).toEqual({ [counter]: 1 });
      },
    );

    it("counts an event seen again once: the failed condition is an outcome already recorded", async () => {
      // prepare
      ddb.on(TransactWriteCommand).rejects(transactionCancelled("ConditionalCheckFailed", "None"));
      ddb.on(GetCommand).resolves({ Item: aDelivery({ status: "sent", deliveredAt: "2024-05-02T09:00:00.000Z" }) });

      // act
      const recorded = await store.recordOutcome(key, "delivered", "2024-05-02T09:00:01.000Z");

      // assess
      expect(recorded).toBe("already_recorded");
      expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(1); // no second attempt, no count
    });

    it("says so when no such delivery exists, creating none", async () => {
      // prepare
      ddb.on(TransactWriteCommand).rejects(transactionCancelled("ConditionalCheckFailed", "None"));
      ddb.on(GetCommand).resolves({});

      // act
      const recorded = await store.recordOutcome(key, "bounced", "2024-05-02T09:00:00.000Z");

      // assess
      expect(recorded).toBe("unknown");
    });

    it("lets any other failure through, so that SQS delivers the event again", async () => {
      // prepare
      ddb.on(TransactWriteCommand).rejects(transactionCancelled("TransactionConflict", "None"));

      // act
      const recorded = store.recordOutcome(key, "complained", "2024-05-02T09:00:00.000Z");

      // assess
      await expect(recorded).rejects.toThrow(/Transaction cancelled/);
    });
  });

  describe("recordRenewal", () => {
    const key = { campaignId: "cmp-1", customerId: "C-1" };

    it("records the renewal on a sent delivery not renewed since, counted as renewed and never as sent", async () => {
      // prepare
      ddb.on(TransactWriteCommand).resolves({});

      // act
      const recorded = await store.recordRenewal(key, "2024-07-02T09:00:00.000Z", "2024-07-01T09:00:00.000Z");

      // assess
      expect(recorded).toBe(true);
      const [delivery, counterUpdate, ...rest] = transactions()[0];
      expect(rest).toEqual([]);
      expect(setsOf(delivery.Update)).toEqual({ renewedAt: "2024-07-02T09:00:00.000Z" });
      expect(conditionOf(delivery.Update)).toBe(
        'status = "sent" AND (attribute_not_exists(renewedAt) OR renewedAt < "2024-07-01T09:00:00.000Z")',
      );
      expect(addsOf(counterUpdate.Update)).toEqual({ renewed: 1 });
    });

    it("says false, sending nothing twice, when the delivery was renewed within the day", async () => {
      // prepare
      ddb.on(TransactWriteCommand).rejects(transactionCancelled("ConditionalCheckFailed", "None"));

      // act
      const recorded = await store.recordRenewal(key, "2024-07-02T09:00:00.000Z", "2024-07-01T09:00:00.000Z");

      // assess
      expect(recorded).toBe(false);
    });

    it("undoes a renewal the mail service refused: the time it had before, and the count back down", async () => {
      // prepare
      ddb.on(TransactWriteCommand).resolves({});

      // act
      await store.undoRenewal(key, "2024-07-02T09:00:00.000Z", "2024-06-01T09:00:00.000Z");

      // assess
      const [delivery, counterUpdate] = transactions()[0];
      expect(setsOf(delivery.Update)).toEqual({ renewedAt: "2024-06-01T09:00:00.000Z" });
      expect(conditionOf(delivery.Update)).toBe('renewedAt = "2024-07-02T09:00:00.000Z"');
      expect(addsOf(counterUpdate.Update)).toEqual({ renewed: -1 });
    });
  });
});
