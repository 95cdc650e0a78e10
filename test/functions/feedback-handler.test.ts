import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  type PutCommandInput,
  QueryCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
  type UpdateCommandInput,
} from "@aws-sdk/lib-dynamodb";
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { sesEventsFor } from "../../infra/local/ses-events.js";
import type { Delivery } from "../../shared/delivery/delivery.js";
import { addsOf, setsOf } from "../adapters/dynamodb-expressions.js";
import {
  aDelivery,
  CAMPAIGNS_TABLE,
  CUSTOMERS_TABLE,
  DELIVERIES_TABLE,
  transactionCancelled,
} from "../adapters/fixtures.js";
import { aCustomer } from "../unit/fixtures.js";

const ddb = mockClient(DynamoDBDocumentClient);

type Handler = typeof import("../../functions/feedback/handler.js")["handler"];
let handler: Handler;

const context = {
  functionName: "feedback",
  functionVersion: "$LATEST",
  awsRequestId: "req-1",
  getRemainingTimeInMillis: () => 20_000,
} as unknown as Context;

// --- a small stand-in for the tables the feedback handler writes ---

let deliveries: Map<string, Delivery>;
let suppressed: Map<string, Record<string, unknown>>;
let counters: Record<string, number>;
let consentWrites: UpdateCommandInput[];

function transactWrite(input: TransactWriteCommandInput) {
  const [update, counter] = input.TransactItems!;
  const key = update.Update!.Key as { campaignId: string; customerId: string };
  const current = deliveries.get(`${key.campaignId}/${key.customerId}`);
  const field = Object.keys(setsOf(update.Update))[0] as keyof Delivery;
  if (!current || current[field]) throw transactionCancelled("ConditionalCheckFailed", "None");
  deliveries.set(`${key.campaignId}/${key.customerId}`, { ...current, ...setsOf(update.Update) });
  for (const [name, n] of Object.entries(addsOf(counter.Update))) counters[name] = (counters[name] ?? 0) + n;
  return {};
}

/** The SNS envelope SQS receives from a topic without raw message delivery. */
const fromSns = (message: unknown, messageId = `m-${Math.random()}`): SQSRecord =>
  ({
    messageId,
    receiptHandle: `rh-${messageId}`,
    body: JSON.stringify({
      Type: "Notification",
      MessageId: `sns-${messageId}`,
      TopicArn: "arn:aws:sns:us-east-1:123456789012:MailEvents",
      Message: JSON.stringify(message),
      Timestamp: "2026-06-01T12:00:01.000Z",
    }),
    attributes: {},
    messageAttributes: {},
    eventSource: "aws:sqs",
  }) as unknown as SQSRecord;

const eventsTo = (address: string, customerId = "C-1") =>
  sesEventsFor({
    messageId: `ses-${customerId}`,
    source: "offers@bank.test",
    destination: [address],
    configurationSet: "cs",
    tags: { campaignId: "cmp-1", customerId },
    at: new Date("2026-06-01T12:00:00.000Z"),
  });

const run = (...records: SQSRecord[]) =>
  handler({ Records: records } as SQSEvent, context, () => undefined) as Promise<SQSBatchResponse>;

describe("feedback handler", () => {
  beforeAll(async () => {
    ({ handler } = await import("../../functions/feedback/handler.js"));
  });

  beforeEach(() => {
    ddb.reset();
    deliveries = new Map([["cmp-1/C-1", aDelivery({ customerId: "C-1", status: "sent" })]]);
    suppressed = new Map();
    counters = {};
    consentWrites = [];
    ddb.on(TransactWriteCommand).callsFake(transactWrite);
    // The campaign's counters, read for the automatic pause after a bounce or complaint: too few sent to judge.
    ddb.on(QueryCommand, { TableName: CAMPAIGNS_TABLE }).callsFake(() => ({ Items: [{ ...counters, sent: 1 }] }));
    ddb.on(PutCommand, { TableName: CAMPAIGNS_TABLE }).callsFake((input: PutCommandInput) => {
      suppressed.set(input.Item!.address as string, input.Item!);
      return {};
    });
    ddb.on(GetCommand, { TableName: CUSTOMERS_TABLE }).resolves({ Item: aCustomer({ customerId: "C-1" }) });
    ddb.on(GetCommand, { TableName: DELIVERIES_TABLE }).callsFake((input) => ({
      Item: deliveries.get(`${input.Key.campaignId}/${input.Key.customerId}`),
    }));
    ddb.on(UpdateCommand, { TableName: CUSTOMERS_TABLE }).callsFake((input: UpdateCommandInput) => {
      consentWrites.push(input);
      return {};
    });
  });

  afterAll(() => {
    ddb.restore();
  });

  it("reads SES's events out of their SNS envelopes and records the hard bounce once, however often it comes", async () => {
    // prepare
    const [send, bounce] = eventsTo("bounce@simulator.amazonses.com");
    // act
    const response = await run(fromSns(send), fromSns(bounce), fromSns(bounce));
    // assess
    expect(response.batchItemFailures).toEqual([]);
    expect(counters).toEqual({ bounced: 1 });
    expect(deliveries.get("cmp-1/C-1")?.bouncedAt).toBe("2026-06-01T12:00:00.300Z");
    expect([...suppressed.keys()]).toEqual(["bounce@simulator.amazonses.com"]);
  });

  it("withdraws the complainer's email consent as their own and counts the delivery and the complaint", async () => {
    // prepare
    const events = eventsTo("complaint@simulator.amazonses.com");
    // act
    const response = await run(...events.map((e) => fromSns(e)));
    // assess
    expect(response.batchItemFailures).toEqual([]);
    expect(counters).toEqual({ delivered: 1, complained: 1 });
    expect(consentWrites).toHaveLength(1);
    expect(setsOf(consentWrites[0])).toMatchObject({
      emailConsent: false,
      "consent.channels.email": expect.objectContaining({ granted: false, by: "customer" }),
    });
  });

  it("fails only the records that are not an SES event in an SNS envelope, so that they end in the DLQ; SES's set-up notice passes", async () => {
    // prepare
    const [, delivery] = eventsTo("success@simulator.amazonses.com");
    const notSns = { ...fromSns(delivery, "bad-1"), body: JSON.stringify({ eventType: "Delivery" }) };
    const notSes = fromSns({ eventType: "Bounce", mail: { messageId: "m" } }, "bad-2");
    const setUp = fromSns({ notificationType: "AmazonSnsSubscriptionSucceeded", message: "Successfully validated" });
    // act
    const response = await run(notSns, notSes, setUp, fromSns(delivery, "good"));
    // assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: "bad-1" }, { itemIdentifier: "bad-2" }]);
    expect(counters).toEqual({ delivered: 1 });
  });

  it("logs ids and outcomes, never the recipient's address", async () => {
    // prepare
    const { logger } = await import("../../shared/observability/logger.js");
    const written: string[] = [];
    const write = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    logger.setLogLevel("INFO");
    // act
    try {
      await run(...eventsTo("bounce+labelled@simulator.amazonses.com").map((e) => fromSns(e)));
    } finally {
      logger.setLogLevel("SILENT");
      write.mockRestore();
    }
    // assess
    const lines = written
      .join("")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(lines.map((l) => [l.message, l.kind, l.outcome, l.recorded])).toEqual([
      ["mail feedback processed", "sent", undefined, "already_recorded"], // the sender recorded it sent already
      ["mail feedback processed", "bounced", "bounced", "recorded"],
    ]);
    expect(written.join("")).not.toContain("@");
  });
});
