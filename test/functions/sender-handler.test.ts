import {
  GetSendQuotaCommand,
  SESClient,
  SendRawEmailCommand,
  type SendRawEmailCommandInput,
} from "@aws-sdk/client-ses";
import { ChangeMessageVisibilityCommand, SendMessageBatchCommand, SQSClient } from "@aws-sdk/client-sqs";
import {
  DynamoDBDocumentClient,
  GetCommand,
  type GetCommandInput,
  QueryCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
  type UpdateCommandInput,
} from "@aws-sdk/lib-dynamodb";
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { Delivery } from "../../shared/delivery/delivery.js";
import { verifyLink } from "../../shared/delivery/links.js";
import { addsOf, conditionOf, setsOf } from "../adapters/dynamodb-expressions.js";
import {
  aCampaign,
  aDelivery,
  CAMPAIGNS_TABLE,
  CUSTOMERS_TABLE,
  conditionFailed,
  DELIVERIES_TABLE,
  transactionCancelled,
} from "../adapters/fixtures.js";
import { mimeParts, unfoldHeaders } from "../adapters/mime.js";
import { aCustomer } from "../unit/fixtures.js";

const ddb = mockClient(DynamoDBDocumentClient);
const ses = mockClient(SESClient);
const sqs = mockClient(SQSClient);

type Handler = typeof import("../../functions/sender/handler.js")["handler"];
let handler: Handler;

const context = {
  functionName: "sender",
  functionVersion: "$LATEST",
  awsRequestId: "req-1",
  getRemainingTimeInMillis: () => 30_000,
} as unknown as Context;

// --- a small stand-in for the three tables, so each test reads as "what state is stored" ---

const campaign = aCampaign({ campaignId: "cmp-1", status: "sending" });
let deliveries: Map<string, Delivery>;
let customers: Map<string, ReturnType<typeof aCustomer>>;
let counters: Record<string, number>;
let sesOutcome: Map<string, () => { MessageId: string }>;

const deliveryKey = (campaignId: string, customerId: string) => `${campaignId}/${customerId}`;

function given(...stored: Delivery[]) {
  for (const d of stored) deliveries.set(deliveryKey(d.campaignId, d.customerId), d);
  for (const d of stored) {
    const n = d.customerId.replace(/\D/g, "");
    customers.set(
      d.customerId,
      aCustomer({ customerId: d.customerId, name: `Customer ${n}`, email: `c${n}@example.cn` }),
    );
  }
}

function get(input: GetCommandInput) {
  const key = input.Key as Record<string, string>;
  if (input.TableName === DELIVERIES_TABLE)
    return { Item: deliveries.get(deliveryKey(key.campaignId, key.customerId)) };
  if (input.TableName === CUSTOMERS_TABLE) return { Item: customers.get(key.customerId) };
  if (input.TableName === CAMPAIGNS_TABLE && key.pk === `CAMPAIGN#${campaign.campaignId}` && key.sk === "CAMPAIGN") {
    return { Item: { ...key, ...campaign } };
  }
  return {};
}

/** The customer store's only write on the send path: lastContactedAt, moving forward only. */
function recordContact(input: UpdateCommandInput) {
  const customerId = (input.Key as Record<string, string>).customerId;
  const at = setsOf(input).lastContactedAt as string;
  const customer = customers.get(customerId);
  expect(conditionOf(input)).toBe(
    `attribute_exists(customerId) AND (attribute_not_exists(lastContactedAt) OR lastContactedAt < ${JSON.stringify(at)})`,
  );
  if (!customer || (customer.lastContactedAt ?? "") >= at) throw conditionFailed();
  customers.set(customerId, { ...customer, lastContactedAt: at });
  return {};
}

/** Applies a transaction atomically: every delivery condition is checked before anything changes. */
function transactWrite(input: TransactWriteCommandInput) {
  const items = input.TransactItems ?? [];
  const codes = items.map((item) => {
    const update = item.Update;
    if (!update || update.TableName !== DELIVERIES_TABLE || !update.ConditionExpression) return "None";
    const key = update.Key as Record<string, string>;
    const current = deliveries.get(deliveryKey(key.campaignId, key.customerId));
    const expected = /^status = "(\w+)"$/.exec(conditionOf(update))?.[1];
    if (!expected) throw new Error(`the fake does not understand the condition ${conditionOf(update)}`);
    return current?.status === expected ? "None" : "ConditionalCheckFailed";
  });
  if (codes.includes("ConditionalCheckFailed")) throw transactionCancelled(...codes);
  for (const item of items) {
    const update = item.Update!;
    if (update.TableName === DELIVERIES_TABLE) {
      const key = update.Key as Record<string, string>;
      const id = deliveryKey(key.campaignId, key.customerId);
      deliveries.set(id, { ...deliveries.get(id)!, ...(setsOf(update) as Partial<Delivery>) });
    } else {
      for (const [name, amount] of Object.entries(addsOf(update))) counters[name] = (counters[name] ?? 0) + amount;
    }
  }
  return {};
}

