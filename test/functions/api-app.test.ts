import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createApp } from "../../functions/api/app.js";
import type { ApiDeps } from "../../functions/api/deps.js";
import { LinkToken, MAX_LINK_TOKEN_LENGTH } from "../../functions/api/link-token.js";
import { EDITABLE_FIELDS } from "../../shared/customers/changes.js";
import { type Customer, CustomerId } from "../../shared/customers/customer.js";
import { signLink } from "../../shared/delivery/links.js";
import type { Actor } from "../../shared/kernel/actor.js";
import { idNamed } from "../../shared/kernel/ids.js";
import { aCampaign, aDelivery } from "../adapters/fixtures.js";
import { aCustomer } from "../unit/fixtures.js";
import { platformWith, recordingCalls } from "../unit/platform.js";
import { internalsIn } from "./internals.js";

const SECRET = "0123456789abcdef0123";
const NOW = new Date("2026-06-01T12:00:00.000Z");
const TOKENS = new Map<string, Actor>([
  ["marketer-token", { name: "mei", role: "marketer" }],
  ["approver-token", { name: "li", role: "approver" }],
  ["analyst-token", { name: "zhou", role: "analyst" }],
  ["admin-token", { name: "root", role: "admin" }],
]);
const as = (token: string) => ({ authorization: `Bearer ${token}` });
const MARKETER = as("marketer-token");
const ANALYST = as("analyst-token");

/** Every call the app made to a port, as "port.method": reads and writes. */
let calls: string[] = [];
/** The writes the fake stores were asked for, as "port.method", in order. */
let writes: string[] = [];

/**
 * The stores in memory: campaign cmp-1, mid-send, and its delivery to C-1, sent; no customer and
 * no segment yet. Every write is kept in `writes`; a port method the app is not expected to use
 * refuses (partOf). `unreachable`: every read rejects with it, as when DynamoDB cannot be reached.
 */
function fakePorts({ unreachable, customer }: { unreachable?: Error; customer?: Customer } = {}): ApiDeps["ports"] {
  const read =
    <A extends unknown[], T>(find: (...args: A) => T) =>
    async (...args: A): Promise<T> => {
      if (unreachable) throw unreachable;
      return find(...args);
    };
  const write = (call: string) => async () => {
    writes.push(call);
  };
  const ports = platformWith(
    {
      campaigns: {
        get: read((campaignId: string) => (campaignId === "cmp-1" ? aCampaign() : null)),
        create: write("campaigns.create"),
      },
      segments: { save: write("segments.save") },
      customers: {
        get: read(() => customer ?? null),
        getMany: read(() => new Map()),
        save: write("customers.save"),
        withdrawEmailConsent: write("customers.withdrawEmailConsent"),
        recordAnswer: write("customers.recordAnswer"),
      },
      deliveries: {
        get: read((campaignId: string, customerId: string) =>
          campaignId === "cmp-1" && customerId === "C-1" ? aDelivery({ status: "sent" }) : null,
        ),
        recordClick: write("deliveries.recordClick"),
        recordAnswer: write("deliveries.recordAnswer"),
      },
      settings: { linkSigningSecret: SECRET },
    },
    NOW,
  );
  // Not the brand kit: a page, an error page too, is built with it, and it holds no customer's data.
  return { ...recordingCalls(ports, calls), brandKits: ports.brandKits };
}

/** The app as Lambda and `npm start` build it, on the fake ports and the test's tokens. */
const appOn = (ports: ApiDeps["ports"]) =>
  createApp({
    ports,
    actorFor: async (token) => TOKENS.get(token),
    checkServices: async () => ({ dynamodb: "ok", sqs: "ok" }),
  });

let app: ReturnType<typeof createApp>;

type Reply = { status: number; contentType: string; text: string };
let replies: Reply[] = [];

