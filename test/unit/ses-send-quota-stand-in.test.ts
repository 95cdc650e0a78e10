import { createServer, type Server } from "node:http";
import { GetSendQuotaCommand, SESClient, SendRawEmailCommand } from "@aws-sdk/client-ses";
import type { SNSClient } from "@aws-sdk/client-sns";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Emulator } from "../../infra/local/emulators.js";
import {
  LOCAL_UNLIMITED_SEND_RATE,
  SEND_RATE_REPORT_PATH,
  type SendSecond,
  startSesWithEvents,
} from "../../infra/local/ses-events.js";

/**
 * The local SES stand-in's quota (infra/local/ses-events.ts), through the real AWS SDK client:
 * GetSendQuota is answered, and a send over the rate is refused with the error SES gives.
 * Counts only, no timing: whatever second each send falls in, none holds more than the limit.
 */
let upstream: Server;
let upstreamUrl: string;
const proxies: Emulator[] = [];

const noSns = { send: async () => ({}) } as unknown as SNSClient;
const client = (endpoint: string) =>
  new SESClient({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    maxAttempts: 1, // the SDK would retry a throttle itself; here each refusal is seen
  });
const rawSend = () =>
  new SendRawEmailCommand({
    RawMessage: { Data: Buffer.from("From: a@bank.test\r\nTo: b@example.cn\r\nSubject: x\r\n\r\nx\r\n") },
  });

async function proxy(maxSendRate?: number) {
  const started = await startSesWithEvents({
    upstream: upstreamUrl,
    sns: noSns,
    topicArn: "arn:aws:sns:us-east-1:000000000000:none",
    onError: (error) => {
      throw error;
    },
    maxSendRate,
  });
  proxies.push(started);
  return started.url;
}

beforeAll(async () => {
  // The emulator's answer to a send, as aws-ses-v2-local gives it.
  upstream = createServer((_, response) => {
    response.writeHead(200, { "content-type": "text/xml" });
    response.end(
      "<SendRawEmailResponse><SendRawEmailResult><MessageId>m-1</MessageId></SendRawEmailResult></SendRawEmailResponse>",
    );
  });
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as { port: number }).port}`;
});

afterAll(async () => {
  for (const p of proxies) await p.stop();
  await new Promise((resolve) => upstream.close(resolve));
});

describe("the SES stand-in's sending quota", () => {
  it("answers GetSendQuota with SES_MAX_SEND_RATE, or a rate the machine cannot reach when unset", async () => {
    const limited = await client(await proxy(5)).send(new GetSendQuotaCommand({}));
    const unlimited = await client(await proxy()).send(new GetSendQuotaCommand({}));

    expect(limited.MaxSendRate).toBe(5);
    expect(unlimited.MaxSendRate).toBe(LOCAL_UNLIMITED_SEND_RATE);
  });

  it("refuses sends beyond the rate in one second with SES's Throttling error, and counts each second", async () => {
    // prepare
    const url = await proxy(2);
    const ses = client(url);

    // act: 7 at once, which land in at most two seconds: at most 4 can be taken
    const outcomes = await Promise.allSettled(Array.from({ length: 7 }, () => ses.send(rawSend())));

    // assess
    const refused = outcomes.flatMap((o) => (o.status === "rejected" ? [o.reason] : []));
    expect(refused.length).toBeGreaterThanOrEqual(3);
    for (const error of refused) {
      expect(error.name).toBe("Throttling");
      expect(error.message).toBe("Maximum sending rate exceeded.");
      expect(error.$metadata.httpStatusCode).toBe(400);
    }
    const report = (await (await fetch(`${url}${SEND_RATE_REPORT_PATH}`)).json()) as {
      maxSendRate: number;
      seconds: SendSecond[];
    };
    expect(report.maxSendRate).toBe(2);
    for (const s of report.seconds) expect(s.accepted).toBeLessThanOrEqual(2);
    expect(report.seconds.reduce((n, s) => n + s.accepted + s.throttled, 0)).toBe(7);
    expect(report.seconds.reduce((n, s) => n + s.throttled, 0)).toBe(refused.length);
  });

  it("throttles nothing when no rate is set", async () => {
    const ses = client(await proxy());

    const outcomes = await Promise.allSettled(Array.from({ length: 20 }, () => ses.send(rawSend())));

    expect(outcomes.every((o) => o.status === "fulfilled")).toBe(true);
  });
});
