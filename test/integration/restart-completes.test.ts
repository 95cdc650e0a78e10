import { mkdtempSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DynamoDBClient, QueryCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readSentJournal } from "../../infra/local/ses-events.js";
import {
  type ChildPlatform,
  exited,
  groupAlive,
  killChildren,
  killGroup,
  startChildPlatform,
} from "./child-platform.js";

/**
 * Every campaign reaches an end (issue #11): a process killed mid-campaign and restarted
 * completes, with one email per treated customer, and nobody is emailed twice.
 *
 * The platform runs as `npm start` runs it, in a child process group of its own, on free ports,
 * with a temporary LOCAL_DATA_DIR, and sends slowly (SES_MAX_SEND_RATE=8) so that a campaign
 * takes seconds. Once some of its emails are sent, the whole group is killed outright
 * (SIGKILL: no graceful stop, the in-memory queues and whatever was in flight are lost). The
 * second run, on the same data folder, re-enqueues what was queued at its start and settles
 * what was left claimed as `unconfirmed` (RECONCILE_UNCONFIRMED_AFTER_SECONDS=3, reconciler
 * every 2 s), and the campaign completes. The SES stand-in's journal (`<dataDir>/ses/sent.ndjson`,
 * written before it answers, so it holds the emails of both runs) is the record of who got mail.
 */
const ADMIN = "restart-admin-token";
const MARKETER = "restart-marketer-token";
const APPROVER = "restart-approver-token";
const DEV_TOKENS = `ada:admin:${ADMIN},mo:marketer:${MARKETER},al:approver:${APPROVER}`;
const CUSTOMERS = 80;
/** Sent before the kill: enough that the first run did real work, few enough that most is left. */
const SENT_BEFORE_KILL = 15;

type Stats = {
  status: string;
  targeted: number;
  control: number;
  queued: number;
  sending: number;
  stuck: number;
  unconfirmed: number;
  sent: number;
  failed: number;
};
type Run = ChildPlatform;

const dataDir = mkdtempSync(join(tmpdir(), "restart-completes-"));
/** Whether something still accepts connections on the port. */
const listening = (port: number) =>
  new Promise<boolean>((done) => {
    const socket = connect({ port, host: "127.0.0.1" });
    socket.once("connect", () => {
      socket.destroy();
      done(true);
    });
    socket.once("error", () => done(false));
  });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `npm start`, with this test's settings, until it prints its Ready line. */
const start = (): Promise<Run> =>
  startChildPlatform({
    LOCAL_DATA_DIR: dataDir,
    SEED_DEMO: "false",
    DEV_TOKENS,
    SES_MAX_SEND_RATE: "8",
    RECONCILE_UNCONFIRMED_AFTER_SECONDS: "3",
    RECONCILE_EVERY_SECONDS: "2",
    FANOUT_SHARDS: "2",
  });

