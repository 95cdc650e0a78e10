import { GetQueueAttributesCommand, SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { inControlGroup } from "../../shared/delivery/decide.js";
import { signLink } from "../../shared/delivery/links.js";
import { api, type InboxEmail, inbox, linkIn, waitFor } from "./client.js";

/**
 * The whole loop against the real emulators: import, segment, campaign, approval, launch,
 * fan-out, send, click, answer, unsubscribe, conversion, statistics.
 */
const REGION = "LoopTown";
type Row = { id: string; name: string; email: string; aum: string; products: string; consent: string };

const eligible: Row[] = Array.from({ length: 24 }, (_, i) => ({
  id: `LOOP-${String(i).padStart(3, "0")}`,
  name: `<b>Loop & "Co" ${i}</b>`, // markup in every name: each email must escape it
  email: `loop${i}@customers.test`,
  aum: String(60_000 + i * 10_000),
  products: "DEPOSIT_CURRENT",
  consent: "true",
}));
const noConsent: Row[] = [0, 1, 2].map((i) => ({
  id: `LOOP-NC-${i}`,
  name: `No Consent ${i}`,
  email: `nc${i}@customers.test`,
  aum: "80000",
  products: "DEPOSIT_CURRENT",
  consent: "false",
}));
const holdsOffer: Row[] = [0, 1, 2].map((i) => ({
  id: `LOOP-HO-${i}`,
  name: `Holder ${i}`,
  email: `ho${i}@customers.test`,
  aum: "90000",
  products: "DEPOSIT_CURRENT;WEALTH_FUND",
  consent: "true",
}));
const noEmail: Row[] = [0, 1].map((i) => ({
  id: `LOOP-NE-${i}`,
  name: `No Email ${i}`,
  email: "",
  aum: "70000",
  products: "DEPOSIT_CURRENT",
  consent: "true",
}));
const all = [...eligible, ...noConsent, ...holdsOffer, ...noEmail];

const csv = [
  "customerId,type,name,email,aum,products,region,emailConsent",
  ...all.map((r) =>
    [r.id, "individual", `"${r.name.replace(/"/g, '""')}"`, r.email, r.aum, r.products, REGION, r.consent].join(","),
  ),
  `LOOP-BAD-1,individual,Bad Email,not-an-email,1000,DEPOSIT_CURRENT,${REGION},true`,
  `LOOP-BAD-2,individual,Negative,neg@customers.test,-5,DEPOSIT_CURRENT,${REGION},true`,
].join("\n");

const message = {
  subject: "{{name}}, a {{product}} for you",
  html: '<p>Dear {{name}} ({{tier}}),</p><p><a href="{{offerUrl}}">Open the {{product}} offer</a></p>',
  text: "Dear {{name}} ({{tier}}), open the {{product}} offer: {{offerUrl}}",
};

let segmentId: string;
let campaignId: string;
let campaignEmails: InboxEmail[];

const stats = () => api("GET", `/api/campaigns/${campaignId}/stats`, "analyst").then((r) => r.body);
const recipient = (e: InboxEmail) => e.destination.to[0].replace(/.*<|>.*/g, "");

beforeAll(async () => {
  const imported = await api("POST", "/api/customers/import", "marketer", csv, "text/csv");
  expect(imported.status).toBe(200);
  const segment = await api("POST", "/api/segments", "marketer", {
    name: "LoopTown savers",
    rule: { all: [{ attr: "region", op: "eq", value: REGION }, { holds: "DEPOSIT_CURRENT" }] },
  });
  segmentId = segment.body.segmentId;
});

describe("import and segment", () => {
  it("imports the good rows, names the bad ones by line, and a second import changes nothing", async () => {
    const again = await api("POST", "/api/customers/import", "marketer", csv, "text/csv");

    expect(again.body).toMatchObject({ imported: 0, updated: 0, unchanged: all.length });
    expect(again.body.rejected).toEqual([
      { line: all.length + 2, reason: expect.stringContaining("email") },
      { line: all.length + 3, reason: expect.stringContaining("negative") },
    ]);
  });

  it("computes each customer's tier from AUM", async () => {
    const customer = await api("GET", "/api/customers/LOOP-000", "analyst");

    expect(customer.body).toMatchObject({
      customerId: "LOOP-000",
      aum: 60_000,
      tier: "mass_affluent",
      emailConsent: true,
    });
  });

  it("previews exactly the customers the rule matches", async () => {
    const preview = await api("GET", `/api/segments/${segmentId}/preview`, "marketer");

    expect(preview.body.count).toBe(all.length);
    expect(preview.body.sample.length).toBeGreaterThan(0);
    for (const r of all) expect(preview.body.sample.map((c: { email?: string }) => c.email)).not.toContain(r.email); // contact data masked for a marketer
    expect(Object.values(preview.body.byRegion)).toEqual([all.length]);
  });
});

describe("campaign lifecycle", () => {
  it("creates a draft, refuses launch before approval, approval before submission and self-approval, then submits, approves and launches", async () => {
    const created = await api("POST", "/api/campaigns", "admin", {
      name: "Loop wealth offer",
      segmentId,
      offer: { productCode: "WEALTH_FUND" },
      message,
      controlGroupPercent: 20,
    });
    expect(created.status).toBe(201);
    expect(created.body.status).toBe("draft");
    campaignId = created.body.campaignId;

    const early = await api("POST", `/api/campaigns/${campaignId}/launch`, "marketer");
    const unsubmitted = await api("POST", `/api/campaigns/${campaignId}/approve`, "approver");
    const submitted = await api("POST", `/api/campaigns/${campaignId}/submit`, "marketer");
    const selfApproved = await api("POST", `/api/campaigns/${campaignId}/approve`, "admin");
    const approved = await api("POST", `/api/campaigns/${campaignId}/approve`, "approver");
    const launched = await api("POST", `/api/campaigns/${campaignId}/launch`, "marketer");
    const twice = await api("POST", `/api/campaigns/${campaignId}/launch`, "marketer");

    expect(early.status).toBe(409);
    expect(early.body.message).toContain("'draft'");
    expect(unsubmitted.status).toBe(409);
    expect(unsubmitted.body.message).toContain("submit it first");
    expect(submitted.body).toMatchObject({ status: "submitted" });
    expect(selfApproved.status).toBe(403);
    expect(selfApproved.body.code).toBe("self_approval");
    expect(approved.body.status).toBe("approved");
    expect(launched.body.status).toBe("launching");
    expect(twice.status).toBe(409);
  });

  it("fans out, suppresses with reasons, holds back the control group and sends every other eligible customer one email", async () => {
    const final = await waitFor("the campaign to complete", stats, (s) => s.status === "completed");
    const expectedControl = eligible.filter((r) => inControlGroup(campaignId, r.id, 20)).length;

    expect(final).toMatchObject({
      control: expectedControl,
      targeted: eligible.length - expectedControl,
      sent: eligible.length - expectedControl,
      failed: 0,
      unconfirmed: 0,
      suppressed: { no_email_consent: 3, already_holds_product: 3, no_email_address: 2 },
    });
    campaignEmails = (await inbox()).filter(
      (e) =>
        linkIn(e.body.text ?? "", "o") &&
        e.subject.includes("Wealth Management Fund") &&
        recipient(e).startsWith("loop"),
    );
    const recipients = campaignEmails.map(recipient).sort();
    const expectedRecipients = eligible
      .filter((r) => !inControlGroup(campaignId, r.id, 20))
      .map((r) => r.email)
      .sort();
    expect(recipients).toEqual(expectedRecipients);
  });

  it("renders personal fields, escaping them in HTML, and adds the unsubscribe link the template left out", () => {
    for (const email of campaignEmails) {
      const i = Number(/^loop(\d+)@/.exec(recipient(email))![1]);

      expect(email.body.html).toContain(`Dear &lt;b&gt;Loop &amp; &quot;Co&quot; ${i}&lt;/b&gt; (`);
      expect(email.body.html).not.toContain("<b>Loop");
      expect(email.body.text).toContain(`Dear <b>Loop & "Co" ${i}</b> (`);
      expect(email.body.html).toContain("Open the Wealth Management Fund offer");
      expect(email.body.html).toMatch(/href="http:\/\/localhost:\d+\/u\/[A-Za-z0-9_-]+\./);
      expect(linkIn(email.body.text!, "u")).toBeDefined();
    }
  });
});

describe("customer responses", () => {
  it("counts opening the offer page as one click, however often it is opened", async () => {
    const link = linkIn(campaignEmails[0].body.text!, "o")!;

    const first = await fetch(link, { headers: { accept: "text/html" } });
    await fetch(link, { headers: { accept: "text/html" } });

    expect(first.status).toBe(200);
    expect(await first.text()).toContain("Wealth Management Fund");
    expect((await stats()).clicked).toBe(1);
  });

  it("records an answer, and a changed answer moves the count", async () => {
    const link = linkIn(campaignEmails[1].body.text!, "o")!;
    const post = (answer: string) =>
      fetch(link, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ answer }),
      });

    const first = await post("call_me");
    const afterFirst = await stats();
    await post("interested");
    const afterSecond = await stats();
    const bad = await post("maybe");

    expect(first.status).toBe(200);
    expect(afterFirst.responses.call_me).toBe(1);
    expect(afterSecond.responses).toMatchObject({ call_me: 0, interested: 1 });
    expect(bad.status).toBe(400);
  });

  it("takes a form post from the offer page itself", async () => {
    const link = linkIn(campaignEmails[2].body.text!, "o")!;

    const posted = await fetch(link, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "text/html" },
      body: "answer=not_now",
    });

    expect(posted.status).toBe(200);
    expect(await posted.text()).toContain("Thank you");
    expect((await stats()).responses.not_now).toBe(1);
  });

  it("unsubscribes with one click (RFC 8058) and withdraws email consent at once", async () => {
    const email = campaignEmails[3];
    const customerId = all.find((r) => r.email === recipient(email))!.id;

    const response = await fetch(linkIn(email.body.text!, "u")!, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "List-Unsubscribe=One-Click",
    });

    expect(response.status).toBe(200);
    const customer = (await api("GET", `/api/customers/${customerId}`, "admin")).body;
    expect(customer.emailConsent).toBe(false);
    expect(customer.consent.channels.email).toEqual({
      granted: false,
      source: `unsubscribe link of campaign ${campaignId}`,
      at: expect.any(String),
      by: "customer",
    }); // the proof, marked as the customer's own: no import without a later proof of its own undoes it
    expect((await stats()).responses.unsubscribe).toBe(1);
  });

  it("refuses a tampered or expired link with a 4xx, never a 500", async () => {
    const link = linkIn(campaignEmails[0].body.text!, "o")!;
    const [base, token] = link.split("/o/");
    const deliveryId = JSON.parse(Buffer.from(token.split(".")[0], "base64url").toString())[0] as string;
    const expired = signLink(inject("linkSigningSecret"), {
      deliveryId,
      action: "offer",
      expiresAt: Math.floor(Date.now() / 1000) - 60,
    });

    const tampered = await fetch(`${base}/o/${token.slice(0, -2)}xx`, { headers: { accept: "application/json" } });
    const wrongAction = await fetch(`${base}/u/${token}`, { method: "POST" });
    const old = await fetch(`${base}/o/${expired}`, { headers: { accept: "text/html" } });

    expect(tampered.status).toBe(400);
    expect(((await tampered.json()) as { code: string }).code).toBe("invalid_link");
    expect(wrongAction.status).toBe(400);
    expect(old.status).toBe(410);
    expect(await old.text()).toContain("expired");
  });
});

