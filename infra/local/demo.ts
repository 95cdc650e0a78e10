/**
 * Drives the whole campaign loop against a running platform (`npm start`), through the HTTP
 * API only: import, segment, campaign, maker-checker approval, launch, fan-out and send,
 * customers answering from the emails in the local inbox, conversions, and the funnel.
 */
import { asNdjson, DEFAULT_DEV_TOKENS, demoBank } from "./demo-bank.js";

const API = process.env.API_URL ?? `http://localhost:${process.env.PORT ?? 3000}`;
const tokens = Object.fromEntries(
  (process.env.DEV_TOKENS ?? DEFAULT_DEV_TOKENS).split(",").map((entry) => {
    const [, role, token] = entry.split(":");
    return [role, token];
  }),
) as Record<"marketer" | "approver" | "analyst" | "admin", string>;

class DemoError extends Error {}

async function call<T>(
  method: string,
  path: string,
  as: keyof typeof tokens | null,
  body?: unknown,
  contentType = "application/json",
): Promise<{ status: number; body: T }> {
  const response = await fetch(`${API}${path}`, {
    method,
    headers: {
      ...(as ? { authorization: `Bearer ${tokens[as]}` } : {}),
      ...(body !== undefined ? { "content-type": contentType } : {}),
      accept: "application/json",
    },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  }).catch(() => {
    throw new DemoError(
      `The platform does not answer at ${API}. Start it first with 'npm start' (in another terminal), then run 'npm run demo'.`,
    );
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}

async function expectOk<T>(
  method: string,
  path: string,
  as: keyof typeof tokens | null,
  body?: unknown,
  contentType?: string,
): Promise<T> {
  const result = await call<T>(method, path, as, body, contentType);
  if (result.status >= 300)
    throw new DemoError(`${method} ${path} answered ${result.status}: ${JSON.stringify(result.body)}`);
  return result.body;
}

const step = (n: number, text: string) => console.log(`\n${n}. ${text}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Stats = {
  status: string;
  targeted: number;
  control: number;
  suppressed: Record<string, number>;
  queued: number;
  unconfirmed: number;
  sent: number;
  failed: number;
  delivered: number;
  bounced: number;
  complained: number;
  clicked: number;
  responded: number;
  responses: Record<string, number>;
  converted: number;
  controlConverted: number;
  rates: Record<string, number | null>;
};
type InboxEmail = {
  messageId: string;
  destination: { to: string[] };
  subject: string;
  body: { text?: string; html?: string };
};

async function main() {
  const health = await expectOk<{ status: string; inbox?: string; console?: string }>("GET", "/health", null);
  const inbox = health.inbox ?? `http://localhost:${process.env.SES_PORT ?? 8005}`;
  console.log(`Platform at ${API} is ${health.status}; inbox at ${inbox}.`);

  step(1, "Import the demo bank's customers (NDJSON; an upsert, so a re-run changes nothing)");
  const bank = demoBank();
  const imported = await expectOk<{
    imported: number;
    updated: number;
    unchanged: number;
    rejected: unknown[];
    consentKept: number;
  }>("POST", "/api/customers/import", "marketer", asNdjson(bank), "application/x-ndjson");
  console.log(
    `   imported ${imported.imported}, updated ${imported.updated}, unchanged ${imported.unchanged}, rejected ${imported.rejected.length}`,
  );
  if (imported.consentKept > 0)
    console.log(
      `   consent kept withdrawn for ${imported.consentKept}: they unsubscribed themselves in an earlier run, and the bank's rows carry no later proof`,
    );

  step(2, "Segment: mass-affluent and affluent individuals who hold a deposit but no wealth product");
  const rule = {
    all: [
      { attr: "type", op: "eq", value: "individual" },
      { attr: "tier", op: "in", value: ["mass_affluent", "affluent"] },
      { holds: "DEPOSIT_CURRENT" },
      { lacks: "WEALTH_FUND" },
    ],
  };
  const { segmentId } = await expectOk<{ segmentId: string }>("POST", "/api/segments", "marketer", {
    name: "Affluent savers without a wealth product",
    rule,
  });
  const preview = await expectOk<{ count: number }>("GET", `/api/segments/${segmentId}/preview`, "marketer");
  console.log(`   segment ${segmentId}: ${preview.count} customers match`);

  // The demo bank is small: a 40% control group of its 90 eligible savers holds the 30 the lift needs to mean anything.
  step(3, "Campaign: offer the wealth fund, 40% control group (the demo bank is small: the lift needs 30 in control)");
  const campaignName = `Wealth fund for savers (${new Date().toISOString().slice(0, 16)})`;
  const { campaignId } = await expectOk<{ campaignId: string }>("POST", "/api/campaigns", "marketer", {
    name: campaignName,
    segmentId,
    offer: { productCode: "WEALTH_FUND" },
    message: {
      subject: "{{name}}, your savings could work harder",
      html: '<p>Dear {{name}},</p><p>As one of our {{tier}} customers, you can open our {{product}} today.</p><p><a href="{{offerUrl}}">See the offer</a></p>',
      text: "Dear {{name}},\n\nAs one of our {{tier}} customers, you can open our {{product}} today.\nSee the offer: {{offerUrl}}",
    },
    // Most of the bank's customers read Chinese (zh-CN is the default language): they get this version.
    translations: {
      "zh-CN": {
        subject: "{{name}}，让您的积蓄多一份打算",
        html: '<p>尊敬的{{name}}：</p><p>作为我行{{tier}}，您可以了解我们的{{product}}。</p><p><a href="{{offerUrl}}">查看推荐</a></p>',
        text: "尊敬的{{name}}：\n\n作为我行{{tier}}，您可以了解我们的{{product}}。\n查看推荐：{{offerUrl}}",
      },
    },
    // What the customer sees on the offer page; the name above is the bank's own.
    title: { "zh-CN": "稳健理财，让积蓄多一份打算", en: "A steady way to grow your savings" },
    description: {
      "zh-CN": "适合希望在存款之外稳健配置资产的客户。您的客户经理可为您讲解产品详情与风险。",
      en: "For customers who want to put part of their savings into something beyond a deposit. Your relationship manager can explain the product and its risks.",
    },
    controlGroupPercent: 40,
  });
  console.log(`   campaign ${campaignId} created as draft by the marketer`);

  step(4, "Maker-checker: the marketer submits it and cannot sign it off; the approver does, then it is launched");
  await expectOk("POST", `/api/campaigns/${campaignId}/submit`, "marketer");
  console.log("   submitted for approval by the marketer");
  const selfApproval = await call<{ message: string }>("POST", `/api/campaigns/${campaignId}/approve`, "marketer");
  console.log(`   marketer approving -> ${selfApproval.status}: ${selfApproval.body.message}`);
  await expectOk("POST", `/api/campaigns/${campaignId}/approve`, "approver");
  await expectOk("POST", `/api/campaigns/${campaignId}/launch`, "marketer");
  console.log("   approved by the approver, launched by the marketer");

  step(5, "Fan-out through SQS shards, sends through SES (progress)");
  let stats = await expectOk<Stats>("GET", `/api/campaigns/${campaignId}/stats`, "analyst");
  const deadline = Date.now() + 120_000;
  while (stats.status !== "completed") {
    if (Date.now() > deadline)
      throw new DemoError(`The campaign did not complete within 2 minutes: ${JSON.stringify(stats)}`);
    process.stdout.write(
      `\r   ${stats.status.padEnd(10)} targeted ${stats.targeted}, sent ${stats.sent}, failed ${stats.failed}, control ${stats.control}   `,
    );
    await sleep(500);
    stats = await expectOk<Stats>("GET", `/api/campaigns/${campaignId}/stats`, "analyst");
  }
  console.log(
    `\r   completed: targeted ${stats.targeted}, sent ${stats.sent}, failed ${stats.failed}, control ${stats.control}, suppressed ${JSON.stringify(stats.suppressed)}`,
  );

  step(6, "Customers open their emails and answer (the offer page is the click)");
  const store = (await (await fetch(`${inbox}/store`)).json()) as { emails: InboxEmail[] };
  const offerLink = /(https?:\/\/\S+\/o\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)/;
  const unsubscribeLink = /(https?:\/\/\S+\/u\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)/;
  // The signed link names its delivery (campaign.customer); the signature is what the server checks.
  const deliveryOf = (email: InboxEmail) => {
    const link = offerLink.exec(email.body.text ?? "")?.[1];
    if (!link) return null;
    const [deliveryId] = JSON.parse(Buffer.from(link.split("/o/")[1].split(".")[0], "base64url").toString()) as [
      string,
    ];
    const [ofCampaign, customerId] = deliveryId.split(".");
    return { campaignId: ofCampaign, customerId, link };
  };
  const emails = store.emails.filter((e) => deliveryOf(e)?.campaignId === campaignId);
  console.log(`   ${emails.length} emails for this campaign are in the inbox`);
  const answers = ["interested", "call_me", "not_now", "interested", "interested"] as const;
  const converting: string[] = [];
  let answered = 0;
  for (const [i, email] of emails.entries()) {
    if (i % 3 !== 0) continue; // one in three customers opens the email
    const link = offerLink.exec(email.body.text!)![1];
    const page = await fetch(link, { headers: { accept: "text/html" } });
    if (page.status !== 200) throw new DemoError(`The offer link answered ${page.status}`);
    const answer = answers[answered++ % answers.length];
    const posted = await fetch(link, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: `answer=${answer}`,
    });
    if (posted.status !== 200) throw new DemoError(`Answering the offer answered ${posted.status}`);
    if (answer === "interested") converting.push(deliveryOf(email)!.customerId);
  }
  const leaver = emails.at(-1);
  if (leaver) {
    const link = unsubscribeLink.exec(leaver.body.text!)![1];
    const oneClick = await fetch(link, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "List-Unsubscribe=One-Click",
    });
    console.log(`   one customer used one-click unsubscribe -> ${oneClick.status}`);
  }
  const tampered = await fetch(`${offerLink.exec(emails[0].body.text!)![1]}x`, {
    headers: { accept: "application/json" },
  });
  console.log(`   ${answered} customers answered; a tampered link is refused with ${tampered.status}`);

  step(7, "Core banking reports product openings; each is attributed to the latest offer within 30 days");
  const matching = bank.filter(
    (c) =>
      c.type === "individual" &&
      c.aum >= 50_000 &&
      c.aum < 3_000_000 &&
      c.products.includes("DEPOSIT_CURRENT") &&
      !c.products.includes("WEALTH_FUND"),
  );
  const baseline = matching.filter((_, i) => i % 12 === 0).map((c) => c.customerId); // some open a fund anyway
  const tally = { treated: 0, control: 0, none: 0 };
  for (const customerId of new Set([...converting, ...baseline])) {
    const result = await expectOk<{ attributedTo: string | null; group: "treated" | "control" | null }>(
      "POST",
      "/api/conversions",
      "admin",
      {
        customerId,
        productCode: "WEALTH_FUND",
        amount: 100_000,
        occurredAt: new Date().toISOString(),
      },
    );
    tally[result.attributedTo === campaignId ? result.group! : "none"]++;
  }
  console.log(
    `   conversions: ${tally.treated} treated, ${tally.control} control, ${tally.none} not attributable to this campaign`,
  );

  step(8, "The funnel, as an analyst sees it");
  stats = await expectOk<Stats>("GET", `/api/campaigns/${campaignId}/stats`, "analyst");
  const pct = (v: number | null) => (v === null ? "n/a" : `${(v * 100).toFixed(1)}%`);
  const rows: [string, string | number][] = [
    ["status", stats.status],
    ["targeted (treated)", stats.targeted],
    ["control", stats.control],
    ...Object.entries(stats.suppressed).map(([reason, n]): [string, number] => [`suppressed: ${reason}`, n]),
    ["sent", stats.sent],
    ["failed", stats.failed],
    ["delivered (SES events)", `${stats.delivered} (${pct(stats.rates.deliveredRate)} of sent)`],
    ["bounced, hard", `${stats.bounced} (${pct(stats.rates.bounceRate)}; SES reviews at 5%)`],
    ["complained", `${stats.complained} (${pct(stats.rates.complaintRate)}; SES reviews at 0.1%)`],
    ["clicked", `${stats.clicked} (${pct(stats.rates.clickRate)} of sent)`],
    ...Object.entries(stats.responses).map(([answer, n]): [string, number] => [`answered ${answer}`, n]),
    ["converted (treated)", `${stats.converted} (${pct(stats.rates.conversionRate)})`],
    ["converted (control)", `${stats.controlConverted} (${pct(stats.rates.controlConversionRate)})`],
    ["lift", pct(stats.rates.lift)],
  ];
  for (const [label, value] of rows) console.log(`   ${label.padEnd(32)} ${value}`);
  if (health.console)
    console.log(
      `\nThe same results in the console: ${health.console}/campaigns/${campaignId} (sign in as an analyst or the marketer; npm start printed the passwords)`,
    );
  console.log(`\nEvery email is in the inbox: ${inbox}`);
  console.log(
    `One offer link to try in a browser: ${offerLink.exec(emails[1]?.body.text ?? emails[0].body.text!)![1]}`,
  );
}

main().catch((error) => {
  console.error(error instanceof DemoError ? `Demo stopped: ${error.message}` : error);
  process.exit(1);
});
