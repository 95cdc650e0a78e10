import type { Server } from "node:http";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SNSClient } from "@aws-sdk/client-sns";
import { GetQueueAttributesCommand, SQSClient } from "@aws-sdk/client-sqs";
import type { SQSHandler } from "aws-lambda";
import { QUEUES, type QueueDefinition, TABLES } from "../resources.js";
import { countItems, dataPaths, linkSigningSecret, oidcSigningKey } from "./data-dir.js";
import { asNdjson, demoBank, demoBankLastQuarter } from "./demo-bank.js";

/** How long ago the demo bank's earlier snapshot was taken: past the lifecycle window. */
const DEMO_HISTORY_DAYS = 100;

import { daysBefore } from "../../shared/kernel/time.js";
import {
  type Emulator,
  requireFreePort,
  requireJava,
  startDynamoDbLocal,
  startSesEmulator,
  startSqsEmulator,
} from "./emulators.js";
import {
  CONSOLE_CLIENT_ID,
  DEFAULT_DEV_CLIENTS,
  DEFAULT_DEV_USERS,
  type DevClient,
  type DevUser,
  parseDevClients,
  parseDevUsers,
  startOidcProvider,
} from "./oidc-provider.js";
import { startPoller } from "./poller.js";
import { MAIL_EVENTS_TOPIC_ENV, provision } from "./provision.js";
import { startSesWithEvents } from "./ses-events.js";

export type LocalOptions = {
  apiPort: number;
  dynamodbPort: number;
  sqsPort: number;
  sesPort: number;
  devTokens: string;
  /** The local OpenID Connect provider's port (OIDC_PORT); any free one when absent, as the tests want. */
  oidcPort?: number;
  /** DEV_USERS (`username:role:password,...`) and DEV_CLIENTS (`clientId:secret:scope+scope,...`); the demo's when absent. */
  devUsers?: string;
  devClients?: string;
  seedDemo: boolean;
  /**
   * The folder whose data outlives the process (`npm start`: `.local/data`): DynamoDB Local's
   * database, the link-signing secret, the SES stand-in's sent-mail journal (data-dir.ts).
   * Absent, everything is in memory and the secret is new, as the tests want.
   */
  dataDir?: string;
  /** A sent-mail journal file for a run without a data folder (with one, it is `<dataDir>/ses/sent.ndjson`). */
  sentJournal?: string;
  /** Parallel pollers per queue: how many Lambda instances would be consuming it. */
  concurrency?: Partial<Record<QueueDefinition["handler"], number>>;
  settings?: Record<string, string>;
  /** Shorter visibility timeouts, for a test that drives a message through its retries to the dead-letter queue. */
  visibilityTimeouts?: Partial<Record<keyof typeof QUEUES, number>>;
  onError?: (error: unknown) => void;
};

export type LocalPlatform = {
  apiUrl: string;
  /** The console's address (GET /health names it `console`). */
  consoleUrl: string;
  inboxUrl: string;
  env: Record<string, string>;
  /** The local identity provider: its issuer (GET /health names it), its users and machine clients. */
  identity: { issuer: string; users: DevUser[]; clients: DevClient[] };
  seeded: number;
  /** Playbook segments saved with the demo bank. */
  playbook: number;
  /** Customers the data folder kept from an earlier run (0 without one); the demo bank is imported only into an empty bank. */
  kept: number;
  stop: () => Promise<void>;
};

/** SES_MAX_SEND_RATE as a number; unset or not a positive number, none (the functions' config refuses the latter). */
const sendRateSetting = (value: string | undefined) =>
  value !== undefined && Number(value) > 0 ? Number(value) : undefined;

/** How often the local reconciler runs (RECONCILE_EVERY_SECONDS); on AWS a schedule runs it every 5 minutes. */
const DEFAULT_RECONCILE_EVERY_SECONDS = 60;

/** As much of an unread request body as the local server reads before it gives up on the connection. */
const MAX_UNREAD_BODY_BYTES = 64 * 1024 * 1024;

/**
 * Reads to its end the body of a request the app answered without reading it (a 401, 403, 415,
 * or a 400 for a content type it refuses), so that the answer is sent after the whole request
 * has arrived, as API Gateway does before Lambda runs (on AWS there is no socket to keep).
 * Without it, @hono/node-server drains the body after the answer for at most 500 ms and then
 * destroys the socket; and once the app has opened the body as a stream without reading it
 * (hono's bodyLimit does, on the import), that drain stalls outright. The client, still
 * sending, got a reset connection instead of the answer (issue #8).
 */
