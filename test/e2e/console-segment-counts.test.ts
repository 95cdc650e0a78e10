import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type OwnPlatform, startOwnPlatform, townCustomer } from "../integration/own-platform.js";
import {
  accessibilityProblems,
  CONSOLE_SHOTS_KEPT,
  chromiumAvailable,
  launchChromium,
  problemsOn,
  screenshots,
  signInAt,
  TOO_WIDE,
} from "../support/browser.js";

/**
 * The builder's count of a bank larger than SYNC_COUNT_MAX_CUSTOMERS, in Debian's Chromium: a
 * platform of the file's own with a bound of 50 and 300 customers (200 in Northtown). The saved
 * segment's page says "About N customers match" and what share it rests on; Count exactly runs
 * the preview run on the queue and the panel's status moves on its own to the exact 200, in
 * English and in Chinese; axe-core on each, nothing wider than 390 px.
 */
const BOUND = 50;
const MAKER = "counts-marketer-token-1";

describe.skipIf(!chromiumAvailable)("the builder's count of a large bank", () => {
  let own: OwnPlatform;
  let browser: Browser;
  let page: Page;
  let problems: string[];
  let folder: string;
  let here: string;

  beforeAll(async () => {
    own = await startOwnPlatform(
      {
        devTokens: `mei:marketer:${MAKER}`,
        settings: { SYNC_COUNT_MAX_CUSTOMERS: String(BOUND), FANOUT_SHARDS: "4", POWERTOOLS_LOG_LEVEL: "ERROR" },
      },
      MAKER,
    );
    const rows = Array.from({ length: 300 }, (_, i) =>
      townCustomer(i < 200 ? "Northtown" : "Southtown", i, `sc${i}@customers.test`),
    );
    await own.call("POST", "/api/customers/import", rows.join("\n"), MAKER, "application/x-ndjson");
    const { segmentId } = await own.call("POST", "/api/segments", {
      name: "Northtown",
      rule: { attr: "region", op: "eq", value: "Northtown" },
    });
    here = `${own.platform.consoleUrl}/segments/${segmentId}`;
    folder = CONSOLE_SHOTS_KEPT ?? mkdtempSync(join(tmpdir(), "console-counts-shots-"));
    mkdirSync(folder, { recursive: true });
    browser = await launchChromium();
    const context = await browser.newContext({ locale: "en-GB", viewport: { width: 1280, height: 800 } });
    page = await context.newPage();
    problems = problemsOn(page);
    await signInAt(page, here, "mei");
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await own?.stop();
    if (!CONSOLE_SHOTS_KEPT && folder) rmSync(folder, { recursive: true, force: true });
  });

  it("shows an estimate, and Count exactly reaches the exact count on its own", async () => {
    // act
    const panel = page.locator(".seg-preview");
    const estimate = (await page.locator(".seg-count").first().textContent()) ?? "";
    const basedOn = (await panel.textContent()) ?? "";
    const accessibility = await accessibilityProblems(page);
    await screenshots(page, folder, "segment-estimate-en");
    await page.getByRole("button", { name: "Count exactly" }).click();
    const status = page.locator("#seg-exact-status");
    await expect.poll(() => status.textContent(), { timeout: 60_000 }).toMatch(/^Exactly 200 customers match/);
    accessibility.push(...(await accessibilityProblems(page)));
    await page.setViewportSize({ width: 390, height: 844 });
    const tooWide = await page.evaluate(TOO_WIDE);
    await page.setViewportSize({ width: 1280, height: 800 });
    // assess
    expect(estimate).toMatch(/^About [\d,]+ customers match$/);
    expect(basedOn).toMatch(/An estimate from \d+ of about 300 customers \(\d+(\.\d)?%\)/);
    expect(basedOn).toContain("By tier (estimated)");
    expect(accessibility).toEqual([]);
    expect(tooWide).toEqual([]);
    expect(problems).toEqual([]);
  });

  it("names a value none of the customers read has, rather than claiming no customer has it", async () => {
    // act
    await page.getByLabel("Value").fill("northtown");
    const warning = page.locator(".seg-warnings li");
    await expect
      .poll(() => warning.first().textContent(), { timeout: 10_000 })
      .toMatch(
        /^None of the customers read has Region “northtown”\. Did you mean “Northtown” \(about [\d,]+ customers\)\?/,
      );
    const heading = await page.locator(".seg-warnings h3").textContent();
    await page.getByRole("button", { name: "Use “Northtown”" }).click();
    await expect.poll(() => warning.count()).toBe(0);
    // assess
    expect(heading).toBe("Values none of the customers read has");
    expect(problems).toEqual([]);
  });

  it("says the same in Chinese", async () => {
    // act
    await page.getByRole("button", { name: "中文" }).click();
    await page.locator('html[lang="zh-CN"]').waitFor({ state: "attached" });
    const estimate = (await page.locator(".seg-count").first().textContent()) ?? "";
    await page.getByRole("button", { name: "精确统计" }).click();
    const status = page.locator("#seg-exact-status");
    await expect.poll(() => status.textContent(), { timeout: 60_000 }).toMatch(/^精确统计：共 200 位客户匹配/);
    const accessibility = await accessibilityProblems(page);
    await screenshots(page, folder, "segment-estimate-zh-CN");
    await page.setViewportSize({ width: 390, height: 844 });
    const tooWide = await page.evaluate(TOO_WIDE);
    await page.setViewportSize({ width: 1280, height: 800 });
    // assess
    expect(estimate).toMatch(/^约 [\d,]+ 位客户匹配$/);
    expect(accessibility).toEqual([]);
    expect(tooWide).toEqual([]);
    expect(problems).toEqual([]);
  });
});