function recipientOf(input: SendRawEmailCommandInput): string {
  const raw = Buffer.from(input.RawMessage!.Data as Uint8Array).toString("utf8");
  return /^To: (.+?)\r?$/m.exec(raw)![1];
}

const rawEmails = () =>
  ses
    .commandCalls(SendRawEmailCommand)
    .map((c) => unfoldHeaders(Buffer.from(c.args[0].input.RawMessage!.Data as Uint8Array).toString("utf8")));
const recipients = () => ses.commandCalls(SendRawEmailCommand).map((c) => recipientOf(c.args[0].input));

let nextMessage = 0;
function sqsRecord(body: string, messageId = `msg-${++nextMessage}`): SQSRecord {
  return {
    messageId,
    receiptHandle: `receipt-${messageId}`,
    body,
    attributes: {
      ApproximateReceiveCount: "1",
      SentTimestamp: "1714636800000",
      SenderId: "AIDAEXAMPLE",
      ApproximateFirstReceiveTimestamp: "1714636800001",
    },
    messageAttributes: {},
    md5OfBody: "0".repeat(32),
    eventSource: "aws:sqs",
    eventSourceARN: "arn:aws:sqs:us-east-1:123456789012:send",
    awsRegion: "us-east-1",
  };
}

const sendJob = (customerId: string, messageId?: string) =>
  sqsRecord(JSON.stringify({ campaignId: "cmp-1", customerId }), messageId);

async function run(...records: SQSRecord[]): Promise<SQSBatchResponse> {
  const event: SQSEvent = { Records: records };
  return (await handler(event, context, () => undefined)) as SQSBatchResponse;
}

const failedIds = (response: SQSBatchResponse) => response.batchItemFailures.map((f) => f.itemIdentifier).sort();
const throttled = () =>
  Object.assign(new Error("Maximum sending rate exceeded."), {
    name: "Throttling",
    $metadata: { httpStatusCode: 400 },
  });

