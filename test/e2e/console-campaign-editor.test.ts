import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_DEV_USERS, parseDevUsers } from "../../infra/local/oidc-provider.js";
import { api, inbox, waitFor } from "../integration/client.js";
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
 * The campaign wizard in Debian's Chromium (issue #10): the demo marketer opens New campaign
 * from the header, fills the five steps with an English and a Chinese version, is warned that a
 * 10% control group of a twelve-customer segment is too small to measure anything, is shown a
 * mistake beside its field with what they typed kept, saves the draft, reads the email rendered
 * for a real customer of the segment in both languages, sends themselves a test, edits the
 * draft and submits it, after which it waits for approval. Both console languages, axe-core on
 * every page, and no console error (a CSP violation is one).
 */

const REGION = `EditorE2E${Date.now().toString(36)}`;
const SEGMENT = `Wizard e2e savers ${REGION}`;
const CAMPAIGN = "Credit card for the wizard's savers";
const people = parseDevUsers(DEFAULT_DEV_USERS);

/** Twelve savers of the test's region, half of them reading Chinese, each holding only a current account. */
function customersCsv() {
  const rows = Array.from({ length: 12 }, (_, i) => {
    const id = `W${REGION}-${String(i + 1).padStart(2, "0")}`;
    const language = i % 2 === 0 ? "en" : "zh-CN";
    return `${id},individual,Saver ${i + 1},${id.toLowerCase()}@wizard-e2e.test,250000,DEPOSIT_CURRENT,${REGION},true,${language}`;
  });
  return ["customerId,type,name,email,aum,products,region,emailConsent,language", ...rows].join("\n");
}

