/**
 * `npm run redrive` as an admin runs it: the real script in a child process, against the
 * platform global-setup.ts started. Its usage errors (exit 2), a dry run of the empty
 * dead-letter queues (exit 0), the one-line answers to a token the API does not know, a role
 * that may not redrive and a platform that is not running (exit 3), and one real redrive: a
 * send message of a campaign that already completed is put straight into the send queue's
 * dead-letter queue, the dry run shows it (exit 1: something is left), the redrive moves it
 * back (exit 0), and the sender finds its delivery already sent and emails nobody twice.
 * Its customer is REDRIVE-CLI-1 in a region of its own, so other files' assertions are untouched.
 */

import {
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  PurgeQueueCommand,
  SendMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { afterAll, describe, expect, inject, it } from "vitest";
import { freePort } from "../../infra/local/emulators.js";
import { runScript, type ScriptRun } from "../support/run-script.js";
import { api, inbox, TOKENS, waitFor } from "./client.js";

/** `npm run redrive -- ARGS`, to its exit; API_URL and API_TOKEN are not inherited. */
function cli(...args: string[]) {
  const { API_URL: _url, API_TOKEN: _token, ...env } = process.env;
  return runScript("infra/local/redrive-cli.ts", args, env);
}

const asAdmin = (...args: string[]) => cli("--api", inject("apiUrl"), "--token", TOKENS.admin, ...args);
/** What a user sees of a failure: the message, never a stack trace. */
const noStack = (run: ScriptRun) => expect(run.stderr).not.toMatch(/^\s+at /m);

const sqs = new SQSClient({
  endpoint: inject("sqsEndpoint"),
  region: "us-east-1",
  credentials: { accessKeyId: "local", secretAccessKey: "local" },
  useQueueUrlAsEndpoint: false,
});
afterAll(() => sqs.destroy());

describe("npm run redrive: what the user gets wrong", () => {
  it("refuses a bad option with the usage line and exit code 2", async () => {
    const unknown = await cli("--queues", "send");
    const badMax = await cli("--max", "0");
    const badQueue = await cli("--queue", "sender");
    const positional = await cli("send");

    for (const run of [unknown, badMax, badQueue, positional]) {
      expect(run.code).toBe(2);
      expect(run.stdout).toBe("");
      noStack(run);
    }
    expect(unknown.stderr).toContain("Usage: npm run redrive -- [--api URL]");
    expect(badMax.stderr.trim()).toBe("--max takes a whole number of messages per queue from 1 to 10000");
    expect(badQueue.stderr.trim()).toBe("--queue takes fanout, send, feedback, not 'sender'");
    expect(positional.stderr).toContain("Unexpected argument: send");
  });

  it("names the admin role when the token is unknown (401) or of another role (403)", async () => {
    const unknown = await cli("--api", inject("apiUrl"), "--token", "no-such-token", "--dry-run");
    const marketer = await cli("--api", inject("apiUrl"), "--token", TOKENS.marketer);

    expect(unknown.code).toBe(3);
    expect(unknown.stdout).toBe("");
    expect(unknown.stderr.trim().split("\n")).toHaveLength(1);
    expect(unknown.stderr).toContain("The API does not know this token (401");
    expect(unknown.stderr).toContain("need an admin's token");
    expect(marketer.code).toBe(3);
    expect(marketer.stdout).toBe("");
    expect(marketer.stderr.trim().split("\n")).toHaveLength(1);
    expect(marketer.stderr).toContain("may not see or redrive the dead-letter queues (403");
    expect(marketer.stderr).toContain("Role 'marketer' may not do this; it needs admin");
    expect(marketer.stderr).toContain("It needs the admin role");
    noStack(unknown);
    noStack(marketer);
  });

  it("asks whether `npm start` is running when no platform answers", async () => {
    const nowhere = `http://127.0.0.1:${await freePort()}`;
    const run = await cli("--api", nowhere, "--dry-run");

    expect(run.code).toBe(3);
    expect(run.stderr.trim()).toBe(
      `No platform answers at ${nowhere} (ECONNREFUSED). Is \`npm start\` running? Start it in another terminal, or pass --api URL`,
    );
    noStack(run);
  });
});

describe("npm run redrive: the dead-letter queues", () => {
  it("shows empty dead-letter queues in a dry run and exits 0", async () => {
    const text = await asAdmin("--dry-run");
    const json = await asAdmin("--dry-run", "--json");

    expect(text.stderr).toBe("");
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(
      `Waiting in the dead-letter queues of ${inject("apiUrl")}: fanout 0, send 0, feedback 0`,
    );
    expect(text.stdout).toContain("Nothing to redrive (--dry-run: nothing moved)");
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({
      api: inject("apiUrl"),
      dryRun: true,
      queues: ["fanout", "send", "feedback"],
      waiting: { fanout: 0, send: 0, feedback: 0 },
      moved: {},
      left: { fanout: 0, send: 0, feedback: 0 },
    });
  });

  it("redrives a send message from the dead-letter queue, and the sender emails nobody twice", async () => {
    // prepare: a campaign of one customer, completed
    const address = "redrive-cli-1@customers.test";
    const csv = [
      "customerId,type,name,email,aum,products,region,emailConsent",
      `REDRIVE-CLI-1,individual,Redrive One,${address},90000,DEPOSIT_CURRENT,RedriveCliTown,true`,
    ].join("\n");
    expect((await api("POST", "/api/customers/import", "marketer", csv, "text/csv")).status).toBe(200);
    const segment = await api("POST", "/api/segments", "marketer", {
      name: "RedriveCliTown",
      rule: { attr: "region", op: "eq", value: "RedriveCliTown" },
    });
    const created = await api("POST", "/api/campaigns", "marketer", {
      name: "Redrive CLI",
      segmentId: segment.body.segmentId,
      offer: { productCode: "WEALTH_FUND" },
      message: { subject: "REDRIVE-CLI {{name}}", html: '<a href="{{offerUrl}}">offer</a>', text: "{{offerUrl}}" },
      controlGroupPercent: 0,
    });
    const campaignId: string = created.body.campaignId;
    expect((await api("POST", `/api/campaigns/${campaignId}/submit`, "marketer")).status).toBe(200);
    expect((await api("POST", `/api/campaigns/${campaignId}/approve`, "approver")).status).toBe(200);
    expect((await api("POST", `/api/campaigns/${campaignId}/launch`, "marketer")).status).toBe(200);
    const stats = () => api("GET", `/api/campaigns/${campaignId}/stats`, "analyst").then((r) => r.body);
    await waitFor("the campaign to complete", stats, (s) => s.status === "completed");
    const emailsTo = async () =>
      (await inbox()).filter((e) => e.destination.to.some((to) => to.includes(address))).length;
    expect(await emailsTo()).toBe(1);
    // ...and its send message, as if it had failed five times, in the send queue's dead-letter queue
    const sendQueueUrl = inject("sendQueueUrl");
    const { QueueUrl: dlqUrl } = await sqs.send(
      new GetQueueUrlCommand({ QueueName: `${sendQueueUrl.split("/").at(-1)}-dlq` }),
    );
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: dlqUrl!,
        MessageBody: JSON.stringify({ campaignId, customerId: "REDRIVE-CLI-1" }),
      }),
    );

    try {
      // act
      const shown = await asAdmin("--dry-run", "--queue", "send");
      const redriven = await asAdmin("--queue", "send", "--max", "10");
      const after = await asAdmin("--dry-run", "--json");

      // assess: shown and left (exit 1), then moved (exit 0), then nothing waits
      expect(shown.stderr).toBe("");
      expect(shown.code).toBe(1);
      expect(shown.stdout).toContain("fanout 0, send 1, feedback 0");
      expect(shown.stdout).toContain(
        "--dry-run: nothing moved; without it, 1 message would be put back on their queues",
      );
      expect(redriven.stderr).toBe("");
      expect(redriven.code).toBe(0);
      expect(redriven.stdout).toContain("Moved back to their queues: send 1 (1 message)");
      expect(redriven.stdout).toContain("Left in the dead-letter queues: fanout 0, send 0, feedback 0");
      expect(after.code).toBe(0);
      expect(JSON.parse(after.stdout).waiting).toEqual({ fanout: 0, send: 0, feedback: 0 });
      // ...the sender took the redriven message, found the delivery sent, and sent nothing
      await waitFor(
        "the redriven message to be consumed",
        () =>
          sqs.send(
            new GetQueueAttributesCommand({
              QueueUrl: sendQueueUrl,
              AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
            }),
          ),
        (q) =>
          q.Attributes?.ApproximateNumberOfMessages === "0" &&
          q.Attributes?.ApproximateNumberOfMessagesNotVisible === "0",
      );
      expect(await emailsTo()).toBe(1);
      expect(await stats()).toMatchObject({ status: "completed", targeted: 1, sent: 1, stuck: 0 });
    } finally {
      // never leave a message behind for the files after this one
      await sqs.send(new PurgeQueueCommand({ QueueUrl: dlqUrl! })).catch(() => undefined);
    }
  });
});
