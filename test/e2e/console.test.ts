import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { formatsFor } from "../../functions/console/format.js";
import { DEFAULT_DEV_USERS, parseDevUsers } from "../../infra/local/oidc-provider.js";
import { liftOf } from "../../shared/delivery/lift.js";
import { api, inbox, linkIn } from "../integration/client.js";
import {
  accessibilityProblems,
  CONSOLE_SHOTS_KEPT,
  chromiumAvailable,
  inEnglish,
  launchChromium,
  problemsOn,
  screenshots,
} from "../support/browser.js";
import { consoleTestData } from "../support/console-data.js";

/**
 * The console in Debian's Chromium: the demo marketer signs in on the local provider's login
 * page through the console's backend-for-frontend, sees the campaigns in English, switches to
 * Chinese (remembered on the next page), reads a completed campaign's results (the funnel side
 * by side, the lift and its interval) in both languages, and signs out, which ends the session
 * here and at the provider. axe-core checks every console page.
 */

const REGION = "ConsoleE2E";
/** The funnel's table: the results page has more tables below it. */
const FUNNEL = "section.card[aria-labelledby=funnel] table";
const people = parseDevUsers(DEFAULT_DEV_USERS);

const { customersCsv, completedCampaign } = consoleTestData(REGION, "Console");

