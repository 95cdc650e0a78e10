import { beforeEach, describe, expect, it } from "vitest";
import type { createApp } from "../../functions/api/app.js";
import type { ApiDeps } from "../../functions/api/deps.js";
import { controlAdvice } from "../../functions/console/campaign-editor/editor-page.js";
import { contentOf } from "../../functions/console/campaign-editor/form.js";
import type { Campaign } from "../../shared/campaigns/campaign.js";
import { prepareTemplate } from "../../shared/campaigns/message.js";
import type { Customer } from "../../shared/customers/customer.js";
import type { Actor } from "../../shared/kernel/actor.js";
import type { Segment } from "../../shared/segments/segment.js";
import { aCampaign } from "../adapters/fixtures.js";
import { consoleHarness } from "../support/console-app.js";
import { aCustomer } from "../unit/fixtures.js";
import { hashedBase } from "../unit/hashed-base.js";
import { InMemoryCampaigns } from "../unit/in-memory-campaigns.js";
import { inMemoryPreviews } from "../unit/in-memory-previews.js";
import { platformWith } from "../unit/platform.js";

/**
 * The campaign wizard's routes through the whole console app, with the stores in memory: who may
 * use it, what a person's mistake looks like (beside its field, in their language, with what
 * they typed kept: a 400, never a 500), what a saved draft holds, and the preview's own policy.
 * The browser test (test/e2e/console-campaign-editor.test.ts) runs the whole path on the local platform.
 */

const MEI: Actor = { kind: "person", id: "sub-mei", name: "mei", role: "marketer" };
const ZHOU: Actor = { kind: "person", id: "sub-zhou", name: "zhou", role: "analyst" };

const SEGMENT: Segment = {
  segmentId: "seg-savers",
  version: 3,
  name: "Jilin savers",
  rule: { attr: "region", op: "eq", value: "Jilin" },
  createdBy: "mei",
  createdAt: "2026-05-01T08:00:00.000Z",
};

let harness: ReturnType<typeof consoleHarness>;
let campaigns: InMemoryCampaigns;
let customers: Customer[];
const clock = new Date("2026-06-01T12:00:00.000Z");

/** The console app on in-memory stores; `mailer` for the tests that send. */
function appNow(mailer?: Partial<ApiDeps["ports"]["mailer"]>) {
  const ports = platformWith(
    {
      campaigns,
      previews: inMemoryPreviews().previews,
      ...(mailer ? { mailer } : {}),
      segments: {
        get: async (segmentId: string) => (segmentId === SEGMENT.segmentId ? SEGMENT : null),
        list: async () => [SEGMENT],
      },
      // Every customer on the first shard: the scans the wizard makes read them all.
      customers: {
        scanShard: async (shard: number) => ({ customers: shard === 0 ? customers : [] }),
        get: async (id: string) => customers.find((c) => c.customerId === id) ?? null,
      },
    },
    clock,
  );
  return harness.appWith(ports);
}

/** Signs `who` in as the browser would; requests with the session's cookie and CSRF token. */
async function signedIn(app: ReturnType<typeof createApp>, who: Actor) {
  const { get, post } = await harness.signedIn(app, who, "/campaigns/new");
  const language = (to: "en" | "zh-CN") => post("/language", { language: to, returnTo: "/console/campaigns" });
  return { get, post, language };
}

/** A complete, valid form: what a marketer who filled every step sends. */
const FILLED = {
  name: "Credit card for Jilin savers",
  segmentId: SEGMENT.segmentId,
  "offer.productCode": "CREDIT_CARD",
  "message.subject": "A card for you, {{name}}",
  "message.html": '<p>Our {{product}}. <a href="{{offerUrl}}">See the offer</a></p>',
  "translations.zh-CN.subject": "为您推荐信用卡",
  "translations.zh-CN.html": '<p>{{name}}，您好！<a href="{{offerUrl}}">查看详情</a></p>',
  "title.en": "A card that pays you back",
  "title.zh-CN": "",
  "description.en": "",
  "description.zh-CN": "首年免年费。",
  controlGroupPercent: "20",
};