describe.skipIf(!chromiumAvailable)("the campaign wizard, in a browser", () => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let problems: string[];
  let folder: string;
  let consoleUrl: string;
  let campaignId: string;

  beforeAll(async () => {
    folder = CONSOLE_SHOTS_KEPT ?? mkdtempSync(join(tmpdir(), "wizard-shots-"));
    mkdirSync(folder, { recursive: true });
    consoleUrl = (await api("GET", "/health", null)).body.console;
    const imported = await api("POST", "/api/customers/import", "marketer", customersCsv(), "text/csv");
    if (imported.status >= 300) throw new Error(`import: ${imported.text}`);
    const segment = await api("POST", "/api/segments", "marketer", {
      name: SEGMENT,
      rule: { attr: "region", op: "eq", value: REGION },
    });
    if (segment.status >= 300) throw new Error(`segment: ${segment.text}`);
    browser = await launchChromium();
    context = await browser.newContext({ locale: "en-GB", viewport: { width: 1280, height: 800 } });
    page = await context.newPage();
    problems = problemsOn(page);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    if (!CONSOLE_SHOTS_KEPT && folder) rmSync(folder, { recursive: true, force: true });
  });

  it("opens New campaign from the header, with its five steps, in English and in Chinese", async () => {
    // prepare: the demo marketer signs in
    const mei = people.find((p) => p.username === "mei")!;
    await page.goto(`${consoleUrl}/campaigns`);
    await page.getByLabel("User name").fill(mei.username);
    await page.getByLabel("Password").fill(mei.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(/\/console\/campaigns/);
    await inEnglish(page);
    // act
    await page
      .getByRole("navigation", { name: "Areas of the console" })
      .getByRole("link", { name: "New campaign" })
      .click();
    await page.waitForURL(`${consoleUrl}/campaigns/new`);
    const legendsEn = await page.locator("fieldset.step > legend").allTextContents();
    const axeEn = await accessibilityProblems(page);
    await screenshots(page, folder, "campaign-new-en");
    await page.getByRole("button", { name: "中文" }).click();
    await page.waitForURL(`${consoleUrl}/campaigns/new`);
    const headingZh = await page.textContent("h1");
    const legendsZh = await page.locator("fieldset.step > legend").allTextContents();
    const axeZh = await accessibilityProblems(page);
    await screenshots(page, folder, "campaign-new-zh-CN");
    await page.getByRole("button", { name: "English" }).click();
    await page.waitForURL(`${consoleUrl}/campaigns/new`);
    // assess
    expect(legendsEn).toEqual([
      "1. Who receives it: the segment",
      "2. What is offered: the product",
      "3. The email, in each language",
      "4. What the customer sees on the offer page",
      "5. The control group",
    ]);
    expect(headingZh).toBe("新建营销活动");
    expect(legendsZh[0]).toBe("第 1 步：发给谁——客群");
    expect(
      await page.getByRole("radio", { name: /Wealth Management Fund/ }).getAttribute("aria-describedby"),
    ).toBeTruthy();
    expect(await page.locator("#product-WEALTH_FUND-facts").textContent()).toBe(
      "Risk level R3 · For Mass Affluent customers and above",
    );
    expect(axeEn).toEqual([]);
    expect(axeZh).toEqual([]);
  });

  it("counts the segment, says who each product would hold back, and warns that a 10% control of twelve is too small", async () => {
    // act
    await page.getByLabel("Campaign name (seen by staff only)").fill(CAMPAIGN);
    await page.getByLabel(/^Segment/).selectOption({ label: `${SEGMENT} (version 1)` });
    await expect.poll(() => page.textContent("#segment-count")).toBe("12 customers are in this segment today.");
    await page.getByRole("radio", { name: /Credit Card/ }).check();
    const card = await page.locator("[data-outlook-product=CREDIT_CARD]").textContent();
    const current = await page.locator("[data-outlook-product=DEPOSIT_CURRENT]").textContent();
    const fund = await page.locator("[data-outlook-product=WEALTH_FUND]").textContent();
    await page.getByLabel(/^Control group/).fill("10");
    const advice = await page.textContent("#control-advice");
    await page.getByLabel(/^Control group/).fill("50");
    const larger = await page.textContent("#control-advice");
    await page.getByLabel(/^Control group/).fill("0");
    const none = await page.textContent("#control-advice");
    await page.getByLabel(/^Control group/).fill("10");
    // assess
    expect(card).toBe("12 of 12 would be offered it. Nobody in the segment is held back.");
    expect(current).toBe("0 of 12 would be offered it. Held back: already hold it 12.");
    expect(fund).toContain("12 of 12 would be offered it.");
    expect(advice).toBe(
      "Too small to measure: the control group would hold about 1 of these customers, and at least 30 are needed. Choose a larger share or a larger segment, or the results will show no lift.",
    );
    expect(larger).toContain("the control group would hold about 6 of these customers, and at least 30 are needed.");
    expect(none).toBe("No control group: the campaign's lift cannot be measured.");
    expect(await page.locator("#control-advice").getAttribute("class")).toContain("warning");
  });

  it("writes a version in each language with the personal fields, shows a mistake beside its field, and keeps what was typed", async () => {
    // act: the English version, its fields inserted by the buttons where the cursor is
    await page
      .getByLabel(/^Subject/)
      .first()
      .fill("A credit card for you, ");
    await page
      .locator("fieldset[data-version=message]")
      .getByRole("button", { name: /\{\{name\}\}/ })
      .click();
    const body = page.locator("#f-message-html");
    await body.fill('<p>Our {{product}} has no annual fee in the first year.</p>\n<p><a href="');
    await page
      .locator("fieldset[data-version=message]")
      .getByRole("button", { name: /\{\{offerUrl\}\}/ })
      .click();
    await body.press("End");
    await body.type('">See the offer</a></p>');
    // the Chinese version, without its link to the offer at first
    await page.locator("#f-translations-zh-CN-subject").fill("为您推荐信用卡");
    await page.locator("#f-translations-zh-CN-html").fill("<p>{{name}}，您好！首年免年费。</p>");
    await page.getByLabel("Title in English").fill("A card that pays you back");
    await page.getByLabel("Title in Chinese").fill("回馈您的信用卡");
    await page.getByLabel("Short description in English").fill("No annual fee in the first year.");
    await page.getByLabel("Short description in Chinese").fill("首年免年费。");
    await screenshots(page, folder, "campaign-new-filled-en");
    await page.getByRole("button", { name: "Save draft" }).click();
    await page.waitForURL(`${consoleUrl}/campaigns/new`);
    const alert = await page.getByRole("alert").textContent();
    const error = await page.locator("#f-translations-zh-CN-html-error").textContent();
    const kept = {
      subject: await page.inputValue("#f-message-subject"),
      html: await page.inputValue("#f-message-html"),
      product: await page.getByRole("radio", { name: /Credit Card/ }).isChecked(),
      segment: await page.textContent("#segment-count"),
      advice: await page.textContent("#control-advice"),
    };
    const axe = await accessibilityProblems(page);
    await screenshots(page, folder, "campaign-new-mistake-en");
    // The form shown again answers 400, which Chromium reports as a failed load: expected here, and only here.
    const refused = problems.indexOf(
      "Failed to load resource: the server responded with a status of 400 (Bad Request)",
    );
    if (refused >= 0) problems.splice(refused, 1);
    // assess
    expect(alert).toContain("The draft was not saved.");
    expect(error).toBe("The message must link to the offer with {{offerUrl}}: without it the customer cannot answer.");
    expect(await page.getAttribute("#f-translations-zh-CN-html", "aria-invalid")).toBe("true");
    expect(kept).toEqual({
      subject: "A credit card for you, {{name}}",
      html: '<p>Our {{product}} has no annual fee in the first year.</p>\n<p><a href="{{offerUrl}}">See the offer</a></p>',
      product: true,
      segment: "12 customers are in this segment today.",
      advice: expect.stringContaining("Too small to measure"),
    });
    expect(axe).toEqual([]);
  });

  it("saves the draft, and shows the email rendered for a customer of the segment in both languages", async () => {
    // act
    await page
      .locator("#f-translations-zh-CN-html")
      .fill('<p>{{name}}，您好！首年免年费。</p><p><a href="{{offerUrl}}">查看详情</a></p>');
    await page.getByRole("button", { name: "Save draft" }).click();
    await page.waitForURL(/\/campaigns\/[^/]+\/draft\?notice=saved$/);
    campaignId = /\/campaigns\/([^/]+)\/draft/.exec(page.url())![1];
    const saved = await page.getByRole("status").textContent();
    const subjectEn = await page.locator("[data-preview-subject]").textContent();
    const frameEn = await page.frameLocator("iframe.email").locator("body").textContent();
    const titleEn = await page.frame({ url: /preview\.html/ })?.title();
    const forWhom = await page.textContent(".draft-page section:has(#preview) p");
    const axeEn = await accessibilityProblems(page);
    await screenshots(page, folder, "campaign-draft-en");
    await page
      .getByRole("navigation", { name: "Language of the preview" })
      .getByRole("link", { name: "Chinese" })
      .click();
    await page.waitForURL(/language=zh-CN/);
    const subjectZh = await page.locator("[data-preview-subject]").textContent();
    const frameZh = await page.frameLocator("iframe.email").locator("body").textContent();
    const forWhomZh = await page.textContent(".draft-page section:has(#preview) p");
    await page.getByRole("link", { name: "Another customer" }).click();
    await page.waitForURL(/customerId=/);
    const another = await page.textContent(".draft-page section:has(#preview) p");
    // assess
    expect(saved).toBe("The draft is saved.");
    // a marketer sees the customer's name masked, as everywhere else
    expect(subjectEn).toMatch(/^A credit card for you, S\*{4} \d\*$/);
    expect(titleEn).toBe(subjectEn);
    expect(frameEn).toContain("Our Credit Card has no annual fee in the first year.");
    expect(frameEn).toContain("See the offer");
    expect(forWhom).toMatch(/^Rendered for customer W.{2}\*\*\*\d{2} \(English\)\./);
    expect(subjectZh).toBe("为您推荐信用卡");
    expect(frameZh).toContain("首年免年费");
    expect(frameZh).toContain("查看详情");
    expect(another).toContain("(Chinese)");
    expect(forWhomZh).toContain("(Chinese)");
    expect(another).not.toBe(forWhomZh);
    expect(axeEn).toEqual([]);
  });

  it("sends the marketer a test of the Chinese version, to their own address", async () => {
    // act
    await page.getByRole("button", { name: "Send me a test" }).click();
    await page.waitForURL(/notice=tested/);
    const confirmation = await page.getByRole("status").textContent();
    const test = await waitFor(
      "the test email",
      () => inbox(),
      (emails) => emails.some((e) => e.subject.startsWith("[测试]") && e.subject.includes("为您推荐信用卡")),
    );
    // assess
    const email = test.find((e) => e.subject.includes("为您推荐信用卡"))!;
    expect(confirmation).toMatch(/^A test email in Chinese was sent to \S+@\S+\.$/);
    expect(confirmation).toContain(email.destination.to[0]);
  });

  it("reads the draft in Chinese, edits it with the form prefilled, and saves the change", async () => {
    // act
    await page.getByRole("button", { name: "中文" }).click();
    await page.waitForURL(/\/draft/);
    const headingZh = await page.textContent("h1");
    const axeZh = await accessibilityProblems(page);
    await screenshots(page, folder, "campaign-draft-zh-CN");
    await page.getByRole("link", { name: "编辑草稿" }).click();
    await page.waitForURL(`${consoleUrl}/campaigns/${campaignId}/edit`);
    const prefilled = {
      name: await page.inputValue("#f-name"),
      html: await page.inputValue("#f-message-html"),
      zh: await page.inputValue("#f-translations-zh-CN-subject"),
      title: await page.inputValue("#f-title-zh-CN"),
      control: await page.inputValue("#f-controlGroupPercent"),
      product: await page.getByRole("radio", { name: /信用卡/ }).isChecked(),
    };
    const advice = await page.textContent("#control-advice");
    const axeEdit = await accessibilityProblems(page);
    await page.locator("#f-name").fill(`${CAMPAIGN} (first year free)`);
    await page.locator("#f-controlGroupPercent").fill("25");
    await page.getByRole("button", { name: "保存草稿" }).click();
    await page.waitForURL(/\/draft\?notice=saved$/);
    // assess
    expect(headingZh).toContain(CAMPAIGN);
    expect(prefilled).toEqual({
      name: CAMPAIGN,
      html: '<p>Our {{product}} has no annual fee in the first year.</p>\n<p><a href="{{offerUrl}}">See the offer</a></p>',
      zh: "为您推荐信用卡",
      title: "回馈您的信用卡",
      control: "10",
      product: true,
    });
    expect(advice).toContain("对照组太小");
    expect(await page.textContent("h1")).toContain(`${CAMPAIGN} (first year free)`);
    expect(await page.textContent(".draft-page dl.facts")).toContain("25%");
    expect(axeZh).toEqual([]);
    expect(axeEdit).toEqual([]);
  });

  it("submits the draft for approval, after which it waits for an approver", async () => {
    // act
    await page.getByRole("button", { name: "中文" }).isVisible(); // still in Chinese
    await page.getByRole("button", { name: "English" }).click();
    await page.waitForURL(/\/draft/);
    await page.getByRole("button", { name: "Submit for approval" }).click();
    await page.waitForURL(/\/draft\?notice=submitted$/);
    const heading = await page.textContent("h1");
    const waiting = await page.textContent(".draft-page .waiting");
    const edit = await page.getByRole("link", { name: "Edit the draft" }).count();
    await screenshots(page, folder, "campaign-submitted-en");
    await page.goto(`${consoleUrl}/campaigns/${campaignId}`);
    const panel = await page.textContent(".draft-panel");
    const stored = await api("GET", `/api/campaigns/${campaignId}`, "marketer");
    // assess
    expect(heading).toContain("Waiting for approval");
    expect(waiting).toContain("An approver will approve it or send it back with a reason.");
    expect(edit).toBe(0);
    expect(panel).toContain("See what was submitted");
    expect(stored.body).toMatchObject({ status: "submitted", controlGroupPercent: 25, createdBy: "mei" });
    expect(await accessibilityProblems(page)).toEqual([]);
  });

  it("shows its author why an approver sent it back, who and when, and lets them submit it again", async () => {
    // prepare
    const reason = "Name the annual fee after the first year, as the product terms require.";
    const sentBack = await api("POST", `/api/campaigns/${campaignId}/send-back`, "approver", { reason });
    // act
    await page.goto(`${consoleUrl}/campaigns/${campaignId}`);
    const panel = await page.textContent(".draft-panel");
    await page.getByRole("link", { name: "Open the draft: preview, test email and submit" }).click();
    await page.waitForURL(`${consoleUrl}/campaigns/${campaignId}/draft`);
    const shown = await page.textContent(".draft-page .sent-back");
    const axe = await accessibilityProblems(page);
    await screenshots(page, folder, "campaign-sent-back-en");
    await page.getByRole("button", { name: "Submit for approval" }).click();
    await page.waitForURL(/\/draft\?notice=submitted$/);
    // assess
    expect(sentBack.status).toBe(200);
    expect(panel).toContain(`Reason given: ${reason}`);
    expect(shown).toMatch(/^Sent back for changes by li on .+GMT\+8/);
    expect(shown).toContain(`Reason given: ${reason}`);
    expect(await page.locator(".draft-page .sent-back").count()).toBe(0);
    expect(axe).toEqual([]);
    expect(problems).toEqual([]);
  });
});