describe("sender handler", () => {
  beforeAll(async () => {
    ({ handler } = await import("../../functions/sender/handler.js"));
  });

  beforeEach(() => {
    ddb.reset();
    ses.reset();
    sqs.reset();
    sqs.on(SendMessageBatchCommand).resolves({});
    deliveries = new Map();
    customers = new Map();
    counters = { targeted: 100 };
    sesOutcome = new Map();
    ddb.on(GetCommand).callsFake(get);
    ddb.on(TransactWriteCommand).callsFake(transactWrite);
    ddb.on(QueryCommand).callsFake(() => ({ Items: [{ pk: "CAMPAIGN#cmp-1", sk: "COUNTERS#0", ...counters }] }));
    ddb.on(UpdateCommand).rejects(new Error("no campaign transition is expected while most of the campaign is unsent"));
    ddb.on(UpdateCommand, { TableName: CUSTOMERS_TABLE }).callsFake(recordContact);
    // The shared send-rate bucket (send-rate.ts): a slot for every send, at SES's stated rate.
    ddb.on(UpdateCommand, { TableName: CAMPAIGNS_TABLE, Key: { sk: "RATE" } }).resolves({});
    ses.on(GetSendQuotaCommand).resolves({ MaxSendRate: 1000, Max24HourSend: 1_000_000, SentLast24Hours: 0 });
    ses.on(SendRawEmailCommand).callsFake((input: SendRawEmailCommandInput) => {
      const to = recipientOf(input);
      return (sesOutcome.get(to) ?? (() => ({ MessageId: `ses-${to}` })))();
    });
  });

  afterAll(() => {
    ddb.restore();
    ses.restore();
    sqs.restore();
  });

  it("sends a queued offer exactly once and records the delivery as sent with the SES message id", async () => {
    // prepare
    given(aDelivery({ customerId: "C-1", status: "queued" }));
    const record = sendJob("C-1");

    // act
    const response = await run(record);

    // assess
    expect(response.batchItemFailures).toEqual([]);
    expect(recipients()).toEqual(["c1@example.cn"]);
    expect(deliveries.get("cmp-1/C-1")).toMatchObject({
      status: "sent",
      messageId: "ses-c1@example.cn",
      sentAt: expect.any(String),
    });
    expect(counters).toMatchObject({ claimed: 1, sent: 1 });
    expect(customers.get("C-1")?.lastContactedAt).toBe(deliveries.get("cmp-1/C-1")?.sentAt);
  });

  it("takes a slot of the shared send rate for each email, and none for an offer it does not send", async () => {
    // prepare: two offers to send, one already sent
    given(
      aDelivery({ customerId: "C-1", status: "queued" }),
      aDelivery({ customerId: "C-2", status: "queued" }),
      aDelivery({ customerId: "C-3", status: "sent", sentAt: "2024-05-02T08:00:05.000Z" }),
    );

    // act
    await run(sendJob("C-1"), sendJob("C-2"), sendJob("C-3"));

    // assess
    const slots = ddb
      .commandCalls(UpdateCommand)
      .map((c) => c.args[0].input)
      .filter((input) => input.TableName === CAMPAIGNS_TABLE);
    expect(recipients()).toHaveLength(2);
    expect(slots).toHaveLength(2);
    for (const slot of slots) {
      expect((slot.Key as Record<string, string>).pk).toMatch(/^RATE#\d+$/);
      expect(slot.ExpressionAttributeValues?.[":limit"]).toBe(1000);
    }
  });

  it("logs ids and outcomes as JSON, never the customer's name or email", async () => {
    // prepare: logging on, as on Lambda; one offer sent, one rejected by SES
    const { logger } = await import("../../shared/observability/logger.js");
    const written: string[] = [];
    const write = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    logger.setLogLevel("DEBUG");
    given(aDelivery({ customerId: "C-1", status: "queued" }), aDelivery({ customerId: "C-2", status: "queued" }));
    sesOutcome.set("c2@example.cn", () => {
      throw Object.assign(new Error("Email address is not verified: c2@example.cn"), { name: "MessageRejected" });
    });

    // act
    try {
      await run(sendJob("C-1"), sendJob("C-2"));
    } finally {
      logger.setLogLevel("SILENT");
      write.mockRestore();
    }

    // assess
    const lines = written.join("").trim().split("\n").filter(Boolean);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    expect(written.join("")).toContain("C-1");
    for (const secret of ["c1@example.cn", "c2@example.cn", "Customer 1", "Customer 2"])
      expect(written.join("")).not.toContain(secret);
  });

  it("records the contact from the delivery when a sent offer's message comes again, sending nothing", async () => {
    // prepare: the first attempt sent the offer but could not write lastContactedAt
    given(aDelivery({ customerId: "C-1", status: "sent", sentAt: "2024-05-02T08:00:05.000Z" }));

    // act
    const response = await run(sendJob("C-1"));

    // assess
    expect(response.batchItemFailures).toEqual([]);
    expect(recipients()).toEqual([]);
    expect(customers.get("C-1")?.lastContactedAt).toBe("2024-05-02T08:00:05.000Z");
  });

  it("personalises the email and gives it signed offer and one-click unsubscribe links for this delivery", async () => {
    // prepare
    given(aDelivery({ customerId: "C-1", status: "queued" }));

    // act
    await run(sendJob("C-1"));

    // assess
    const [raw] = rawEmails();
    expect(raw).toMatch(/^Subject: Customer 1, a fund picked for you\r?$/m);
    const [text, html] = mimeParts(raw);
    expect(text.body).toContain("Dear Customer 1,");
    expect(html.body).toContain("Dear Customer 1,");
    expect(text.body).not.toContain("{{");
    const offerToken = /https:\/\/offers\.bank\.test\/o\/([A-Za-z0-9_.-]+)/.exec(text.body)?.[1];
    const unsubscribeHeader = /^List-Unsubscribe: <https:\/\/offers\.bank\.test\/u\/([A-Za-z0-9_.-]+)>\r?$/m.exec(
      raw,
    )?.[1];
    expect(offerToken).toBeDefined();
    expect(unsubscribeHeader).toBeDefined();
    expect(verifyLink(process.env.LINK_SIGNING_SECRET!, offerToken!, "offer").deliveryId).toBe("cmp-1.C-1");
    expect(verifyLink(process.env.LINK_SIGNING_SECRET!, unsubscribeHeader!, "unsubscribe").deliveryId).toBe(
      "cmp-1.C-1",
    );
    expect(raw).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r?$/m);
  });

  it.each([
    ["already sent (the message was redelivered)", "sent" as const],
    ["claimed by an attempt that never finished", "sending" as const],
  ])("does not send a delivery that is %s, and does not fail the record", async (_, status) => {
    // prepare
    given(aDelivery({ customerId: "C-1", status }));
    const record = sendJob("C-1");

    // act
    const response = await run(record);

    // assess
    expect(ses.commandCalls(SendRawEmailCommand)).toHaveLength(0);
    expect(response.batchItemFailures).toEqual([]);
    expect(deliveries.get("cmp-1/C-1")?.status).toBe(status);
  });

  it("sends once when the same job arrives twice under different message ids in one batch", async () => {
    // prepare
    given(aDelivery({ customerId: "C-1", status: "queued" }));

    // act
    const response = await run(sendJob("C-1", "original"), sendJob("C-1", "duplicate-from-upstream"));

    // assess
    expect(recipients()).toEqual(["c1@example.cn"]);
    expect(response.batchItemFailures).toEqual([]);
    expect(deliveries.get("cmp-1/C-1")?.status).toBe("sent");
  });

  it("makes no SES call when the claim's condition fails", async () => {
    // prepare
    given(aDelivery({ customerId: "C-1", status: "queued" }));
    ddb.on(TransactWriteCommand).rejects(transactionCancelled("ConditionalCheckFailed", "None"));

    // act
    const response = await run(sendJob("C-1"));

    // assess
    expect(ses.commandCalls(SendRawEmailCommand)).toHaveLength(0);
    expect(response.batchItemFailures).toEqual([]);
  });

  it("releases a throttled delivery back to queued and fails its record so SQS retries it", async () => {
    // prepare
    given(aDelivery({ customerId: "C-1", status: "queued" }), aDelivery({ customerId: "C-2", status: "queued" }));
    sesOutcome.set("c1@example.cn", () => {
      throw throttled();
    });
    const throttledRecord = sendJob("C-1");
    const fineRecord = sendJob("C-2");

    // act
    const response = await run(throttledRecord, fineRecord);

    // assess: the throttled record is done; a delayed copy carries the send
    expect(failedIds(response)).toEqual([]);
    expect(deliveries.get("cmp-1/C-1")?.status).toBe("queued");
    expect(deliveries.get("cmp-1/C-2")?.status).toBe("sent");
    const releases = ddb
      .commandCalls(TransactWriteCommand)
      .map((c) => c.args[0].input.TransactItems![0].Update!)
      .filter((u) => (u.Key as Record<string, string>).customerId === "C-1" && setsOf(u).status === "queued");
    expect(releases).toHaveLength(1);
    expect(conditionOf(releases[0])).toBe('status = "sending"');
    // The claim is undone: C-1 counts as queued again, C-2 as claimed and sent.
    expect(counters).toMatchObject({ claimed: 1, sent: 1 });
    // ...and the throttled send comes back within seconds, as a new message: receives of the old
    // one would count towards maxReceiveCount, and a send waiting for the rate must not reach the DLQ.
    expect(sqs.commandCalls(ChangeMessageVisibilityCommand)).toHaveLength(0);
    const copies = sqs.commandCalls(SendMessageBatchCommand).flatMap((c) => c.args[0].input.Entries ?? []);
    expect(copies.map((entry) => JSON.parse(entry.MessageBody ?? "null"))).toEqual([
      { campaignId: "cmp-1", customerId: "C-1" },
    ]);
    expect(copies[0].DelaySeconds).toBeGreaterThanOrEqual(1);
    expect(copies[0].DelaySeconds).toBeLessThanOrEqual(5);
  });

  it("sends a released delivery when SQS retries its record", async () => {
    // prepare
    given(aDelivery({ customerId: "C-1", status: "queued" }), aDelivery({ customerId: "C-2", status: "sent" }));
    sesOutcome.set("c1@example.cn", () => {
      throw throttled();
    });
    await run(sendJob("C-1", "m-1"), sendJob("C-2"));
    sesOutcome.clear();

    // act
    const retry = await run(sendJob("C-1", "m-1"), sendJob("C-2"));

    // assess
    expect(retry.batchItemFailures).toEqual([]);
    expect(recipients()).toEqual(["c1@example.cn", "c1@example.cn"]);
    expect(deliveries.get("cmp-1/C-1")?.status).toBe("sent");
  });

  it("records a rejected address as failed without failing the record (it would never succeed)", async () => {
    // prepare
    given(aDelivery({ customerId: "C-1", status: "queued" }));
    sesOutcome.set("c1@example.cn", () => {
      throw Object.assign(new Error("Email address is not verified."), {
        name: "MessageRejected",
        $metadata: { httpStatusCode: 400 },
      });
    });

    // act
    const response = await run(sendJob("C-1"));

    // assess
    expect(response.batchItemFailures).toEqual([]);
    expect(deliveries.get("cmp-1/C-1")).toMatchObject({
      status: "failed",
      failureReason: expect.stringContaining("MessageRejected"),
    });
    expect(counters).toMatchObject({ claimed: 1, failed: 1 });
  });

  it("leaves a delivery whose send outcome is unknown in 'sending', so no retry can send it twice", async () => {
    // prepare
    given(aDelivery({ customerId: "C-1", status: "queued" }), aDelivery({ customerId: "C-2", status: "queued" }));
    sesOutcome.set("c1@example.cn", () => {
      throw Object.assign(new Error("socket hang up"), { name: "TimeoutError" });
    });
    const unknownRecord = sendJob("C-1");
    const first = await run(unknownRecord, sendJob("C-2"));

    // act
    const retry = await run(unknownRecord);

    // assess
    expect(failedIds(first)).toEqual([unknownRecord.messageId]);
    expect(recipients().filter((to) => to === "c1@example.cn")).toHaveLength(1);
    expect(retry.batchItemFailures).toEqual([]);
    expect(deliveries.get("cmp-1/C-1")?.status).toBe("sending");
  });

  it.each([
    [
      "deleted",
      (c: ReturnType<typeof aCustomer>) => ({ ...c, deletedAt: "2024-05-02T09:00:00.000Z", purgeAt: 1717318800 }),
      "customer_deleted",
    ],
    ["purged", () => undefined, "customer_deleted"],
    ["left without an address", (c: ReturnType<typeof aCustomer>) => ({ ...c, email: undefined }), "no_email_address"],
  ])(
    "withdraws, counted under its own reason, a delivery whose customer was %s after the fan-out",
    async (_, change, reason) => {
      // prepare
      given(aDelivery({ customerId: "C-1", status: "queued" }));
      const changed = change(customers.get("C-1")!);
      if (changed) customers.set("C-1", changed);
      else customers.delete("C-1");

      // act
      const response = await run(sendJob("C-1"));

      // assess
      expect(ses.commandCalls(SendRawEmailCommand)).toHaveLength(0);
      expect(response.batchItemFailures).toEqual([]);
      expect(deliveries.get("cmp-1/C-1")).toMatchObject({ status: "suppressed", suppressionReason: reason });
      expect(counters).toMatchObject({ [`suppressed_${reason}`]: 1 });
    },
  );

  it("withdraws, without sending, a delivery whose customer withdrew consent after the fan-out", async () => {
    // prepare
    given(aDelivery({ customerId: "C-1", status: "queued" }));
    customers.set("C-1", { ...customers.get("C-1")!, emailConsent: false });

    // act
    const response = await run(sendJob("C-1"));

    // assess
    expect(ses.commandCalls(SendRawEmailCommand)).toHaveLength(0);
    expect(response.batchItemFailures).toEqual([]);
    expect(deliveries.get("cmp-1/C-1")).toMatchObject({ status: "suppressed", suppressionReason: "consent_withdrawn" });
  });

  it("withdraws as category_refused a delivery whose customer turned its product's category off after the fan-out", async () => {
    // prepare: the campaign offers the wealth fund; the customer said no to wealth products in the preference centre
    given(aDelivery({ customerId: "C-1", status: "queued" }));
    const customer = customers.get("C-1")!;
    const refused = {
      granted: false,
      source: "preference centre",
      at: "2026-06-01T11:00:00.000Z",
      by: "customer" as const,
    };
    customers.set("C-1", {
      ...customer,
      consent: { ...customer.consent, categories: { ...customer.consent.categories, wealth: refused } },
    });

    // act
    const response = await run(sendJob("C-1"));

    // assess
    expect(ses.commandCalls(SendRawEmailCommand)).toHaveLength(0);
    expect(response.batchItemFailures).toEqual([]);
    expect(deliveries.get("cmp-1/C-1")).toMatchObject({ status: "suppressed", suppressionReason: "category_refused" });
  });

  it.each([
    ["a body that is not JSON", "{not json"],
    ["a body without customerId", JSON.stringify({ campaignId: "cmp-1" })],
    ["a body with an empty customerId", JSON.stringify({ campaignId: "cmp-1", customerId: "" })],
  ])("fails only the record with %s; the rest of the batch is still sent", async (_, body) => {
    // prepare
    given(aDelivery({ customerId: "C-2", status: "queued" }));
    const bad = sqsRecord(body);
    const good = sendJob("C-2");

    // act
    const response = await run(bad, good);

    // assess
    expect(failedIds(response)).toEqual([bad.messageId]);
    expect(recipients()).toEqual(["c2@example.cn"]);
    expect(deliveries.get("cmp-1/C-2")?.status).toBe("sent");
  });
});
