import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { formatsFor } from "../../functions/console/format.js";
import { DEFAULT_DEV_USERS, parseDevUsers } from "../../infra/local/oidc-provider.js";
import { liftOf } from "../../shared/delivery/lift.js";
import { api, inbox, waitFor } from "../integration/client.js";
import { chromiumAvailable, inEnglish, launchChromium, pageProblems, problemsOn } from "../support/browser.js";

/**
 * The console's whole journey in one browser run (issue #10), every step done on the page: the
 * demo marketer signs in, builds a segment, creates a campaign with a Chinese version and sends
 * themselves a test; the approver (working in Chinese) sends it back; the marketer (now in
 * Chinese) fixes it and submits it again; the approver approves; the marketer launches it and
 * watches the progress reach completed; the analyst opens the results and reads the funnel, the
 * lift and its interval, in English and in Chinese. Each person has a browser of their own, and
 * axe-core checks every page any of them sees. Only the customers (before) and the bank's
 * product openings (after the campaign completes) come through the API: they are data, not steps.
 */

/** A region of this file's own, new on every run, so its counts are its customers' alone. */
const REGION = `JourneyE2E${Date.now().toString(36)}`;
const CUSTOMERS = 160;
const SEGMENT = `Journey savers of ${REGION}`;
const CAMPAIGN = `Credit card for ${REGION}`;
/** Words no other test file uses, so no other file's wait for its email in the shared inbox is met by this one's. */
const SUBJECT_ZH = `信用卡首年免年费（${REGION}）`;
const REASON = "请在邮件里写明第二年起的年费。";
const people = parseDevUsers(DEFAULT_DEV_USERS);
const person = (username: string) => people.find((p) => p.username === username)!;

/** Affluent savers of the region holding only a current account; every other one reads Chinese. */
function customersCsv() {
  const rows = Array.from({ length: CUSTOMERS }, (_, i) => {
    const id = `J${REGION}-${String(i + 1).padStart(3, "0")}`;
    const language = i % 2 === 0 ? "en" : "zh-CN";
    return `${id},individual,Saver ${i + 1},${id.toLowerCase()}@journey-e2e.test,250000,DEPOSIT_CURRENT,${REGION},true,${language}`;
  });
  return ["customerId,type,name,email,aum,products,region,emailConsent,language", ...rows].join("\n");
}

/** The funnel's table on the results page: its heading, and the treated and control cells of two of its steps. */
async function funnel(page: Page, group: string, opened: string) {
  const table = page.locator("section.card[aria-labelledby=funnel] table");
  const cells = (step: string) =>
    table
      .locator("tbody tr")
      .filter({ has: page.getByRole("rowheader", { name: step, exact: true }) })
      .locator("td")
      .allInnerTexts();
  return {
    heading: (await table.locator("thead").textContent()) ?? "",
    group: await cells(group),
    opened: await cells(opened),
  };
}
/** A funnel cell that starts with the number `n`: its share of the group follows on a line of its own. */
const startsWith = (n: number) => expect.stringMatching(new RegExp(`^${n}(\\D|$)`));

