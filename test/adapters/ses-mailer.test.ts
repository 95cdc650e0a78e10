import { MessageRejected, SESClient, SendRawEmailCommand } from "@aws-sdk/client-ses";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { SesMailer } from "../../shared/adapters/ses/mailer.js";
import type { OutgoingEmail } from "../../shared/delivery/ports.js";
import { SendRateExceededError } from "../../shared/delivery/send-rate.js";
import { MailDeferredError, MailRejectedError } from "../../shared/kernel/errors.js";
import { mimeParts, unfoldHeaders } from "./mime.js";

process.env.AWS_REGION ??= "us-east-1";

const ses = mockClient(SESClient);

const anEmail = (overrides: Partial<OutgoingEmail> = {}): OutgoingEmail => ({
  to: "wang.fang@example.cn",
  subject: "A fund picked for you",
  html: '<p>Dear Wang Fang, <a href="https://offers.bank.test/o/abc.def">see the offer</a></p>',
  text: "Dear Wang Fang, see the offer: https://offers.bank.test/o/abc.def",
  unsubscribeUrl: "https://offers.bank.test/u/tok.sig",
  tags: { campaignId: "cmp-1" },
  ...overrides,
});

/** The raw MIME message SES was asked to send, as text. */
function rawSent(call = 0): string {
  const data = ses.commandCalls(SendRawEmailCommand)[call].args[0].input.RawMessage?.Data;
  expect(data).toBeDefined();
  return unfoldHeaders(Buffer.from(data as Uint8Array).toString("utf8"));
}

/** An SDK error as the SES client throws it: a name and, when SES answered, an HTTP status. */
const awsError = (name: string, httpStatusCode?: number) =>
  Object.assign(new Error(`${name} happened`), {
    name,
    ...(httpStatusCode === undefined ? {} : { $metadata: { httpStatusCode } }),
  });

