import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { DescribeTableCommand, DynamoDBClient, UpdateTableCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dataPaths } from "../../infra/local/data-dir.js";
import { DEFAULT_DEV_TOKENS } from "../../infra/local/demo-bank.js";
import { freePort } from "../../infra/local/emulators.js";
import { DEFAULT_DEV_CLIENTS, parseDevClients } from "../../infra/local/oidc-provider.js";
import { readSentJournal } from "../../infra/local/ses-events.js";
import { clientCredentialsToken } from "../support/oidc-client.js";
import { type ChildPlatform, exited, killChildren, killGroup, launch, startChildPlatform } from "./child-platform.js";

/**
 * `npm start` keeps its data between runs (issue #11). The platform runs as `npm start` runs it,
 * in a child process of its own (startLocalPlatform is one per process: it sets process.env, and
 * the handlers read it once), on free ports, with a temporary LOCAL_DATA_DIR:
 * 1. a first run imports the demo bank, and `npm run demo` sends a campaign; it is stopped as by Ctrl-C;
 * 2. a second run finds the customers and the campaign, imports nothing, and an offer link
 *    signed in the first run still opens, as does core banking's access token of the first run; an index dropped from a kept table is added again;
 *    it is then killed outright (SIGKILL);
 * 3. `--fresh` starts empty.
 * The sent-mail journal holds one line per email the first run sent.
 */
const ADMIN = DEFAULT_DEV_TOKENS.split(",")
  .map((entry) => entry.split(":"))
  .find(([, role]) => role === "admin")![2];

type Run = ChildPlatform;

const dataDir = mkdtempSync(join(tmpdir(), "local-persistence-"));
/** The sign-in provider's port, the same in every run, so that its issuer is too. */
let oidcPort: number;
const [coreBanking] = parseDevClients(DEFAULT_DEV_CLIENTS);

/** `npm start [--fresh]`, as a developer runs it, until it prints its Ready line. */
const start = (options: { fresh?: boolean; seedDemo?: boolean } = {}): Promise<Run> =>
  startChildPlatform(
    { LOCAL_DATA_DIR: dataDir, SEED_DEMO: String(options.seedDemo ?? true), OIDC_PORT: String(oidcPort) },
    options.fresh ? ["--fresh"] : [],
  );

async function stop(run: Run, signal: NodeJS.Signals) {
  killGroup(run.child, signal);
  await exited(run.child);
}

async function get(run: Run, path: string, token: string | null = ADMIN) {
  const response = await fetch(`${run.apiUrl}${path}`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
    redirect: "manual",
  });
  return { status: response.status, text: await response.text() };
}

const customersIn = async (run: Run) =>
  JSON.parse((await get(run, "/api/data-quality")).text).customers.total as number;

const dynamo = (run: Run) =>
  new DynamoDBClient({
    endpoint: run.dynamodbUrl,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });

// What the first run left, read by the later ones.
let first: {
  output: string;
  customers: number;
  campaignId: string;
  sent: number;
  offerLink: string;
  secret: string;
  machineToken: string;
};

beforeAll(async () => {
  oidcPort = await freePort();
  const run = await start();
  try {
    const customers = await customersIn(run);
    const demo = launch("infra/local/demo.ts", [], { API_URL: run.apiUrl });
    const demoExit = exited(demo.child);
    const timeout = setTimeout(() => killGroup(demo.child, "SIGKILL"), 60_000);
    await demoExit;
    clearTimeout(timeout);
    const text = demo.output();
    if (demo.child.exitCode !== 0) throw new Error(`npm run demo failed:\n${text}`);
    // A kept table that lacks an index infra/resources.ts defines: the next start adds it again.
    const client = dynamo(run);
    await client.send(
      new UpdateTableCommand({
        TableName: "local-deliveries",
        GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: "byCustomer" } }],
      }),
    );
    client.destroy();
    first = {
      output: run.output(),
      customers,
      campaignId: /campaign ([0-9a-f-]{36}) created/.exec(text)![1],
      sent: Number(/^\s+sent\s+(\d+)$/m.exec(text)![1]),
      offerLink: /One offer link to try in a browser: \S+(\/o\/\S+)/.exec(text)![1],
      secret: readFileSync(dataPaths(dataDir).linkSigningSecret, "utf8"),
      machineToken: await clientCredentialsToken(
        JSON.parse((await get(run, "/health", null)).text).issuer,
        coreBanking.clientId,
        coreBanking.secret,
        "conversions.write",
      ),
    };
  } finally {
    await stop(run, "SIGINT"); // as Ctrl-C
  }
}, 150_000);

