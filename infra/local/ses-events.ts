import { randomUUID } from "node:crypto";
import { appendFileSync, mkdirSync, readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { dirname, join } from "node:path";
import { PublishCommand, type SNSClient } from "@aws-sdk/client-sns";
import type { SesEvent } from "../../shared/adapters/ses/events.js";
import { MAIL_EVENTS } from "../resources.js";
import type { Emulator } from "./emulators.js";

/**
 * The local SES's feedback: what Amazon's mailbox simulator does, and what a configuration set's
 * event destination then publishes. aws-ses-v2-local accepts every email and reports nothing,
 * so this sits in front of it, on the wire, where SES sits for the platform: the functions'
 * SES endpoint (AWS_ENDPOINT_URL_SES) is this proxy. It forwards every request to the emulator
 * unchanged; after an accepted SendRawEmail or SendEmail that names a configuration set it
 * publishes SES's event documents to the local SNS topic, which delivers them to the feedback
 * queue and so, through the poller, to the same feedback handler as on AWS.
 *
 * It also stands in for SES's sending quota, which the emulator has none of: it answers SES v1
 * GetSendQuota itself (the emulator leaves that request hanging), stating `maxSendRate`, and when
 * that is set (SES_MAX_SEND_RATE) it refuses a send beyond it in one second of the clock with
 * SES's own Throttling error, so the platform's rate control is tested against a limit that
 * bites. It counts the sends of each second it saw, taken and refused (SEND_RATE_REPORT_PATH).
 * Given a journal file (`npm start` keeps one in its data folder), it appends every email the
 * emulator accepted to it, one JSON line each, before it answers the caller: the emulator's
 * inbox keeps only this process's emails, the journal every run's.
 *
 * A proxy rather than a watcher of the emulator's store because the store keeps neither the
 * configuration set nor the message tags, and the tags (campaignId, customerId) are what the
 * events carry back to name the delivery. Nothing here is in shared/: the platform's code is
 * the same as on AWS, and only the stand-in for AWS learns to answer like it.
 *
 * The mailbox simulator's addresses, each also with a `+label` before the `@`:
 * - success@simulator.amazonses.com: Send, Delivery;
 * - bounce@: Send, Bounce (Permanent, General; 550 5.1.1 user unknown);
 * - ooto@: Send, Delivery (the out-of-office reply goes to the Return-Path, and SES publishes no event for it);
 * - complaint@: Send, Delivery, Complaint (abuse);
 * - suppressionlist@: Send, Bounce (Permanent, Suppressed), as for an address on SES's suppression list.
 * Any other address: Send, Delivery.
 */
const SIMULATOR = /^(success|bounce|ooto|complaint|suppressionlist)(\+[^@]*)?@simulator\.amazonses\.com$/i;

type Scenario = "delivered" | "bounce" | "complaint" | "suppressed";

export function scenarioFor(address: string): Scenario {
  const kind = SIMULATOR.exec(address.trim())?.[1]?.toLowerCase();
  if (kind === "bounce") return "bounce";
  if (kind === "complaint") return "complaint";
  if (kind === "suppressionlist") return "suppressed";
  return "delivered"; // success, ooto, and every ordinary address
}

export type SentMail = {
  messageId: string;
  source: string;
  destination: string[];
  configurationSet: string;
  tags: Record<string, string>;
  at: Date;
};

/**
 * How long after the send each event is dated, as if the receiving side took that long; the
 * stand-in publishes each event at its time, so no event is dated in the future.
 */
export const EVENT_DELAYS_MS = { delivery: 200, bounce: 300, complaint: 600 } as const;

/** The event documents SES would publish for this email, in the order it would. */
export function sesEventsFor(mail: SentMail): SesEvent[] {
  const at = (ms: number) => new Date(mail.at.getTime() + ms).toISOString();
  const fromDomain = /@([^>\s]+)/.exec(mail.source)?.[1] ?? "localhost";
  const document = {
    timestamp: at(0),
    source: mail.source,
    sourceArn: `arn:aws:ses:us-east-1:000000000000:identity/${fromDomain}`,
    sendingAccountId: "000000000000",
    messageId: mail.messageId,
    destination: mail.destination,
    headersTruncated: false,
    tags: {
      "ses:configuration-set": [mail.configurationSet],
      "ses:source-ip": ["127.0.0.1"],
      "ses:from-domain": [fromDomain],
      "ses:caller-identity": ["local"],
      ...Object.fromEntries(Object.entries(mail.tags).map(([name, value]) => [name, [value]])),
    },
  };
  const events: SesEvent[] = [{ eventType: "Send", mail: document, send: {} }];
  const delivered = mail.destination.filter((a) => ["delivered", "complaint"].includes(scenarioFor(a)));
  if (delivered.length > 0) {
    events.push({
      eventType: "Delivery",
      mail: document,
      delivery: {
        timestamp: at(EVENT_DELAYS_MS.delivery),
        processingTimeMillis: EVENT_DELAYS_MS.delivery,
        recipients: delivered,
        smtpResponse: "250 2.6.0 Message received",
        reportingMTA: "a8-70.smtp-out.amazonses.com",
      },
    });
  }
  for (const [scenario, subType, diagnosticCode] of [
    ["bounce", "General", "smtp; 550 5.1.1 user unknown"],
    [
      "suppressed",
      "Suppressed",
      "Amazon SES has suppressed sending to this address because it has a recent history of bouncing as an invalid address.",
    ],
  ] as const) {
    const bounced = mail.destination.filter((a) => scenarioFor(a) === scenario);
    if (bounced.length === 0) continue;
    events.push({
      eventType: "Bounce",
      mail: document,
      bounce: {
        bounceType: "Permanent",
        bounceSubType: subType,
        bouncedRecipients: bounced.map((emailAddress) => ({
          emailAddress,
          action: "failed",
          status: "5.1.1",
          diagnosticCode,
        })),
        timestamp: at(EVENT_DELAYS_MS.bounce),
        feedbackId: `${randomUUID()}-000000`,
        reportingMTA: "dns; amazonses.com",
      },
    });
  }
  const complained = mail.destination.filter((a) => scenarioFor(a) === "complaint");
  if (complained.length > 0) {
    events.push({
      eventType: "Complaint",
      mail: document,
      complaint: {
        complainedRecipients: complained.map((emailAddress) => ({ emailAddress })),
        timestamp: at(EVENT_DELAYS_MS.complaint),
        feedbackId: `${randomUUID()}-000000`,
        userAgent: "Amazon SES Mailbox Simulator",
        complaintFeedbackType: "abuse",
        arrivalDate: at(EVENT_DELAYS_MS.complaint),
      },
    });
  }
  const published: readonly string[] = MAIL_EVENTS.eventTypes;
  return events.filter((event) => published.includes(event.eventType));
}

/** When the event says it happened: its own timestamp, or the send's. */
const dateOf = (event: SesEvent) =>
  event.bounce?.timestamp ??
  event.complaint?.timestamp ??
  event.delivery?.timestamp ??
  event.deliveryDelay?.timestamp ??
  event.mail.timestamp;

const readBody = (request: IncomingMessage) =>
  new Promise<Buffer>((resolve, reject) => {
    const parts: Buffer[] = [];
    request.on("data", (part: Buffer) => parts.push(part));
    request.on("end", () => resolve(Buffer.concat(parts)));
    request.on("error", reject);
  });

const ADDRESS = /[^\s<>,;:"()]+@[^\s<>,;:"()]+/g;

/** The recipients of a raw MIME message, from its To, Cc and Bcc headers (SendRawEmail without Destinations). */
function headerRecipients(raw: string): string[] {
  const head = raw.split(/\r?\n\r?\n/, 1)[0].replace(/\r?\n[ \t]+/g, " ");
  return head
    .split(/\r?\n/)
    .filter((line) => /^(to|cc|bcc):/i.test(line))
    .flatMap((line) => line.slice(line.indexOf(":") + 1).match(ADDRESS) ?? []);
}

/** RFC 2047 encoded words (`=?UTF-8?B?...?=`, `=?UTF-8?Q?...?=`), as nodemailer writes a non-ASCII subject. */
function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, "?==?") // whitespace between two encoded words is not part of the text
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (word, charset: string, encoding: string, text: string) => {
      try {
        const bytes =
          encoding.toUpperCase() === "B"
            ? Buffer.from(text, "base64")
            : Buffer.from(
                text
                  .replace(/_/g, " ")
                  .replace(/=([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
                "latin1",
              );
        return new TextDecoder(charset.split("*")[0]).decode(bytes);
      } catch {
        return word;
      }
    });
}

/** A raw MIME message's Subject header, unfolded and decoded. */
function headerSubject(raw: string): string {
  const head = raw.split(/\r?\n\r?\n/, 1)[0].replace(/\r?\n[ \t]+/g, " ");
  const line = head.split(/\r?\n/).find((l) => /^subject:/i.test(l));
  return line ? decodeWords(line.slice(line.indexOf(":") + 1).trim()) : "";
}

/** What an SES v1 SendEmail or SendRawEmail carries, with or without a configuration set; null for any other request. */
function describeSend(
  form: URLSearchParams,
  messageId: string,
): (Omit<SentMail, "configurationSet"> & { configurationSet: string | null; subject: string }) | null {
  const action = form.get("Action");
  const configurationSet = form.get("ConfigurationSetName");
  if (action !== "SendRawEmail" && action !== "SendEmail") return null;
  const listed = (prefix: string) =>
    [...form.keys()].filter((key) => key.startsWith(prefix)).map((key) => form.get(key) ?? "");
  const tags: Record<string, string> = {};
  for (const key of form.keys()) {
    const n = /^Tags\.member\.(\d+)\.Name$/.exec(key)?.[1];
    if (n) tags[form.get(key) ?? ""] = form.get(`Tags.member.${n}.Value`) ?? "";
  }
  let destination =
    action === "SendEmail"
      ? listed("Destination.ToAddresses.member.")
          .concat(listed("Destination.CcAddresses.member."))
          .concat(listed("Destination.BccAddresses.member."))
      : listed("Destinations.member.");
  let source = form.get("Source") ?? "";
  let subject = form.get("Message.Subject.Data") ?? "";
  if (action === "SendRawEmail") {
    const raw = Buffer.from(form.get("RawMessage.Data") ?? "", "base64").toString("utf8");
    if (destination.length === 0) destination = headerRecipients(raw);
    source ||= /^from:(.*)$/im.exec(raw)?.[1]?.trim() ?? "";
    subject = headerSubject(raw);
  }
  return { messageId, source, destination, configurationSet, tags, subject, at: new Date() };
}

/**
 * One email the stand-in accepted, as one line of the sent-mail journal: the emulator's inbox
 * forgets its emails when the process ends, the journal keeps them (`<dataDir>/ses/sent.ndjson`).
 */
export type JournalEntry = {
  messageId: string;
  /** When the stand-in accepted it (ISO 8601). */
  at: string;
  /** The recipients' addresses (the platform sends each email to one). */
  destination: string[];
  subject: string;
  /** The message tags it carried (the platform's: campaignId, customerId). */
  tags: Record<string, string>;
  configurationSet: string | null;
};

/** Where a data folder keeps the journal of every email the local SES stand-in accepted. */
export const sentJournalPath = (dataDir: string): string => join(dataDir, "ses", "sent.ndjson");

/**
 * Every email in a data folder's sent-mail journal, oldest first; none when there is no journal.
 * A last line cut short by a killed process is left out.
 */
export function readSentJournal(dataDir: string): JournalEntry[] {
  let text: string;
  try {
    text = readFileSync(sentJournalPath(dataDir), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  return text.split("\n").flatMap((line) => {
    if (!line.trim()) return [];
    try {
      return [JSON.parse(line) as JournalEntry];
    } catch {
      return [];
    }
  });
}

export type SesWithEventsOptions = {
  /** The SES emulator the proxy forwards to. */
  upstream: string;
  sns: SNSClient;
  topicArn: string;
  onError: (error: unknown) => void;
  /**
   * The account's maximum send rate (SES_MAX_SEND_RATE), emails per second: GetSendQuota states
   * it, and a send beyond it in one second of the clock is refused as SES refuses it. Absent, the
   * stand-in states LOCAL_UNLIMITED_SEND_RATE and throttles nothing.
   */
  maxSendRate?: number;
  /**
   * The file each accepted email is appended to, as one JSON line (JournalEntry), before the
   * caller hears of it; its folder is created. Absent, no journal is kept.
   */
  journal?: string;
};

/** The rate GetSendQuota states when no limit is set: more than this machine can send. */
export const LOCAL_UNLIMITED_SEND_RATE = 1000;

/** What the stand-in saw in one second of the clock: sends SES took, and sends it refused as over the rate. */
export type SendSecond = { second: number; accepted: number; throttled: number };

/** The path under which the stand-in reports its per-second send counts (GET, JSON `{ maxSendRate, seconds }`). */
export const SEND_RATE_REPORT_PATH = "/_local/send-rate";

const SES_NAMESPACE = "http://ses.amazonaws.com/doc/2010-12-01/";

/** SES v1's query-protocol answer to GetSendQuota, which aws-ses-v2-local never answers (the request hangs). */
const sendQuotaXml = (maxSendRate: number, sentLast24Hours: number) =>
  `<GetSendQuotaResponse xmlns="${SES_NAMESPACE}"><GetSendQuotaResult>` +
  `<Max24HourSend>-1.0</Max24HourSend><MaxSendRate>${maxSendRate.toFixed(1)}</MaxSendRate>` +
  `<SentLast24Hours>${sentLast24Hours.toFixed(1)}</SentLast24Hours>` +
  `</GetSendQuotaResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></GetSendQuotaResponse>`;

/**
 * SES's refusal of a send over the account's rate: HTTP 400, code `Throttling`, "Maximum sending
 * rate exceeded." The AWS SDK v3 client reads `Error.Code` into the error's name, so SesMailer
 * sees `Throttling` and defers the send, as on AWS.
 */
const throttlingXml = () =>
  `<ErrorResponse xmlns="${SES_NAMESPACE}"><Error><Type>Sender</Type><Code>Throttling</Code>` +
  `<Message>Maximum sending rate exceeded.</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`;

const journalEntry = (mail: NonNullable<ReturnType<typeof describeSend>>): JournalEntry => ({
  messageId: mail.messageId,
  at: mail.at.toISOString(),
  destination: mail.destination,
  subject: mail.subject,
  tags: mail.tags,
  configurationSet: mail.configurationSet,
});

/** Starts the proxy on a free local port; point AWS_ENDPOINT_URL_SES at its url. */
export async function startSesWithEvents(options: SesWithEventsOptions): Promise<Emulator> {
  if (options.journal) mkdirSync(dirname(options.journal), { recursive: true });
  const publishing = new Set<Promise<void>>();
  const publish = (mail: SentMail) => {
    const done = (async () => {
      for (const event of sesEventsFor(mail)) {
        const due = Date.parse(dateOf(event)) - Date.now();
        if (due > 0) await new Promise((resolve) => setTimeout(resolve, due));
        await options.sns.send(new PublishCommand({ TopicArn: options.topicArn, Message: JSON.stringify(event) }));
      }
    })()
      .catch(options.onError)
      .finally(() => publishing.delete(done));
    publishing.add(done);
  };

  // Sends per second of the clock, by when they arrived here, as SES would count them.
  const seconds = new Map<number, SendSecond>();
  let sentTotal = 0;
  const limit = options.maxSendRate;
  const xml = (response: ServerResponse, status: number, text: string) => {
    response.writeHead(status, { "content-type": "text/xml" });
    response.end(text);
  };

  const server: Server = createServer(async (request, response) => {
    try {
      if (request.method === "GET" && request.url === SEND_RATE_REPORT_PATH) {
        response.writeHead(200, { "content-type": "application/json" });
        response.end(JSON.stringify({ maxSendRate: limit ?? null, seconds: [...seconds.values()] }));
        return;
      }
      const body = await readBody(request);
      const action = request.method === "POST" ? new URLSearchParams(body.toString("utf8")).get("Action") : null;
      if (action === "GetSendQuota")
        return xml(response, 200, sendQuotaXml(limit ?? LOCAL_UNLIMITED_SEND_RATE, sentTotal));
      if (action === "SendRawEmail" || action === "SendEmail") {
        const second = Math.floor(Date.now() / 1000);
        let counted = seconds.get(second);
        if (!counted) {
          counted = { second, accepted: 0, throttled: 0 };
          seconds.set(second, counted);
          // An hour of seconds is kept: the oldest goes first (a Map iterates in insertion order).
          if (seconds.size > 3600) seconds.delete(seconds.keys().next().value as number);
        }
        if (limit !== undefined && counted.accepted >= limit) {
          counted.throttled++;
          return xml(response, 400, throttlingXml());
        }
        counted.accepted++;
        sentTotal++;
      }
      const headers = Object.fromEntries(
        Object.entries(request.headers).filter(
          (entry): entry is [string, string] =>
            typeof entry[1] === "string" && !["host", "content-length", "connection"].includes(entry[0]),
        ),
      );
      const upstream = await fetch(`${options.upstream}${request.url ?? "/"}`, {
        method: request.method,
        headers,
        body: request.method === "GET" || request.method === "HEAD" ? undefined : body,
      });
      const answer = Buffer.from(await upstream.arrayBuffer());
      const messageId = /<MessageId>([^<]+)<\/MessageId>/.exec(answer.toString("utf8"))?.[1];
      const sent =
        upstream.status === 200 && messageId && request.method === "POST"
          ? describeSend(new URLSearchParams(body.toString("utf8")), messageId)
          : null;
      // Written before the answer, synchronously: an email the caller was told about is in the
      // journal, even when the process is killed the moment after.
      if (sent && options.journal) appendFileSync(options.journal, `${JSON.stringify(journalEntry(sent))}\n`);
      response.writeHead(upstream.status, {
        "content-type": upstream.headers.get("content-type") ?? "application/octet-stream",
      });
      response.end(answer);
      // As on AWS: only a send through a configuration set has its events published.
      if (sent?.configurationSet) publish({ ...sent, configurationSet: sent.configurationSet });
    } catch (error) {
      options.onError(error);
      if (!response.headersSent) response.writeHead(502);
      response.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      await Promise.allSettled([...publishing]);
      await new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      });
    },
  };
}