describe("SesMailer", () => {
  beforeEach(() => {
    ses.reset();
  });

  afterAll(() => {
    ses.restore();
  });

  it("names the sender in the customer's language, RFC 2047-encoded when Chinese, from MAIL_FROM's address", async () => {
    // prepare
    ses.on(SendRawEmailCommand).resolves({ MessageId: "ses-msg-1" });
    const mailer = new SesMailer("Demo Bank Offers <offers@bank.test>");

    // act
    await mailer.send(anEmail({ fromName: "示范银行" }));
    await mailer.send(anEmail({ fromName: "Demo Bank" }));

    // assess
    const from = (call: number) => /^From: (.*?)\r?$/m.exec(rawSent(call))?.[1];
    expect(from(0)).toBe(`=?UTF-8?B?${Buffer.from("示范银行").toString("base64")}?= <offers@bank.test>`);
    expect(from(1)).toBe("Demo Bank <offers@bank.test>");
  });

  it("keeps MAIL_FROM as it is when the email names no sender", async () => {
    // prepare
    ses.on(SendRawEmailCommand).resolves({ MessageId: "ses-msg-1" });
    const mailer = new SesMailer("Demo Bank Offers <offers@bank.test>");

    // act
    await mailer.send(anEmail());

    // assess
    expect(rawSent()).toMatch(/^From: Demo Bank Offers <offers@bank\.test>\r?$/m);
  });

  it("sends one raw email carrying recipient, subject, both parts and the one-click unsubscribe headers", async () => {
    // prepare
    ses.on(SendRawEmailCommand).resolves({ MessageId: "ses-msg-1" });
    const mailer = new SesMailer("offers@bank.test", "cross-sell");

    // act
    const result = await mailer.send(anEmail());

    // assess
    expect(result).toEqual({ messageId: "ses-msg-1" });
    expect(ses.commandCalls(SendRawEmailCommand)).toHaveLength(1);
    const raw = rawSent();
    expect(raw).toMatch(/^To: wang\.fang@example\.cn\r?$/m);
    expect(raw).toMatch(/^From: offers@bank\.test\r?$/m);
    expect(raw).toMatch(/^Subject: A fund picked for you\r?$/m);
    expect(raw).toMatch(/^Content-Type: multipart\/alternative/m);
    const parts = mimeParts(raw);
    expect(parts.map((p) => p.contentType)).toEqual(["text/plain", "text/html"]);
    expect(parts[0].body).toBe(anEmail().text);
    expect(parts[1].body).toBe(anEmail().html);
    expect(raw).toMatch(/^List-Unsubscribe: <https:\/\/offers\.bank\.test\/u\/tok\.sig>\r?$/m);
    expect(raw).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r?$/m);
  });

  it("names the configuration set and tags the message with its campaign", async () => {
    // prepare
    ses.on(SendRawEmailCommand).resolves({ MessageId: "ses-msg-2" });
    const mailer = new SesMailer("offers@bank.test", "cross-sell");

    // act
    await mailer.send(anEmail({ tags: { campaignId: "cmp-42" } }));

    // assess
    const input = ses.commandCalls(SendRawEmailCommand)[0].args[0].input;
    expect(input.ConfigurationSetName).toBe("cross-sell");
    expect(input.Tags).toEqual([{ Name: "campaignId", Value: "cmp-42" }]);
  });

  it("makes tag values acceptable to SES (letters, digits, '_' and '-' only)", async () => {
    // prepare
    ses.on(SendRawEmailCommand).resolves({ MessageId: "ses-msg-3" });
    const mailer = new SesMailer("offers@bank.test", "cross-sell");

    // act
    await mailer.send(anEmail({ tags: { campaignId: "cmp.1/2 3" } }));

    // assess
    const tags = ses.commandCalls(SendRawEmailCommand)[0].args[0].input.Tags ?? [];
    expect(tags).toHaveLength(1);
    expect(tags[0].Value).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it.each([
    ["Throttling (400)", awsError("Throttling", 400)],
    ["a server error (500)", awsError("InternalFailure", 500)],
    ["ServiceUnavailable (503)", awsError("ServiceUnavailable", 503)],
    ["a paused account (400)", awsError("AccountSendingPausedException", 400)],
  ])("defers the message (it may be retried) on %s", async (_, error) => {
    // prepare
    ses.on(SendRawEmailCommand).rejects(error);
    const mailer = new SesMailer("offers@bank.test", "cross-sell");

    // act
    const outcome = mailer.send(anEmail());

    // assess
    await expect(outcome).rejects.toBeInstanceOf(MailDeferredError);
  });

  it.each([
    ["Throttling (400), SES's answer beyond the maximum send rate", awsError("Throttling", 400)],
    ["a 429", awsError("TooManyRequestsException", 429)],
  ])("tells a send refused for the rate apart: %s", async (_, error) => {
    // prepare
    ses.on(SendRawEmailCommand).rejects(error);
    const mailer = new SesMailer("offers@bank.test", "cross-sell");

    // act
    const outcome = mailer.send(anEmail());

    // assess: deferred like any other, and retried within seconds by the sender
    await expect(outcome).rejects.toBeInstanceOf(SendRateExceededError);
    expect(ses.commandCalls(SendRawEmailCommand)).toHaveLength(1);
  });

  it("does not call the rate on a server error or a paused account", async () => {
    ses.on(SendRawEmailCommand).rejects(awsError("AccountSendingPausedException", 400));

    const outcome = new SesMailer("offers@bank.test").send(anEmail());

    await expect(outcome).rejects.toBeInstanceOf(MailDeferredError);
    await expect(outcome).rejects.not.toBeInstanceOf(SendRateExceededError);
  });

  it("rejects the message for good when SES refuses it (MessageRejected, 400)", async () => {
    // prepare
    ses
      .on(SendRawEmailCommand)
      .rejects(new MessageRejected({ message: "Email address is not verified.", $metadata: { httpStatusCode: 400 } }));
    const mailer = new SesMailer("offers@bank.test", "cross-sell");

    // act
    const outcome = mailer.send(anEmail());

    // assess
    await expect(outcome).rejects.toBeInstanceOf(MailRejectedError);
    await expect(outcome).rejects.not.toBeInstanceOf(MailDeferredError);
    await expect(outcome).rejects.toThrow(/MessageRejected/);
  });

  it("keeps the refused address out of the reason, which staff who may not see it will read", async () => {
    // prepare
    ses.on(SendRawEmailCommand).rejects(
      new MessageRejected({
        message:
          "Email address is not verified. The following identities failed the check: Wang Fang <wang.fang@bank.cn>, li@bank.cn",
        $metadata: { httpStatusCode: 400 },
      }),
    );
    const mailer = new SesMailer("offers@bank.test", "cross-sell");

    // act
    const outcome = mailer.send(anEmail());

    // assess
    await expect(outcome).rejects.toThrow("failed the check: <address>");
    await expect(outcome).rejects.not.toThrow(/wang\.fang@bank\.cn|Wang Fang/);
  });

  it("rethrows an error that carries no HTTP status unchanged: SES may or may not have taken the message", async () => {
    // prepare
    const timeout = Object.assign(new Error("socket hang up"), { name: "TimeoutError" });
    ses.on(SendRawEmailCommand).rejects(timeout);
    const mailer = new SesMailer("offers@bank.test", "cross-sell");

    // act
    const thrown = await mailer.send(anEmail()).catch((error: unknown) => error);

    // assess
    expect(thrown).toBe(timeout);
    expect(thrown).not.toBeInstanceOf(MailDeferredError);
    expect(thrown).not.toBeInstanceOf(MailRejectedError);
  });
});
