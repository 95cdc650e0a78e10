import { beforeAll, describe, expect, it } from "vitest";
import { api, type InboxEmail, inbox, linkIn, waitFor } from "./client.js";

/**
 * Campaign touches on the real emulators: a send records lastContactedAt, an answer records
 * itself on the customer, rules select on both, the customer view lists the touches and
 * conversions, and a re-import keeps what the campaigns wrote.
 */
const REGION = "TouchTown";
const emailed = [0, 1, 2, 3].map((i) => ({ id: `TOUCH-${i}`, email: `touch${i}@customers.test`, consent: "true" }));
const notEmailed = [0, 1].map((i) => ({ id: `TOUCH-NC-${i}`, email: `touch-nc${i}@customers.test`, consent: "false" }));
const rows = (aum: number) =>
  [
    "customerId,type,name,email,aum,products,region,emailConsent",
    ...[...emailed, ...notEmailed].map((r) =>
      [r.id, "individual", `Touch ${r.id}`, r.email, aum, "DEPOSIT_CURRENT", REGION, r.consent].join(","),
    ),
  ].join("\n");

const message = {
  subject: "TouchTown: a {{product}} for you",
  html: '<p>Dear {{name}}, <a href="{{offerUrl}}">see the offer</a></p>',
  text: "Dear {{name}}, see the offer: {{offerUrl}}",
};

let campaignId: string;
let answeredId: string;

async function previewOf(rule: unknown): Promise<{ count: number; sample: { customerId: string }[] }> {
  const created = await api("POST", "/api/segments", "marketer", {
    name: `TouchTown ${JSON.stringify(rule)}`,
    rule: { all: [{ attr: "region", op: "eq", value: REGION }, rule] },
  });
  expect(created.status).toBe(201);
  return (await api("GET", `/api/segments/${created.body.segmentId}/preview`, "marketer")).body;
}

const view = (customerId: string) => api("GET", `/api/customers/${customerId}`, "analyst").then((r) => r.body);

beforeAll(async () => {
  expect((await api("POST", "/api/customers/import", "marketer", rows(80_000), "text/csv")).status).toBe(200);
  const segment = await api("POST", "/api/segments", "marketer", {
    name: "TouchTown savers",
    rule: { attr: "region", op: "eq", value: REGION },
  });
  const created = await api("POST", "/api/campaigns", "marketer", {
    name: "TouchTown wealth offer",
    segmentId: segment.body.segmentId,
    offer: { productCode: "WEALTH_FUND" },
    message,
    controlGroupPercent: 0,
  });
  campaignId = created.body.campaignId;
  expect((await api("POST", `/api/campaigns/${campaignId}/submit`, "marketer")).status).toBe(200);
  expect((await api("POST", `/api/campaigns/${campaignId}/approve`, "approver")).status).toBe(200);
  expect((await api("POST", `/api/campaigns/${campaignId}/launch`, "marketer")).status).toBe(200);
  await waitFor(
    "the TouchTown campaign to complete",
    () => api("GET", `/api/campaigns/${campaignId}/stats`, "analyst").then((r) => r.body),
    (s) => s.status === "completed",
  );

  // The counters can say completed a moment before the last send's lastContactedAt is written
  // (SES's Send event may count the send first): wait for what the rules below read.
  await waitFor(
    "every emailed customer's lastContactedAt",
    () => Promise.all(emailed.map((r) => view(r.id))),
    (customers) => customers.every((c) => Boolean(c.lastContactedAt)),
  );

  const emails = await waitFor(
    "the TouchTown emails",
    async () =>
      (await inbox()).filter(
        (e: InboxEmail) => e.subject.startsWith("TouchTown") && e.destination.to[0].includes("touch0@"),
      ),
    (found) => found.length === 1,
  );
  answeredId = "TOUCH-0";
  const link = linkIn(emails[0].body.text!, "o")!;
  const post = (answer: string) =>
    fetch(link, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ answer }) });
  // A changed answer, and back: the customer record keeps the latest (and the second write is
  // conditional on the map the first one wrote).
  expect((await post("call_me")).status).toBe(200);
  expect((await post("interested")).status).toBe(200);
});

