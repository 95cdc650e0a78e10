import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { api, type InboxEmail, inbox, linkIn, waitFor } from "../integration/client.js";

/**
 * A customer's path in a real browser (Debian's Chromium): the inbox, the offer page and its
 * answer buttons, the unsubscribe page. CI installs Chromium; elsewhere the file is skipped
 * when it is missing.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const available = existsSync(CHROMIUM);
if (!available && process.env.CI)
  throw new Error(`Chromium is not at ${CHROMIUM}: .ci/run installs Debian's chromium package`);

/**
 * Every console error or warning and uncaught page error from here on: Chromium reports a CSP
 * violation ("Applying inline style violates the following Content Security Policy directive…")
 * as a console error.
 */
function problemsOn(page: Page): string[] {
  const problems: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" || message.type() === "warning") problems.push(message.text());
  });
  page.on("pageerror", (error) => problems.push(error.message));
  return problems;
}

/** The button's background: the pages' one style block applied (the CSP allowed it by its hash). */
const backgroundOf = (page: Page, button: string) =>
  page
    .getByRole("button", { name: button })
    .evaluate((element) => (globalThis as unknown as Window).getComputedStyle(element).backgroundColor);
type Window = { getComputedStyle: (element: unknown) => { backgroundColor: string } };
const BANK_BLUE = "rgb(11, 92, 173)";

describe.skipIf(!available)("customer pages in a browser", () => {
  let browser: Browser;
  let screenshots: string;
  let campaignId: string;
  const emails: InboxEmail[] = [];

  beforeAll(async () => {
    screenshots = mkdtempSync(join(tmpdir(), "e2e-screenshots-"));
    const csv = [
      "customerId,type,name,email,aum,products,region,emailConsent",
      "E2E-1,individual,Zhao Lei,zhao.lei@e2e.test,250000,DEPOSIT_CURRENT,E2E,true",
      "E2E-2,individual,Sun Fang,sun.fang@e2e.test,80000,DEPOSIT_CURRENT,E2E,true",
    ].join("\n");
    await api("POST", "/api/customers/import", "marketer", csv, "text/csv");
    const { body: segment } = await api("POST", "/api/segments", "marketer", {
      name: "e2e",
      rule: { attr: "region", op: "eq", value: "E2E" },
    });
    const { body: created } = await api("POST", "/api/campaigns", "marketer", {
      name: "Credit card for E2E",
      segmentId: segment.segmentId,
      offer: { productCode: "CREDIT_CARD" },
      message: {
        subject: "E2E {{name}}: a {{product}}",
        html: '<p>Dear {{name}}, <a href="{{offerUrl}}">see your offer</a></p>',
        text: "Offer: {{offerUrl}}",
      },
      controlGroupPercent: 0,
    });
    campaignId = created.campaignId;
    await api("POST", `/api/campaigns/${campaignId}/approve`, "approver");
    await api("POST", `/api/campaigns/${campaignId}/launch`, "marketer");
    await waitFor(
      "the e2e campaign to complete",
      () => api("GET", `/api/campaigns/${campaignId}/stats`, "analyst"),
      (r) => r.body.status === "completed",
    );
    emails.push(...(await inbox()).filter((e) => e.subject.startsWith("E2E ")));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
      // Playwright gives every launch a fresh, empty profile of its own.
    });
  });

  afterAll(async () => {
    await browser?.close();
    if (!process.env.KEEP_SCREENSHOTS) rmSync(screenshots, { recursive: true, force: true });
  });

  it("shows the sent offer in the local inbox", async () => {
    const page = await browser.newPage();

    await page.goto(inject("inboxUrl"));

    await expect.poll(() => page.content()).toContain("E2E Zhao Lei: a Credit Card");
    await page.close();
  });

  it("opens the offer from the email and records the button the customer presses", async () => {
    const email = emails.find((e) => e.destination.to[0].includes("zhao.lei"))!;
    const page = await browser.newPage();
    const problems = problemsOn(page);

    await page.goto(linkIn(email.body.text!, "o")!);
    await page.screenshot({ path: join(screenshots, "offer-page.png") });
    const heading = await page.textContent("h1");
    const primary = await backgroundOf(page, "I'm interested");
    await page.getByRole("button", { name: "Please call me" }).click();
    await page.waitForSelector("text=Thank you");
    await page.screenshot({ path: join(screenshots, "offer.png") });
    const stats = (await api("GET", `/api/campaigns/${campaignId}/stats`, "analyst")).body;

    expect(heading).toBe("Credit Card");
    expect(primary).toBe(BANK_BLUE);
    expect(problems).toEqual([]);
    expect(await page.textContent("body")).toContain("Your relationship manager will call you.");
    expect(stats.clicked).toBe(1);
    expect(stats.responses.call_me).toBe(1);
    await page.close();
  });

  it("unsubscribes from the confirmation page and withdraws consent", async () => {
    const email = emails.find((e) => e.destination.to[0].includes("sun.fang"))!;
    const page = await browser.newPage();
    const problems = problemsOn(page);

    await page.goto(linkIn(email.body.text!, "u")!);
    const button = await backgroundOf(page, "Unsubscribe");
    await page.getByRole("button", { name: "Unsubscribe" }).click();
    await page.waitForSelector("text=You are unsubscribed");
    const customer = (await api("GET", "/api/customers/E2E-2", "admin")).body;

    expect(button).toBe(BANK_BLUE);
    expect(customer.emailConsent).toBe(false);
    expect(problems).toEqual([]);
    await page.close();
  });

  it("shows a clear page, not an error dump, for a tampered link", async () => {
    const email = emails[0];
    const page = await browser.newPage();

    const response = await page.goto(`${linkIn(email.body.text!, "o")!}tampered`);

    expect(response?.status()).toBe(400);
    expect(await page.textContent("body")).toContain("This link is not valid");
    expect(await page.content()).not.toMatch(/at .*\.ts:\d+/);
    await page.close();
  });

  it("refuses an answer that a page on another site makes the customer's browser post", async () => {
    const email = emails.find((e) => e.destination.to[0].includes("zhao.lei"))!;
    const offerUrl = linkIn(email.body.text!, "o")!;
    // Another site (127.0.0.1 is not localhost's site) with a form aimed at the customer's offer link.
    const attacker: Server = createServer((_, response) => {
      response.setHeader("content-type", "text/html");
      response.end(
        `<!doctype html><form method="post" action="${offerUrl}"><button name="answer" value="interested">Win a prize</button></form>`,
      );
    });
    await new Promise<void>((resolve) => attacker.listen(0, "127.0.0.1", resolve));
    const page = await browser.newPage();

    try {
      await page.goto(`http://127.0.0.1:${(attacker.address() as AddressInfo).port}/`);
      const [response] = await Promise.all([
        page.waitForResponse((r) => r.url() === offerUrl && r.request().method() === "POST"),
        page.getByRole("button", { name: "Win a prize" }).click(),
      ]);
      await page.waitForLoadState();
      const stats = (await api("GET", `/api/campaigns/${campaignId}/stats`, "analyst")).body;

      expect(response.status()).toBe(403);
      expect(await page.textContent("body")).toContain(
        "This answer came from another website, so it was not recorded.",
      );
      expect(stats.responses).toMatchObject({ call_me: 1 });
      expect(stats.responses.interested ?? 0).toBe(0);
    } finally {
      await page.close();
      attacker.close();
    }
  });
});
