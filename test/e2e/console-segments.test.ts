import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_DEV_USERS, parseDevUsers } from "../../infra/local/oidc-provider.js";
import { api, messageTitled } from "../integration/client.js";
import {
  accessibilityProblems,
  CONSOLE_SHOTS_KEPT,
  chromiumAvailable,
  inEnglish,
  launchChromium,
  problemsOn,
  screenshots,
} from "../support/browser.js";

/**
 * The segment builder in Debian's Chromium: the demo marketer opens Segments from the header,
 * builds "region is X, and (holds a credit card or is mass affluent), and has not agreed to
 * phone calls" with the mouse and the keyboard, watches the count follow each change, is warned
 * of a region typed in the wrong case and takes the one customers have, saves version 1, edits
 * and saves version 2, and reads version 1 again, read only; then the same in Chinese. axe-core
 * on every page; no console error (a CSP violation is one).
 */

const REGION = "Baishanzhen";
const mei = parseDevUsers(DEFAULT_DEV_USERS).find((p) => p.username === "mei")!;

/**
 * Twelve customers of the test's own region: four affluent card holders (two agreed to phone
 * calls), four mass savers, four mass-affluent savers (one agreed to phone calls).
 */
function customersCsv() {
  const row = (n: number, aum: number, products: string, phone: boolean) => {
    const id = `SEG-${String(n).padStart(3, "0")}`;
    return `${id},individual,Customer ${id},${id.toLowerCase()}@segments-e2e.test,${aum},${products},${REGION},true,${phone}`;
  };
  const rows = [
    ...[1, 2, 3, 4].map((n) => row(n, 250_000, "DEPOSIT_CURRENT;CREDIT_CARD", n <= 2)),
    ...[5, 6, 7, 8].map((n) => row(n, 20_000, "DEPOSIT_CURRENT", false)),
    ...[9, 10, 11, 12].map((n) => row(n, 80_000, "DEPOSIT_CURRENT", n === 9)),
  ];
  return ["customerId,type,name,email,aum,products,region,emailConsent,phoneConsent", ...rows].join("\n");
}

