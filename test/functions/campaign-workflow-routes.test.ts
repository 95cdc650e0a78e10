import { beforeEach, describe, expect, it } from "vitest";
import { createApp } from "../../functions/api/app.js";
import type { Campaign } from "../../shared/campaigns/campaign.js";
import type { CampaignHistoryEntry, CampaignStatus } from "../../shared/campaigns/lifecycle.js";
import type { CustomerStore } from "../../shared/customers/ports.js";
import type { Mailer, OutgoingEmail } from "../../shared/delivery/ports.js";
import type { MessagePreview } from "../../shared/delivery/preview.js";
import type { Actor } from "../../shared/kernel/actor.js";
import type { SegmentStore } from "../../shared/segments/ports.js";
import { aCampaign } from "../adapters/fixtures.js";
import { aCustomer } from "../unit/fixtures.js";
import { InMemoryCampaigns } from "../unit/in-memory-campaigns.js";
import { partOf, platformWith } from "../unit/platform.js";

const TOKENS = new Map<string, Actor>([
  // mei created cmp-1 (aCampaign's createdBy)
  ["mei-token", { name: "mei", role: "marketer", email: "mei.marketer@demo-bank.example" }],
  ["lin-token", { name: "lin", role: "marketer" }],
  ["li-token", { name: "li", role: "approver", email: "li.approver@demo-bank.example" }],
  ["mei-approver-token", { name: "mei", role: "approver" }],
  ["zhou-token", { name: "zhou", role: "analyst", email: "zhou@demo-bank.example" }],
]);

const member = aCustomer({ customerId: "C-1", name: "Lily Chen", language: "en" });
const outsider = aCustomer({ customerId: "C-0", products: ["CREDIT_CARD"] });

let campaigns: InMemoryCampaigns;
let mailed: OutgoingEmail[];
let app: ReturnType<typeof createApp>;

function appWith(status: CampaignStatus) {
  campaigns = new InMemoryCampaigns(aCampaign({ status }));
  mailed = [];
  app = createApp({
    ports: platformWith({
      campaigns,
      segments: partOf<SegmentStore>("segments", {
        get: async () => ({
          segmentId: "seg-1",
          version: 3,
          name: "Current accounts",
          rule: { holds: "DEPOSIT_CURRENT" },
          createdBy: "mei",
          createdAt: "2024-04-01T00:00:00.000Z",
        }),
      }),
      customers: partOf<CustomerStore>("customers", {
        get: async (id) => [member, outsider].find((c) => c.customerId === id) ?? null,
        scanShard: async (shard) => ({ customers: shard === 0 ? [outsider, member] : [] }),
      }),
      mailer: partOf<Mailer>("mailer", {
        send: async (email) => {
          mailed.push(email);
          return { messageId: "ses-1" };
        },
      }),
    }),
    actorFor: async (token) => TOKENS.get(token),
    checkServices: async () => ({ dynamodb: "ok", sqs: "ok" }),
  });
}