/** The text beside a field: its error paragraph. */
const errorBeside = (page: string, id: string) =>
  new RegExp(`<p class="field-error" id="${id}-error">([^<]*)</p>`).exec(page)?.[1];

describe("the console's campaign wizard", () => {
  beforeEach(() => {
    harness = consoleHarness(() => clock);
    campaigns = new InMemoryCampaigns(
      aCampaign({ campaignId: "cmp-submitted", status: "submitted", segmentId: SEGMENT.segmentId }),
    );
    customers = [
      aCustomer({ customerId: "C-0001" }),
      aCustomer({ customerId: "C-0002", products: ["DEPOSIT_CURRENT", "CREDIT_CARD"] }),
      aCustomer({ customerId: "C-0003", emailConsent: false }),
      aCustomer({ customerId: "C-0004", region: "Hebei" }),
    ];
  });

  it("is the marketers' and administrators': an analyst is told so with a 403, not shown the form", async () => {
    // prepare
    const app = appNow();
    const zhou = await signedIn(app, ZHOU);
    const mei = await signedIn(app, MEI);
    // act
    const refused = await zhou.get("/campaigns/new");
    const refusedPost = await zhou.post("/campaigns/new", FILLED);
    const form = await mei.get("/campaigns/new");
    // assess
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain("Only marketers and administrators create and edit campaigns.");
    expect(refusedPost.status).toBe(403);
    expect(campaigns.rows.size).toBe(1);
    expect(form.status).toBe(200);
    expect(await form.text()).toContain('<option value="seg-savers">Jilin savers (version 3)</option>');
  });

  it("counts the segment and what each product's suppressions would hold back, for the page's script", async () => {
    // prepare
    const mei = await signedIn(appNow(), MEI);
    // act
    const outlook = await mei.get(`/campaigns/new/outlook?segmentId=${SEGMENT.segmentId}`);
    const unknown = await mei.get("/campaigns/new/outlook?segmentId=seg-gone");
    // assess
    const body = (await outlook.json()) as any;
    expect(body.count).toBe(3); // C-0004 lives in Hebei
    expect(body.countText).toBe("3 customers are in this segment today.");
    expect(body.products.CREDIT_CARD).toEqual({
      eligible: 1,
      text: "1 of 3 would be offered it. Held back: no consent to email 1; already hold it 1.",
    });
    expect(unknown.status).toBe(404);
  });

  it("shows each mistake beside its field in the person's language, keeps what was typed, and saves nothing", async () => {
    // prepare
    const mei = await signedIn(appNow(), MEI);
    await mei.language("zh-CN");
    // act
    const answer = await mei.post("/campaigns/new", {
      ...FILLED,
      name: "  ",
      "offer.productCode": "",
      "translations.zh-CN.html": "",
      controlGroupPercent: "60",
    });
    const page = await answer.text();
    // assess
    expect(answer.status).toBe(400);
    expect(errorBeside(page, "f-name")).toBe("请填写此项。");
    expect(errorBeside(page, "f-offer-productCode")).toBe("请选择一项。");
    expect(errorBeside(page, "f-translations-zh-CN-html")).toBe("请同时填写主题和正文，或者两项都留空。");
    expect(errorBeside(page, "f-controlGroupPercent")).toBe("请输入 0 至 50 之间的数字。");
    expect(page).toContain('value="为您推荐信用卡"');
    expect(page).toContain('value="60"');
    expect(page).toContain("草稿未保存");
    expect(campaigns.rows.size).toBe(1);
  });

  it("names a template the platform refuses beside its field: an unknown personal field, a message without the offer link", async () => {
    // prepare
    const mei = await signedIn(appNow(), MEI);
    // act
    const unknown = await mei.post("/campaigns/new", { ...FILLED, "message.subject": "Your {{balance}} grew" });
    const noOffer = await mei.post("/campaigns/new", { ...FILLED, "message.html": "<p>Our {{product}}.</p>" });
    const notANumber = await mei.post("/campaigns/new", { ...FILLED, controlGroupPercent: "ten" });
    // assess
    expect(unknown.status).toBe(400);
    expect(errorBeside(await unknown.text(), "f-message-subject")).toBe(
      "Unknown personal field {{balance}}. Use the buttons above to insert one that exists.",
    );
    expect(noOffer.status).toBe(400);
    expect(errorBeside(await noOffer.text(), "f-message-html")).toBe(
      "The message must link to the offer with {{offerUrl}}: without it the customer cannot answer.",
    );
    expect(notANumber.status).toBe(400);
    expect(campaigns.rows.size).toBe(1);
  });

  it("saves a draft of the segment's current version with both versions of the email, and opens its page", async () => {
    // prepare
    const mei = await signedIn(appNow(), MEI);
    // act
    const answer = await mei.post("/campaigns/new", FILLED);
    const draft = await mei.get(answer.headers.get("location")!.replace(/^.*\/console/, ""));
    // assess
    expect(answer.status).toBe(303);
    expect(answer.headers.get("location")).toMatch(/\/console\/campaigns\/id-\d+\/draft\?notice=saved$/);
    const saved = [...campaigns.rows.values()].find((c) => c.name === FILLED.name)!;
    expect(saved).toMatchObject({
      status: "draft",
      segmentVersion: 3,
      offer: { productCode: "CREDIT_CARD" },
      controlGroupPercent: 20,
      title: { en: "A card that pays you back" },
      description: { "zh-CN": "首年免年费。" },
      createdBy: "mei",
    });
    expect(saved.translations?.["zh-CN"]?.subject).toBe("为您推荐信用卡");
    expect(contentOf(saved.message.html)).toBe(FILLED["message.html"]);
    expect(draft.status).toBe(200);
    expect(await draft.text()).toContain("The draft is saved.");
  });

  it("refuses to edit a campaign that waits for approval (409) and one that does not exist (404)", async () => {
    // prepare
    const mei = await signedIn(appNow(), MEI);
    // act
    const submitted = await mei.get("/campaigns/cmp-submitted/edit");
    const posted = await mei.post("/campaigns/cmp-submitted/edit", FILLED);
    const missing = await mei.get("/campaigns/cmp-none/edit");
    // assess
    expect(submitted.status).toBe(409);
    expect(await submitted.text()).toContain("Only a draft can be edited; this campaign is “Waiting for approval”.");
    expect(posted.status).toBe(409);
    expect(await posted.text()).toContain("Nothing was changed: this campaign is “Waiting for approval” now");
    expect(missing.status).toBe(404);
  });

  it("sends a test only to the person's own address, and says so plainly when their account has none", async () => {
    // prepare: mei's sign-in carries no address; root's does
    campaigns = new InMemoryCampaigns(aCampaign({ campaignId: "cmp-draft", status: "draft" }));
    const sent: { to: string; subject: string }[] = [];
    const app = appNow({
      send: async (email: { to: string; subject: string }) => {
        sent.push(email);
        return { messageId: "m-1" };
      },
    });
    const mei = await signedIn(app, MEI);
    const root = await signedIn(app, {
      kind: "person",
      id: "sub-root",
      name: "root",
      role: "admin",
      email: "root@bank.example",
    });
    // act
    const page = await (await mei.get("/campaigns/cmp-draft/draft")).text();
    const refused = await mei.post("/campaigns/cmp-draft/test", { language: "en", to: "someone@else.example" });
    const tested = await root.post("/campaigns/cmp-draft/test", { language: "en", to: "someone@else.example" });
    const confirmed = await (await root.get(tested.headers.get("location")!.replace(/^.*\/console/, ""))).text();
    // assess
    expect(page).toContain("Your account has no email address, so no test can be sent.");
    expect(page).not.toContain("Send me a test");
    expect(refused.headers.get("location")).toContain("notice=noEmail");
    expect(sent.map((e) => e.to)).toEqual(["root@bank.example"]);
    expect(sent[0].subject).toMatch(/^\[TEST\] /);
    expect(confirmed).toContain("A test email in English was sent to root@bank.example.");
  });

  it("sends a campaign past approval from the draft's page to its own page", async () => {
    // prepare
    campaigns = new InMemoryCampaigns(aCampaign({ campaignId: "cmp-sending", status: "sending" }));
    const mei = await signedIn(appNow(), MEI);
    // act
    const answer = await mei.get("/campaigns/cmp-sending/draft");
    // assess
    expect(answer.status).toBe(302);
    expect(answer.headers.get("location")).toBe("/console/campaigns/cmp-sending");
  });

  it("answers the email preview with its own policy: inline styles, no script, framed by the console only", async () => {
    // prepare
    const mei = await signedIn(appNow(), MEI);
    // act
    const preview = await mei.get("/campaigns/cmp-submitted/preview.html?language=en");
    const page = await mei.get("/campaigns/cmp-submitted/draft");
    // assess
    expect(preview.status).toBe(200);
    expect(preview.headers.get("content-security-policy")).toBe(
      "default-src 'none'; style-src 'unsafe-inline'; img-src data: https:; frame-ancestors 'self'",
    );
    expect(preview.headers.get("x-frame-options")).toBe("SAMEORIGIN");
    expect(await preview.text()).toContain("see the offer");
    expect(page.headers.get("content-security-policy")).toContain("frame-src 'self'");
    expect(page.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
  });

  it("warns before a control group too small for the lift to mean anything, by both of the lift's limits", () => {
    // act
    const advice = (eligible: number, percent: string) => controlAdvice("en", eligible, percent);
    // assess: a 10% control of ten customers is one
    expect(advice(10, "10")).toEqual({
      tooSmall: true,
      text: "Too small to measure: the control group would hold about 1 of these customers, and at least 30 are needed. Choose a larger share or a larger segment, or the results will show no lift.",
    });
    // 40 customers are enough to count, but 0.8 conversions to expect at 2% are not
    expect(advice(400, "10")?.text).toBe(
      "Probably too small to measure: the control group would hold about 40 customers, but at a 2% conversion rate only about 0.8 of them would open the product, and a lift needs at least 5. Choose a larger share or a larger segment if you can.",
    );
    expect(advice(2500, "10")).toEqual({
      tooSmall: false,
      text: "The control group would hold about 250 of the 2,500 customers offered the product.",
    });
    expect(advice(2500, "0")?.text).toBe("No control group: the campaign's lift cannot be measured.");
    expect(advice(2500, "51")).toBeUndefined(); // the field's own error says what is wrong
    expect(controlAdvice("zh-CN", 10, "10")?.text).toContain("对照组太小");
  });

  it("reads the marketer's own HTML back from the finished email, to edit it", () => {
    // prepare
    const written = '<p>Dear {{name}},</p>\n<p><a href="{{offerUrl}}">See the offer</a></p>';
    // act
    const finished = prepareTemplate({ subject: "Hi", html: written }, "message", "zh-CN");
    // assess
    expect(finished.html).not.toBe(written);
    expect(contentOf(finished.html)).toBe(written);
  });
});

describe("the wizard's counts for a bank larger than SYNC_COUNT_MAX_CUSTOMERS", () => {
  /** 600 customers, every other one in Jilin (the segment's region); one address in ten has bounced. */
  const BASE = Array.from({ length: 600 }, (_, i) =>
    aCustomer({ customerId: `C-${i}`, region: i % 2 === 0 ? "Jilin" : "Tonghua", email: `c${i}@example.cn` }),
  );
  const JILIN = BASE.filter((c) => c.region === "Jilin").length;
  const BOUNCED = new Set(BASE.filter((_, i) => i % 10 === 0).map((c) => c.email as string));

  const largeBank = (bound: number, ...stored: Campaign[]) => {
    const base = hashedBase(BASE);
    const runs = inMemoryPreviews();
    const ports = platformWith(
      {
        campaigns: new InMemoryCampaigns(...stored),
        previews: runs.previews,
        queue: runs.queue,
        segments: {
          get: async (segmentId: string) => (segmentId === SEGMENT.segmentId ? SEGMENT : null),
          list: async () => [SEGMENT],
        },
        customers: base,
        suppressions: {
          suppressedAmong: async (addresses: string[]) => new Set(addresses.filter((a) => BOUNCED.has(a))),
        },
        settings: { syncCountMaxCustomers: bound },
      },
      clock,
    );
    return { base, runs, ports, app: harness.appWith(ports) };
  };

  beforeEach(() => {
    harness = consoleHarness(() => clock);
  });

  it("estimates the segment and each product within the bound, bounced addresses held back, and says so", async () => {
    // prepare
    const { base, app } = largeBank(100);
    const mei = await signedIn(app, MEI);
    base.reads = 0;
    // act
    const body = (await (await mei.get(`/campaigns/new/outlook?segmentId=${SEGMENT.segmentId}`)).json()) as any;
    // assess
    expect(base.reads).toBeLessThanOrEqual(100);
    expect(body.exact).toBe(false);
    expect(Math.abs(body.count - JILIN) / JILIN).toBeLessThan(0.3);
    expect(body.countText).toMatch(
      /^About [\d,]+ customers are in this segment today: an estimate from [\d.]+% of the customers/,
    );
    expect(body.products.CREDIT_CARD.text).toMatch(
      /^About [\d,]+ of [\d,]+ would be offered it\. Held back: .*bounced/,
    );
  });

  it("shows the latest exact count of the segment's version, with its time, beside the estimate", async () => {
    // prepare
    const { app, ports, runs } = largeBank(100);
    const { startPreview, previewPage } = await import("../../shared/segments/preview-jobs.js");
    await startPreview(ports, SEGMENT.segmentId, { name: "mei", role: "marketer" });
    await runs.drain((job) => previewPage(ports, job));
    const mei = await signedIn(app, MEI);
    // act
    const body = (await (await mei.get(`/campaigns/new/outlook?segmentId=${SEGMENT.segmentId}`)).json()) as any;
    // assess
    expect(body.countText).toContain(`Counted exactly at Jun 1, 2026, 08:00 PM GMT+8: ${JILIN} customers.`);
  });

  it("finds another customer to preview among the customers the bound lets a request read, not the whole base", async () => {
    // prepare
    const draft = aCampaign({
      campaignId: "cmp-large-draft",
      status: "draft",
      segmentId: SEGMENT.segmentId,
      segmentVersion: SEGMENT.version,
      segmentRule: SEGMENT.rule,
    });
    const { base, app } = largeBank(100, draft);
    const mei = await signedIn(app, MEI);
    base.reads = 0;
    // act
    const page = await (await mei.get("/campaigns/cmp-large-draft/draft?language=en")).text();
    const reads = base.reads;
    const named = await (await mei.get("/campaigns/cmp-large-draft/draft?language=en&customerId=C-598")).text();
    // assess
    expect(page).toContain("Another customer");
    expect(reads).toBeLessThan(BASE.length / 2);
    expect(page).toContain('<label for="preview-customer">Preview for the customer with id</label>');
    expect(named).toContain("customerId=C-598");
  });

  it("counts a bank within the bound exactly, with no Count exactly offered", async () => {
    // prepare
    const { app } = largeBank(10_000);
    const mei = await signedIn(app, MEI);
    // act
    const body = (await (await mei.get(`/campaigns/new/outlook?segmentId=${SEGMENT.segmentId}`)).json()) as any;
    // assess
    expect(body.exact).toBe(true);
    expect(body.count).toBe(JILIN);
    expect(body.products.CREDIT_CARD.text).toContain(`of ${JILIN} would be offered it`);
  });
});
