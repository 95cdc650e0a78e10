import { createHash } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createApp } from "../../functions/api/app.js";
import type { ApiDeps } from "../../functions/api/deps.js";
import { isCrossSite } from "../../functions/api/security.js";
import type { Preferences } from "../../shared/customers/consent.js";
import { signLink } from "../../shared/delivery/links.js";
import type { Actor } from "../../shared/kernel/actor.js";
import type { Settings } from "../../shared/kernel/settings.js";
import { logger } from "../../shared/observability/logger.js";
import { aCampaign, aDelivery } from "../adapters/fixtures.js";
import { aCustomer } from "../unit/fixtures.js";
import { platformWith, recordingCalls } from "../unit/platform.js";

const SECRET = "0123456789abcdef0123";
const NOW = new Date("2026-06-01T12:00:00.000Z");
/** Where the emailed links point (TEST_SETTINGS): https, as deployed. */
const PUBLIC_ORIGIN = "https://offers.example.cn";
const ANALYST = { authorization: "Bearer analyst-token" };
const TOKENS = new Map<string, Actor>([["analyst-token", { name: "zhou", role: "analyst" }]]);

let calls: string[] = [];
let writes: string[] = [];

/** Campaign cmp-1 mid-send, and its delivery to C-1, sent; every write is kept in `writes`. */
function fakePorts(settings: Partial<Settings> = {}): ApiDeps["ports"] {
  const write = (call: string) => async () => {
    writes.push(call);
  };
  const ports = platformWith(
    {
      campaigns: { get: async (id: string) => (id === "cmp-1" ? aCampaign() : null) },
      customers: {
        get: async () => null,
        withdrawEmailConsent: write("customers.withdrawEmailConsent"),
        recordAnswer: write("customers.recordAnswer"),
      },
      deliveries: {
        get: async (campaignId: string, customerId: string) =>
          campaignId === "cmp-1" && customerId === "C-1" ? aDelivery({ status: "sent" }) : null,
        recordClick: write("deliveries.recordClick"),
        recordAnswer: write("deliveries.recordAnswer"),
      },
      settings: { linkSigningSecret: SECRET, ...settings },
    },
    NOW,
  );
  // Not the brand kit: a page, an error page too, is built with it, and it holds no customer's data.
  return { ...recordingCalls(ports, calls), brandKits: ports.brandKits };
}

const appOn = (ports: ApiDeps["ports"]) =>
  createApp({
    ports,
    actorFor: async (token) => TOKENS.get(token),
    checkServices: async () => ({ dynamodb: "ok", sqs: "ok" }),
  });

const link = (action: "offer" | "unsubscribe" | "preferences") =>
  signLink(SECRET, { deliveryId: "cmp-1.C-1", action, expiresAt: Math.floor(NOW.getTime() / 1000) + 86_400 });
const offerPath = () => `/o/${link("offer")}`;
const unsubscribePath = () => `/u/${link("unsubscribe")}`;
const HTML = { accept: "text/html,application/xhtml+xml,*/*;q=0.8" };
const FORM = { ...HTML, "content-type": "application/x-www-form-urlencoded" };

let app: ReturnType<typeof createApp>;

beforeEach(() => {
  calls = [];
  writes = [];
  app = appOn(fakePorts());
});

/** The one inline style block a page carries, as the browser hashes it. */
const styleOf = (page: string) => /<style>([^<]*)<\/style>/.exec(page)?.[1];
const sha256 = (text: string) => `sha256-${createHash("sha256").update(text, "utf8").digest("base64")}`;