describe.skipIf(!chromiumAvailable)("the console, in a browser", () => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let problems: string[];
  let folder: string;
  let consoleUrl: string;
  let fundCampaign: string;
  let stats: any;

  beforeAll(async () => {
    folder = CONSOLE_SHOTS_KEPT ?? mkdtempSync(join(tmpdir(), "console-shots-"));
    mkdirSync(folder, { recursive: true });
    consoleUrl = (await api("GET", "/health", null)).body.console;
    await api("POST", "/api/customers/import", "marketer", customersCsv("F", 200), "text/csv");
    await api("POST", "/api/customers/import", "marketer", customersCsv("C", 20), "text/csv");
    fundCampaign = await completedCampaign("F", "Wealth fund for affluent savers", "WEALTH_FUND", 25);
    await completedCampaign("C", "Credit card for young professionals", "CREDIT_CARD", 10);
    // Customers open the offer from 60 of the emails, and 20 of them answer that they are interested.
    const offers = (await inbox())
      .filter((e) => e.subject.startsWith("Console F"))
      .map((e) => linkIn(e.body.text!, "o")!)
      .slice(0, 60);
    for (const [i, offer] of offers.entries()) {
      await fetch(offer, { headers: { accept: "text/html" } });
      if (i < 20)
        await fetch(offer, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ answer: "interested" }),
        });
    }
    // Core banking reports openings: 40 of the treated customers and 5 of the control group.
    const wanted = { treated: 40, control: 5 };
    for (let i = 1; i <= 200 && (wanted.treated > 0 || wanted.control > 0); i++) {
      const customerId = `F-${String(i).padStart(3, "0")}`;
      const { body } = await api("GET", `/api/customers/${customerId}`, "admin");
      const group = body.touches?.[0]?.status === "control" ? "control" : "treated";
      if (wanted[group] === 0) continue;
      wanted[group]--;
      await api("POST", "/api/conversions", "admin", {
        customerId,
        productCode: "WEALTH_FUND",
        amount: 100_000,
        occurredAt: new Date().toISOString(),
      });
    }
    stats = (await api("GET", `/api/campaigns/${fundCampaign}/stats`, "analyst")).body;
    browser = await launchChromium();
    context = await browser.newContext({ locale: "en-GB", viewport: { width: 1280, height: 800 } });
    page = await context.newPage();
    problems = problemsOn(page);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    if (!CONSOLE_SHOTS_KEPT && folder) rmSync(folder, { recursive: true, force: true });
  });

  it("is named in GET /health, and sends a visitor without a session to the provider's login page", async () => {
    // act
    await page.goto(`${consoleUrl}/campaigns?status=completed`);
    // assess
    expect(consoleUrl).toBe(`${inject("apiUrl")}/console`);
    expect(await page.title()).toBe("Sign in to Cross-sell campaigns");
  });

  it("signs the demo marketer in and shows the campaigns by status, in English", async () => {
    // prepare
    const mei = people.find((p) => p.username === "mei")!;
    // act
    await page.getByLabel("User name").fill(mei.username);
    await page.getByLabel("Password").fill(mei.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${consoleUrl}/campaigns?status=completed`);
    await inEnglish(page);
    const cookies = await context.cookies(consoleUrl);
    // assess
    expect(await page.textContent("header")).toContain("Signed in as mei, marketer");
    expect(await page.textContent("h1")).toBe("Campaigns");
    expect(await page.getByRole("link", { name: "Completed" }).getAttribute("aria-current")).toBe("page");
    const row = page.getByRole("row", { name: /Wealth fund for affluent savers/ });
    expect(await row.textContent()).toContain("Wealth Management Fund");
    expect(await row.textContent()).toContain(String(stats.targeted));
    const session = cookies.find((c) => c.name === "console_session")!;
    expect(session).toMatchObject({ httpOnly: true, secure: true, sameSite: "Lax", path: "/console" });
    expect(await page.evaluate("document.cookie")).toBe(""); // no page script reads a cookie
    expect(await accessibilityProblems(page)).toEqual([]);
    await screenshots(page, folder, "campaigns-en");
  });

  it("weighs the first page: its HTML, stylesheet, icon and scripts, well under what a branch's network loads in a second", async () => {
    // act: what the browser downloads for the campaign list, as it asks for it
    const html = await page.request.get(page.url());
    const body = await html.body();
    const assets = [...body.toString("utf8").matchAll(/(?:href|src)="(\/console\/assets\/[^"]+)"/g)].map((m) => m[1]);
    const files = [
      body,
      ...(await Promise.all(assets.map(async (a) => (await page.request.get(new URL(a, page.url()).href)).body()))),
    ];
    const bytes = files.reduce((n, f) => n + f.length, 0);
    const gzipped = files.reduce((n, f) => n + gzipSync(f).length, 0);
    // The README's figure ("The console", Fast) comes from this line.
    console.log(
      `First console page: ${files.length} files, ${(bytes / 1024).toFixed(1)} KiB, ${(gzipped / 1024).toFixed(1)} KiB gzipped`,
    );
    // assess: the page and its stylesheet and icon at least, and far below a budget of 100 KiB
    expect(assets.length).toBeGreaterThanOrEqual(2);
    expect(bytes).toBeLessThan(100 * 1024);
  });

  it("switches to Chinese, and keeps it on the next page", async () => {
    // act
    await page.getByRole("button", { name: "中文" }).click();
    await page.waitForURL(`${consoleUrl}/campaigns?status=completed`);
    const heading = await page.textContent("h1");
    await screenshots(page, folder, "campaigns-zh-CN");
    await page.getByRole("link", { name: "Wealth fund for affluent savers" }).click();
    await page.waitForURL(`${consoleUrl}/campaigns/${fundCampaign}`);
    // assess
    expect(heading).toBe("营销活动");
    expect(await page.getAttribute("html", "lang")).toBe("zh-CN");
    expect(await page.textContent("header")).toContain("已登录：mei，营销人员");
    expect(await accessibilityProblems(page)).toEqual([]);
  });

  it("shows a completed campaign's funnel side by side, the lift and its 95% interval, in Chinese and in English", async () => {
    // prepare: what the page must say, from the API's own numbers
    const lift = liftOf(
      { size: stats.targeted, converted: stats.converted },
      { size: stats.control, converted: stats.controlConverted },
    );
    if (lift.kind !== "measured") throw new Error(`the test's campaign should measure a lift: ${JSON.stringify(lift)}`);
    const [zh, en] = [formatsFor("zh-CN"), formatsFor("en")];
    // act
    const funnelZh = await page.locator(FUNNEL).textContent();
    const liftZh = await page.locator("[data-lift]").textContent();
    const intervalZh = await page.locator("[data-interval]").textContent();
    await screenshots(page, folder, "results-zh-CN");
    await page.getByRole("button", { name: "English" }).click();
    await page.waitForURL(`${consoleUrl}/campaigns/${fundCampaign}`);
    const funnelEn = await page.locator(FUNNEL).textContent();
    const liftEn = await page.locator("[data-lift]").textContent();
    const intervalEn = await page.locator("[data-interval]").textContent();
    await screenshots(page, folder, "results-en");
    // assess
    expect(funnelZh).toContain("营销组（已发邮件）");
    expect(funnelZh).toContain("对照组（未发邮件）");
    expect(funnelZh).toContain(`开通了产品${stats.converted}`);
    expect(liftZh).toBe(`${zh.points(lift.lift)} 个百分点`);
    expect(intervalZh).toBe(`95% 置信区间：${zh.points(lift.low)} 至 ${zh.points(lift.high)} 个百分点`);
    expect(funnelEn).toContain("Treated (emailed)");
    expect(funnelEn).toContain(`Customers in the group${en.integer(stats.targeted)}`);
    expect(funnelEn).toContain(`Opened the product${stats.converted}`);
    expect(liftEn).toBe(`${en.points(lift.lift)} percentage points`);
    expect(intervalEn).toBe(
      `95% confidence interval: ${en.points(lift.low)} to ${en.points(lift.high)} percentage points`,
    );
    expect(await accessibilityProblems(page)).toEqual([]);
  });

  it("breaks the results down by tier, region and day, each table adding up to the funnel, with a CSV of each", async () => {
    // act
    const byTier = await page.locator("table[data-table=tier]").textContent();
    const byRegion = await page.locator("table[data-table=region]").textContent();
    const answers = await page.locator("table[data-table=answers]").textContent();
    const csv = await page.request.get(
      await page
        .getByRole("link", { name: "Download “Results by region” as CSV" })
        .getAttribute("href")
        .then((h) => new URL(h!, page.url()).href),
    );
    const csvText = await csv.text();
    // assess: every customer of the campaign was affluent in one region when the offer was made
    expect(byTier).toContain(
      `Affluent${stats.targeted}${stats.control}${stats.sent}${stats.clicked}${stats.responded}${stats.converted}${stats.controlConverted}`,
    );
    expect(byRegion).toContain(`${REGION}F${stats.targeted}`);
    expect(answers).toContain(`Interested${stats.responses.interested}`);
    expect(csv.status()).toBe(200);
    expect(csv.headers()["content-type"]).toBe("text/csv; charset=utf-8");
    expect(csvText.startsWith("\uFEFFRegion,Treated,Control,Emails sent,Clicked,Answered,")).toBe(true);
    expect(csvText).toContain(
      `${REGION}F,${stats.targeted},${stats.control},${stats.sent},${stats.clicked},${stats.responded},${stats.converted},${stats.controlConverted},`,
    );
    expect(await accessibilityProblems(page)).toEqual([]);
  });

  it("signs out: the session ends here and at the provider, and the console asks for a sign-in again", async () => {
    // act
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(`${consoleUrl}/signed-out`);
    const signedOut = await page.textContent("h1");
    const axe = await accessibilityProblems(page);
    await page.goto(`${consoleUrl}/campaigns`);
    // assess
    expect(signedOut).toBe("You have signed out");
    expect(axe).toEqual([]);
    expect(await page.title()).toBe("Sign in to Cross-sell campaigns"); // the provider's session ended too
    expect((await context.cookies(consoleUrl)).find((c) => c.name === "console_session")).toBeUndefined();
    expect(problems).toEqual([]);
  });
});
