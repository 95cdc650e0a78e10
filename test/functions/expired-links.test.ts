import { beforeEach, describe, expect, it } from "vitest";
import { createApp } from "../../functions/api/app.js";
import type { ApiDeps } from "../../functions/api/deps.js";
import type { Campaign } from "../../shared/campaigns/campaign.js";
import { type Preferences, preferencesOf } from "../../shared/customers/consent.js";
import type { Customer } from "../../shared/customers/customer.js";
import { type LinkAction, signLink } from "../../shared/delivery/links.js";
import type { OutgoingEmail } from "../../shared/delivery/ports.js";
import { DEMO_BRAND } from "../../shared/kernel/brand.js";
import { aCampaign, aDelivery } from "../adapters/fixtures.js";
import { aCustomer } from "../unit/fixtures.js";
import { platformWith } from "../unit/platform.js";

/**
 * Issue #12: links in old emails. The customer's own choice is never refused for a link's age
 * (unsubscribe works at any age, an old preference link still turns things off), nothing is
 * turned on by an old email, and an expired offer link emails a current one on request, once a
 * day, to the address on file only.
 */
const SECRET = "0123456789abcdef0123";
const NOW = new Date("2026-06-01T12:00:00.000Z");
const DAY = 86_400_000;
const ORIGIN = "https://offers.example.cn";
const HTML = { accept: "text/html,application/xhtml+xml,*/*;q=0.8" };
const POST_FORM = {
  ...HTML,
  "content-type": "application/x-www-form-urlencoded",
  "sec-fetch-site": "same-origin",
  origin: ORIGIN,
};
const JSON_POST = { accept: "application/json", "sec-fetch-site": "same-origin", origin: ORIGIN };

/** A link from an email sent `daysAgo` days ago, with the 30-day expiry every email's links carry. */
const sentDaysAgo = (action: LinkAction, daysAgo: number) =>
  signLink(SECRET, {
    deliveryId: "cmp-1.C-1",
    action,
    expiresAt: Math.floor((NOW.getTime() - daysAgo * DAY) / 1000) + 30 * 86_400,
  });

let customer: Customer;
let campaign: Campaign;
let sent: OutgoingEmail[];
let renewedAt: string | undefined;
let saved: Preferences[];
let withdrawn: string[];

beforeEach(() => {
  customer = aCustomer({ customerId: "C-1", language: "zh-CN", email: "wang.fang@example.cn" });
  campaign = aCampaign({ translations: { "zh-CN": aCampaign().message } });
  sent = [];
  renewedAt = undefined;
  saved = [];
  withdrawn = [];
});

function app() {
  const ports: ApiDeps["ports"] = platformWith(
    {
      campaigns: { get: async (id: string) => (id === "cmp-1" ? campaign : null) },
      customers: {
        get: async (id: string) => (id === "C-1" ? customer : null),
        withdrawEmailConsent: async (id: string) => {
          withdrawn.push(id);
        },
        recordAnswer: async () => undefined,
        recordPreferences: async (_id: string, chosen: Preferences) => {
          saved.push(chosen);
          const before = preferencesOf(customer);
          const changed = [
            ...(Object.keys(chosen.channels) as (keyof Preferences["channels"])[]).filter(
              (c) => chosen.channels[c] !== before.channels[c],
            ),
            ...(Object.keys(chosen.categories) as (keyof Preferences["categories"])[]).filter(
              (c) => chosen.categories[c] !== before.categories[c],
            ),
          ];
          return { changed };
        },
      },
      customerChanges: { appendAudit: async () => undefined },
      deliveries: {
        get: async (campaignId: string, customerId: string) =>
          campaignId === "cmp-1" && customerId === "C-1"
            ? aDelivery({ status: "sent", sentAt: "2026-03-01T08:00:00.000Z", ...(renewedAt ? { renewedAt } : {}) })
            : null,
        recordClick: async () => undefined,
        recordAnswer: async () => undefined,
        // As the store's condition: sent, and not renewed since `notSince`.
        recordRenewal: async (_d: unknown, at: string, notSince: string) => {
          if (renewedAt && renewedAt >= notSince) return false;
          renewedAt = at;
          return true;
        },
        undoRenewal: async () => undefined,
      },
      mailer: {
        send: async (email: OutgoingEmail) => {
          sent.push(email);
          return { messageId: `m-${sent.length}` };
        },
      },
      settings: { linkSigningSecret: SECRET },
    },
    NOW,
  );
  return createApp({
    ports,
    actorFor: async () => undefined,
    checkServices: async () => ({ dynamodb: "ok", sqs: "ok" }),
  });
}