describe("delivery guarantees", () => {
  it("never sends twice when a send message is delivered again", async () => {
    const sentBefore = (await stats()).sent;
    const countBefore = (await inbox()).length;
    const customerId = all.find((r) => r.email === recipient(campaignEmails[4]))!.id;
    const sqs = new SQSClient({
      endpoint: inject("sqsEndpoint"),
      region: "us-east-1",
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
      useQueueUrlAsEndpoint: false,
    });
    const queueUrl = inject("sendQueueUrl");

    await sqs.send(
      new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify({ campaignId, customerId }) }),
    );
    await waitFor(
      "the duplicate to be consumed",
      () =>
        sqs.send(
          new GetQueueAttributesCommand({
            QueueUrl: queueUrl,
            AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
          }),
        ),
      (q) =>
        q.Attributes?.ApproximateNumberOfMessages === "0" &&
        q.Attributes?.ApproximateNumberOfMessagesNotVisible === "0",
    );

    expect((await inbox()).length).toBe(countBefore);
    expect((await stats()).sent).toBe(sentBefore);
  });
});

describe("conversions", () => {
  const convert = (customerId: string, occurredAt = new Date().toISOString(), productCode = "WEALTH_FUND") =>
    api("POST", "/api/conversions", "admin", { customerId, productCode, amount: 50_000, occurredAt });

  it("attributes a treated customer's opening to the campaign, once however often it is posted", async () => {
    const customerId = all.find((r) => r.email === recipient(campaignEmails[5]))!.id;
    const occurredAt = new Date().toISOString();

    const first = await convert(customerId, occurredAt);
    const again = await convert(customerId, occurredAt);

    expect(first.body).toEqual({ attributedTo: campaignId, group: "treated" });
    expect(again.body).toEqual(first.body);
    expect((await stats()).converted).toBe(1);
  });

  it("records control-group openings as the baseline", async () => {
    const control = eligible.find((r) => inControlGroup(campaignId, r.id, 20));
    if (!control) return; // the draw put nobody in control: nothing to assert

    const result = await convert(control.id);
    const after = await stats();

    expect(result.body).toEqual({ attributedTo: campaignId, group: "control" });
    expect(after.controlConverted).toBe(1);
    expect(after.rates.controlConversionRate).toBeCloseTo(1 / after.control, 3);
  });

  it("attributes nothing outside the 30-day window, to suppressed customers, or for another product", async () => {
    const treated = all.find((r) => r.email === recipient(campaignEmails[6]))!.id;
    const later = new Date(Date.now() + 31 * 86_400_000).toISOString();

    expect((await convert(treated, later)).body).toEqual({ attributedTo: null, group: null });
    expect((await convert("LOOP-NC-0")).body).toEqual({ attributedTo: null, group: null });
    expect((await convert(treated, undefined, "CREDIT_CARD")).body).toEqual({ attributedTo: null, group: null });
  });

  it("answers 404 for an unknown customer and 400 naming a bad field", async () => {
    const unknown = await convert("NOBODY-1");
    const bad = await api("POST", "/api/conversions", "admin", {
      customerId: "LOOP-000",
      productCode: "WEALTH_FUND",
      amount: -1,
      occurredAt: "yesterday",
    });

    expect(unknown.status).toBe(404);
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain("amount");
    expect(bad.body.message).toContain("occurredAt");
  });
});