/** Calls the app in memory and keeps the reply, so every error reply can be checked for leaks. */
async function call(path: string, init?: RequestInit): Promise<Reply> {
  const response = await app.request(path, init);
  const reply = {
    status: response.status,
    contentType: response.headers.get("content-type") ?? "",
    text: await response.text(),
  };
  replies.push(reply);
  return reply;
}
const json = (reply: Reply) =>
  JSON.parse(reply.text) as { code: string; message: string; issues?: { path: string; message: string }[] };

/** No stack frame, source path or dependency path in what a client sees (the fuzz test checks the same). */
function expectNoInternals(text: string) {
  expect(internalsIn(text)).toEqual([]);
}

const offerToken = (deliveryId = "cmp-1.C-1", action: "offer" | "unsubscribe" = "offer") =>
  signLink(SECRET, { deliveryId, action, expiresAt: Math.floor(NOW.getTime() / 1000) + 86_400 });

/** Changes the first character of the signature: the link no longer verifies. */
function tamperSignature(token: string): string {
  const [payload, signature] = token.split(".");
  return `${payload}.${signature[0] === "A" ? "B" : "A"}${signature.slice(1)}`;
}

/** Points the link at another customer while keeping the original signature. */
function tamperPayload(token: string): string {
  const [, signature] = token.split(".");
  const [, action, expiresAt] = JSON.parse(Buffer.from(token.split(".")[0], "base64url").toString("utf8")) as [
    string,
    string,
    number,
  ];
  return `${Buffer.from(JSON.stringify(["cmp-1.C-2", action, expiresAt])).toString("base64url")}.${signature}`;
}

const validCampaign = {
  name: "Wealth fund for current-account holders",
  segmentId: "seg-1",
  offer: { productCode: "WEALTH_FUND" },
  message: {
    subject: "For you, {{name}}",
    html: '<p>{{name}}: <a href="{{offerUrl}}">offer</a></p>',
    text: "{{name}}: {{offerUrl}}",
  },
  controlGroupPercent: 10,
};