describe("the customer view's campaign part", () => {
  it("lists the touch with its answer, and the customer's lastContactedAt and answers", async () => {
    const customer = await view(answeredId);

    expect(customer.touches).toEqual([
      expect.objectContaining({
        campaignId,
        campaignName: "TouchTown wealth offer",
        productCode: "WEALTH_FUND",
        status: "sent",
        sentAt: expect.any(String),
        clickedAt: expect.any(String),
        answer: "interested",
        answeredAt: expect.any(String),
      }),
    ]);
    expect(customer.touches[0]).not.toHaveProperty("messageId");
    expect(customer.lastContactedAt).toBe(customer.touches[0].sentAt);
    // The answer keeps the product offered: a "not now" holds that product back for a while.
    expect(customer.answers).toEqual({
      [campaignId]: { answer: "interested", at: expect.any(String), productCode: "WEALTH_FUND" },
    });
    expect(customer.conversions).toEqual([]);
  });

  it("lists a suppressed customer's touch with its reason, and no contact", async () => {
    const customer = await view("TOUCH-NC-0");

    expect(customer.touches).toEqual([
      expect.objectContaining({ campaignId, status: "suppressed", suppressionReason: "no_email_consent" }),
    ]);
    expect(customer.lastContactedAt).toBeUndefined();
  });

  it("lists a conversion core banking reports, credited to the campaign", async () => {
    const reported = await api("POST", "/api/conversions", "admin", {
      customerId: answeredId,
      productCode: "WEALTH_FUND",
      amount: 50_000,
      occurredAt: new Date().toISOString(),
    });

    const customer = await view(answeredId);

    expect(reported.body).toMatchObject({ attributedTo: campaignId, group: "treated" });
    expect(customer.conversions).toEqual([
      {
        productCode: "WEALTH_FUND",
        amount: 50_000,
        occurredAt: expect.any(String),
        attributedTo: campaignId,
        group: "treated",
      },
    ]);
  });
});

describe("rules over the touches", () => {
  it("answered campaign X with answer Y previews exactly that customer", async () => {
    const preview = await previewOf({ answered: campaignId, answer: "interested" });
    const anyAnswer = await previewOf({ answered: campaignId });
    const otherAnswer = await previewOf({ answered: campaignId, answer: "call_me" });

    expect(preview.count).toBe(1);
    expect(preview.sample.map((c) => c.customerId)).toEqual([answeredId]);
    expect(anyAnswer.count).toBe(1);
    expect(otherAnswer.count).toBe(0);
  });

  it("not contacted within 1 day leaves out every customer just emailed", async () => {
    const capped = await previewOf({ not: { contactedWithinDays: 1 } });
    const contacted = await previewOf({ contactedWithinDays: 1 });

    expect(capped.sample.map((c) => c.customerId).sort()).toEqual(notEmailed.map((r) => r.id).sort());
    expect(contacted.count).toBe(emailed.length);
  });

  it("names the wrong part of a rule", async () => {
    const wrong = await api("POST", "/api/segments", "marketer", {
      name: "bad",
      rule: { all: [{ answered: campaignId, answer: "maybe" }] },
    });

    expect(wrong.status).toBe(400);
    expect(wrong.body.message).toContain("rule.all.0.answer");
  });
});

describe("re-importing the customers", () => {
  it("keeps lastContactedAt and answers, whether the rows changed or not", async () => {
    const before = await view(answeredId);

    const same = await api("POST", "/api/customers/import", "marketer", rows(80_000), "text/csv");
    const richer = await api("POST", "/api/customers/import", "marketer", rows(90_000), "text/csv");
    const after = await view(answeredId);

    expect(same.body).toMatchObject({ unchanged: emailed.length + notEmailed.length });
    expect(richer.body).toMatchObject({ updated: emailed.length + notEmailed.length });
    expect(after.aum).toBe(90_000);
    expect(after.lastContactedAt).toBe(before.lastContactedAt);
    expect(after.answers).toEqual(before.answers);
    expect((await previewOf({ answered: campaignId, answer: "interested" })).count).toBe(1);
  });
});