afterAll(async () => {
  await killChildren();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("npm start keeps its data between runs", () => {
  it("imports the demo bank into the empty data folder and journals every email it sends", () => {
    expect(first.output).toContain(`Data     ${resolve(dataDir)}`);
    expect(first.output).toMatch(/Demo bank: 330 customers imported/);
    expect(first.customers).toBe(330);
    expect(first.sent).toBeGreaterThan(0);
    const journal = readSentJournal(dataDir).filter((e) => e.tags.campaignId === first.campaignId);
    expect(journal).toHaveLength(first.sent);
    expect(new Set(journal.map((e) => e.tags.customerId)).size).toBe(first.sent);
    expect(new Set(journal.map((e) => e.messageId)).size).toBe(first.sent);
    expect(journal[0]).toMatchObject({ destination: [expect.stringContaining("@")], subject: expect.any(String) });
    expect(journal[0].subject.length).toBeGreaterThan(0);
    expect(statSync(dataPaths(dataDir).linkSigningSecret).mode & 0o777).toBe(0o600);
  });

  it("finds the customers and the campaign after a restart, imports nothing, and keeps earlier links working", async () => {
    const run = await start();
    try {
      expect(run.output()).toMatch(/Kept from the last run: 330 customers/);
      expect(run.output()).toContain("npm start -- --fresh");
      expect(run.output()).not.toMatch(/Demo bank: \d+ customers imported/);
      expect(await customersIn(run)).toBe(330);
      const stats = JSON.parse((await get(run, `/api/campaigns/${first.campaignId}/stats`)).text);
      expect(stats).toMatchObject({ status: "completed", sent: first.sent });
      // The link an email of the first run carries opens; a tampered one does not.
      expect((await get(run, first.offerLink, null)).status).toBe(200);
      expect((await get(run, `${first.offerLink.slice(0, -2)}xx`, null)).status).toBe(400);
      expect(readFileSync(dataPaths(dataDir).linkSigningSecret, "utf8")).toBe(first.secret);
      // Core banking's token from the first run still verifies: the provider signs with the kept key.
      const conversion = await fetch(`${run.apiUrl}/api/conversions`, {
        method: "POST",
        headers: { authorization: `Bearer ${first.machineToken}`, "content-type": "application/json" },
        body: "{}",
      });
      expect(conversion.status).toBe(400); // past the sign-in: the empty conversion is what is refused
      expect(statSync(dataPaths(dataDir).oidcSigningKey).mode & 0o777).toBe(0o600);
      // The index dropped after the first run is there again, and serves the customer view's touches.
      const client = dynamo(run);
      const { Table } = await client.send(new DescribeTableCommand({ TableName: "local-deliveries" }));
      client.destroy();
      expect(Table?.GlobalSecondaryIndexes?.find((i) => i.IndexName === "byCustomer")?.IndexStatus).toBe("ACTIVE");
      const customerId = readSentJournal(dataDir)[0].tags.customerId;
      const customer = JSON.parse((await get(run, `/api/customers/${customerId}`)).text);
      expect(customer.touches.map((t: { campaignId: string }) => t.campaignId)).toContain(first.campaignId);
    } finally {
      await stop(run, "SIGKILL"); // killed outright: the next start still finds the folder usable
    }
  }, 60_000);

  it("starts empty with --fresh", async () => {
    const run = await start({ fresh: true, seedDemo: false });
    try {
      expect(run.output()).toMatch(/Empty bank \(SEED_DEMO=false\)/);
      expect(await customersIn(run)).toBe(0);
      expect(readSentJournal(dataDir)).toEqual([]);
      expect(readFileSync(dataPaths(dataDir).linkSigningSecret, "utf8")).not.toBe(first.secret);
    } finally {
      await stop(run, "SIGINT");
    }
  }, 60_000);
});