describe("the unsubscribe link, at any age", () => {
  it("unsubscribes from an email 400 days old, by the page and by RFC 8058's one-click POST", async () => {
    // prepare
    const token = sentDaysAgo("unsubscribe", 400);

    // act
    const page = await app().request(`/u/${token}`, { headers: HTML });
    const oneClick = await app().request(`/u/${token}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "List-Unsubscribe=One-Click",
    });

    // assess
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("退订");
    expect(oneClick.status).toBe(200);
    expect(withdrawn).toEqual(["C-1"]);
  });

  it("refuses an altered 400-day-old unsubscribe link and withdraws nothing", async () => {
    // prepare
    const token = sentDaysAgo("unsubscribe", 400);

    // act
    const response = await app().request(`/u/${token.slice(0, -2)}xx`, { method: "POST" });

    // assess
    expect(response.status).toBe(400);
    expect(withdrawn).toEqual([]);
  });

  it("leads an old unsubscribe page to the preference link its email carried, expired too, not a fresh one", async () => {
    // act
    const page = await (await app().request(`/u/${sentDaysAgo("unsubscribe", 400)}`, { headers: HTML })).text();
    const preferencesPath = /href="(\/p\/[^"]+)"/.exec(page)![1];
    const preferences = await (await app().request(preferencesPath, { headers: HTML })).text();

    // assess
    expect(preferences).toContain("<h1>停止接收推荐</h1>");
    expect(preferences).not.toContain("checked");
  });
});

describe("the preference centre from a link 40 days old", () => {
  const path = () => `/p/${sentDaysAgo("preferences", 40)}`;

  it("offers to stop things, with no address and no choice in force shown, and a new link by email", async () => {
    // act
    const response = await app().request(path(), { headers: HTML });
    const page = await response.text();

    // assess
    expect(response.status).toBe(200);
    expect(page).toContain("<h1>停止接收推荐</h1>");
    expect(page).toContain("它仍可用于关闭推荐，但不能开启");
    expect(page).not.toContain("wang.fang");
    expect(page).not.toMatch(/w\*+@|checked/);
    expect(page).toContain('name="stop" value="wealth"');
    expect(page).toContain(`action="${path()}/renew"`);
    expect(page).toContain("通过电子邮件向我发送新链接");
  });

  it("turns off what the customer ticks, and leaves the rest as it was", async () => {
    // act
    const response = await app().request(path(), {
      method: "POST",
      headers: POST_FORM,
      body: "form=opt-out&stop=wealth&stop=sms",
    });

    // assess
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("您的选择已保存：");
    const before = preferencesOf(customer);
    expect(saved).toEqual([
      {
        channels: { ...before.channels, sms: false },
        categories: { ...before.categories, wealth: false },
      },
    ]);
  });

  it("stops everything with the one button", async () => {
    // act
    await app().request(path(), { method: "POST", headers: POST_FORM, body: "form=opt-out&everything=yes" });

    // assess
    expect(saved).toHaveLength(1);
    expect([...Object.values(saved[0].channels), ...Object.values(saved[0].categories)]).not.toContain(true);
  });

  it("refuses to turn anything on with 403, naming why, and records nothing", async () => {
    // prepare: email off, as the customer chose; the old full form would turn it back on
    customer = aCustomer({
      customerId: "C-1",
      emailConsent: false,
      consent: {
        channels: { email: { granted: false, source: "unsubscribe", at: "2026-02-01T00:00:00.000Z", by: "customer" } },
        categories: {},
      },
    });
    const everythingOn =
      "form=preferences&email=yes&sms=yes&phone=yes&deposits=yes&wealth=yes&asset=yes&intermediary=yes";

    // act
    const json = await app().request(path(), {
      method: "POST",
      headers: { ...JSON_POST, "content-type": "application/x-www-form-urlencoded" },
      body: everythingOn,
    });
    const html = await app().request(path(), { method: "POST", headers: POST_FORM, body: everythingOn });

    // assess
    expect(json.status).toBe(403);
    expect(((await json.json()) as { code: string }).code).toBe("expired_link_opt_in");
    expect(html.status).toBe(403);
    expect(await html.text()).toContain("只能关闭推荐，不能开启");
    expect(saved).toEqual([]);
  });

  it("still opens the full preference centre from a link 29 days old", async () => {
    // act
    const page = await (await app().request(`/p/${sentDaysAgo("preferences", 29)}`, { headers: HTML })).text();

    // assess
    expect(page).toContain("<h1>推荐偏好设置</h1>");
  });
});

describe("an expired offer link's renewal", () => {
  const offer = () => `/o/${sentDaysAgo("offer", 40)}`;
  const renew = () => app().request(`${offer()}/renew`, { method: "POST", headers: POST_FORM, body: "" });

  it("answers 410 with the way to a current link in the customer's language; an API client gets the problem", async () => {
    // act
    const page = await app().request(offer(), { headers: HTML });
    const json = await app().request(offer(), { headers: { accept: "application/json" } });

    // assess
    expect(page.status).toBe(410);
    const text = await page.text();
    expect(text).toContain('<html lang="zh-CN">');
    expect(text).toContain("此链接已过期");
    expect(text).toContain(`<form method="post" action="${offer()}/renew">`);
    expect(text).not.toMatch(/<input[^>]+(email|address)/i);
    expect(json.status).toBe(410);
    expect(((await json.json()) as { code: string }).code).toBe("expired_link");
  });

  it("emails one current link to the address on file, never saying which, and a second press sends none", async () => {
    // act
    const first = await renew();
    const firstPage = await first.text();
    const second = await renew();

    // assess
    expect(first.status).toBe(200);
    expect(firstPage).toContain("我们已将其发送到我们为您登记的电子邮件地址");
    expect(firstPage).not.toContain("wang.fang");
    expect(await second.text()).toContain("我们今天已向您登记的电子邮件地址发送过最新链接");
    expect(sent).toHaveLength(1);
    expect(sent[0].to).toBe("wang.fang@example.cn");
    expect(sent[0].tags).toEqual({ campaignId: "cmp-1", customerId: "C-1", renewal: "true" });
    const fresh = /\/o\/([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)/.exec(sent[0].text)![1];
    expect((await app().request(`/o/${fresh}`, { headers: HTML })).status).toBe(200);
    expect(sent[0].unsubscribeUrl).toMatch(/^https:\/\/offers\.example\.cn\/u\//);
  });

  it("sends nothing to a customer who unsubscribed, or turned the product's category off", async () => {
    // prepare
    customer = { ...customer, emailConsent: false };

    // act
    const unsubscribed = await (await renew()).text();
    customer = aCustomer({
      customerId: "C-1",
      consent: {
        channels: { email: { granted: true, source: "import", at: "2024-01-01T00:00:00.000Z", by: "bank" } },
        categories: {
          wealth: { granted: false, source: "preference centre", at: "2026-02-01T00:00:00.000Z", by: "customer" },
        },
      },
    });
    const refusedCategory = await app().request(`${offer()}/renew`, { method: "POST", headers: JSON_POST });

    // assess
    expect(unsubscribed).toContain("我们无法就此推荐向您发送电子邮件");
    expect(await refusedCategory.json()).toEqual({ renewal: "not_allowed" });
    expect(sent).toEqual([]);
  });

  it("says the offer has ended when the campaign was cancelled, or completed beyond its attribution window; not now while paused", async () => {
    // act
    campaign = { ...campaign, status: "cancelled" };
    const cancelled = await (await renew()).text();
    campaign = { ...aCampaign(), status: "completed", completedAt: new Date(NOW.getTime() - 31 * DAY).toISOString() };
    const over = await app().request(`${offer()}/renew`, { method: "POST", headers: JSON_POST });
    campaign = { ...aCampaign(), status: "completed", completedAt: new Date(NOW.getTime() - 5 * DAY).toISOString() };
    const recent = await app().request(`${offer()}/renew`, { method: "POST", headers: JSON_POST });

    campaign = { ...aCampaign(), status: "paused", pauseReason: "a wrong rate", pausedBy: "mei" };
    const paused = await app().request(`${offer()}/renew`, { method: "POST", headers: JSON_POST });

    // assess
    expect(await paused.json()).toEqual({ renewal: "paused" });
    expect(cancelled).toContain("此推荐已结束");
    expect(await over.json()).toEqual({ renewal: "ended" });
    expect(await recent.json()).toEqual({ renewal: "sent" });
    expect(sent).toHaveLength(1);
  });

  it("emails a new link from an expired preference link too, under the bank's sender name, with current links", async () => {
    // act
    const response = await app().request(`/p/${sentDaysAgo("preferences", 40)}/renew`, {
      method: "POST",
      headers: POST_FORM,
    });

    // assess
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("请查看您的邮箱");
    expect(sent).toHaveLength(1);
    expect(sent[0].fromName).toBe(DEMO_BRAND.senderName["zh-CN"]);
    const fresh = /\/o\/([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)/.exec(sent[0].text)![1];
    expect((await app().request(`/o/${fresh}`, { headers: HTML })).status).toBe(200);
  });

  it("refuses a renewal of a link that still works (409), and of a forged one (400)", async () => {
    // act
    const current = await app().request(`/o/${sentDaysAgo("offer", 1)}/renew`, { method: "POST", headers: JSON_POST });
    const forged = await app().request(`/o/${sentDaysAgo("offer", 40).slice(0, -2)}xx/renew`, {
      method: "POST",
      headers: JSON_POST,
    });

    // assess
    expect(current.status).toBe(409);
    expect(forged.status).toBe(400);
    expect(sent).toEqual([]);
  });
});
