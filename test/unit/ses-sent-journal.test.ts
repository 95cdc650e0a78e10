import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SESClient, SendEmailCommand, SendRawEmailCommand } from "@aws-sdk/client-ses";
import type { SNSClient } from "@aws-sdk/client-sns";
import MailComposer from "nodemailer/lib/mail-composer/index.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Emulator } from "../../infra/local/emulators.js";
import { readSentJournal, sentJournalPath, startSesWithEvents } from "../../infra/local/ses-events.js";

/**
 * The local SES stand-in's sent-mail journal (infra/local/ses-events.ts): each email the
 * emulator accepted is one JSON line, written before the caller has its answer; a refused
 * send is not in it. The emulator here is a stub that accepts, or refuses, every send.
 */
let upstream: Server;
let upstreamUrl: string;
let accept = true;
let proxy: Emulator;
let messages = 0;
const dataDir = mkdtempSync(join(tmpdir(), "ses-journal-"));

const ses = () =>
  new SESClient({
    endpoint: proxy.url,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    maxAttempts: 1,
  });

beforeAll(async () => {
  upstream = createServer(async (request, response) => {
    let body = "";
    for await (const part of request) body += part;
    const action = new URLSearchParams(body).get("Action");
    if (!accept) {
      response.writeHead(400, { "content-type": "text/xml" });
      response.end("<ErrorResponse><Error><Code>MessageRejected</Code><Message>no</Message></Error></ErrorResponse>");
      return;
    }
    response.writeHead(200, { "content-type": "text/xml" });
    response.end(
      `<${action}Response><${action}Result><MessageId>m-${++messages}</MessageId></${action}Result></${action}Response>`,
    );
  });
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as { port: number }).port}`;
  proxy = await startSesWithEvents({
    upstream: upstreamUrl,
    sns: { send: async () => ({}) } as unknown as SNSClient,
    topicArn: "arn:aws:sns:us-east-1:000000000000:none",
    onError: () => undefined,
    journal: sentJournalPath(dataDir),
  });
});

afterAll(async () => {
  await proxy?.stop();
  await new Promise((resolve) => upstream.close(resolve));
  rmSync(dataDir, { recursive: true, force: true });
});

describe("the SES stand-in's sent-mail journal", () => {
  it("holds every accepted email by the time the caller has its answer, with recipient, subject and tags", async () => {
    // prepare: a raw email with a Chinese subject, as the mailer sends it, and a plain SendEmail
    const raw = await new MailComposer({
      from: "Demo Bank <offers@demo-bank.test>",
      to: "zhang.wei@customers.test",
      subject: "张伟，让您的积蓄多一份打算",
      text: "x",
    })
      .compile()
      .build();

    // act
    const first = await ses().send(
      new SendRawEmailCommand({
        RawMessage: { Data: raw },
        ConfigurationSetName: "local-mail-events",
        Tags: [
          { Name: "campaignId", Value: "c-1" },
          { Name: "customerId", Value: "C001" },
        ],
      }),
    );
    const afterFirst = readSentJournal(dataDir);
    const second = await ses().send(
      new SendEmailCommand({
        Source: "offers@demo-bank.test",
        Destination: { ToAddresses: ["li.na@customers.test"] },
        Message: { Subject: { Data: "Plain subject" }, Body: { Text: { Data: "x" } } },
      }),
    );
    accept = false;
    await expect(
      ses().send(
        new SendEmailCommand({
          Source: "offers@demo-bank.test",
          Destination: { ToAddresses: ["refused@customers.test"] },
          Message: { Subject: { Data: "Refused" }, Body: { Text: { Data: "x" } } },
        }),
      ),
    ).rejects.toThrow();
    accept = true;

    // assert
    expect(afterFirst).toEqual([
      {
        messageId: first.MessageId,
        at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        destination: ["zhang.wei@customers.test"],
        subject: "张伟，让您的积蓄多一份打算",
        tags: { campaignId: "c-1", customerId: "C001" },
        configurationSet: "local-mail-events",
      },
    ]);
    expect(readSentJournal(dataDir).map((e) => [e.messageId, e.destination, e.subject, e.configurationSet])).toEqual([
      [first.MessageId, ["zhang.wei@customers.test"], "张伟，让您的积蓄多一份打算", "local-mail-events"],
      [second.MessageId, ["li.na@customers.test"], "Plain subject", null],
    ]);
  });

  it("reads no journal as empty", () => {
    expect(readSentJournal(join(dataDir, "nothing-here"))).toEqual([]);
  });
});
