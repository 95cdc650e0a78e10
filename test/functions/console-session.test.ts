import { createHash } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { createApp } from "../../functions/api/app.js";
import type { ApiDeps } from "../../functions/api/deps.js";
import type { Actor } from "../../shared/kernel/actor.js";
import { aCampaign } from "../adapters/fixtures.js";
import { memoryConsoleSessions } from "../support/memory-console-sessions.js";
import { platformWith } from "../unit/platform.js";

const ISSUER = "https://idp.example";
const BASE = "https://offers.example.cn"; // TEST_SETTINGS' publicBaseUrl
const MEI: Actor = { kind: "person", id: "sub-mei", name: "mei", role: "marketer" };

let clock: Date;
let sessions: ReturnType<typeof memoryConsoleSessions>;
/** The codes the fake provider issued, with the PKCE challenge each was asked with. */
let codes: Map<string, string>;
/** The ID token the fake provider gives with the access token. */
let idToken: string;
/** Who the access token names. */
let caller: Actor;
/** A JWT's shape with these claims: the console reads an ID token's payload, not its signature (oidc.ts). */
const jwtWith = (claims: object) => `e30.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.c2lnbmF0dXJl`;

/** The issuer's discovery document and token endpoint, as a provider answers them. */
const fakeIssuer: typeof fetch = async (input, init) => {
  const url = String(input);
  if (url === `${ISSUER}/.well-known/openid-configuration`)
    return Response.json({
      issuer: ISSUER,
      authorization_endpoint: `${ISSUER}/auth`,
      token_endpoint: `${ISSUER}/token`,
      end_session_endpoint: `${ISSUER}/session/end`,
    });
  if (url === `${ISSUER}/token`) {
    const form = new URLSearchParams(String(init?.body));
    const challenge = codes.get(form.get("code") ?? "");
    const verified = createHash("sha256")
      .update(form.get("code_verifier") ?? "")
      .digest("base64url");
    if (!challenge || challenge !== verified || form.get("redirect_uri") !== `${BASE}/console/callback`)
      return Response.json({ error: "invalid_grant" }, { status: 400 });
    return Response.json({ access_token: "access-mei", id_token: idToken });
  }
  return new Response("not found", { status: 404 });
};

function appNow() {
  const ports = {
    ...platformWith({
      campaigns: {
        get: async (id: string) => (id === "cmp-1" ? aCampaign({ status: "completed" }) : null),
        listByStatus: async (status) => ({ campaigns: status === "completed" ? [aCampaign({ status })] : [] }),
      },
      deliveries: { counters: async () => ({ targeted: 90, control: 10, sent: 90, converted: 9 }) },
    }),
    now: () => clock,
  };
  const deps: ApiDeps = {
    ports,
    actorFor: async () => undefined,
    checkServices: async () => ({ dynamodb: "ok", sqs: "ok" }),
    console: {
      issuer: ISSUER,
      clientId: "console",
      sessions: sessions.store,
      verifyAccessToken: async (token) => (token === "access-mei" ? caller : undefined),
      fetch: fakeIssuer,
    },
  };
  return createApp(deps);
}

/** The cookies a reply sets, by name: the value and its attributes. */
const setCookies = (response: Response) =>
  new Map(
    response.headers.getSetCookie().map((c) => {
      const [pair, ...attributes] = c.split(";").map((s) => s.trim());
      const [name, value] = pair.split("=");
      return [name, { value, attributes }];
    }),
  );

/** Signs mei in as the browser would: /console/login, the provider's redirect back with a code, /console/callback. */
async function signIn(app: ReturnType<typeof createApp>, headers: Record<string, string> = {}) {
  const login = await app.request(`${BASE}/console/login`, { headers });
  const to = new URL(login.headers.get("location")!);
  const state = to.searchParams.get("state")!;
  codes.set("code-1", to.searchParams.get("code_challenge")!);
  const loginCookie = setCookies(login).get("console_login")!.value;
  const callback = await app.request(`${BASE}/console/callback?code=code-1&state=${state}`, {
    headers: { ...headers, cookie: `console_login=${loginCookie}` },
  });
  const session = setCookies(callback).get("console_session");
  return { login, to, callback, session, cookie: `console_session=${session?.value}` };
}

const csrfIn = async (page: Response) => /name="csrf" value="([^"]+)"/.exec(await page.text())?.[1];

