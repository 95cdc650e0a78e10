import { createApp } from "../../functions/api/app.js";
import type { Platform } from "../../shared/adapters/platform.js";
import type { Actor } from "../../shared/kernel/actor.js";
import { memoryConsoleSessions } from "./memory-console-sessions.js";

/**
 * The whole API app with its console, on ports a test hands in, and an issuer faked in memory
 * that signs in whoever the test names: what a console route test needs to sign a person in and
 * read pages as their browser would (cookie, CSRF token). test/functions/console-*.test.ts.
 */
export const CONSOLE_ISSUER = "https://idp.example";
export const CONSOLE_BASE = "https://offers.example.cn"; // TEST_SETTINGS' publicBaseUrl

export function consoleHarness(clock: () => Date) {
  let caller: Actor | undefined;
  const sessions = memoryConsoleSessions(clock);

  /** The issuer: a discovery document, and a token endpoint that answers for whoever signs in. */
  const fakeIssuer: typeof fetch = async (input) => {
    const url = String(input);
    if (url === `${CONSOLE_ISSUER}/.well-known/openid-configuration`)
      return Response.json({
        issuer: CONSOLE_ISSUER,
        authorization_endpoint: `${CONSOLE_ISSUER}/auth`,
        token_endpoint: `${CONSOLE_ISSUER}/token`,
      });
    if (url === `${CONSOLE_ISSUER}/token`) return Response.json({ access_token: `access-${caller?.name}` });
    return new Response("not found", { status: 404 });
  };

  const appWith = (ports: Platform) =>
    createApp({
      ports,
      actorFor: async () => undefined,
      checkServices: async () => ({ dynamodb: "ok", sqs: "ok" }),
      console: {
        issuer: CONSOLE_ISSUER,
        clientId: "console",
        sessions: sessions.store,
        verifyAccessToken: async (token) => (caller && token === `access-${caller.name}` ? caller : undefined),
        fetch: fakeIssuer,
      },
    });

  /** Signs `who` in as the browser would; GET and POST as them (the form carries the session's CSRF token), and the session's cookie; the CSRF token is read from `firstPage`. */
  const signedIn = async (app: ReturnType<typeof createApp>, who: Actor, firstPage = "/campaigns") => {
    caller = who;
    const login = await app.request(`${CONSOLE_BASE}/console/login`);
    const state = new URL(login.headers.get("location")!).searchParams.get("state")!;
    const loginCookie = /console_login=([^;]+)/.exec(login.headers.get("set-cookie") ?? "")![1];
    const callback = await app.request(`${CONSOLE_BASE}/console/callback?code=code-1&state=${state}`, {
      headers: { cookie: `console_login=${loginCookie}` },
    });
    const cookie = `console_session=${/console_session=([^;]+)/.exec(callback.headers.get("set-cookie") ?? "")![1]}`;
    const page = await (await app.request(`${CONSOLE_BASE}/console${firstPage}`, { headers: { cookie } })).text();
    const csrf = /name="csrf" value="([^"]+)"/.exec(page)![1];
    const get = (path: string) => app.request(`${CONSOLE_BASE}/console${path}`, { headers: { cookie } });
    const post = (path: string, form: Record<string, string> = {}) =>
      app.request(`${CONSOLE_BASE}/console${path}`, {
        method: "POST",
        headers: { cookie, "content-type": "application/x-www-form-urlencoded", origin: CONSOLE_BASE },
        body: new URLSearchParams({ csrf, ...form }),
      });
    return { get, post, csrf, cookie };
  };

  return { sessions, appWith, signedIn };
}
