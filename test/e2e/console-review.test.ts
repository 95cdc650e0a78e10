import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { api, messageTitled } from "../integration/client.js";
import {
  accessibilityProblems,
  CONSOLE_SHOTS_KEPT,
  chromiumAvailable,
  launchChromium,
  passwordOf,
  problemsOn,
  screenshots,
  signInAt,
} from "../support/browser.js";
import { exchangeCode, signInWithPassword } from "../support/oidc-client.js";

/**
 * The approver's side of the console in Debian's Chromium (issue #10): the demo approver signs
 * in, finds a submitted campaign in Approvals, reads exactly what would go out (the rule in
 * words, the segment's version and today's count, the product's limits, each language's email)
 * in English and Chinese, and sends it back with a reason; the marketer submits it again through
 * the API; the approver approves it; the marketer launches it from the console and watches it
 * reach completed without reloading. An approver who created a campaign sees no approve button,
 * and a cancel asks first. A waiting customer change is applied from the inbox. axe-core checks
 * every page, and no page logs an error.
 */

const REGION = "ConsoleReviewR";
const CUSTOMERS = 40;

/** `CUSTOMERS` affluent savers of the test's region, each holding only a current account. */
function customersCsv() {
  const rows = Array.from({ length: CUSTOMERS }, (_, i) => {
    const id = `RV-${String(i + 1).padStart(3, "0")}`;
    return `${id},individual,Customer ${id},${id.toLowerCase()}@console-review.test,250000,DEPOSIT_CURRENT,${REGION},true`;
  });
  return ["customerId,type,name,email,aum,products,region,emailConsent", ...rows].join("\n");
}

/** Savers of the region not yet in wealth, affluent or just moved up, not emailed in the last month. */
const RULE = {
  all: [
    { attr: "region", op: "eq", value: REGION },
    {
      any: [
        { attr: "tier", op: "in", value: ["affluent", "high_net_worth"] },
        { tierMoved: "up", withinDays: 30 },
      ],
    },
    { lacks: "WEALTH_FUND" },
    { not: { contactedWithinDays: 30 } },
  ],
};

const newCampaign = (name: string, segmentId: string) => ({
  name,
  segmentId,
  offer: { productCode: "WEALTH_FUND" },
  message: messageTitled("Review RV"),
  translations: {
    "zh-CN": {
      subject: "为您推荐{{product}}",
      html: '<p>尊敬的{{name}}，<a href="{{offerUrl}}">查看推荐</a></p>',
      text: "尊敬的{{name}}，查看推荐：{{offerUrl}}",
    },
  },
  controlGroupPercent: 10,
});

/** An access token for a person of the local provider, as the console's own sign-in gets one. */
async function tokenOf(username: string) {
  const issuer = (await api("GET", "/health", null)).body.issuer;
  const redirectUri = `${inject("apiUrl")}/console/callback`;
  const { code, verifier } = await signInWithPassword(issuer, redirectUri, username, passwordOf(username));
  const { body } = await exchangeCode(issuer, code!, redirectUri, verifier);
  return body.access_token!;
}