describe("API app", () => {
  beforeEach(() => {
    calls = [];
    writes = [];
    replies = [];
    app = appOn(fakePorts());
  });

  afterEach(() => {
    for (const reply of replies.filter((r) => r.status >= 400)) expectNoInternals(reply.text);
  });

  describe("authentication and roles", () => {
    it("replies to a known token (the control for the 401 cases)", async () => {
      // act
      const reply = await call("/api/campaigns/cmp-1", { headers: ANALYST });

      // assess
      expect(reply.status).toBe(200);
      expect(JSON.parse(reply.text)).toMatchObject({ campaignId: "cmp-1", status: "sending" });
    });

    it.each([
      ["no Authorization header", {}],
      ["an unknown token", as("not-a-real-token")],
      ["a token of another scheme", { authorization: "Basic bWVpOnNlY3JldA==" }],
      ["an empty bearer", { authorization: "Bearer " }],
    ])("replies 401 JSON to a request with %s, reading nothing", async (_, headers) => {
      // act
      const reply = await call("/api/campaigns/cmp-1", { headers });

      // assess
      expect(reply.status).toBe(401);
      expect(reply.contentType).toContain("application/json");
      expect(json(reply).code).toBe("unauthenticated");
      expect(calls).toEqual([]);
    });

    it("replies 403 when an analyst tries to create a campaign, and writes nothing", async () => {
      // act
      const reply = await call("/api/campaigns", {
        method: "POST",
        headers: { ...ANALYST, "content-type": "application/json" },
        body: JSON.stringify(validCampaign),
      });

      // assess
      expect(reply.status).toBe(403);
      expect(json(reply).code).toBe("forbidden");
      expect(writes).toEqual([]);
    });
  });

  describe("bad requests", () => {
    it("replies 400 naming the rule when a segment's rule uses an unknown operator", async () => {
      // act
      const reply = await call("/api/segments", {
        method: "POST",
        headers: { ...MARKETER, "content-type": "application/json" },
        body: JSON.stringify({ name: "x", rule: { attr: "tier", op: "like", value: 1 } }),
      });

      // assess
      expect(reply.status).toBe(400);
      const body = json(reply);
      expect(body.code).toBe("invalid_request");
      expect(body.message).toMatch(/\brule\b/);
      expect(body.issues?.some((issue) => issue.path === "rule" || issue.path.startsWith("rule."))).toBe(true);
      expect(writes).toEqual([]);
    });

    it("replies 400 naming the field when a required field is missing", async () => {
      // act
      const reply = await call("/api/segments", {
        method: "POST",
        headers: { ...MARKETER, "content-type": "application/json" },
        body: JSON.stringify({ rule: { holds: "WEALTH_FUND" } }),
      });

      // assess
      expect(reply.status).toBe(400);
      expect(json(reply).issues?.map((issue) => issue.path)).toContain("name");
    });

    it.each([
      ["a body that is not JSON", '{"name": "x", rule'],
      ["an empty body", undefined],
      ["JSON null", "null"],
    ])("replies 400 (not 500) to a segment with %s", async (_, body) => {
      // act
      const reply = await call("/api/segments", {
        method: "POST",
        headers: { ...MARKETER, "content-type": "application/json" },
        body,
      });

      // assess
      expect(reply.status).toBe(400);
      expect(json(reply).code).toBe("invalid_request");
      expect(writes).toEqual([]);
    });

    it("creates a segment from a valid body (the control for the 400 cases)", async () => {
      // act
      const reply = await call("/api/segments", {
        method: "POST",
        headers: { ...MARKETER, "content-type": "application/json" },
        body: JSON.stringify({ name: "Current-account holders", rule: { holds: "DEPOSIT_CURRENT" } }),
      });

      // assess
      expect(reply.status).toBe(201);
      expect(writes).toEqual(["segments.save"]);
    });

    it.each([
      ["application/json", '{"customerId":"C-1"}'],
      ["text/plain", "customerId,type\nC-1,individual"],
    ])(
      "refuses a customer import sent as %s with 415 or 400, never 500, and writes nothing",
      async (contentType, body) => {
        // act
        const reply = await call("/api/customers/import", {
          method: "POST",
          headers: { ...MARKETER, "content-type": contentType },
          body,
        });

        // assess
        expect([400, 415]).toContain(reply.status);
        expect(json(reply).code).toBe("invalid_request");
        expect(writes).toEqual([]);
      },
    );

    it("imports a CSV file (the control for the refused content types)", async () => {
      // prepare: no customer is stored yet (fakePorts)
      const csv =
        "customerId,type,name,email,aum,products,region,emailConsent\nC-1,individual,Wang Fang,wang.fang@example.cn,120000,DEPOSIT_CURRENT,Jilin,true\n";

      // act
      const reply = await call("/api/customers/import", {
        method: "POST",
        headers: { ...MARKETER, "content-type": "text/csv" },
        body: csv,
      });

      // assess
      expect(reply.status).toBe(200);
      expect(JSON.parse(reply.text)).toMatchObject({ rowsRead: 1, imported: 1, rejected: [] });
      expect(writes).toEqual(["customers.save"]);
    });
  });

  describe("not found", () => {
    it("replies 404 JSON for a campaign that does not exist", async () => {
      // act
      const reply = await call("/api/campaigns/cmp-unknown", { headers: ANALYST });

      // assess
      expect(reply.status).toBe(404);
      expect(reply.contentType).toContain("application/json");
      expect(json(reply)).toMatchObject({ code: "not_found", message: expect.stringContaining("cmp-unknown") });
    });

    it.each([
      ["an unknown API route", "/api/nothing-here", ANALYST],
      ["an unknown top-level route", "/nothing-here", {}],
    ])("replies 404 JSON for %s", async (_, path, headers) => {
      // act
      const reply = await call(path, { headers });

      // assess
      expect(reply.status).toBe(404);
      expect(reply.contentType).toContain("application/json");
      expect(json(reply).code).toBe("not_found");
    });
  });

  describe("customer pages", () => {
    it("shows the offer for a genuine link (the control for the tampered ones)", async () => {
      // act
      const reply = await call(`/o/${offerToken()}`, { headers: { accept: "text/html" } });

      // assess
      expect(reply.status).toBe(200);
      expect(reply.text).toContain("Wealth Management Fund");
    });

    it("shows the product's details, the risk statement and the hotline, never the bank's internal campaign name", async () => {
      // act
      const reply = await call(`/o/${offerToken()}`, { headers: { accept: "text/html" } });

      // assess
      expect(reply.text).toContain("<h1>Wealth Management Fund</h1>");
      expect(reply.text).not.toContain("Wealth fund for current-account holders");
      expect(reply.text).toContain("Wealth management");
      expect(reply.text).toContain("R3 (medium)");
      expect(reply.text).toContain(
        "Wealth management products are not deposits. Products carry risk. Invest with care.",
      );
      expect(reply.text).toContain('Questions? Call our service hotline <a href="tel:95000">95000</a>.');
      expect(reply.text).toContain("Demo Bank");
    });

    it("names the customer's relationship manager only when the records give a name", async () => {
      // prepare (the Chinese page, with a translated campaign: test/e2e/customer-pages.test.ts)
      const known = aCustomer({ customerId: "C-1", language: "en", relationshipManager: "wang.rm" });
      const named = { ...known, relationshipManagerName: "Ms Wang Li" };

      // act
      app = appOn(fakePorts({ customer: named }));
      const withName = await call(`/o/${offerToken()}`, { headers: { accept: "text/html" } });
      app = appOn(fakePorts({ customer: known }));
      const withoutName = await call(`/o/${offerToken()}`, { headers: { accept: "text/html" } });

      // assess: the staff sign-in name is never shown; without a name there is no line
      expect(withName.text).toContain("<p>Your relationship manager is Ms Wang Li.</p>");
      expect(withoutName.text).not.toContain("relationship manager is");
      expect(`${withName.text}${withoutName.text}`).not.toContain("wang.rm");
    });

    it.each([
      ["interested", "within 2 working days"],
      ["call_me", "When is a good time to call?"],
      ["not_now", "We will not offer you the Wealth Management Fund again for 90 days."],
      ["unsubscribe", "Demo Bank will send you no more offers by email."],
    ])("tells the customer what happens next after %s", async (answer, next) => {
      // act
      const reply = await call(`/o/${offerToken()}`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", accept: "text/html" },
        body: `answer=${answer}`,
      });

      // assess
      expect(reply.status).toBe(200);
      expect(reply.text).toContain(next);
    });

    it("keeps the time of day a customer who asked to be called picked, and says it back", async () => {
      // act
      const page = await call(`/o/${offerToken()}`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", accept: "text/html" },
        body: "answer=call_me&callTime=evening",
      });
      const api = await call(`/o/${offerToken()}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ answer: "call_me", callTime: "morning" }),
      });

      // assess
      expect(page.text).toContain("We will call you in the evening (18:00–20:00).");
      expect(JSON.parse(api.text)).toEqual({ recorded: "call_me", callTime: "morning" });
      expect(writes.filter((w) => w === "customers.recordAnswer")).toHaveLength(2);
    });

    it.each([
      ["a call time with another answer", "answer=not_now&callTime=morning"],
      ["an unknown call time", "answer=call_me&callTime=midnight"],
    ])("refuses %s with 400, recording nothing", async (_, body) => {
      // act
      const reply = await call(`/o/${offerToken()}`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body,
      });

      // assess
      expect(reply.status).toBe(400);
      expect(writes).toEqual([]);
    });

    it("speaks Chinese on an error page to a browser that asks for it", async () => {
      // act
      const reply = await call(`/o/${tamperSignature(offerToken())}`, {
        headers: { accept: "text/html", "accept-language": "zh-CN,zh;q=0.9,en;q=0.8" },
      });

      // assess
      expect(reply.status).toBe(400);
      expect(reply.text).toContain('<html lang="zh-CN">');
      expect(reply.text).toContain("此链接无效。请使用邮件中原样的链接。");
      expect(reply.text).toContain("示范银行");
    });

    const tampered: [string, () => string][] = [
      ["a changed signature", () => tamperSignature(offerToken())],
      ["a changed payload", () => tamperPayload(offerToken())],
      ["an unsubscribe token used as an offer link", () => offerToken("cmp-1.C-1", "unsubscribe")],
      ["no signature", () => offerToken().split(".")[0]],
      ["an extra part", () => `${offerToken()}.x`],
      ["garbage", () => "garbage"],
      ["broken percent-encoding", () => "%E0%A4%A"],
    ];

    it.each(tampered)("replies 400 JSON, never 500, to an offer link with %s", async (_, token) => {
      // act
      const reply = await call(`/o/${token()}`);

      // assess
      expect(reply.status).toBe(400);
      expect(json(reply).code).toBe("invalid_link");
      expect(writes).toEqual([]);
    });

    it.each(tampered)("replies to a browser with a 400 HTML page to an offer link with %s", async (_, token) => {
      // act
      const reply = await call(`/o/${token()}`, { headers: { accept: "text/html,application/xhtml+xml,*/*;q=0.8" } });

      // assess
      expect(reply.status).toBe(400);
      expect(reply.contentType).toContain("text/html");
      expect(reply.text).toMatch(/^<!doctype html>/i);
      expect(reply.text).toContain("This link is not valid");
    });

    it("records no answer and no unsubscribe for a tampered link", async () => {
      // act
      const reply = await call(`/o/${tamperSignature(offerToken())}`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", accept: "text/html" },
        body: "answer=unsubscribe",
      });
      const oneClick = await call(`/u/${tamperSignature(offerToken("cmp-1.C-1", "unsubscribe"))}`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "List-Unsubscribe=One-Click",
      });

      // assess
      expect(reply.status).toBe(400);
      expect(reply.contentType).toContain("text/html");
      expect(oneClick.status).toBe(400);
      expect(writes).toEqual([]);
    });

    it.each([
      ["a JSON body of null", "application/json", "null"],
      ["a malformed multipart body", "multipart/form-data; boundary=x", "garbage"],
    ])("replies 400, never 500, to an answer posted with %s", async (_, contentType, body) => {
      // act
      const reply = await call(`/o/${tamperSignature(offerToken())}`, {
        method: "POST",
        headers: { "content-type": contentType },
        body,
      });

      // assess
      expect(reply.status).toBe(400);
      expect(["invalid_request", "invalid_link"]).toContain(json(reply).code);
    });
  });

  describe("the edge: what a request may hold before any port is used (issue #8)", () => {
    const ADMIN = as("admin-token");
    const RULE = (name: string) => `${name} must be 1-64 letters, digits, '_' or '-'`;

    it("refuses an id of 3,000 characters in every path parameter of the document with 400, reading nothing", async () => {
      // prepare: every operation with a path parameter, as the OpenAPI document lists it
      const doc = JSON.parse((await call("/openapi.json")).text) as {
        paths: Record<string, Record<string, { parameters?: { name: string; in: string }[] }>>;
      };
      const wrong: string[] = [];
      let checked = 0;
      for (const [template, operations] of Object.entries(doc.paths)) {
        for (const [method, operation] of Object.entries(operations)) {
          for (const { name } of (operation.parameters ?? []).filter((p) => p.in === "path")) {
            calls = [];
            const path = template.replace(/\{(\w+)\}/g, (_, p: string) => (p === name ? "a".repeat(3000) : "known-1"));

            // act: as an admin, whom no role check stops; the export's reason given, so only the id is wrong
            const reply = await call(`${path}?reason=quarterly+review`, {
              method: method.toUpperCase(),
              headers: { ...ADMIN, "content-type": "application/json" },
              body: method === "get" ? undefined : "{}",
            });

            // assess
            checked++;
            const body = json(reply);
            const expected = name === "token" ? "invalid_link" : RULE(name);
            if (reply.status !== 400 || (body.code !== expected && body.message !== expected) || calls.length > 0)
              wrong.push(`${method} ${template} ${name}: ${reply.status} ${reply.text.slice(0, 120)}; calls ${calls}`);
          }
        }
      }
      expect(wrong).toEqual([]);
      expect(checked).toBeGreaterThanOrEqual(20);
    });

    it.each([
      ["a segment id of 65 characters", `/api/segments/${"s".repeat(65)}`, "segmentId"],
      ["a campaign id with a slash", "/api/campaigns/cmp%2F1/stats", "campaignId"],
      ["a customer id with a NUL", "/api/customers/C-1%00", "customerId"],
      ["a change id in Chinese", "/api/customers/C-1/changes/%E5%8F%98%E6%9B%B4/apply", "changeId"],
    ])("says what an id looks like when given %s", async (_, path, name) => {
      // act
      const reply = await call(path, { method: path.endsWith("/apply") ? "POST" : "GET", headers: ADMIN });

      // assess
      expect(reply.status).toBe(400);
      expect(json(reply)).toMatchObject({ code: "invalid_request", message: RULE(name) });
      expect(calls).toEqual([]);
    });

    it.each([
      ["0", "/api/segments/seg-1?version=0"],
      ["a million", "/api/segments/seg-1?version=1000000"],
      ["beyond a double", "/api/segments/seg-1?version=1e309"],
      ["a word", "/api/segments/seg-1/export?reason=quarterly+review&version=two"],
    ])("refuses a segment version of %s with 400 saying the range, reading nothing", async (_, path) => {
      // act
      const reply = await call(path, { headers: ADMIN });

      // assess
      expect(reply.status).toBe(400);
      expect(json(reply).message).toBe("version must be a whole number from 1 to 999999");
      expect(calls).toEqual([]);
    });

    it.each([
      [
        "an analyst posting a conversion",
        ANALYST,
        "POST",
        "/api/conversions",
        "Role 'analyst' may not do this; it needs admin",
      ],
      [
        "a marketer reading the change queue",
        MARKETER,
        "GET",
        "/api/changes",
        "Role 'marketer' may not do this; it needs approver or admin",
      ],
      [
        "an analyst launching a campaign",
        ANALYST,
        "POST",
        "/api/campaigns/cmp-1/launch",
        "Role 'analyst' may not do this; it needs marketer, approver or admin",
      ],
    ])("names each role that may, once, to %s", async (_, headers, method, path, message) => {
      // act
      const reply = await call(path, {
        method,
        headers: { ...headers, "content-type": "application/json" },
        body: method === "POST" ? "{}" : undefined,
      });

      // assess
      expect(reply.status).toBe(403);
      expect(json(reply)).toStrictEqual({ code: "forbidden", message });
    });

    it.each([
      ["a bearer of 5,000 characters", `Bearer ${"x".repeat(5000)}`],
      ["a known token followed by 5,000 characters", `Bearer admin-token${"x".repeat(5000)}`],
      ["Latin-1 bytes", "Bearer \u00ff\u00fe"],
      ["two tokens", "Bearer admin-token admin-token"],
    ])("replies 401 to an Authorization header with %s", async (_, authorization) => {
      // act
      const reply = await call("/api/campaigns/cmp-1", { headers: { authorization } });

      // assess
      expect(reply.status).toBe(401);
      expect(json(reply).code).toBe("unauthenticated");
      expect(calls).toEqual([]);
    });

    it("refuses a genuinely signed link whose delivery id is too long to be one, reading nothing", async () => {
      // act
      const reply = await call(`/o/${offerToken(`${"c".repeat(1500)}.${"d".repeat(1500)}`)}`);

      // assess
      expect(reply.status).toBe(400);
      expect(json(reply).code).toBe("invalid_link");
      expect(calls).toEqual([]);
    });

    it("takes the longest link the platform signs: two ids of 64 characters, unsubscribe, a far expiry", () => {
      // act
      const token = signLink(SECRET, {
        deliveryId: `${"c".repeat(64)}.${"d".repeat(64)}`,
        action: "unsubscribe",
        expiresAt: 9_999_999_999,
      });

      // assess
      expect(token.length).toBeLessThanOrEqual(MAX_LINK_TOKEN_LENGTH);
      expect(LinkToken.safeParse(token).success).toBe(true);
    });

    it("refuses an import of zero bytes with 400, and takes a CSV with only its header line", async () => {
      // act
      const empty = await call("/api/customers/import", {
        method: "POST",
        headers: { ...MARKETER, "content-type": "text/csv" },
        body: "",
      });
      const headerOnly = await call("/api/customers/import", {
        method: "POST",
        headers: { ...MARKETER, "content-type": "text/csv" },
        body: "customerId,type,name,email,aum,products,region,emailConsent\n",
      });

      // assess
      expect(empty.status).toBe(400);
      expect(json(empty)).toMatchObject({
        code: "invalid_request",
        message: expect.stringMatching(/^The file is empty: /),
      });
      expect(headerOnly.status).toBe(200);
      expect(JSON.parse(headerOnly.text)).toMatchObject({ rowsRead: 0, imported: 0, rejected: [] });
      expect(writes).toEqual([]);
    });

    it("lists every editable field in the summary of PATCH /api/customers/{customerId}", async () => {
      // act
      const doc = JSON.parse((await call("/openapi.json")).text);
      const summary: string = doc.paths["/api/customers/{customerId}"].patch.summary;

      // assess
      for (const field of EDITABLE_FIELDS) expect(summary).toMatch(new RegExp(`\\b${field}\\b`));
    });

    it.each(["C-1", "a".repeat(64), "a".repeat(65), "", "C 1", "客户", "C-1%00", "x".repeat(3000)])(
      "judges the customer id %s as the import's CustomerId does, with the same words",
      (id) => {
        // act
        const edge = idNamed("customerId").safeParse(id);
        const row = CustomerId.safeParse(id);

        // assess
        expect(edge.success).toBe(row.success);
        if (!edge.success)
          expect(edge.error.issues.map((i) => i.message)).toEqual(row.error?.issues.map((i) => i.message));
      },
    );
  });

  describe("internal errors", () => {
    /** What the DynamoDB client throws when it cannot connect: the host and table, and a stack of file paths. */
    const failure = () =>
      Object.assign(new Error("connect ECONNREFUSED 10.0.0.5:8000 (table t-campaigns)"), {
        name: "DynamoDBUnreachable",
        stack: [
          "DynamoDBUnreachable: connect ECONNREFUSED 10.0.0.5:8000 (table t-campaigns)",
          "    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1611:16)",
          "    at async DynamoDbCampaignStore.get (/var/task/shared/adapters/dynamodb/campaign-store.js:42:18)",
          "    at async /var/task/node_modules/@smithy/middleware-retry/dist-cjs/index.js:320:46",
        ].join("\n"),
      });

    it("replies to a DynamoDB failure with 500 and exactly the generic body", async () => {
      // prepare: every read rejects, as when DynamoDB cannot be reached
      app = appOn(fakePorts({ unreachable: failure() }));

      // act
      const reply = await call("/api/campaigns/cmp-1", { headers: ANALYST });

      // assess
      expect(reply.status).toBe(500);
      expect(JSON.parse(reply.text)).toStrictEqual({ code: "internal", message: "Internal server error" });
    });

    it("replies to a browser on a customer page with a generic HTML page that reveals nothing", async () => {
      // prepare: every read rejects, as when DynamoDB cannot be reached
      app = appOn(fakePorts({ unreachable: failure() }));

      // act
      const reply = await call(`/o/${offerToken()}`, { headers: { accept: "text/html" } });

      // assess
      expect(reply.status).toBe(500);
      expect(reply.contentType).toContain("text/html");
      expect(reply.text).toContain("Something went wrong on our side. Please try again later.");
      expect(reply.text).not.toContain("ECONNREFUSED");
      expect(reply.text).not.toContain("t-campaigns");
      expectNoInternals(reply.text);
    });
  });
});