describe("security headers", () => {
  const answers: [string, () => Response | Promise<Response>][] = [
    ["the offer page", () => app.request(offerPath(), { headers: HTML })],
    ["the unsubscribe page", () => app.request(unsubscribePath(), { headers: HTML })],
    [
      "the page thanking for an answer",
      () => app.request(offerPath(), { method: "POST", headers: FORM, body: "answer=interested" }),
    ],
    ["an error page (a tampered link)", () => app.request(`${offerPath()}x`, { headers: HTML })],
    ["an API JSON answer", () => app.request("/api/campaigns/cmp-1", { headers: ANALYST })],
    ["an API error (401)", () => app.request("/api/campaigns/cmp-1")],
    ["an unknown route (404)", () => app.request("/nothing-here")],
  ];

  it.each(answers)("%s carries the security headers", async (_, request) => {
    // act
    const response = await request();

    // assess
    expect(response.headers.get("referrer-policy")).toBe("no-referrer");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("x-frame-options")).toBe("DENY");
    expect(response.headers.get("strict-transport-security")).toBe("max-age=31536000; includeSubDomains");
    const csp = response.headers.get("content-security-policy") ?? "";
    expect(csp).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/]+=*'; /);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("form-action 'self'");
    expect(csp).toContain("base-uri 'none'");
    expect(csp).not.toContain("script-src");
    expect(csp).not.toContain("unsafe");
  });

  it.each(answers.slice(0, 4))(
    "%s: the CSP allows exactly its one style block, and it has no script and no style attribute",
    async (_, request) => {
      // act
      const response = await request();
      const page = await response.text();

      // assess
      expect(response.headers.get("content-type")).toContain("text/html");
      const style = styleOf(page);
      expect(style).toBeDefined();
      const styleSources = /style-src ([^;]+)/.exec(response.headers.get("content-security-policy") ?? "")?.[1];
      expect(styleSources).toBe(`'${sha256(style!)}'`);
      expect(page.match(/<style/g)).toHaveLength(1);
      expect(page).not.toMatch(/<script/i);
      expect(page).not.toMatch(/\sstyle=/i);
      expect(page).not.toMatch(/\son[a-z]+=/i);
    },
  );

  it.each(answers.slice(0, 4))(
    "%s is never stored by a browser or proxy (Cache-Control: no-store)",
    async (_, request) => {
      // act
      const response = await request();

      // assess: the page shows the customer's offer and answer behind the token in its URL
      expect(response.headers.get("cache-control")).toBe("no-store");
    },
  );

  it("sends no HSTS when the public base URL is http (localhost, npm start)", async () => {
    // prepare
    app = appOn(fakePorts({ publicBaseUrl: "http://localhost:3000" }));

    // act
    const page = await app.request(offerPath(), { headers: HTML });
    const api = await app.request("/api/campaigns/cmp-1", { headers: ANALYST });

    // assess
    expect(page.status).toBe(200);
    expect(page.headers.get("strict-transport-security")).toBeNull();
    expect(api.headers.get("strict-transport-security")).toBeNull();
    expect(page.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
  });
});

describe("answers posted from another site", () => {
  const post = (path: string, headers: Record<string, string>, body = "answer=call_me") =>
    app.request(path, { method: "POST", headers: { ...FORM, ...headers }, body });

  it.each<[string, Record<string, string>]>([
    ["a browser on our page (Sec-Fetch-Site same-origin)", { "sec-fetch-site": "same-origin", origin: PUBLIC_ORIGIN }],
    ["a browser without Sec-Fetch-Site, Origin ours", { origin: PUBLIC_ORIGIN }],
    ["a request the user made directly (Sec-Fetch-Site none)", { "sec-fetch-site": "none" }],
    ["a client that is no browser (no Origin, no Sec-Fetch-Site)", {}],
  ])("records the answer from %s", async (_, headers) => {
    // act
    const response = await post(offerPath(), headers);

    // assess
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("Your relationship manager will call you.");
    expect(writes).toContain("deliveries.recordAnswer");
  });

  it.each<[string, Record<string, string>]>([
    ["another site's page", { "sec-fetch-site": "cross-site", origin: "https://evil.example" }],
    [
      "a sibling subdomain (same-site is not same-origin)",
      { "sec-fetch-site": "same-site", origin: "https://www.example.cn" },
    ],
    ["a cross-site request without Origin", { "sec-fetch-site": "cross-site" }],
    ["an older browser sending only a foreign Origin", { origin: "https://evil.example" }],
    ["a sandboxed or data: page (Origin null)", { origin: "null" }],
    ["http on our host (another origin)", { origin: "http://offers.example.cn" }],
  ])("refuses an answer posted from %s with a clear 403 page, recording nothing", async (_, headers) => {
    // act
    const response = await post(offerPath(), headers, "answer=interested");
    const page = await response.text();

    // assess
    expect(response.status).toBe(403);
    expect(response.headers.get("content-type")).toContain("text/html");
    expect(page).toMatch(/^<!doctype html>/i);
    expect(page).toContain("This answer came from another website, so it was not recorded.");
    expect(response.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(calls).toEqual([]);
    expect(writes).toEqual([]);
  });

  it("answers a JSON client with no Origin (the documented JSON answer) and refuses one from another site", async () => {
    // prepare
    const json = (headers: Record<string, string>) =>
      app.request(offerPath(), {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json", ...headers },
        body: JSON.stringify({ answer: "not_now" }),
      });

    // act
    const server = await json({});
    const crossSite = await json({ "sec-fetch-site": "cross-site", origin: "https://evil.example" });

    // assess
    expect(server.status).toBe(200);
    expect(await server.json()).toEqual({ recorded: "not_now" });
    expect(crossSite.status).toBe(403);
    expect(await crossSite.json()).toMatchObject({ code: "cross_site_request" });
    expect(writes.filter((w) => w === "deliveries.recordAnswer")).toHaveLength(1);
  });

  it.each<[string, Record<string, string>]>([
    ["a mail provider's server (no Origin, no cookie)", {}],
    [
      "a webmail page in the customer's browser (cross-site)",
      { "sec-fetch-site": "cross-site", origin: "https://mail.example" },
    ],
  ])("still unsubscribes with RFC 8058 one-click from %s", async (_, headers) => {
    // act
    const response = await app.request(unsubscribePath(), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
      body: "List-Unsubscribe=One-Click",
    });

    // assess
    expect(response.status).toBe(200);
    expect(writes).toEqual(["customers.withdrawEmailConsent", "deliveries.recordAnswer", "customers.recordAnswer"]);
  });

  it("lets the offer page itself be opened from anywhere: a GET is no answer", async () => {
    // act
    const response = await app.request(offerPath(), {
      headers: { ...HTML, "sec-fetch-site": "cross-site", origin: "https://mail.example" },
    });

    // assess
    expect(response.status).toBe(200);
    expect(writes).toEqual(["deliveries.recordClick"]);
  });
});