describe.skipIf(!chromiumAvailable)("the segment builder, in a browser", () => {
  let browser: Browser;
  let page: Page;
  let problems: string[];
  let folder: string;
  let consoleUrl: string;
  let segmentUrl: string;

  const count = () => page.locator(".seg-count");
  const countIs = (text: string) => expect.poll(() => count().textContent(), { timeout: 10_000 }).toBe(text);
  const group = (level: number, nth = 0) =>
    page.getByRole("group", { name: `Group of conditions, level ${level}` }).nth(nth);
  const condition = (within: Locator, n: number) => within.getByRole("group", { name: `Condition ${n}`, exact: true });

  beforeAll(async () => {
    folder = CONSOLE_SHOTS_KEPT ?? mkdtempSync(join(tmpdir(), "segment-shots-"));
    mkdirSync(folder, { recursive: true });
    consoleUrl = (await api("GET", "/health", null)).body.console;
    const imported = await api("POST", "/api/customers/import", "marketer", customersCsv(), "text/csv");
    if (imported.status >= 300) throw new Error(`import: ${imported.status} ${JSON.stringify(imported.body)}`);
    browser = await launchChromium();
    const context = await browser.newContext({ locale: "en-GB", viewport: { width: 1280, height: 800 } });
    page = await context.newPage();
    problems = problemsOn(page);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    if (!CONSOLE_SHOTS_KEPT && folder) rmSync(folder, { recursive: true, force: true });
  });

  it("opens Segments from the header menu after the demo marketer signs in", async () => {
    // act
    await page.goto(`${consoleUrl}/campaigns`);
    await page.getByLabel("User name").fill(mei.username);
    await page.getByLabel("Password").fill(mei.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(/\/console\/campaigns/);
    await inEnglish(page);
    await page
      .getByRole("navigation", { name: "Areas of the console" })
      .getByRole("link", { name: "Segments" })
      .click();
    await page.waitForURL(`${consoleUrl}/segments`);
    // assess
    expect(await page.textContent("h1")).toBe("Segments");
    expect(await page.getByRole("link", { name: "New segment" }).count()).toBe(1);
    // the live preview is refused without the session's CSRF token, even with its cookie
    const forged = await page.request.post(`${consoleUrl}/segments/preview`, {
      data: { rule: { holds: "CREDIT_CARD" } },
    });
    expect(forged.status()).toBe(403);
    expect(await accessibilityProblems(page)).toEqual([]);
    await screenshots(page, folder, "segments-en");
  });

  it("builds a nested rule with the mouse and the keyboard, the count following each change, and warns of a mis-cased region", async () => {
    // act: the name, then a first condition, its region typed in lower case
    await page.getByRole("link", { name: "New segment" }).click();
    await page.waitForURL(`${consoleUrl}/segments/new`);
    await page.getByLabel("Segment name").fill("Baishanzhen cards and mass affluent, no phone calls");
    // a first save without a condition is refused beside the form, the name kept
    await page.getByRole("button", { name: "Save segment" }).click();
    await page.waitForURL(`${consoleUrl}/segments`);
    expect(await page.getByRole("alert").first().textContent()).toBe(
      "The segment was not savedAdd at least one condition.",
    );
    expect(await page.getByLabel("Segment name").inputValue()).toBe(
      "Baishanzhen cards and mass affluent, no phone calls",
    );
    // Chromium reports the refused form's 400 as a console error: that one is expected
    expect(problems).toEqual(["Failed to load resource: the server responded with a status of 400 (Bad Request)"]);
    problems.length = 0;
    await group(1).getByRole("button", { name: "+ Add condition" }).click();
    const first = condition(group(1), 1);
    await first.getByLabel("Value").focus();
    await page.keyboard.type(REGION.toLowerCase());
    // assess: no customer has it, and the one customers have is offered
    await countIs("0 customers match");
    const warning = page.getByRole("alert").filter({ hasText: "Values no customer has" });
    expect(await warning.textContent()).toContain(
      `No customer has Region “${REGION.toLowerCase()}”. Did you mean “${REGION}” (12 customers)?`,
    );
    expect(await first.getAttribute("class")).toContain("seg-warned");

    // act: take the suggestion with the keyboard
    await page.getByRole("button", { name: `Use “${REGION}”` }).focus();
    await page.keyboard.press("Enter");
    // assess
    await countIs("12 customers match");
    expect(await first.getByLabel("Value").inputValue()).toBe(REGION);
    expect(await page.getByText("Values no customer has").count()).toBe(0);

    // act: a group of "any of these": holds a credit card, or tier is one of [mass affluent]
    await group(1).getByRole("button", { name: "+ Add group" }).last().click();
    const either = group(2, 0);
    expect(await either.getByLabel("Customers who match").inputValue()).toBe("any");
    await condition(either, 1).getByLabel("Condition", { exact: true }).selectOption("holds");
    await condition(either, 1).getByLabel("Product").selectOption("CREDIT_CARD");
    await either.getByRole("button", { name: "+ Add condition" }).click();
    const tier = condition(either, 2);
    await tier.getByLabel("Attribute").selectOption("tier");
    await tier.getByLabel("Comparison").selectOption("in");
    await tier.getByLabel("Mass affluent").check();
    await countIs("8 customers match");

    // act: a group of "none of these": agreed to phone calls
    await group(1).getByRole("button", { name: "+ Add group" }).last().click();
    const none = group(2, 1);
    await none.getByLabel("Customers who match").selectOption("not");
    await condition(none, 1).getByLabel("Condition", { exact: true }).selectOption("consented");
    await condition(none, 1).getByLabel("Channel or category").selectOption("phone");
    // assess: the card holders and mass-affluent savers, less the three who agreed to calls
    await countIs("5 customers match");
    const panel = page.locator(".seg-preview");
    expect(await panel.textContent()).toContain("Mass affluent3");
    expect(await panel.textContent()).toContain("Affluent2");
    expect(await panel.textContent()).toContain(`${REGION}5`);
    expect(await panel.textContent()).toContain("0 of them no campaign email can reach");
    expect(await panel.locator("table.seg-sample tbody tr").count()).toBe(5);
    expect(await panel.locator("table.seg-sample").textContent()).toContain("C******* S******");
    expect(await accessibilityProblems(page)).toEqual([]);
    await screenshots(page, folder, "segment-builder-en");
  });

  it("saves version 1, then an edit as version 2, and opens version 1 again read only", async () => {
    // act
    await page.getByRole("button", { name: "Save segment" }).click();
    await page.waitForURL(/\/segments\/[^/?]+\?saved=1$/);
    segmentUrl = page.url().split("?")[0];
    const saved = await page.getByRole("status").first().textContent();
    const versionsAfterOne = await page.locator("table.list tbody tr").count();
    // act: mass customers join too
    await countIs("5 customers match");
    await group(2, 0).getByLabel("Mass", { exact: true }).check();
    await countIs("9 customers match");
    await page.getByRole("button", { name: "Save as version 2" }).click();
    await page.waitForURL(`${segmentUrl}?saved=2`);
    const versions = await page.locator("table.list tbody tr").allTextContents();
    await page.getByRole("link", { name: "Open version 1" }).click();
    await page.waitForURL(`${segmentUrl}?version=1`);
    // assess
    expect(saved).toBe("Saved as version 1.");
    expect(versionsAfterOne).toBe(1);
    expect(versions).toHaveLength(2);
    expect(versions[0]).toContain("2latest");
    expect(versions[0]).toContain("mei");
    expect(await page.textContent("main")).toContain("You are reading version 1, read only. The latest is version 2.");
    await countIs("5 customers match");
    expect(await group(2, 0).getByLabel("Mass", { exact: true }).isChecked()).toBe(false);
    expect(await group(2, 0).getByLabel("Mass", { exact: true }).isDisabled()).toBe(true);
    expect(await page.getByRole("button", { name: /Save/ }).count()).toBe(0);
    expect(await accessibilityProblems(page)).toEqual([]);
    await screenshots(page, folder, "segment-version-en");
  });

  it("builds and counts in Chinese too", async () => {
    // act
    await page.goto(segmentUrl);
    await page.getByRole("button", { name: "中文" }).click();
    await page.waitForURL(segmentUrl);
    await expect.poll(() => count().textContent()).toBe("匹配 9 位客户");
    await page
      .getByRole("group", { name: "条件组，第 1 层" })
      .getByRole("button", { name: "+ 添加条件", exact: true })
      .last()
      .click();
    const added = page
      .getByRole("group", { name: "条件组，第 1 层" })
      .getByRole("group", { name: "条件 4", exact: true });
    await added.getByLabel("条件类型").selectOption("lacks");
    await added.getByLabel("产品").selectOption("CREDIT_CARD");
    // assess
    await expect.poll(() => count().textContent(), { timeout: 10_000 }).toBe("匹配 7 位客户");
    expect(await page.textContent("h2#seg-rule")).toBe("分群条件");
    expect(await page.locator(".seg-preview").textContent()).toContain("按客户等级");
    expect(await page.getByRole("button", { name: "保存为第 3 版" }).count()).toBe(1);
    expect(await accessibilityProblems(page)).toEqual([]);
    await screenshots(page, folder, "segment-builder-zh-CN");
    await page.goto(`${consoleUrl}/segments`);
    expect(await page.textContent("h1")).toBe("客户分群");
    expect(await page.getByRole("row", { name: /Baishanzhen cards/ }).textContent()).toContain("mei");
    expect(await accessibilityProblems(page)).toEqual([]);
    await screenshots(page, folder, "segments-zh-CN");
    expect(problems).toEqual([]);
  });
  it("archives a segment no campaign uses, hides it from the list, refuses it a new campaign, and unarchives it", async () => {
    // prepare: the builder's segment gets a campaign; another segment has none
    const builtId = segmentUrl.split("/").pop();
    await api("POST", "/api/campaigns", "marketer", {
      name: "Cards for Baishanzhen",
      segmentId: builtId,
      offer: { productCode: "WEALTH_FUND" },
      message: messageTitled("Baishanzhen"),
      controlGroupPercent: 10,
    });
    const { body: unused } = await api("POST", "/api/segments", "marketer", {
      name: "Baishanzhen unused idea",
      rule: { attr: "region", op: "eq", value: REGION },
    });
    // act
    await page.goto(segmentUrl);
    await page.getByRole("button", { name: "English" }).click();
    await page.waitForURL(segmentUrl);
    const inUse = await page.locator("section[aria-labelledby=seg-archive]").textContent();
    const archiveOffered = await page.getByRole("button", { name: "Archive segment" }).count();
    // the "answered campaign" condition suggests the campaigns by name
    await group(1).getByRole("button", { name: "+ Add condition" }).last().click();
    const answered = condition(group(1), 4);
    await answered.getByLabel("Condition", { exact: true }).selectOption("answered");
    const suggested = await answered
      .locator("datalist option")
      .evaluateAll((options) => options.map((o) => (o as unknown as { label: string }).label));
    await page.goto(`${consoleUrl}/segments/${unused.segmentId}`);
    await page.getByRole("button", { name: "Archive segment" }).click();
    await page.waitForURL(`${consoleUrl}/segments/${unused.segmentId}?archived=1`);
    const archivedNotice = await page.getByRole("status").first().textContent();
    const refused = await api("POST", "/api/campaigns", "marketer", {
      name: "Too late",
      segmentId: unused.segmentId,
      offer: { productCode: "WEALTH_FUND" },
      message: messageTitled("Too late"),
      controlGroupPercent: 10,
    });
    await page.goto(`${consoleUrl}/segments`);
    const current = await page.locator("main").textContent();
    await page.getByRole("link", { name: "Archived", exact: true }).click();
    await page.waitForURL(`${consoleUrl}/segments?show=archived`);
    const archivedList = await page.locator("table.list").textContent();
    const axe = await accessibilityProblems(page);
    await page.getByRole("link", { name: "Baishanzhen unused idea" }).click();
    await page.getByRole("button", { name: "Unarchive segment" }).click();
    await page.waitForURL(`${consoleUrl}/segments/${unused.segmentId}?unarchived=1`);
    // assess
    expect(inUse).toContain("Campaigns that use this segment: 1. It cannot be archived");
    expect(inUse).toContain("Cards for Baishanzhen");
    expect(archiveOffered).toBe(0);
    expect(suggested).toContain("Cards for Baishanzhen");
    expect(archivedNotice).toBe("The segment is archived.");
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe("segment_archived");
    expect(current).not.toContain("Baishanzhen unused idea");
    expect(archivedList).toContain("Baishanzhen unused ideaArchived");
    expect(axe).toEqual([]);
    expect(await page.getByRole("status").first().textContent()).toBe("The segment is back in the list.");
    expect(await page.getByRole("button", { name: "Archive segment" }).count()).toBe(1);
    expect(await accessibilityProblems(page)).toEqual([]);
    expect(problems).toEqual([]);
  });
  it("saves a segment from the rule's JSON when the browser runs no JavaScript", async () => {
    // prepare: a second browser, scripts off, signed in as the same marketer
    const context = await browser.newContext({ locale: "en-GB", javaScriptEnabled: false });
    const plain = await context.newPage();
    await plain.goto(`${consoleUrl}/segments/new`);
    await plain.getByLabel("User name").fill(mei.username);
    await plain.getByLabel("Password").fill(mei.password);
    await plain.getByRole("button", { name: "Sign in" }).click();
    await plain.waitForURL(`${consoleUrl}/segments/new`);
    await inEnglish(plain);
    // act: a rule that is not JSON, then one that is
    await plain.getByLabel("Segment name").fill("Baishanzhen without JavaScript");
    await plain.getByLabel(/The rule, as JSON/).fill('{"attr":"region","op":"eq","value":');
    await plain.getByRole("button", { name: "Save segment" }).click();
    const refusal = await plain.getByRole("alert").first().textContent();
    await plain.getByLabel(/The rule, as JSON/).fill(JSON.stringify({ attr: "region", op: "eq", value: REGION }));
    await plain.getByRole("button", { name: "Save segment" }).click();
    await plain.waitForURL(/\/segments\/[^/?]+\?saved=1$/);
    // assess
    expect(refusal).toContain("The rule is not valid JSON");
    expect(await plain.getByRole("status").first().textContent()).toBe("Saved as version 1.");
    expect(await plain.locator(".seg-count").textContent()).toBe("12 customers match");
    expect(await plain.getByLabel(/The rule, as JSON/).inputValue()).toContain(`"value": "${REGION}"`);
    await context.close();
  });
});