async function readUnreadBody(request: Request): Promise<void> {
  if (request.method === "GET" || request.method === "HEAD" || request.bodyUsed || !request.body) return;
  try {
    const reader = request.body.getReader();
    for (let read = 0; read <= MAX_UNREAD_BODY_BYTES; ) {
      const { done, value } = await reader.read();
      if (done) return;
      read += value.byteLength;
    }
    await reader.cancel();
  } catch {
    // The client went away, or the app holds the body still: the connection ends as it would have.
  }
}

/**
 * Stands in for AWS on one machine: DynamoDB Local, an SQS and an SES emulator, the same Lambda
 * handlers fed by pollers, and the same Hono app served over HTTP. One per process, because the
 * handlers read their configuration from process.env, as on Lambda.
 */
export async function startLocalPlatform(options: LocalOptions): Promise<LocalPlatform> {
  requireJava();
  await requireFreePort(options.apiPort, "the API", "PORT");
  await requireFreePort(options.dynamodbPort, "DynamoDB Local", "DYNAMODB_PORT");
  await requireFreePort(options.sqsPort, "the SQS emulator", "SQS_PORT");
  await requireFreePort(options.sesPort, "the SES emulator", "SES_PORT");
  // Absent, any free port, taken when the provider listens (a port picked now could be gone by then).
  const oidcPort = options.oidcPort ?? 0;
  if (options.oidcPort) await requireFreePort(oidcPort, "the OpenID Connect provider", "OIDC_PORT");
  const users = parseDevUsers(options.devUsers ?? DEFAULT_DEV_USERS);
  const clients = parseDevClients(options.devClients ?? DEFAULT_DEV_CLIENTS);

  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    stops.length = 0;
  };
  try {
    const started = async (emulator: Promise<Emulator>) => {
      const e = await emulator;
      stops.push(e.stop);
      return e;
    };
    // Started together (the JVM is the slow one); whichever did start is stopped if another fails.
    const results = await Promise.allSettled([
      started(startDynamoDbLocal(options.dynamodbPort, options.dataDir && dataPaths(options.dataDir).dynamodb)),
      started(startSqsEmulator(options.sqsPort)),
      started(startSesEmulator(options.sesPort)),
    ]);
    const failure = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
    if (failure) throw failure.reason;
    const [dynamodb, sqs, ses] = results.map((r) => (r as PromiseFulfilledResult<Emulator>).value);

    const apiUrl = `http://localhost:${options.apiPort}`;
    const awsEnv = {
      AWS_REGION: "us-east-1",
      AWS_ACCESS_KEY_ID: "local",
      AWS_SECRET_ACCESS_KEY: "local",
      AWS_ENDPOINT_URL_DYNAMODB: dynamodb.url,
      AWS_ENDPOINT_URL_SQS: sqs.url,
      AWS_ENDPOINT_URL_SES: ses.url,
    };
    Object.assign(process.env, awsEnv);
    const local = { region: awsEnv.AWS_REGION, credentials: { accessKeyId: "local", secretAccessKey: "local" } };
    const dynamoClient = new DynamoDBClient({ ...local, endpoint: dynamodb.url });
    const sqsClient = new SQSClient({ ...local, endpoint: sqs.url });
    const snsClient = new SNSClient({ ...local, endpoint: sqs.url }); // fauxqs serves SNS on the same endpoint
    stops.push(async () => {
      dynamoClient.destroy();
      sqsClient.destroy();
      snsClient.destroy();
    });
    const resources = await provision(dynamoClient, sqsClient, snsClient, "local", options.visibilityTimeouts);
    const onError =
      options.onError ??
      ((error: unknown) =>
        console.error(JSON.stringify({ level: "ERROR", message: "handler failed", error: String(error) })));
    // The functions reach SES through the mailbox simulator's events (ses-events.ts); the inbox stays the emulator's.
    const sesWithEvents = await startSesWithEvents({
      upstream: ses.url,
      sns: snsClient,
      topicArn: resources[MAIL_EVENTS_TOPIC_ENV],
      onError,
      // The account's quota, locally: the same SES_MAX_SEND_RATE the functions hold themselves to
      // (`SES_MAX_SEND_RATE=10 npm start` sets both).
      maxSendRate: sendRateSetting(options.settings?.SES_MAX_SEND_RATE ?? process.env.SES_MAX_SEND_RATE),
      journal: options.dataDir ? dataPaths(options.dataDir).sentJournal : options.sentJournal,
    });
    stops.push(sesWithEvents.stop);

    // Cognito's stand-in: people sign in on its login page, machine clients by client credentials.
    const oidc = await startOidcProvider({
      port: oidcPort,
      users,
      clients,
      // The console is served by the API (functions/console); its sign-in and sign-out return there.
      redirectUris: [`${apiUrl}/console/callback`, `http://127.0.0.1:${options.apiPort}/console/callback`],
      postLogoutRedirectUris: [`${apiUrl}/console/signed-out`],
      signingKey: oidcSigningKey(options.dataDir),
    });
    stops.push(oidc.stop);

    const env: Record<string, string> = {
      ...awsEnv,
      ...resources,
      AWS_ENDPOINT_URL_SES: sesWithEvents.url,
      // SES publishes a send's events only through a configuration set; the stand-in does the same.
      SES_CONFIGURATION_SET: "local-mail-events",
      MAIL_FROM: "Demo Bank Offers <offers@demo-bank.test>",
      PUBLIC_BASE_URL: apiUrl,
      // Kept in the data folder: links in emails of an earlier run still verify.
      LINK_SIGNING_SECRET: linkSigningSecret(options.dataDir),
      API_TOKENS: options.devTokens,
      OIDC_ISSUER: oidc.issuer,
      OIDC_JWKS_URI: oidc.jwksUri,
      OIDC_CLIENT_IDS: oidc.clientIds.join(","),
      OIDC_AUDIENCE: oidc.audience,
      CONSOLE_CLIENT_ID: CONSOLE_CLIENT_ID,
      POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? "WARN",
      ...options.settings,
    };
    Object.assign(process.env, env);

    // Imported only now: like Lambda, the handlers read their environment when first loaded.
    const { parseApiTokens } = await import("../../shared/adapters/secrets.js");
    parseApiTokens(options.devTokens); // a malformed DEV_TOKENS stops the start here, with its reason
    const handlers: Record<QueueDefinition["handler"], SQSHandler> = {
      fanout: (await import("../../functions/fanout/handler.js")).handler,
      sender: (await import("../../functions/sender/handler.js")).handler,
      feedback: (await import("../../functions/feedback/handler.js")).handler,
    };
    for (const [, definition] of Object.entries(QUEUES) as [string, QueueDefinition][]) {
      const queueUrl = resources[definition.env];
      const { Attributes } = await sqsClient.send(
        new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["QueueArn"] }),
      );
      const poller = startPoller(sqsClient, {
        queueUrl,
        queueArn: Attributes!.QueueArn!,
        definition,
        handler: handlers[definition.handler],
        concurrency: options.concurrency?.[definition.handler] ?? 2,
        onError,
      });
      stops.push(poller.stop);
    }

    // What the EventBridge schedule does on AWS, on a timer; and once now, because the queues
    // were just created empty: a campaign interrupted by the last run's end completes.
    const { runReconciler } = await import("../../functions/reconciler/handler.js");
    await runReconciler(true);
    const reconcileEvery = Number(process.env.RECONCILE_EVERY_SECONDS ?? DEFAULT_RECONCILE_EVERY_SECONDS);
    const reconciling = setInterval(() => runReconciler().catch(onError), reconcileEvery * 1000);
    reconciling.unref();
    stops.push(async () => clearInterval(reconciling));

    const { serve } = await import("@hono/node-server");
    const { createApp } = await import("../../functions/api/app.js");
    const { liveApiDeps } = await import("../../functions/api/deps.js");
    const app = createApp({ ...(await liveApiDeps()), inbox: ses.url });
    const fetch: typeof app.fetch = async (request, env) => {
      const response = await app.fetch(request, env);
      await readUnreadBody(request);
      return response;
    };
    const server = await new Promise<Server>((resolve) => {
      const s = serve({ fetch, port: options.apiPort, hostname: "127.0.0.1" }, () => resolve(s as Server));
    });
    stops.push(
      () =>
        new Promise<void>((resolve) => {
          server.closeAllConnections?.();
          server.close(() => resolve());
        }),
    );

    let seeded = 0;
    let playbook = 0;
    // A kept bank is left as it is: the demo bank goes only into an empty one.
    const kept = options.dataDir ? await countItems(dynamoClient, resources[TABLES.customers.env]) : 0;
    if (options.seedDemo && kept === 0) {
      const { platform } = await import("../../shared/adapters/platform.js");
      const { importCustomers } = await import("../../shared/customers/import/import-customers.js");
      const { seedPlaybook } = await import("../../shared/segments/playbook.js");
      const p = await platform();
      const bank = demoBank();
      const aQuarterAgo = { ...p, now: () => daysBefore(p.now(), DEMO_HISTORY_DAYS) };
      await importCustomers(aQuarterAgo, asNdjson(demoBankLastQuarter(bank)), "ndjson");
      const summary = await importCustomers(p, asNdjson(bank), "ndjson");
      seeded = summary.rowsRead - summary.rejected.length;
      playbook = (await seedPlaybook(p)).length;
    }
    const identity = { issuer: oidc.issuer, users, clients };
    return {
      apiUrl,
      consoleUrl: `${apiUrl}/console`,
      inboxUrl: ses.url,
      env,
      identity,
      seeded,
      playbook,
      kept,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
