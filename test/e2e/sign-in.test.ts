import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DEFAULT_DEV_USERS, parseDevUsers } from "../../infra/local/oidc-provider.js";
import { api } from "../integration/client.js";
import { chromiumAvailable, launchChromium } from "../support/browser.js";
import { authorizationUrl, exchangeCode, pkcePair } from "../support/oidc-client.js";

/**
 * A member of staff signs in through the local provider's login page in Chromium, by
 * authorization code with PKCE, and the API answers them by name and role. The test plays the
 * part of a script's client (the console has its own, test/e2e/console.test.ts): it sends the
 * browser to the provider, reads the code from the address the browser is sent back to, and
 * exchanges it.
 */
const users = parseDevUsers(DEFAULT_DEV_USERS);

describe.skipIf(!chromiumAvailable)("signing in, in a browser", () => {
  let browser: Browser;
  let issuer: string;

  beforeAll(async () => {
    issuer = (await api("GET", "/health", null)).body.issuer;
    // A fresh, empty profile for every launch: no session from an earlier run.
    browser = await launchChromium();
  });
  afterAll(() => browser?.close());

  /** The browser part of the flow: the login page filled in, the code read where the browser is sent back. */
  async function signInInBrowser(username: string, password: string) {
    const redirectUri = `${inject("apiUrl")}/console/callback`;
    const { verifier, challenge } = pkcePair();
    const context = await browser.newContext();
    const page = await context.newPage();
    const pageProblems: string[] = [];
    page.on("console", (m) => (m.type() === "error" ? pageProblems.push(m.text()) : undefined));
    await page.goto(authorizationUrl(issuer, redirectUri, challenge, "state-e2e"));
    const title = await page.title();
    const problems = [...pageProblems]; // on the login page, before it leaves for the console's address
    await page.getByLabel("User name").fill(username);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
    // Back at the console's address with a code, or still on the login page, saying why.
    await Promise.race([page.waitForURL((url) => url.href.startsWith(redirectUri)), page.getByRole("alert").waitFor()]);
    const shown = await page.textContent("body");
    // The console is not there yet (the API answers 404 at its address): the code is in the URL.
    const callback = page.url().startsWith(redirectUri) ? new URL(page.url()) : undefined;
    await context.close();
    return { callback, verifier, redirectUri, title, shown, problems };
  }

  it("lets a demo user sign in on the provider's page, and the API answers them by name and role", async () => {
    // prepare
    const mei = users.find((u) => u.username === "mei")!;
    // act
    const { callback, verifier, redirectUri, title, problems } = await signInInBrowser(mei.username, mei.password);
    const { body } = await exchangeCode(issuer, callback!.searchParams.get("code")!, redirectUri, verifier);
    const me = await fetch(`${inject("apiUrl")}/api/me`, { headers: { authorization: `Bearer ${body.access_token}` } });
    // assess
    expect(title).toBe("Sign in to Cross-sell campaigns");
    expect(callback?.searchParams.get("state")).toBe("state-e2e");
    expect(await me.json()).toMatchObject({ name: "mei", role: "marketer" });
    expect(problems).toEqual([]);
  });

  it("keeps a wrong password on the login page, saying so, and sends no code", async () => {
    // prepare / act
    const { callback, shown } = await signInInBrowser("mei", "not-her-password");
    // assess
    expect(callback).toBeUndefined();
    expect(shown).toContain("The user name or password is not right.");
  });
});
