/**
 * `npm run bench -- rate [LIMIT] [CUSTOMERS] [SENDERS]`: the send rate held to the quota. The local
 * platform runs with SES_MAX_SEND_RATE=LIMIT (default 50 a second, which this machine's senders
 * can exceed), so the SES stand-in states that quota and refuses any send beyond it in a second,
 * as SES does. A campaign to CUSTOMERS (default 2,000) runs to completed, and the stand-in's
 * per-second counts give the rate achieved against the limit and the share of sends SES
 * throttled. In the same run, the senders' bare speed: the same pipeline with no limit set is
 * `npm run bench -- campaign`; here the bare SES calls at the sender's concurrency show that the
 * emulator alone is far above the limit, so the limit, not the machine, sets the pace.
 */

import { SESClient, SendRawEmailCommand } from "@aws-sdk/client-ses";
import { SEND_RATE_REPORT_PATH, type SendSecond } from "../infra/local/ses-events.js";
import {
  apiClient,
  approvedCampaign,
  local,
  printTable,
  rate,
  seconds,
  startBenchPlatform,
  untilCompleted,
} from "./support.js";

const limit = Number(process.argv[2] ?? 50);
const customers = Number(process.argv[3] ?? 2000);
/** Sender pollers (Lambda instances, maxConcurrency on AWS), ten records each. */
const senders = Number(process.argv[4] ?? 2);
if (
  !Number.isInteger(limit) ||
  limit < 1 ||
  !Number.isInteger(customers) ||
  customers < 10 * limit ||
  !Number.isInteger(senders) ||
  senders < 1
) {
  console.error("Usage: npm run bench -- rate [LIMIT] [CUSTOMERS] [SENDERS]   (LIMIT a whole number a second,");
  console.error("       default 50; CUSTOMERS at least ten seconds' worth, default 2000; SENDERS, default 2)");
  process.exit(2);
}
const TOKEN = "bench-admin-token-1";
const APPROVER = "bench-approver-token-1";

async function main() {
  const platform = await startBenchPlatform(
    `bench:admin:${TOKEN},approver:approver:${APPROVER}`,
    { SES_MAX_SEND_RATE: String(limit) },
    { sender: senders },
  );
  const api = apiClient(platform.apiUrl, TOKEN);
  try {
    const rows = Array.from({ length: customers }, (_, i) =>
      JSON.stringify({
        customerId: `RATE-${i}`,
        type: "individual",
        name: `Rate Customer ${i}`,
        email: `rate${i}@customers.test`,
        aum: 80_000,
        products: "DEPOSIT_CURRENT",
        region: "Rate",
        emailConsent: true,
      }),
    );
    for (let i = 0; i < rows.length; i += 5000)
      await api("POST", "/api/customers/import", rows.slice(i, i + 5000).join("\n"), TOKEN, "application/x-ndjson");
    const { segmentId } = await api("POST", "/api/segments", {
      name: "rate",
      rule: { attr: "region", op: "eq", value: "Rate" },
    });
    const campaignId = await approvedCampaign(api, segmentId, APPROVER, "rate");
    const t = performance.now();
    await api("POST", `/api/campaigns/${campaignId}/launch`);
    await untilCompleted(api, campaignId, t, customers, 250);
    const campaignSeconds = seconds(t);

    const report = (await (await fetch(`${platform.env.AWS_ENDPOINT_URL_SES}${SEND_RATE_REPORT_PATH}`)).json()) as {
      seconds: SendSecond[];
    };
    const perSecond = report.seconds.sort((a, b) => a.second - b.second);
    const first = perSecond[0].second;
    const last = perSecond[perSecond.length - 1].second;
    const accepted = perSecond.reduce((n, s) => n + s.accepted, 0);
    const throttled = perSecond.reduce((n, s) => n + s.throttled, 0);
    const asked = perSecond.map((s) => s.accepted + s.throttled);
    // The first and last second are partial (the sends start and end inside them).
    const inner = perSecond.filter((s) => s.second > first && s.second < last);
    const innerSpan = Math.max(1, last - first - 1);
    const innerRate = inner.reduce((n, s) => n + s.accepted, 0) / innerSpan;
    const fullSeconds = perSecond.filter((s) => s.accepted === limit).length;

    // The bare emulator at the sender's concurrency (2 pollers x 10 records), with no limit.
    const ses = new SESClient({ ...local, endpoint: platform.inboxUrl });
    const raw = (i: number) =>
      Buffer.from(`From: offers@demo-bank.test\r\nTo: raw${i}@customers.test\r\nSubject: Hi\r\n\r\nHi ${i}\r\n`);
    const bareEmails = Math.min(customers, 3000);
    let next = 0;
    const b = performance.now();
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        while (next < bareEmails) {
          const i = next++;
          await ses.send(new SendRawEmailCommand({ RawMessage: { Data: raw(i) } }));
        }
      }),
    );
    const bareSeconds = seconds(b);

    const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
    console.log(
      `\nSend rate held to SES_MAX_SEND_RATE=${limit}/s, ${customers.toLocaleString("en")} customers, ${senders} senders x 10, Node ${process.version}\n`,
    );
    printTable([
      ["what", "measured", "against", "share"],
      ["sends a second, whole seconds", `${innerRate.toFixed(1)}/s`, `limit ${limit}/s`, pct(innerRate / limit)],
      [
        "sends a second, first to last send",
        `${(accepted / (last - first + 1)).toFixed(1)}/s`,
        `limit ${limit}/s`,
        pct(accepted / (last - first + 1) / limit),
      ],
      ["seconds at the limit", `${fullSeconds} of ${last - first + 1}`, "", ""],
      ["most sends asked in one second", String(Math.max(...asked)), `limit ${limit}`, ""],
      [
        "sends SES throttled",
        String(throttled),
        `${accepted + throttled} asked`,
        pct(throttled / (accepted + throttled)),
      ],
      [
        "launch to completed",
        `${campaignSeconds.toFixed(1)} s`,
        `${(customers / limit).toFixed(1)} s at the limit`,
        "",
      ],
      ["bare SES emulator, 20 in flight", rate(bareEmails, bareSeconds), `limit ${limit}/s`, ""],
    ]);
  } finally {
    await platform.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