describe("the console's session (backend-for-frontend)", () => {
  beforeEach(() => {
    clock = new Date("2026-06-01T12:00:00.000Z");
    sessions = memoryConsoleSessions(() => clock);
    codes = new Map();
    idToken = "id-mei";
    caller = MEI;
  });

  it("signs in by authorization code with PKCE at the issuer its discovery document names", async () => {
    // prepare
    const app = appNow();
    // act
    const { login, to, callback, session } = await signIn(app);
    // assess
    expect(login.status).toBe(302);
    expect(`${to.origin}${to.pathname}`).toBe(`${ISSUER}/auth`);
    expect(Object.fromEntries(to.searchParams)).toMatchObject({
      client_id: "console",
      response_type: "code",
      redirect_uri: `${BASE}/console/callback`,
      code_challenge_method: "S256",
    });
    expect(callback.status).toBe(302);
    expect(callback.headers.get("location")).toBe("/console/campaigns");
    expect(session?.attributes).toEqual(
      expect.arrayContaining(["HttpOnly", "Secure", "SameSite=Lax", "Path=/console"]),
    );
  });

  it("keeps the session on the server: the cookie is a random id, and no token is in it or in any page", async () => {
    // prepare
    const app = appNow();
    // act
    const { session, cookie } = await signIn(app);
    const page = await app.request(`${BASE}/console/campaigns?status=completed`, { headers: { cookie } });
    const html = await page.text();
    // assess
    expect(session!.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect([...sessions.sessions.values()][0].session).toMatchObject({ user: { name: "mei", role: "marketer" } });
    expect(sessions.sessions.has(session!.value)).toBe(false); // kept by the id's hash
    expect(page.status).toBe(200);
    expect(html).toContain("Signed in as mei, marketer");
    expect(html).not.toContain("access-mei");
    expect(html).not.toContain("id-mei");
  });

  it("keeps the person's own address from the ID token (Cognito's access tokens carry none), for their test emails", async () => {
    // prepare
    idToken = jwtWith({ sub: "sub-mei", email: "mei@demo-bank.example", email_verified: true });
    const app = appNow();
    // act
    await signIn(app);
    // assess
    expect([...sessions.sessions.values()][0].session.user).toEqual({
      id: "sub-mei",
      name: "mei",
      role: "marketer",
      email: "mei@demo-bank.example",
    });
  });

  it("prefers the access token's address, and takes none from an ID token about someone else or unverified", async () => {
    // prepare
    const cases = [
      { access: "mei@bank.example", id: { sub: "sub-mei", email: "other@bank.example" }, kept: "mei@bank.example" },
      { access: undefined, id: { sub: "sub-li", email: "li@bank.example" }, kept: undefined },
      { access: undefined, id: { sub: "sub-mei", email: "mei@bank.example", email_verified: false }, kept: undefined },
    ];
    for (const { access, id, kept } of cases) {
      sessions = memoryConsoleSessions(() => clock);
      caller = { ...MEI, ...(access ? { email: access } : {}) };
      idToken = jwtWith(id);
      // act
      await signIn(appNow());
      // assess
      expect([...sessions.sessions.values()][0].session.user.email).toBe(kept);
    }
  });

  it("asks the provider for the email scope, so that the ID token names the address", async () => {
    // act
    const { to } = await signIn(appNow());
    // assess
    expect(to.searchParams.get("scope")?.split(" ")).toEqual(["openid", "profile", "email"]);
  });

  it("refuses a callback whose state this browser did not start", async () => {
    // prepare
    const app = appNow();
    const login = await app.request(`${BASE}/console/login`);
    const state = new URL(login.headers.get("location")!).searchParams.get("state")!;
    // act
    const foreign = await app.request(`${BASE}/console/callback?code=code-1&state=${state}`, {
      headers: { cookie: "console_login=another-browsers-state" },
    });
    // assess
    expect(foreign.status).toBe(400);
    expect(setCookies(foreign).get("console_session")).toBeUndefined();
  });

  it("sends a page without a session to sign in, and answers the progress poll 401", async () => {
    // prepare
    const app = appNow();
    // act
    const page = await app.request(`${BASE}/console/campaigns/cmp-1`);
    const poll = await app.request(`${BASE}/console/campaigns/cmp-1/progress`);
    // assess
    expect(page.status).toBe(302);
    expect(page.headers.get("location")).toBe("/console/login?returnTo=%2Fconsole%2Fcampaigns%2Fcmp-1");
    expect(poll.status).toBe(401);
  });

  it("ends a session idle for 15 minutes, and keeps one used within them", async () => {
    // prepare
    const app = appNow();
    const { cookie } = await signIn(app);
    // act
    clock = new Date(clock.getTime() + 14 * 60_000);
    const within = await app.request(`${BASE}/console/campaigns?status=completed`, { headers: { cookie } });
    clock = new Date(clock.getTime() + 14 * 60_000); // 28 minutes after sign-in, 14 after the last use
    const stillWithin = await app.request(`${BASE}/console/campaigns?status=completed`, { headers: { cookie } });
    clock = new Date(clock.getTime() + 15 * 60_000);
    const idle = await app.request(`${BASE}/console/campaigns?status=completed`, { headers: { cookie } });
    // assess
    expect(within.status).toBe(200);
    expect(stillWithin.status).toBe(200);
    expect(idle.status).toBe(302);
    expect(idle.headers.get("location")).toMatch(/^\/console\/login\?returnTo=/);
    // The store forgets it by its expiry (DynamoDB's TTL, checked on every read too).
    expect(await sessions.store.get([...sessions.sessions.keys()][0] ?? "")).toBeNull();
  });

  it("does not count the progress poll as use: an unattended page still idles out", async () => {
    // prepare
    const app = appNow();
    const { cookie } = await signIn(app);
    // act
    for (let minute = 1; minute <= 14; minute++) {
      clock = new Date(clock.getTime() + 60_000);
      await app.request(`${BASE}/console/campaigns/cmp-1/progress`, { headers: { cookie } });
    }
    clock = new Date(clock.getTime() + 60_000);
    const poll = await app.request(`${BASE}/console/campaigns/cmp-1/progress`, { headers: { cookie } });
    // assess
    expect(poll.status).toBe(401);
  });

  it("refuses a state-changing request without the session's CSRF token, or from another site", async () => {
    // prepare
    const app = appNow();
    const { cookie } = await signIn(app);
    const csrf = await csrfIn(await app.request(`${BASE}/console/campaigns?status=completed`, { headers: { cookie } }));
    const post = (body: Record<string, string>, headers: Record<string, string> = {}) =>
      app.request(`${BASE}/console/language`, {
        method: "POST",
        headers: { cookie, "content-type": "application/x-www-form-urlencoded", ...headers },
        body: new URLSearchParams(body),
      });
    // act
    const without = await post({ language: "zh-CN" });
    const wrong = await post({ language: "zh-CN", csrf: "not-the-token" });
    const crossSite = await post(
      { language: "zh-CN", csrf: csrf! },
      { "sec-fetch-site": "cross-site", origin: "https://evil.example" },
    );
    const unchanged = [...sessions.sessions.values()][0].session.language;
    const right = await post({ language: "zh-CN", csrf: csrf!, returnTo: "/console/campaigns?status=completed" });
    const after = await app.request(`${BASE}/console/campaigns?status=completed`, { headers: { cookie } });
    // assess
    expect([without.status, wrong.status, crossSite.status]).toEqual([403, 403, 403]);
    expect(unchanged).toBe("en");
    expect(right.status).toBe(303);
    expect(right.headers.get("location")).toBe("/console/campaigns?status=completed");
    expect(setCookies(right).get("console_language")?.value).toBe("zh-CN");
    expect(await after.text()).toContain("已登录：mei，营销人员");
  });

  it("remembers the language a person chose, so that their sign-in on another browser opens in it", async () => {
    // prepare: mei chooses Chinese on one browser
    const app = appNow();
    const first = await signIn(app);
    const csrf = await csrfIn(
      await app.request(`${BASE}/console/campaigns?status=completed`, { headers: { cookie: first.cookie } }),
    );
    await app.request(`${BASE}/console/language`, {
      method: "POST",
      headers: { cookie: first.cookie, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ language: "zh-CN", csrf: csrf! }),
    });
    // act: she signs in on a second browser, with no cookie of the first and an English browser
    const second = await signIn(app, { "accept-language": "en-GB,en;q=0.9" });
    const page = await app.request(`${BASE}/console/campaigns?status=completed`, {
      headers: { cookie: second.cookie, "accept-language": "en-GB,en;q=0.9" },
    });
    // assess
    expect(second.cookie).not.toBe(first.cookie);
    expect(await page.text()).toContain("已登录：mei，营销人员");
    expect(sessions.languages.get(MEI.id!)).toBe("zh-CN");
  });

  it("signs out: the session is deleted, and the browser goes to the provider's end_session endpoint", async () => {
    // prepare
    const app = appNow();
    const { cookie } = await signIn(app);
    const csrf = await csrfIn(await app.request(`${BASE}/console/campaigns?status=completed`, { headers: { cookie } }));
    // act
    const out = await app.request(`${BASE}/console/logout`, {
      method: "POST",
      headers: { cookie, "content-type": "application/x-www-form-urlencoded", "sec-fetch-site": "same-origin" },
      body: new URLSearchParams({ csrf: csrf! }),
    });
    const afterwards = await app.request(`${BASE}/console/campaigns`, { headers: { cookie } });
    // assess
    const to = new URL(out.headers.get("location")!);
    expect(out.status).toBe(303);
    expect(`${to.origin}${to.pathname}`).toBe(`${ISSUER}/session/end`);
    expect(Object.fromEntries(to.searchParams)).toEqual({
      client_id: "console",
      post_logout_redirect_uri: `${BASE}/console/signed-out`,
      id_token_hint: "id-mei",
    });
    expect(sessions.sessions.size).toBe(0);
    expect(afterwards.status).toBe(302);
    expect(afterwards.headers.get("location")).toMatch(/^\/console\/login/);
  });

  it("serves the console under a strict policy: its own script and style only, forms to itself and the provider", async () => {
    // prepare
    const app = appNow();
    const { cookie } = await signIn(app);
    // act
    const page = await app.request(`${BASE}/console/campaigns?status=completed`, { headers: { cookie } });
    // assess
    const csp = page.headers.get("content-security-policy");
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain(`form-action 'self' ${ISSUER}`);
    expect(page.headers.get("cache-control")).toBe("no-store");
  });
});
