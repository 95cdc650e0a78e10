import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { t } from "../../functions/console/copy/say.js";
import type { Language } from "../../shared/kernel/language.js";
import { approvedCampaignFor, type OwnPlatform, startOwnPlatform, townCustomer } from "../integration/own-platform.js";
import {
  accessibilityProblems,
  CONSOLE_SHOTS_KEPT,
  chromiumAvailable,
  launchChromium,
  problemsOn,
  screenshots,
  signInAt,
} from "../support/browser.js";

/**
 * Pause and resume in Debian's Chromium (issue #10): the marketer launches an approved campaign
 * big enough to be still sending, pauses it from its page with a reason, sees it paused with
 * the reason and its sends held, resumes it (in Chinese), and watches it reach completed
 * without a reload. A platform of the file's own, whose SES stand-in takes two emails a second
 * (SES_MAX_SEND_RATE), so that forty emails take about twenty seconds: the shared platform
 * sends a test campaign before a person could press Pause. axe-core checks each page.
 */
const CUSTOMERS = 40;
const RATE = 2;
const TOWN = "PauseTown";
const MAKER = "pause-admin-token-1";
const APPROVER = "pause-approver-token-1";
const REASON = "The rate in the subject line is last week's";

describe.skipIf(!chromiumAvailable)("pausing and resuming a campaign in the console", () => {
  let own: OwnPlatform;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let problems: string[];
  let folder: string;
  let campaignId: string;
  let here: string;

  const stats = () => own.call("GET", `/api/campaigns/${campaignId}/stats`);
  /** The page's language buttons: the console remembers the choice for the person. */
  const switchTo = async (language: Language) => {
    await page.getByRole("button", { name: language === "en" ? "English" : "中文" }).click();
    await page.locator(`html[lang="${language}"]`).waitFor({ state: "attached" });
  };

  beforeAll(async () => {
    own = await startOwnPlatform(
      {
        devTokens: `pz:admin:${MAKER},approver:approver:${APPROVER}`,
        settings: {
          SES_MAX_SEND_RATE: String(RATE),
          FANOUT_SHARDS: "2",
          PAUSE_RECHECK_SECONDS: "1",
          POWERTOOLS_LOG_LEVEL: "ERROR",
        },
      },
      MAKER,
    );
    const rows = Array.from({ length: CUSTOMERS }, (_, i) => townCustomer(TOWN, i, `pause${i}@customers.test`));
    campaignId = await approvedCampaignFor(own.call, TOWN, rows, { maker: MAKER, approver: APPROVER });
    here = `${own.platform.consoleUrl}/campaigns/${campaignId}`;
    folder = CONSOLE_SHOTS_KEPT ?? mkdtempSync(join(tmpdir(), "console-pause-shots-"));
    mkdirSync(folder, { recursive: true });
    browser = await launchChromium();
    context = await browser.newContext({ locale: "en-GB", viewport: { width: 1280, height: 800 } });
    page = await context.newPage();
    problems = problemsOn(page);
    // The marketer signs in at the approved campaign's page, through the provider's login page.
    await signInAt(page, here, "mei");
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await own?.stop();
    if (!CONSOLE_SHOTS_KEPT && folder) rmSync(folder, { recursive: true, force: true });
  });

  it("launches the campaign and pauses it while it sends, with a reason the page then shows", async () => {
    // act
    await page.getByRole("button", { name: t("en", "review.launch") }).click();
    await page.waitForURL(`${here}?done=launched`);
    await page.getByLabel(t("en", "review.pauseReason")).fill(REASON);
    await page.getByRole("button", { name: t("en", "review.pause"), exact: true }).click();
    await page.waitForURL(`${here}?done=paused`);
    const atPause = await stats();
    const accessibility = await accessibilityProblems(page);
    await screenshots(page, folder, "paused-en");
    // Held: the sends already past the check may finish, then nothing more goes out while the
    // held sends look again every second.
    await new Promise((r) => setTimeout(r, 3_000));
    const held = await stats();
    await new Promise((r) => setTimeout(r, 3_000));
    const stillHeld = await stats();

    // assess
    expect(await page.getByRole("status").textContent()).toBe(t("en", "review.done.paused"));
    const because = (await page.locator("[data-paused-because]").textContent()) ?? "";
    expect(because).toMatch(new RegExp(`^Paused .* by mei: ${REASON}$`));
    expect(await page.locator(".badge.paused").count()).toBeGreaterThan(0);
    expect(await page.getByRole("row", { name: /Paused/ }).textContent()).toContain(REASON);
    expect(await page.getByRole("button", { name: t("en", "review.resume") }).count()).toBe(1);
    expect(atPause.status).toBe("paused");
    expect(atPause.sent).toBeLessThan(CUSTOMERS);
    expect(held.sent).toBeLessThanOrEqual(atPause.sent + atPause.sending);
    expect(stillHeld).toMatchObject({ status: "paused", sent: held.sent });
    expect(accessibility).toEqual([]);
  });

  it("says the same in Chinese, resumes there, and reaches completed without a reload", async () => {
    // act
    await switchTo("zh-CN");
    const because = (await page.locator("[data-paused-because]").textContent()) ?? "";
    const accessibility = await accessibilityProblems(page);
    await screenshots(page, folder, "paused-zh-CN");
    await page.getByRole("button", { name: t("zh-CN", "review.resume") }).click();
    await page.waitForURL(`${here}?done=resumed`);
    const resumed = await page.getByRole("status").textContent();
    accessibility.push(...(await accessibilityProblems(page)));
    // The page follows the campaign by itself: no reload, no navigation from here.
    const url = page.url();
    await page.locator(".badge.completed").waitFor({ timeout: 90_000 });
    accessibility.push(...(await accessibilityProblems(page)));
    await screenshots(page, folder, "resumed-completed-zh-CN");
    const done = await stats();

    // assess
    expect(await page.getAttribute("html", "lang")).toBe("zh-CN");
    expect(because).toMatch(new RegExp(`^mei 于 .* 暂停：${REASON}$`));
    expect(resumed).toBe(t("zh-CN", "review.done.resumed"));
    expect(page.url()).toBe(url);
    expect(done).toMatchObject({ status: "completed", targeted: CUSTOMERS, sent: CUSTOMERS });
    expect(await page.locator("[data-stat=sent]").textContent()).toBe(String(CUSTOMERS));
    expect(await page.getByRole("row", { name: new RegExp(t("zh-CN", "review.event.resumed")) }).count()).toBe(1);
    expect(await page.getByRole("button", { name: t("zh-CN", "review.resume") }).count()).toBe(0);
    expect(accessibility).toEqual([]);
  });

  it("shows the completed campaign in English too, its history naming the pause and the resume", async () => {
    // act
    await switchTo("en");
    const accessibility = await accessibilityProblems(page);
    await screenshots(page, folder, "resumed-completed-en");

    // assess
    expect(await page.locator(".badge.completed").count()).toBeGreaterThan(0);
    expect(await page.getByRole("row", { name: /Paused/ }).textContent()).toContain("mei");
    expect(await page.getByRole("row", { name: /Resumed/ }).textContent()).toContain("mei");
    expect(await page.locator("[data-paused-because]").count()).toBe(0);
    expect(accessibility).toEqual([]);
    expect(problems).toEqual([]);
  });
});
