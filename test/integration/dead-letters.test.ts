import { DeleteItemCommand, DynamoDBClient, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../infra/local/emulators.js";
import { type LocalPlatform, startLocalPlatform } from "../../infra/local/runtime.js";

/**
 * A send that keeps failing before it reaches SES is visible, and an admin brings it back once
 * the cause is fixed (issue #11). A platform of its own (in this file's process), whose send
 * queue hides a failed message for 1 s instead of 180 s, so the five receives before the
 * dead-letter queue take seconds. The cause is bad data, as in a bank: an entry of the
 * suppression list written by hand without its proof, which the sender cannot read. Everyone
 * else is sent; that one delivery fails on each receive, is counted `stuck` on its last, and
 * its message lands in the dead-letter queue; the campaign stays `sending`, not completed.
 * The entry is removed, the admin redrives, and the delivery is sent, once.
 */
const CUSTOMERS = 12;
const ADMIN = "dl-admin-token-1";
const APPROVER = "dl-approver-token-1";
const MARKETER = "dl-marketer-token-1";

let platform: LocalPlatform;
let dynamodb: DynamoDBClient;
const savedEnv = { ...process.env };

async function call(method: string, path: string, body?: unknown, token = ADMIN, contentType = "application/json") {
  const response = await fetch(`${platform.apiUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": contentType },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as any };
}

async function ok(method: string, path: string, body?: unknown, token = ADMIN, contentType?: string) {
  const reply = await call(method, path, body, token, contentType);
  if (reply.status >= 300) throw new Error(`${method} ${path}: ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body;
}

async function waitFor<T>(what: string, read: () => Promise<T>, done: (t: T) => boolean, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}; last: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const addressOf = (i: number) => `dl${i}@customers.test`;
const brokenEntry = () => ({
  pk: { S: `SUPPRESSED#${addressOf(7)}` },
  sk: { S: "SUPPRESSED" },
  note: { S: "added by hand, without the bounce that would be its proof" },
});

beforeAll(async () => {
  platform = await startLocalPlatform({
    apiPort: await freePort(),
    dynamodbPort: await freePort(),
    sqsPort: await freePort(),
    sesPort: await freePort(),
    devTokens: `root:admin:${ADMIN},li:approver:${APPROVER},mei:marketer:${MARKETER}`,
    seedDemo: false,
    settings: { FANOUT_SHARDS: "2", POWERTOOLS_LOG_LEVEL: "ERROR" },
    visibilityTimeouts: { send: 1 },
  });
  dynamodb = new DynamoDBClient({
    endpoint: platform.env.AWS_ENDPOINT_URL_DYNAMODB,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
}, 120_000);

afterAll(async () => {
  dynamodb?.destroy();
  await platform?.stop();
  for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
  Object.assign(process.env, savedEnv);
});

describe("dead letters", () => {
  it("counts a delivery stuck when its send message dead-letters, and sends it once after the admin's redrive", async () => {
    // prepare: the broken entry is there before the campaign: the fan-out reads only addresses, the send the whole entry
    const rows = Array.from({ length: CUSTOMERS }, (_, i) =>
      JSON.stringify({
        customerId: `DL-${i}`,
        type: "individual",
        name: `Dead Letter ${i}`,
        email: addressOf(i),
        aum: 80_000,
        products: "DEPOSIT_CURRENT",
        region: "DeadLetterTown",
        emailConsent: true,
      }),
    ).join("\n");
    await ok("POST", "/api/customers/import", rows, ADMIN, "application/x-ndjson");
    await dynamodb.send(new PutItemCommand({ TableName: platform.env.CAMPAIGNS_TABLE, Item: brokenEntry() }));
    const { segmentId } = await ok("POST", "/api/segments", {
      name: "dead letters",
      rule: { attr: "region", op: "eq", value: "DeadLetterTown" },
    });
    const { campaignId } = await ok("POST", "/api/campaigns", {
      name: "dead letters",
      segmentId,
      offer: { productCode: "WEALTH_FUND" },
      message: { subject: "Hello {{name}}", html: '<a href="{{offerUrl}}">offer</a>', text: "{{offerUrl}}" },
      controlGroupPercent: 0,
    });
    await ok("POST", `/api/campaigns/${campaignId}/approve`, undefined, APPROVER);
    const stats = () => ok("GET", `/api/campaigns/${campaignId}/stats`);
    const deadLetters = () => ok("GET", "/api/admin/dead-letters");
    const emailsTo = async (address: string) => {
      const { emails } = (await (await fetch(`${platform.inboxUrl}/store`)).json()) as {
        emails: { destination: { to: string[] } }[];
      };
      return emails.filter((e) => e.destination.to.some((to) => to.includes(address))).length;
    };

    // act: the campaign runs into the broken entry
    await ok("POST", `/api/campaigns/${campaignId}/launch`);
    const stuck = await waitFor("the broken delivery to be counted stuck", stats, (s) => s.stuck === 1);
    const waiting = await waitFor("its message in the dead-letter queue", deadLetters, (d) => d.queues.send === 1);

    // assess: visible, not silent; the campaign does not claim to be complete
    expect(stuck).toMatchObject({ targeted: CUSTOMERS, sent: CUSTOMERS - 1, stuck: 1, queued: 0, unconfirmed: 0 });
    expect(stuck.status).toBe("sending");
    expect(waiting.queues).toEqual({ fanout: 0, send: 1, feedback: 0 });
    expect(await emailsTo(addressOf(7))).toBe(0);

    // act: only an admin redrives; the cause is fixed first
    const byMarketer = await call("POST", "/api/admin/dead-letters/redrive", {}, MARKETER);
    await dynamodb.send(
      new DeleteItemCommand({
        TableName: platform.env.CAMPAIGNS_TABLE,
        Key: { pk: brokenEntry().pk, sk: brokenEntry().sk },
      }),
    );
    const redriven = await ok("POST", "/api/admin/dead-letters/redrive", { queue: "send" });
    const final = await waitFor("the campaign to complete", stats, (s) => s.status === "completed");

    // assess
    expect(byMarketer.status).toBe(403);
    expect(redriven).toEqual({ moved: { send: 1 }, left: { fanout: 0, send: 0, feedback: 0 } });
    expect(final).toMatchObject({ targeted: CUSTOMERS, sent: CUSTOMERS, stuck: 0, queued: 0, sending: 0 });
    expect(await emailsTo(addressOf(7))).toBe(1);
    for (let i = 0; i < CUSTOMERS; i++) expect(await emailsTo(addressOf(i))).toBe(1);
  }, 120_000);
});