describe("the preference centre (/p/)", () => {
  let saved: { customerId: string; chosen: Preferences; source: string; at: string }[] = [];
  let audited: unknown[] = [];
  const preferencesApp = () =>
    appOn(
      recordingCalls(
        platformWith(
          {
            customers: {
              get: async (id: string) => (id === "C-1" ? aCustomer({ customerId: "C-1", language: "zh-CN" }) : null),
              recordPreferences: async (customerId: string, chosen: Preferences, source: string, at: string) => {
                saved.push({ customerId, chosen, source, at });
                return { changed: ["wealth" as const] };
              },
            },
            customerChanges: {
              appendAudit: async (entries: unknown[]) => {
                audited.push(...entries);
              },
            },
            settings: { linkSigningSecret: SECRET },
          },
          NOW,
        ),
        calls,
      ),
    );
  const path = () => `/p/${link("preferences")}`;
  const WEALTH_OFF = "form=preferences&email=yes&sms=yes&phone=yes&deposits=yes&asset=yes&intermediary=yes";

  beforeEach(() => {
    saved = [];
    audited = [];
  });

  it("shows the customer's choices in their language, never stored, with the CSP allowing its one style block", async () => {
    // act
    const response = await preferencesApp().request(path(), { headers: HTML });
    const page = await response.text();

    // assess
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(/style-src ([^;]+)/.exec(response.headers.get("content-security-policy") ?? "")?.[1]).toBe(
      `'${sha256(styleOf(page)!)}'`,
    );
    expect(page).toContain('<html lang="zh-CN">');
    expect(page).toContain("<legend>我们可以向您介绍哪些产品</legend>");
    expect(page).toMatch(
      /<label class="choice"><input type="checkbox" name="wealth" value="yes" checked><span>理财与投资<\/span><\/label>/,
    );
    expect(page).not.toMatch(/<script/i);
  });

  it("records the choices posted from its own page as the customer's, with the preference centre and the time", async () => {
    // act
    const response = await preferencesApp().request(path(), {
      method: "POST",
      headers: { ...FORM, "sec-fetch-site": "same-origin", origin: PUBLIC_ORIGIN },
      body: WEALTH_OFF,
    });

    // assess
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(await response.text()).toContain("您的选择已保存：理财与投资：关闭。");
    expect(saved).toEqual([
      {
        customerId: "C-1",
        chosen: {
          channels: { email: true, sms: true, phone: true },
          categories: { deposits: true, wealth: false, asset: true, intermediary: true },
        },
        source: "preference centre, link of campaign cmp-1",
        at: NOW.toISOString(),
      },
    ]);
    expect(audited).toEqual([
      {
        customerId: "C-1",
        at: NOW.toISOString(),
        actor: "customer",
        action: "consent",
        field: "category.wealth",
        before: "on",
        after: "off",
        reason: "preference centre, link of campaign cmp-1",
      },
    ]);
  });

  it.each<[string, Record<string, string>]>([
    ["another site's page", { "sec-fetch-site": "cross-site", origin: "https://evil.example" }],
    ["an older browser sending only a foreign Origin", { origin: "https://evil.example" }],
  ])("refuses a form posted from %s, recording nothing", async (_, headers) => {
    // act
    const response = await preferencesApp().request(path(), {
      method: "POST",
      headers: { ...FORM, ...headers },
      body: "form=preferences",
    });

    // assess
    expect(response.status).toBe(403);
    // The refusal is a page wearing the brand kit: that is all it reads.
    expect(calls).toEqual(["brandKits.current"]);
    expect(saved).toEqual([]);
  });

  it("refuses a post that is not its form (which would read as everything off) and a token signed for another page", async () => {
    // act
    const empty = await preferencesApp().request(path(), { method: "POST", headers: FORM, body: "" });
    const offerToken = await preferencesApp().request(`/p/${link("offer")}`, { headers: HTML });

    // assess
    expect(empty.status).toBe(400);
    expect(offerToken.status).toBe(400);
    expect(saved).toEqual([]);
  });

  it("is linked from the unsubscribe page and the page after it, with a token of its own", async () => {
    // act
    const before = await (await app.request(unsubscribePath(), { headers: HTML })).text();
    const after = await (
      await app.request(unsubscribePath(), { method: "POST", headers: FORM, body: "List-Unsubscribe=One-Click" })
    ).text();

    // assess
    for (const page of [before, after])
      expect(page).toMatch(
        /<a href="\/p\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+">Choose which offers you receive, and how<\/a>/,
      );
  });
});