async function call(run: Run, method: string, path: string, token: string, body?: string, contentType?: string) {
  const response = await fetch(`${run.apiUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(contentType ? { "content-type": contentType } : {}) },
    body,
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return JSON.parse(text);
}

const json = (run: Run, path: string, body: unknown, token = MARKETER) =>
  call(run, "POST", path, token, JSON.stringify(body), "application/json");
const statsOf = (run: Run, campaignId: string): Promise<Stats> =>
  call(run, "GET", `/api/campaigns/${campaignId}/stats`, ADMIN);

/** Every delivery of the campaign, as the table holds it: customerId and status. */
async function deliveriesOf(run: Run, campaignId: string) {
  const client = new DynamoDBClient({
    endpoint: run.dynamodbUrl,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  const found: { customerId: string; status: string }[] = [];
  try {
    let cursor: QueryCommand["input"]["ExclusiveStartKey"];
    do {
      const out = await client.send(
        new QueryCommand({
          TableName: "local-deliveries",
          KeyConditionExpression: "campaignId = :c",
          ExpressionAttributeValues: { ":c": { S: campaignId } },
          ExclusiveStartKey: cursor,
        }),
      );
      for (const item of out.Items ?? []) found.push({ customerId: item.customerId.S!, status: item.status.S! });
      cursor = out.LastEvaluatedKey;
    } while (cursor);
  } finally {
    client.destroy();
  }
  return found;
}

const journalOf = (campaignId: string) => readSentJournal(dataDir).filter((e) => e.tags.campaignId === campaignId);

// What the scenario measured, read by the assertions.
let campaignId: string;
let beforeKill: Stats;
let journalAtKill: number;
let groupGone: boolean;
let dynamoPortFree: boolean;
let secondRunOutput = "";
let final: Stats;
let deliveries: { customerId: string; status: string }[];
let restartToCompleted = 0;

beforeAll(async () => {
  // First run: a campaign to eighty customers, killed outright once some of its emails are out.
  const first = await start();
  const rows = Array.from({ length: CUSTOMERS }, (_, i) =>
    JSON.stringify({
      customerId: `RESTART-${i}`,
      type: "individual",
      name: `Restart Customer ${i}`,
      email: `restart${i}@customers.test`,
      aum: 80_000,
      products: "DEPOSIT_CURRENT",
      region: "RestartTown",
      emailConsent: true,
    }),
  ).join("\n");
  await call(first, "POST", "/api/customers/import", ADMIN, rows, "application/x-ndjson");
  const { segmentId } = await json(first, "/api/segments", {
    name: "restart",
    rule: { attr: "region", op: "eq", value: "RestartTown" },
  });
  ({ campaignId } = await json(first, "/api/campaigns", {
    name: "restart",
    segmentId,
    offer: { productCode: "WEALTH_FUND" },
    message: { subject: "Hello {{name}}", html: '<a href="{{offerUrl}}">offer</a>', text: "{{offerUrl}}" },
    controlGroupPercent: 10,
  }));
  await json(first, `/api/campaigns/${campaignId}/submit`, undefined);
  await json(first, `/api/campaigns/${campaignId}/approve`, undefined, APPROVER);
  await json(first, `/api/campaigns/${campaignId}/launch`, undefined);
  const sendingBy = Date.now() + 30_000;
  do {
    await sleep(100);
    beforeKill = await statsOf(first, campaignId);
  } while (beforeKill.sent < SENT_BEFORE_KILL && Date.now() < sendingBy);
  killGroup(first.child, "SIGKILL");
  await exited(first.child);
  journalAtKill = journalOf(campaignId).length;
  // Nothing of the first run is left: no process of its group, DynamoDB Local's port closed.
  const goneBy = Date.now() + 10_000;
  while ((groupAlive(first.child) || (await listening(first.dynamodbPort))) && Date.now() < goneBy) await sleep(100);
  groupGone = !groupAlive(first.child);
  dynamoPortFree = !(await listening(first.dynamodbPort));

  // Second run, on the same data folder: the campaign goes on from where it was.
  const restarted = Date.now();
  const second = await start();
  try {
    const completedBy = Date.now() + 90_000;
    do {
      await sleep(250);
      final = await statsOf(second, campaignId);
    } while (final.status !== "completed" && Date.now() < completedBy);
    restartToCompleted = Date.now() - restarted;
    // A moment more: a Send event that would turn an unconfirmed delivery to sent has its chance.
    await sleep(1_000);
    final = await statsOf(second, campaignId);
    deliveries = await deliveriesOf(second, campaignId);
  } finally {
    secondRunOutput = second.output();
    killGroup(second.child, "SIGINT");
    const stopped = exited(second.child);
    const timeout = setTimeout(() => killGroup(second.child, "SIGKILL"), 10_000);
    await stopped;
    clearTimeout(timeout);
  }
  console.log(
    `restart-completes: sent before the kill ${beforeKill.sent} (of ${beforeKill.targeted} targeted, journal ${journalAtKill}); ` +
      `after the restart: status ${final.status}, sent ${final.sent}, unconfirmed ${final.unconfirmed}, ` +
      `failed ${final.failed}, stuck ${final.stuck}, targeted ${final.targeted}, control ${final.control}; ` +
      `journal ${journalOf(campaignId).length}; completed ${(restartToCompleted / 1000).toFixed(1)} s after the restart ` +
      `(${/Ready in [\d.]+ s/.exec(secondRunOutput)?.[0] ?? "never ready"})`,
  );
  // What the second run's reconciler moved (it logs a warning only when it moved something).
  for (const line of secondRunOutput.split("\n").filter((l) => /"reconciled"|handler failed/.test(l)))
    console.log(`  second run: ${line}`);
}, 180_000);

afterAll(async () => {
  await killChildren();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("a process killed mid-campaign and restarted", () => {
  it("was killed mid-campaign, with nothing of it left running", () => {
    expect(beforeKill.sent).toBeGreaterThanOrEqual(SENT_BEFORE_KILL);
    expect(beforeKill.sent).toBeLessThan(beforeKill.targeted);
    expect(groupGone).toBe(true);
    expect(dynamoPortFree).toBe(true);
  });

  it("completes, every treated customer sent or unconfirmed", () => {
    expect(final, secondRunOutput).toMatchObject({ status: "completed", failed: 0, stuck: 0, queued: 0, sending: 0 });
    // Ten per cent of eighty are the control group, who get nothing.
    expect(final.targeted + final.control).toBe(CUSTOMERS);
    expect(final.control).toBeGreaterThan(0);
    expect(final.sent + final.unconfirmed + final.failed).toBe(final.targeted);
    expect(final.sent).toBeGreaterThanOrEqual(beforeKill.sent);
  });

  it("emails nobody twice, and every sent delivery's email is in the journal", () => {
    const journal = journalOf(campaignId);
    const recipients = journal.map((e) => e.tags.customerId);
    const twice = recipients.filter((id, i) => recipients.indexOf(id) !== i);
    expect(twice, `emailed more than once: ${twice.join(", ")}`).toEqual([]);
    expect(journal.length).toBeGreaterThanOrEqual(final.sent);
    expect(journal.length).toBeLessThanOrEqual(final.sent + final.unconfirmed);
    const emailed = new Set(recipients);
    const sent = deliveries.filter((d) => d.status === "sent").map((d) => d.customerId);
    expect(sent).toHaveLength(final.sent);
    expect(sent.filter((id) => !emailed.has(id))).toEqual([]);
    // An email SES took whose result the kill lost is an unconfirmed delivery, never sent again.
    const status = new Map(deliveries.map((d) => [d.customerId, d.status]));
    expect(recipients.filter((id) => status.get(id) !== "sent" && status.get(id) !== "unconfirmed")).toEqual([]);
    // Nobody outside the treated group got the campaign's email: the control group included.
    const treated = new Set(
      deliveries.filter((d) => d.status !== "control" && d.status !== "suppressed").map((d) => d.customerId),
    );
    expect(recipients.filter((id) => !treated.has(id))).toEqual([]);
  });
});