describe.skipIf(!chromiumAvailable)("the console's whole journey, in a browser", () => {
  let browser: Browser;
  let consoleUrl: string;
  let campaignId: string;
  const contexts: { who: string; context: BrowserContext; page: Page; problems: string[] }[] = [];
  /** Every page seen, with axe-core's serious and critical problems on it (none, it is hoped). */
  const checked: { page: string; problems: string[] }[] = [];

  /**
   * axe-core on the page as it is now, and the page at a phone's 390 px: nothing wider than the
   * screen, so nothing needs a sideways scroll of the whole page (a wide table scrolls in its own box).
   * The test's last step asserts that no page had a problem.
   */
  async function axe(page: Page, what: string) {
    const problems = await pageProblems(page);
    checked.push({ page: what, problems });
    expect(problems, what).toEqual([]);
  }

  /** A browser of `username`'s own, signed in at `path` through the provider's login page. */
  async function signIn(username: string, path: string) {
    const context = await browser.newContext({ locale: "en-GB", viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    contexts.push({ who: username, context, page, problems: problemsOn(page) });
    await page.goto(`${consoleUrl}${path}`);
    await axe(page, `sign-in (${username})`);
    await page.getByLabel("User name").fill(username);
    await page.getByLabel("Password").fill(person(username).password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${consoleUrl}${path}`);
    await inEnglish(page);
    return page;
  }
  const pageOf = (username: string) => contexts.find((c) => c.who === username)!.page;

  /** The console's own language switch in the header, staying on the same page. */
  async function switchTo(page: Page, language: "中文" | "English") {
    const here = page.url();
    await page.getByRole("button", { name: language }).click();
    await page.waitForURL(here);
    expect(await page.getAttribute("html", "lang")).toBe(language === "中文" ? "zh-CN" : "en");
  }

  beforeAll(async () => {
    consoleUrl = (await api("GET", "/health", null)).body.console;
    const imported = await api("POST", "/api/customers/import", "marketer", customersCsv(), "text/csv");
    if (imported.status >= 300) throw new Error(`import: ${imported.status} ${imported.text}`);
    browser = await launchChromium();
  }, 120_000);

  // One journey: once a step fails, the steps after it cannot be taken, and are skipped rather than timing out.
  let stepFailed = false;
  beforeEach((context) => {
    if (stepFailed) context.skip();
    context.onTestFailed(() => {
      stepFailed = true;
    });
  });

  afterAll(async () => {
    await browser?.close();
  });

  it("the marketer signs in and builds a segment of the region's customers, in English", async () => {
    // act
    const page = await signIn("mei", "/campaigns");
    expect(await page.textContent("header")).toContain("Signed in as mei, marketer");
    await axe(page, "campaigns (mei, en)");
    await page
      .getByRole("navigation", { name: "Areas of the console" })
      .getByRole("link", { name: "Segments" })
      .click();
    await page.waitForURL(`${consoleUrl}/segments`);
    await axe(page, "segments (mei, en)");
    await page.getByRole("link", { name: "New segment" }).click();
    await page.waitForURL(`${consoleUrl}/segments/new`);
    await page.getByLabel("Segment name").fill(SEGMENT);
    const rules = page.getByRole("group", { name: "Group of conditions, level 1" });
    await rules.getByRole("button", { name: "+ Add condition" }).click();
    const region = rules.getByRole("group", { name: "Condition 1", exact: true });
    await region.getByLabel("Attribute").selectOption("region");
    await region.getByLabel("Value").fill(REGION);
    await expect
      .poll(() => page.locator(".seg-count").textContent(), { timeout: 15_000 })
      .toBe(`${CUSTOMERS} customers match`);
    await axe(page, "segment builder (mei, en)");
    await page.getByRole("button", { name: "Save segment" }).click();
    await page.waitForURL(/\/segments\/[^/?]+\?saved=1$/);
    // assess
    expect(await page.getByRole("status").first().textContent()).toBe("Saved as version 1.");
    expect(await page.locator(".seg-count").textContent()).toBe(`${CUSTOMERS} customers match`);
    await axe(page, "saved segment (mei, en)");
  });

  it("the marketer creates a campaign of it in the wizard, with a Chinese version, and saves the draft", async () => {
    // prepare
    const page = pageOf("mei");
    // act
    await page
      .getByRole("navigation", { name: "Areas of the console" })
      .getByRole("link", { name: "New campaign" })
      .click();
    await page.waitForURL(`${consoleUrl}/campaigns/new`);
    await axe(page, "new campaign (mei, en)");
    await page.getByLabel("Campaign name (seen by staff only)").fill(CAMPAIGN);
    await page.getByLabel(/^Segment/).selectOption({ label: `${SEGMENT} (version 1)` });
    await expect
      .poll(() => page.textContent("#segment-count"))
      .toBe(`${CUSTOMERS} customers are in this segment today.`);
    await page.getByRole("radio", { name: /Credit Card/ }).check();
    await page
      .getByLabel(/^Subject/)
      .first()
      .fill("Your first year of the card is free, {{name}}");
    await page
      .locator("#f-message-html")
      .fill(
        '<p>Our {{product}} has no annual fee in the first year.</p><p><a href="{{offerUrl}}">See the offer</a></p>',
      );
    await page.locator("#f-translations-zh-CN-subject").fill(SUBJECT_ZH);
    await page
      .locator("#f-translations-zh-CN-html")
      .fill('<p>{{name}}，您好！首年免年费。</p><p><a href="{{offerUrl}}">查看详情</a></p>');
    await page.getByLabel("Title in English").fill("A card that pays you back");
    await page.getByLabel("Title in Chinese").fill("回馈您的信用卡");
    await page.getByLabel("Short description in English").fill("No annual fee in the first year.");
    await page.getByLabel("Short description in Chinese").fill("首年免年费。");
    await page.getByLabel(/^Control group/).fill("25");
    const advice = await page.textContent("#control-advice");
    await axe(page, "new campaign, filled in (mei, en)");
    await page.getByRole("button", { name: "Save draft" }).click();
    await page.waitForURL(/\/campaigns\/[^/]+\/draft\?notice=saved$/);
    campaignId = /\/campaigns\/([^/]+)\/draft/.exec(page.url())![1];
    // assess: 25% of 160 is a control group of about 40, enough to measure a lift by its size
    expect(advice).not.toContain("Too small to measure: the control group would hold");
    expect(await page.getByRole("status").textContent()).toBe("The draft is saved.");
    expect(await page.textContent("h1")).toContain(CAMPAIGN);
    expect(await page.textContent(".draft-page dl.facts")).toContain("25%");
    await axe(page, "draft (mei, en)");
  });

  it("the marketer reads the Chinese version and sends themselves a test of it, which arrives", async () => {
    // prepare
    const page = pageOf("mei");
    // act
    await page
      .getByRole("navigation", { name: "Language of the preview" })
      .getByRole("link", { name: "Chinese" })
      .click();
    await page.waitForURL(/language=zh-CN/);
    const subject = await page.locator("[data-preview-subject]").textContent();
    const email = await page.frameLocator("iframe.email").locator("body").textContent();
    await axe(page, "draft, Chinese preview (mei, en)");
    await page.getByRole("button", { name: "Send me a test" }).click();
    await page.waitForURL(/notice=tested/);
    const confirmation = await page.getByRole("status").textContent();
    await axe(page, "draft, test sent (mei, en)");
    const arrived = await waitFor(
      "the marketer's test email",
      () => inbox(),
      (emails) => emails.some((e) => e.subject.includes(SUBJECT_ZH)),
    );
    // assess
    const test = arrived.find((e) => e.subject.includes(SUBJECT_ZH))!;
    expect(subject).toBe(SUBJECT_ZH);
    expect(email).toContain("首年免年费");
    expect(confirmation).toBe(`A test email in Chinese was sent to ${person("mei").email}.`);
    expect(test.destination.to).toEqual([person("mei").email]);
    expect(test.subject.startsWith("[测试]")).toBe(true);
    expect(test.body.text).toContain("首年免年费");
  });

  it("the marketer submits it for approval", async () => {
    // prepare
    const page = pageOf("mei");
    // act
    await page.getByRole("button", { name: "Submit for approval" }).click();
    await page.waitForURL(/\/draft\?notice=submitted$/);
    // assess
    expect(await page.textContent("h1")).toContain("Waiting for approval");
    expect(await page.getByRole("link", { name: "Edit the draft" }).count()).toBe(0);
    await axe(page, "draft, submitted (mei, en)");
  });

  it("the approver, working in Chinese, finds it in Approvals and sends it back with a reason", async () => {
    // act
    const page = await signIn("li", "/inbox");
    await switchTo(page, "中文");
    const heading = await page.textContent("h1");
    const row = await page.getByRole("row", { name: new RegExp(CAMPAIGN) }).textContent();
    await axe(page, "approvals (li, zh-CN)");
    await page.getByRole("link", { name: CAMPAIGN }).click();
    await page.waitForURL(`${consoleUrl}/campaigns/${campaignId}`);
    const subjects = await page.locator("[data-message-language=zh-CN] [data-subject]").textContent();
    const today = await page.locator("[data-today]").textContent();
    await axe(page, "review (li, zh-CN)");
    await page.getByLabel("需要创建人修改的地方").fill(REASON);
    await page.getByRole("button", { name: "退回给创建人" }).click();
    await page.waitForURL(`${consoleUrl}/campaigns/${campaignId}?done=sentBack`);
    // assess
    expect(heading).toBe("待审批");
    expect(row).toContain("mei");
    expect(subjects).toBe(SUBJECT_ZH);
    expect(today).toContain(`今日有 ${CUSTOMERS} 位客户符合规则`);
    expect(await page.getByRole("status").textContent()).toBe("已连同您的意见退回给创建人。");
    expect(await page.getByRole("button", { name: "审批通过" }).count()).toBe(0);
    expect(await page.textContent("main")).toContain(REASON);
    await axe(page, "review, sent back (li, zh-CN)");
  });

  it("the marketer, now in Chinese, reads why, fixes the draft and submits it again", async () => {
    // prepare
    const page = pageOf("mei");
    await page.goto(`${consoleUrl}/campaigns/${campaignId}`);
    // act
    await switchTo(page, "中文");
    await axe(page, "campaign, sent back (mei, zh-CN)");
    await page.getByRole("link", { name: "打开草稿：预览、测试邮件和提交审批" }).click();
    await page.waitForURL(`${consoleUrl}/campaigns/${campaignId}/draft`);
    const sentBack = await page.textContent(".draft-page .sent-back");
    await axe(page, "draft, sent back (mei, zh-CN)");
    await page.getByRole("link", { name: "编辑草稿" }).click();
    await page.waitForURL(`${consoleUrl}/campaigns/${campaignId}/edit`);
    await axe(page, "edit draft (mei, zh-CN)");
    await page
      .locator("#f-translations-zh-CN-html")
      .fill('<p>{{name}}，您好！首年免年费，第二年起年费 200 元。</p><p><a href="{{offerUrl}}">查看详情</a></p>');
    await page.getByRole("button", { name: "保存草稿" }).click();
    await page.waitForURL(/\/draft\?notice=saved$/);
    const preview = await page.frameLocator("iframe.email").locator("body").textContent();
    await axe(page, "draft, fixed (mei, zh-CN)");
    await page.getByRole("button", { name: "提交审批" }).click();
    await page.waitForURL(/\/draft\?notice=submitted$/);
    // assess
    expect(sentBack).toMatch(/^li 于 .+ 退回修改/);
    expect(sentBack).toContain(`退回原因：${REASON}`);
    expect(preview).toContain("第二年起年费 200 元");
    expect(await page.locator(".draft-page .sent-back").count()).toBe(0);
    await axe(page, "draft, submitted again (mei, zh-CN)");
  });

  it("the approver approves what was submitted again", async () => {
    // prepare
    const page = pageOf("li");
    await page.goto(`${consoleUrl}/inbox`);
    // act
    await page.getByRole("link", { name: CAMPAIGN }).click();
    await page.waitForURL(`${consoleUrl}/campaigns/${campaignId}`);
    const email = await page
      .locator("[data-message-language=zh-CN]")
      .frameLocator("iframe.email")
      .locator("body")
      .textContent();
    await axe(page, "review, submitted again (li, zh-CN)");
    await page.getByRole("button", { name: "审批通过" }).click();
    await page.waitForURL(`${consoleUrl}/campaigns/${campaignId}?done=approved`);
    // assess: the approver read the fixed email before approving it
    expect(email).toContain("第二年起年费 200 元");
    expect(await page.getByRole("button", { name: "审批通过" }).count()).toBe(0);
    expect(await page.getByRole("status").textContent()).toBe("已审批通过，营销人员现在可以启动。");
    await axe(page, "review, approved (li, zh-CN)");
  });

  it("the marketer launches it and watches the progress reach completed without reloading", async () => {
    // prepare
    const page = pageOf("mei");
    await page.goto(`${consoleUrl}/campaigns/${campaignId}`);
    // act
    await page.getByRole("button", { name: "启动" }).click();
    await page.waitForURL(`${consoleUrl}/campaigns/${campaignId}?done=launched`);
    const launched = await page.getByRole("status").textContent();
    await axe(page, "campaign, launched (mei, zh-CN)");
    // The machine may be shared and slow: a generous wait, and nothing asserted about how long it took.
    await page.locator(".badge.completed").waitFor({ timeout: 120_000 });
    // assess
    const stats = (await api("GET", `/api/campaigns/${campaignId}/stats`, "analyst")).body;
    expect(launched).toBe("已启动，推荐正在发送。下方数字会自动更新。");
    expect(stats.status).toBe("completed");
    expect(stats.targeted + stats.control).toBe(CUSTOMERS);
    expect(await page.locator("[data-stat=sent]").textContent()).toBe(String(stats.sent));
    expect(await page.getByRole("button", { name: "启动" }).count()).toBe(0);
    await axe(page, "campaign, completed (mei, zh-CN)");
  }, 180_000);

  it("the analyst opens the results and reads the funnel, the lift and its interval, in English and in Chinese", async () => {
    // prepare: core banking reports openings of the card, 40 by treated customers and 8 by the control group
    const wanted = { treated: 40, control: 8 };
    for (let i = 1; i <= CUSTOMERS && (wanted.treated > 0 || wanted.control > 0); i++) {
      const customerId = `J${REGION}-${String(i).padStart(3, "0")}`;
      const { body } = await api("GET", `/api/customers/${customerId}`, "admin");
      const group = body.touches?.[0]?.status === "control" ? "control" : "treated";
      if (wanted[group] === 0) continue;
      wanted[group]--;
      const posted = await api("POST", "/api/conversions", "admin", {
        customerId,
        productCode: "CREDIT_CARD",
        amount: 5_000,
        occurredAt: new Date().toISOString(),
      });
      expect(posted.status).toBeLessThan(300);
    }
    const stats = await waitFor(
      "the conversions to count",
      () => api("GET", `/api/campaigns/${campaignId}/stats`, "analyst").then((r) => r.body),
      (s) => s.converted === 40 && s.controlConverted === 8,
    );
    const lift = liftOf(
      { size: stats.targeted, converted: stats.converted },
      { size: stats.control, converted: stats.controlConverted },
    );
    if (lift.kind !== "measured")
      throw new Error(`the journey's campaign should measure a lift: ${JSON.stringify(lift)}`);
    const [en, zh] = [formatsFor("en"), formatsFor("zh-CN")];
    // act
    const page = await signIn("zhou", "/campaigns?status=completed");
    expect(await page.textContent("header")).toContain("Signed in as zhou, analyst");
    await axe(page, "campaigns, completed (zhou, en)");
    await page.getByRole("link", { name: CAMPAIGN }).click();
    await page.waitForURL(`${consoleUrl}/campaigns/${campaignId}`);
    const funnelEn = await funnel(page, "Customers in the group", "Opened the product");
    const liftEn = await page.locator("[data-lift]").textContent();
    const intervalEn = await page.locator("[data-interval]").textContent();
    await axe(page, "results (zhou, en)");
    await switchTo(page, "中文");
    const funnelZh = await funnel(page, "组内客户", "开通了产品");
    const liftZh = await page.locator("[data-lift]").textContent();
    const intervalZh = await page.locator("[data-interval]").textContent();
    await axe(page, "results (zhou, zh-CN)");
    // assess
    expect(funnelEn.heading).toContain("Treated (emailed)");
    expect(funnelEn.group).toEqual([startsWith(stats.targeted), startsWith(stats.control)]);
    expect(funnelEn.opened).toEqual([startsWith(stats.converted), startsWith(stats.controlConverted)]);
    expect(liftEn).toBe(`${en.points(lift.lift)} percentage points`);
    expect(intervalEn).toBe(
      `95% confidence interval: ${en.points(lift.low)} to ${en.points(lift.high)} percentage points`,
    );
    expect(funnelZh.heading).toContain("营销组（已发邮件）");
    expect(funnelZh.heading).toContain("对照组（未发邮件）");
    expect(funnelZh.group).toEqual([startsWith(stats.targeted), startsWith(stats.control)]);
    expect(funnelZh.opened).toEqual([startsWith(stats.converted), startsWith(stats.controlConverted)]);
    expect(liftZh).toBe(`${zh.points(lift.lift)} 个百分点`);
    expect(intervalZh).toBe(`95% 置信区间：${zh.points(lift.low)} 至 ${zh.points(lift.high)} 个百分点`);
  });

  it("showed no person an accessibility problem or an error on any page", () => {
    // assess
    expect(checked.length).toBeGreaterThanOrEqual(28);
    expect(checked.filter((c) => c.problems.length > 0)).toEqual([]);
    expect(contexts.map((c) => ({ who: c.who, problems: c.problems }))).toEqual([
      { who: "mei", problems: [] },
      { who: "li", problems: [] },
      { who: "zhou", problems: [] },
    ]);
  });
});