describe("isCrossSite", () => {
  const trusted = [PUBLIC_ORIGIN];

  it.each<[string, { secFetchSite?: string; origin?: string }, boolean]>([
    ["same-origin", { secFetchSite: "same-origin", origin: "https://evil.example" }, false],
    ["none", { secFetchSite: "none" }, false],
    ["same-site, trusted Origin", { secFetchSite: "same-site", origin: PUBLIC_ORIGIN }, false],
    ["same-site, other Origin", { secFetchSite: "same-site", origin: "https://www.example.cn" }, true],
    ["cross-site, no Origin", { secFetchSite: "cross-site" }, true],
    ["an unknown Sec-Fetch-Site value", { secFetchSite: "weird", origin: "https://evil.example" }, true],
    ["no headers at all", {}, false],
    ["trusted Origin only", { origin: PUBLIC_ORIGIN }, false],
    ["foreign Origin only", { origin: "https://evil.example" }, true],
    ["Origin with a trailing path is not an origin", { origin: `${PUBLIC_ORIGIN}/` }, true],
  ])("%s → %s", (_, headers, expected) => {
    // act / assess
    expect(isCrossSite(headers, trusted)).toBe(expected);
  });
});

describe("the log of an unhandled error", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it.each([
    ["offer", offerPath, "/o/{token}"],
    ["unsubscribe", unsubscribePath, "/u/{token}"],
  ])("names the %s page's route, never the token in its path", async (_, path, logged) => {
    // prepare: the delivery cannot be read, as when DynamoDB cannot be reached
    const errors = vi.spyOn(logger, "error").mockImplementation(() => undefined);
    const ports = fakePorts();
    ports.deliveries.get = async () => {
      throw new Error("connect ECONNREFUSED 10.0.0.5:8000");
    };
    app = appOn(ports);
    const token = path().slice(3);

    // act
    const response = await app.request(path(), { headers: HTML });

    // assess
    expect(response.status).toBe(500);
    expect(errors).toHaveBeenCalledWith("unhandled error", expect.objectContaining({ path: logged }));
    const written = JSON.stringify(errors.mock.calls, (_, v) => (v instanceof Error ? v.message : v));
    expect(written).not.toContain(token);
    expect(written).not.toContain(token.split(".")[1]);
  });
});
