import { SESClient, SendRawEmailCommand } from "@aws-sdk/client-ses";
import MailComposer from "nodemailer/lib/mail-composer/index.js";
import type { Mailer, OutgoingEmail } from "../../delivery/ports.js";
import { SendRateExceededError } from "../../delivery/send-rate.js";
import { MailDeferredError, MailRejectedError } from "../../kernel/errors.js";

/**
 * One client per container. Locally AWS_ENDPOINT_URL_SES points it at the SES emulator. One
 * attempt per send: the SDK's own retries would resend after a timeout whose first attempt SES
 * may have taken (an email twice), and would resend a throttled email without a slot of the
 * send rate (send-rate.ts). A refused send is released and retried through the queue instead.
 */
const ses = new SESClient({ maxAttempts: 1 });

/** SES refused the send for the account's rate: it comes back within seconds, with a new slot. */
const THROTTLED = new Set(["Throttling", "ThrottlingException", "TooManyRequestsException"]);

const DEFERRED = new Set([
  "ServiceUnavailable",
  "AccountSendingPausedException",
  "ConfigurationSetSendingPausedException",
]);

type AwsError = Error & { $metadata?: { httpStatusCode?: number } };

/**
 * Sends with SendRawEmail because SES v1 SendEmail cannot carry the per-recipient
 * List-Unsubscribe headers that one-click unsubscribe (RFC 8058) needs.
 */
export class SesMailer implements Mailer {
  constructor(
    private readonly from: string,
    private readonly configurationSet?: string,
  ) {}

  async send(email: OutgoingEmail) {
    const raw = await new MailComposer({
      // A display name goes out RFC 2047-encoded when it is not ASCII (=?UTF-8?B?...?=): nodemailer does it.
      from: email.fromName ? { name: email.fromName, address: addressOf(this.from) } : this.from,
      to: email.to,
      subject: email.subject,
      html: email.html,
      text: email.text,
      headers: {
        "List-Unsubscribe": `<${email.unsubscribeUrl}>`,
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
      },
    })
      .compile()
      .build();
    try {
      const out = await ses.send(
        new SendRawEmailCommand({
          RawMessage: { Data: raw },
          ConfigurationSetName: this.configurationSet,
          Tags: Object.entries(email.tags).map(([Name, Value]) => ({
            Name,
            Value: Value.replace(/[^A-Za-z0-9_-]/g, "_"),
          })),
        }),
      );
      return { messageId: out.MessageId ?? "unknown" };
    } catch (error) {
      const status = (error as AwsError).$metadata?.httpStatusCode;
      if (status === undefined) throw error; // no answer from SES: the outcome is unknown
      if (THROTTLED.has((error as Error).name) || status === 429)
        throw new SendRateExceededError(withoutAddresses((error as Error).message));
      if (DEFERRED.has((error as Error).name) || status >= 500)
        throw new MailDeferredError(withoutAddresses((error as Error).message));
      throw new MailRejectedError(`${(error as Error).name}: ${withoutAddresses((error as Error).message)}`);
    }
  }
}

/** The address of a From line ("Demo Bank Offers <offers@demo-bank.test>" or the bare address). */
export const addressOf = (from: string) => /<([^<>\s]+)>\s*$/.exec(from)?.[1] ?? from.trim();

/**
 * SES names the address it refused ("Email address is not verified: x@y"). The reason is
 * stored on the delivery and shown to staff who may not see contact data, so it goes without.
 */
export const withoutAddresses = (message: string) =>
  message
    .replace(/"?[^"<>:,;]*"?\s*<[^<>\s]+@[^<>\s]+>/g, " <address>") // Display Name <address>: the name goes too
    .replace(/[^\s<>"'(),;:]*@[^\s<>"'(),;]*/g, "<address>") // anything with an @, even malformed
    .replace(/\s+<address>/g, " <address>");