async function asPerson(token: string, method: string, path: string, body?: unknown) {
  const response = await fetch(`${inject("apiUrl")}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json", accept: "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as any };
}

describe.skipIf(!chromiumAvailable)("the approver's inbox and review, and the campaign controls, in a browser", () => {
  let browser: Browser;
  let folder: string;
  let consoleUrl: string;
  let segment: { segmentId: string; version: number };
  let campaignId: string;
  let adminsCampaignId: string;
  const contexts: { context: BrowserContext; page: Page; problems: string[] }[] = [];

  /** A new browser (context) signed in as `username` at `path`, through the provider's login page. */
  async function signedIn(username: string, path: string) {
    const context = await browser.newContext({ locale: "en-GB", viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const problems = problemsOn(page);
    contexts.push({ context, page, problems });
    await signInAt(page, `${consoleUrl}${path}`, username);
    return page;
  }

  const campaignPage = () => `/campaigns/${campaignId}`;
  const statusOf = async (id: string) => (await api("GET", `/api/campaigns/${id}`, "analyst")).body;

  beforeAll(async () => {
    folder = CONSOLE_SHOTS_KEPT ?? mkdtempSync(join(tmpdir(), "console-review-shots-"));
    mkdirSync(folder, { recursive: true });
    consoleUrl = (await api("GET", "/health", null)).body.console;
    await api("POST", "/api/customers/import", "marketer", customersCsv(), "text/csv");
    segment = (await api("POST", "/api/segments", "marketer", { name: "Savers ready for wealth", rule: RULE })).body;
    // The marketer's campaign, submitted for approval.
    const created = await api(
      "POST",
      "/api/campaigns",
      "marketer",
      newCampaign("Wealth fund for grown savers", segment.segmentId),
    );
    expect(created.status).toBe(201);
    campaignId = created.body.campaignId;
    expect((await api("POST", `/api/campaigns/${campaignId}/submit`, "marketer")).status).toBe(200);
    // The demo administrator's own campaign, submitted too: they may not approve it themselves.
    const admin = await tokenOf("admin");
    const own = await asPerson(
      admin,
      "POST",
      "/api/campaigns",
      newCampaign("Admin's own wealth offer", segment.segmentId),
    );
    expect(own.status).toBe(201);
    adminsCampaignId = own.body.campaignId;
    expect((await asPerson(admin, "POST", `/api/campaigns/${adminsCampaignId}/submit`)).status).toBe(200);
    // A marketer's correction of a customer record, waiting for a checker.
    const change = await api("PATCH", "/api/customers/RV-001", "marketer", {
      changes: { relationshipManagerName: "王经理" },
      reason: "The customer named their new relationship manager at the branch",
    });
    expect(change.status).toBe(202);
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    if (!CONSOLE_SHOTS_KEPT && folder) rmSync(folder, { recursive: true, force: true });
  });

  it("signs the demo approver in at Approvals, which lists the campaign waiting and the customer change", async () => {
    // act
    const page = await signedIn("li", "/inbox");
    // assess
    expect(await page.textContent("h1")).toBe("Approvals");
    expect(await page.getByRole("link", { name: "Approvals" }).getAttribute("aria-current")).toBe("page");
    const row = await page.getByRole("row", { name: /Wealth fund for grown savers/ }).textContent();
    expect(row).toContain("Wealth Management Fund");
    expect(row).toContain("Savers ready for wealth");
    expect(row).toContain("by mei");
    const change = await page.locator("li.change", { hasText: "RV-001" }).textContent();
    expect(change).toContain("Relationship manager's name as the customer knows it: (empty) → 王经理");
    expect(change).toContain("by mei");
    expect(await accessibilityProblems(page)).toEqual([]);
    await screenshots(page, folder, "inbox-en");
  });

  it("shows the review: the rule in words, the segment's version and today's count, the product's limits, each language's email", async () => {
    // prepare
    const page = contexts[0].page;
    // act
    await page.getByRole("link", { name: "Wealth fund for grown savers" }).click();
    await page.waitForURL(`${consoleUrl}${campaignPage()}`);
    const rule = await page.locator("[data-rule-words] li").allTextContents();
    // assess
    expect(await page.locator("[data-asked-by]").textContent()).toMatch(/^Submitted for approval .* by mei\.$/);
    expect(rule[0].startsWith("All of these:")).toBe(true);
    expect(rule).toContain(`Region is ${REGION}`);
    expect(rule).toContain("Tier is Affluent or High Net Worth");
    expect(rule).toContain("Moved up a tier in the last 30 days");
    expect(rule).toContain("Does not hold Wealth Management Fund");
    expect(rule).toContain("Was sent no campaign email in the last 30 days");
    expect(await page.getByText(`Savers ready for wealth, version ${segment.version}`).count()).toBe(1);
    expect(await page.locator("[data-today]").textContent()).toContain(
      `${CUSTOMERS} customers meet the rule today; ${CUSTOMERS} of them may be offered the product.`,
    );
    const product = await page.locator("section.review").textContent();
    expect(product).toContain("R3: offered only to customers whose risk tolerance allows it");
    expect(product).toContain("Mass Affluent");
    // The subjects as a customer of the segment reads them, the product named in each language.
    expect(await page.locator("[data-message-language=en] [data-subject]").textContent()).toBe(
      "Review RV: a Wealth Management Fund for you",
    );
    expect(await page.locator("[data-message-language=zh-CN] [data-subject]").textContent()).toBe("为您推荐理财产品");
    expect(await page.locator("iframe.email").count()).toBe(2);
    expect(await page.getByRole("button", { name: "Approve" }).count()).toBe(1);
    expect(await accessibilityProblems(page)).toEqual([]);
    await screenshots(page, folder, "review-en");
  });

  it("says the same in Chinese", async () => {
    // prepare
    const page = contexts[0].page;
    // act
    await page.getByRole("button", { name: "中文" }).click();
    await page.waitForURL(`${consoleUrl}${campaignPage()}`);
    const rule = await page.locator("[data-rule-words] li").allTextContents();
    // assess
    expect(rule[0].startsWith("同时满足以下全部条件：")).toBe(true);
    expect(rule).toContain("客户层级为个人富裕客户或个人高端客户");
    expect(rule).toContain("未持有理财产品");
    expect(rule).toContain("近30天内未收到过营销邮件");
    expect(await page.locator("[data-today]").textContent()).toContain(
      `今日有 ${CUSTOMERS} 位客户符合规则，其中 ${CUSTOMERS} 位可以推荐该产品。`,
    );
    expect(await page.getByRole("button", { name: "审批通过" }).count()).toBe(1);
    expect(await accessibilityProblems(page)).toEqual([]);
    await screenshots(page, folder, "review-zh-CN");
    await page.goto(`${consoleUrl}/inbox`);
    expect(await page.textContent("h1")).toBe("待审批");
    expect(await accessibilityProblems(page)).toEqual([]);
    await screenshots(page, folder, "inbox-zh-CN");
    await page.getByRole("button", { name: "English" }).click();
  });

  it("sends it back to its author with a reason: a draft again, the reason in its history", async () => {
    // prepare
    const page = contexts[0].page;
    await page.goto(`${consoleUrl}${campaignPage()}`);
    // act
    await page.getByLabel("What the author should change").fill("Name the fund's risk level in the subject line");
    await page.getByRole("button", { name: "Send back to the author" }).click();
    await page.waitForURL(`${consoleUrl}${campaignPage()}?done=sentBack`);
    // assess
    expect(await page.getByRole("status").textContent()).toBe("Sent back to its author with your comment.");
    const sentBack = await page.getByRole("row", { name: /Sent back to draft/ }).textContent();
    expect(sentBack).toContain("li");
    expect(sentBack).toContain("Name the fund's risk level in the subject line");
    const campaign = await statusOf(campaignId);
    expect(campaign.status).toBe("draft");
    expect(campaign.sentBack).toMatchObject({ by: "li", reason: "Name the fund's risk level in the subject line" });
    expect(await page.getByRole("button", { name: "Approve" }).count()).toBe(0);
    expect(await accessibilityProblems(page)).toEqual([]);
  });

  it("approves it once the marketer has submitted it again", async () => {
    // prepare
    const page = contexts[0].page;
    expect((await api("POST", `/api/campaigns/${campaignId}/submit`, "marketer")).status).toBe(200);
    await page.goto(`${consoleUrl}${campaignPage()}`);
    // act
    await page.getByRole("button", { name: "Approve" }).click();
    await page.waitForURL(`${consoleUrl}${campaignPage()}?done=approved`);
    // assess
    expect(await page.getByRole("status").textContent()).toBe("Approved. The marketer may now launch it.");
    expect((await statusOf(campaignId)).status).toBe("approved");
    expect(await page.getByRole("row", { name: /Approved/ }).textContent()).toContain("li");
    expect(await accessibilityProblems(page)).toEqual([]);
  });

  it("applies the waiting customer change from the inbox", async () => {
    // prepare
    const page = contexts[0].page;
    await page.goto(`${consoleUrl}/inbox`);
    // act
    await page.locator("li.change", { hasText: "RV-001" }).getByRole("button", { name: "Apply" }).click();
    await page.waitForURL(`${consoleUrl}/inbox?done=applied`);
    // assess
    expect(await page.getByRole("status").textContent()).toContain("The change was applied");
    expect(await page.locator("li.change", { hasText: "RV-001" }).count()).toBe(0);
    expect((await api("GET", "/api/customers/RV-001", "admin")).body.relationshipManagerName).toBe("王经理");
  });

  it("lets the marketer launch it and watch it go out: the progress moves to completed without a reload", async () => {
    // prepare
    const page = await signedIn("mei", campaignPage());
    expect(await page.getByRole("button", { name: "Approve" }).count()).toBe(0);
    // act
    await page.getByRole("button", { name: "Launch" }).click();
    await page.waitForURL(`${consoleUrl}${campaignPage()}?done=launched`);
    const launched = await page.getByRole("status").count();
    await screenshots(page, folder, "launched-en");
    await page.locator(".badge.completed").waitFor({ timeout: 90_000 });
    // assess
    const stats = (await api("GET", `/api/campaigns/${campaignId}/stats`, "analyst")).body;
    expect(launched).toBe(1);
    expect(stats.status).toBe("completed");
    expect(stats.targeted + stats.control).toBe(CUSTOMERS);
    expect(await page.locator("[data-stat=sent]").textContent()).toBe(String(stats.sent));
    expect(await page.getByRole("status").count()).toBe(0); // "launched" no longer holds
    expect(await page.getByRole("row", { name: /Completed/ }).count()).toBe(1);
    expect(await page.getByRole("button", { name: "Launch" }).count()).toBe(0);
    expect(await accessibilityProblems(page)).toEqual([]);
  });

  it("shows an approver who created a campaign no approve button, but why; the inbox says it is theirs", async () => {
    // act
    const page = await signedIn("admin", `/campaigns/${adminsCampaignId}`);
    // assess
    expect(await page.getByRole("button", { name: "Approve" }).count()).toBe(0);
    expect(await page.locator("[data-self-approval]").textContent()).toBe(
      "You created this campaign: another approver must approve it (maker-checker).",
    );
    expect(await accessibilityProblems(page)).toEqual([]);
    await screenshots(page, folder, "self-approval-en");
    await page.goto(`${consoleUrl}/inbox`);
    expect(await page.getByRole("row", { name: /Admin's own wealth offer/ }).textContent()).toContain(
      "You created it: another approver must approve it.",
    );
  });

  it("cancels only after the box is ticked on a page that says what a cancel does", async () => {
    // prepare
    const page = contexts.at(-1)!.page;
    await page.goto(`${consoleUrl}/campaigns/${adminsCampaignId}`);
    // act
    await page.getByRole("link", { name: "Cancel the campaign…" }).click();
    await page.waitForURL(`${consoleUrl}/campaigns/${adminsCampaignId}/cancel`);
    const axe = await accessibilityProblems(page);
    await screenshots(page, folder, "cancel-en");
    await page.getByRole("button", { name: "Yes, cancel the campaign" }).click(); // the box is required: nothing happens
    const stillAsking = page.url();
    await page.getByLabel("I understand that this cannot be undone").check();
    await page.getByRole("button", { name: "Yes, cancel the campaign" }).click();
    await page.waitForURL(`${consoleUrl}/campaigns/${adminsCampaignId}?done=cancelled`);
    // assess
    expect(axe).toEqual([]);
    expect(stillAsking).toBe(`${consoleUrl}/campaigns/${adminsCampaignId}/cancel`);
    expect(await page.getByRole("status").textContent()).toBe("Cancelled: no further email goes out.");
    expect((await statusOf(adminsCampaignId)).status).toBe("cancelled");
    expect(await page.getByRole("row", { name: /Cancelled/ }).textContent()).toContain("admin");
  });

  it("logged no error on any page", async () => {
    // assess
    expect(contexts.flatMap((c) => c.problems)).toEqual([]);
  });
});