const request = (method: string, path: string, who: string, body?: unknown) =>
  app.request(path, {
    method,
    headers: {
      authorization: `Bearer ${who}-token`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

const edit = {
  name: "Wealth fund, second try",
  segmentId: "seg-1",
  offer: { productCode: "WEALTH_FUND" },
  message: { subject: "{{name}}, a fund", html: '<p><a href="{{offerUrl}}">See it</a></p>' },
  controlGroupPercent: 5,
};

describe("editing, submitting and sending back through the API", () => {
  beforeEach(() => appWith("draft"));

  it("edits a draft, submits it, and an approver approves what was submitted", async () => {
    // act
    const edited = await request("PUT", "/api/campaigns/cmp-1", "lin", edit);
    const submitted = await request("POST", "/api/campaigns/cmp-1/submit", "mei");
    const approved = await request("POST", "/api/campaigns/cmp-1/approve", "li");
    const shown = await (await request("GET", "/api/campaigns/cmp-1", "li")).json();
    // assess
    expect(await edited.json()).toEqual({ campaignId: "cmp-1", status: "draft" });
    expect(await submitted.json()).toEqual({ campaignId: "cmp-1", status: "submitted" });
    expect(await approved.json()).toEqual({ campaignId: "cmp-1", status: "approved" });
    expect(shown).toMatchObject({ name: "Wealth fund, second try", segmentVersion: 3, submittedBy: "mei" });
    expect(campaigns.entries.map((e) => e.event)).toEqual(["edited", "submitted", "approved"]);
  });

  it("refuses to approve a draft with a 409 saying to submit it first", async () => {
    // act
    const approved = await request("POST", "/api/campaigns/cmp-1/approve", "li");
    // assess
    expect(approved.status).toBe(409);
    expect(await approved.json()).toMatchObject({
      code: "campaign_state_conflict",
      message: expect.stringContaining("submit it first"),
    });
  });

  it("sends a submitted campaign back with the reason on the draft and in the history", async () => {
    // prepare
    await request("POST", "/api/campaigns/cmp-1/submit", "mei");
    // act
    const back = await request("POST", "/api/campaigns/cmp-1/send-back", "li", { reason: "Name the fund" });
    const shown = (await (await request("GET", "/api/campaigns/cmp-1", "mei")).json()) as Campaign;
    const history = (await (await request("GET", "/api/campaigns/cmp-1/history", "mei")).json()) as {
      history: CampaignHistoryEntry[];
    };
    // assess
    expect(await back.json()).toEqual({ campaignId: "cmp-1", status: "draft" });
    expect(shown.sentBack).toMatchObject({ by: "li", reason: "Name the fund" });
    expect(history.history.at(-1)).toMatchObject({ event: "sent_back", by: "li", reason: "Name the fund" });
  });

  it("refuses the author's own send-back with a 403 (maker-checker)", async () => {
    // prepare
    await request("POST", "/api/campaigns/cmp-1/submit", "mei");
    // act
    const back = await request("POST", "/api/campaigns/cmp-1/send-back", "mei-approver", { reason: "mine" });
    // assess
    expect(back.status).toBe(403);
    expect(await back.json()).toMatchObject({ code: "self_approval", message: expect.stringContaining("sent back") });
  });

  it.each([{ reason: "   " }, {}])("refuses the send-back body %j with a 400 naming the reason", async (body) => {
    // prepare
    await request("POST", "/api/campaigns/cmp-1/submit", "mei");
    // act
    const back = await request("POST", "/api/campaigns/cmp-1/send-back", "li", body);
    // assess
    expect(back.status).toBe(400);
    expect(await back.json()).toMatchObject({ code: "invalid_request", message: expect.stringContaining("reason") });
    expect(campaigns.rows.get("cmp-1")?.status).toBe("submitted");
  });

  it("answers 409 to an edit or a submit of a submitted campaign, and to a send-back of a draft", async () => {
    // prepare
    await request("POST", "/api/campaigns/cmp-1/submit", "mei");
    // act
    const edited = await request("PUT", "/api/campaigns/cmp-1", "mei", edit);
    const again = await request("POST", "/api/campaigns/cmp-1/submit", "mei");
    await request("POST", "/api/campaigns/cmp-1/send-back", "li", { reason: "fix it" });
    const twice = await request("POST", "/api/campaigns/cmp-1/send-back", "li", { reason: "fix it" });
    // assess
    expect([edited.status, again.status, twice.status]).toEqual([409, 409, 409]);
    expect(await edited.json()).toMatchObject({ message: expect.stringContaining("sends it back to draft first") });
  });

  it("refuses an edit with a bad template with a 400 naming the field, changing nothing", async () => {
    // act
    const edited = await request("PUT", "/api/campaigns/cmp-1", "mei", {
      ...edit,
      message: { subject: "s", html: "<p>{{balance}} {{offerUrl}}</p>" },
    });
    // assess
    expect(edited.status).toBe(400);
    expect(await edited.json()).toMatchObject({ message: expect.stringContaining("{{balance}}") });
    expect(campaigns.entries).toEqual([]);
  });

  it("keeps an approver from editing or submitting, and a marketer from sending back (403)", async () => {
    // act
    const edited = await request("PUT", "/api/campaigns/cmp-1", "li", edit);
    const submitted = await request("POST", "/api/campaigns/cmp-1/submit", "li");
    const back = await request("POST", "/api/campaigns/cmp-1/send-back", "lin", { reason: "no" });
    // assess
    expect([edited.status, submitted.status, back.status]).toEqual([403, 403, 403]);
  });
});

describe("preview and test send through the API", () => {
  beforeEach(() => appWith("submitted"));

  it("previews for a member of the segment, the name masked for a marketer, the links inert", async () => {
    // act
    const reply = await request("GET", "/api/campaigns/cmp-1/preview?language=en", "mei");
    const preview = (await reply.json()) as MessagePreview;
    // assess
    expect(reply.status).toBe(200);
    expect(preview).toMatchObject({ customerId: "C-1", language: "en", languages: ["en"] });
    expect(preview.subject).toBe("L*** C***, a fund picked for you");
    expect(preview.html).toContain("https://offers.example.cn/o/preview");
  });

  it("answers 422 for a customer outside the segment, 404 for an unknown one, 400 for an unknown language", async () => {
    // act
    const outside = await request("GET", "/api/campaigns/cmp-1/preview?customerId=C-0", "li");
    const unknown = await request("GET", "/api/campaigns/cmp-1/preview?customerId=C-9", "li");
    const language = await request("GET", "/api/campaigns/cmp-1/preview?language=fr", "li");
    // assess
    expect(outside.status).toBe(422);
    expect(await outside.json()).toMatchObject({ code: "not_in_segment", message: expect.stringContaining("C-0") });
    expect(unknown.status).toBe(404);
    expect(language.status).toBe(400);
  });

  it("sends the test to the caller's own address with a [TEST] subject and records it without the address", async () => {
    // act
    const reply = await request("POST", "/api/campaigns/cmp-1/test-send", "li", { language: "en" });
    // assess
    expect(reply.status).toBe(200);
    expect(await reply.json()).toEqual({ messageId: "ses-1", to: "li.approver@demo-bank.example", language: "en" });
    expect(mailed.map((m) => [m.to, m.subject])).toEqual([
      ["li.approver@demo-bank.example", "[TEST] L*** C***, a fund picked for you"],
    ]);
    expect(campaigns.entries).toEqual([expect.objectContaining({ event: "test_sent", by: "li", status: "submitted" })]);
  });

  it("sends with no body at all: the first member, in their own language", async () => {
    // act
    const reply = await request("POST", "/api/campaigns/cmp-1/test-send", "mei");
    // assess
    expect(reply.status).toBe(200);
    expect(mailed).toHaveLength(1);
  });

  it("answers 422 when the signed-in account has no email address, sending nothing", async () => {
    // act
    const reply = await request("POST", "/api/campaigns/cmp-1/test-send", "lin", {});
    // assess
    expect(reply.status).toBe(422);
    expect(await reply.json()).toMatchObject({
      code: "no_email_address",
      message: expect.stringContaining("has no email address"),
    });
    expect(mailed).toEqual([]);
  });

  it("refuses a body naming where to send it (400): a test goes only to the caller's own address", async () => {
    // act
    const reply = await request("POST", "/api/campaigns/cmp-1/test-send", "mei", { to: "someone@else.example" });
    // assess
    expect(reply.status).toBe(400);
    expect(await reply.json()).toMatchObject({ message: expect.stringContaining("your own address") });
    expect(mailed).toEqual([]);
  });

  it("keeps an analyst from previews and test sends (403)", async () => {
    // act
    const preview = await request("GET", "/api/campaigns/cmp-1/preview", "zhou");
    const sent = await request("POST", "/api/campaigns/cmp-1/test-send", "zhou", {});
    // assess
    expect([preview.status, sent.status]).toEqual([403, 403]);
    expect(mailed).toEqual([]);
  });
});
