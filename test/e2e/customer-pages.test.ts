import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { signLink } from "../../shared/delivery/links.js";
import { DEMO_BRAND } from "../../shared/kernel/brand.js";
import { say } from "../../shared/kernel/copy/say.js";
import type { Language } from "../../shared/kernel/language.js";
import { api, type InboxEmail, inbox, linkIn, waitFor } from "../integration/client.js";
import { accessibilityProblems, chromiumAvailable, launchChromium } from "../support/browser.js";

/**
 * A customer's path in a real browser (Debian's Chromium): the inbox, the offer page and its
 * answer buttons, the unsubscribe page. CI installs Chromium; elsewhere the file is skipped
 * when it is missing.
 */

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

/**
 * Where the screenshots of the customer's side go: CUSTOMER_SCREENSHOTS=docs/screenshots/customer
 * keeps them for the README; without it they go to a temporary folder that is removed.
 */
const SHOTS_KEPT = process.env.CUSTOMER_SCREENSHOTS;
const WIDTHS = [1280, 390] as const;

/**
 * The page at each width, whole: `name`-1280.png and `name`-390.png. The pictures are taken only
 * when someone will look at them (CUSTOMER_SCREENSHOTS, KEEP_SCREENSHOTS): in CI they cost the
 * run time and nobody sees them. The page is left at 390 px either way, as the tests expect.
 */
async function screenshots(page: Page, folder: string, name: string) {
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: width > 600 ? 800 : 844 });
    if (SHOTS_KEPT || process.env.KEEP_SCREENSHOTS)
      await page.screenshot({ path: join(folder, `${name}-${width}.png`), fullPage: true });
  }
}

describe.skipIf(!chromiumAvailable)("customer pages in a browser", () => {
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
    await api("POST", `/api/campaigns/${campaignId}/submit`, "marketer");
    await api("POST", `/api/campaigns/${campaignId}/approve`, "approver");
    await api("POST", `/api/campaigns/${campaignId}/launch`, "marketer");
    await waitFor(
      "the e2e campaign to complete",
      () => api("GET", `/api/campaigns/${campaignId}/stats`, "analyst"),
      (r) => r.body.status === "completed",
    );
    emails.push(...(await inbox()).filter((e) => e.subject.startsWith("E2E ")));
    browser = await launchChromium();
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
    const offerText = (await page.textContent("body")) ?? "";
    const primary = await backgroundOf(page, "I'm interested");
    await page.getByRole("button", { name: "Please call me" }).click();
    await page.waitForSelector("text=Thank you");
    await page.screenshot({ path: join(screenshots, "offer.png") });
    const stats = (await api("GET", `/api/campaigns/${campaignId}/stats`, "analyst")).body;

    expect(heading).toBe("Credit Card");
    expect(offerText).not.toContain("Credit card for E2E"); // the bank's own name for the campaign
    expect(offerText).not.toContain("Risk disclosure"); // a card is no investment
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

/**
 * A wealth offer, as a zh-CN customer and an English one see it: the campaign's customer-facing
 * title and description, the product's details, the risk statement in their language, and what
 * happens next after each answer. Every page is checked with axe-core and photographed at 1280
 * and 390 px.
 */
describe.skipIf(!chromiumAvailable)("a wealth offer in the customer's language", () => {
  let browser: Browser;
  let folder: string;
  const offerLinks = {} as Record<Language, string>;
  const unsubscribeLinks = {} as Record<Language, string>;
  const preferenceLinks = {} as Record<Language, string>;
  const emails = {} as Record<Language, InboxEmail>;
  const TITLE: Record<Language, string> = {
    "zh-CN": "稳健理财，让积蓄多一份打算",
    en: "A steady way to grow your savings",
  };
  const RISK: Record<Language, string> = {
    "zh-CN": "理财非存款、产品有风险、投资须谨慎",
    en: "Wealth management products are not deposits. Products carry risk. Invest with care.",
  };
  const RM_NAME = "王经理";
  const words = (l: Language) => ({
    bank: DEMO_BRAND.name[l],
    legalName: DEMO_BRAND.legalName[l],
    address: DEMO_BRAND.address[l],
    hotline: DEMO_BRAND.hotline,
  });

  beforeAll(async () => {
    folder = SHOTS_KEPT ?? mkdtempSync(join(tmpdir(), "e2e-customer-"));
    mkdirSync(folder, { recursive: true });
    const csv = [
      "customerId,type,name,email,aum,products,region,emailConsent,language,relationshipManager,relationshipManagerName",
      `E2EW-ZH,individual,赵磊,zhao.lei@wealth.e2e.test,250000,DEPOSIT_CURRENT,E2EW,true,zh-CN,wang.rm,${RM_NAME}`,
      // A relationship manager known by sign-in name only: the page names nobody.
      "E2EW-EN,individual,Li Na,li.na@wealth.e2e.test,250000,DEPOSIT_CURRENT,E2EW,true,en,chen.rm,",
    ].join("\n");
    await api("POST", "/api/customers/import", "marketer", csv, "text/csv");
    const { body: segment } = await api("POST", "/api/segments", "marketer", {
      name: "e2e wealth",
      rule: { attr: "region", op: "eq", value: "E2EW" },
    });
    const { body: created } = await api("POST", "/api/campaigns", "marketer", {
      name: "Wealth fund for savers (2026-11-30T14:08)",
      segmentId: segment.segmentId,
      offer: { productCode: "WEALTH_FUND" },
      message: {
        subject: "{{name}}, your savings could work harder",
        html: '<p>Dear {{name}},</p><p>As one of our {{tier}} customers, you can open our {{product}} today.</p><p><a href="{{offerUrl}}">See the offer</a></p>',
        text: "Dear {{name}}, see the offer: {{offerUrl}}",
      },
      translations: {
        "zh-CN": {
          subject: "{{name}}，让您的积蓄多一份打算",
          html: '<p>尊敬的{{name}}：</p><p>作为我行{{tier}}，您可以了解我们的{{product}}。</p><p><a href="{{offerUrl}}">查看推荐</a></p>',
          // No text: the platform reads it from the finished HTML.
        },
      },
      title: TITLE,
      description: {
        "zh-CN": "适合希望在存款之外稳健配置资产的客户。您的客户经理可为您讲解产品详情与风险。",
        en: "For customers who want to put part of their savings into something beyond a deposit. Your relationship manager can explain the product and its risks.",
      },
      controlGroupPercent: 0,
    });
    await api("POST", `/api/campaigns/${created.campaignId}/submit`, "marketer");
    await api("POST", `/api/campaigns/${created.campaignId}/approve`, "approver");
    await api("POST", `/api/campaigns/${created.campaignId}/launch`, "marketer");
    const sent = await waitFor(
      "both wealth emails",
      async () => (await inbox()).filter((e) => e.destination.to.some((to) => to.endsWith("@wealth.e2e.test"))),
      (found) => found.length === 2,
    );
    for (const [language, address] of [
      ["zh-CN", "zhao.lei@wealth.e2e.test"],
      ["en", "li.na@wealth.e2e.test"],
    ] as const) {
      emails[language] = sent.find((e) => e.destination.to.includes(address))!;
      offerLinks[language] = linkIn(emails[language].body.text!, "o")!;
      unsubscribeLinks[language] = linkIn(emails[language].body.text!, "u")!;
      preferenceLinks[language] = linkIn(emails[language].body.text!, "p")!;
    }
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    if (!SHOTS_KEPT) rmSync(folder, { recursive: true, force: true });
  });

  it.each(["zh-CN", "en"] as const)(
    "delivers the %s email in the bank's layout, from the bank's name, with a text part and the footer in that language",
    async (l) => {
      const page = await browser.newPage();
      const problems = problemsOn(page);
      const { html, text } = { html: emails[l].body.html!, text: emails[l].body.text! };

      // The HTML as the SES stand-in received it, as a mail client shows it: no network, no script.
      await page.route("**/*", (route) => route.abort());
      await page.setContent(html);
      const accessibility = await accessibilityProblems(page);
      await screenshots(page, folder, `email-${l}`);
      const header = page.getByText(DEMO_BRAND.name[l], { exact: true });

      expect(await page.getAttribute("html", "lang")).toBe(l);
      // The bank's name in text, white on the bank's blue: it reads the same with images off.
      const colours = await header.evaluate((e) => {
        const style = (element: unknown) =>
          (globalThis as unknown as { getComputedStyle: (x: unknown) => Record<string, string> }).getComputedStyle(
            element,
          );
        const band = (e as { closest: (selector: string) => unknown }).closest('table[style*="background"]');
        return [style(e).color, style(band).backgroundColor];
      });
      expect(colours).toEqual(["rgb(255, 255, 255)", BANK_BLUE]);
      expect(await page.getByRole("link", { name: say(l, "email.unsubscribe") }).getAttribute("href")).toBe(
        unsubscribeLinks[l],
      );
      expect(await page.getByRole("link", { name: say(l, "email.preferences") }).getAttribute("href")).toBe(
        preferenceLinks[l],
      );
      expect(html).not.toMatch(/<img|url\(/i);
      expect(emails[l].from).toContain(DEMO_BRAND.senderName[l]);
      expect(text).toContain(offerLinks[l]);
      expect(text).toContain(unsubscribeLinks[l]);
      expect(text).toContain(say(l, "email.legal", words(l)));
      expect(text).not.toMatch(/<\/?[a-z]/i);
      expect(text).not.toMatch(l === "zh-CN" ? /Unsubscribe|hotline/ : /[\u4e00-\u9fff]/);
      expect(accessibility).toEqual([]);
      expect(problems).toEqual([]);
      await page.close();
    },
  );

  it.each(["zh-CN", "en"] as const)(
    "shows the %s customer the title, the product, the risk statement and the hotline, never the internal name",
    async (l) => {
      const page = await browser.newPage();
      const problems = problemsOn(page);

      await page.goto(offerLinks[l]);
      const heading = await page.textContent("h1");
      const body = (await page.textContent("body")) ?? "";
      const accessibility = await accessibilityProblems(page);
      await screenshots(page, folder, `offer-${l}`);

      expect(heading).toBe(TITLE[l]);
      expect(await page.getAttribute("html", "lang")).toBe(l);
      expect(body).toContain(RISK[l]);
      expect(body).toContain(say(l, "offer.riskLevelValue", { level: "R3", label: say(l, "risk.R3") }));
      expect(body).toContain(say(l, "kind.wealth"));
      expect(body).toContain(say(l, "offer.questions", words(l)));
      expect(body).toContain(DEMO_BRAND.name[l]);
      expect(body).not.toContain("Wealth fund for savers");
      if (l === "zh-CN") expect(body).toContain(say(l, "offer.relationshipManager", { name: RM_NAME }));
      else expect(body).not.toMatch(/relationship manager is|chen\.rm/);
      expect(accessibility).toEqual([]);
      expect(problems).toEqual([]);
      await page.close();
    },
  );

  /** The email's link of `kind`, signed again as if the email were `daysAgo` days old (its links last 30 days). */
  const oldLink = (link: string, kind: "o" | "p", daysAgo: number) => {
    const [base, token] = link.split(`/${kind}/`);
    const [deliveryId, action] = JSON.parse(Buffer.from(token.split(".")[0], "base64url").toString()) as [
      string,
      "offer" | "preferences",
    ];
    const expiresAt = Math.floor(Date.now() / 1000) + (30 - daysAgo) * 86_400;
    return `${base}/${kind}/${signLink(inject("linkSigningSecret"), { deliveryId, action, expiresAt })}`;
  };

  // Before the preference centre's test: it turns the wealth category off, and the renewal then sends nothing.
  it.each(["zh-CN", "en"] as const)(
    "offers the %s customer a current link by email from an expired offer link, in the bank's brand",
    async (l) => {
      const page = await browser.newPage();
      const problems = problemsOn(page);
      const address = emails[l].destination.to[0];
      const before = (await inbox()).filter((e) => e.destination.to.includes(address)).length;

      const response = await page.goto(oldLink(offerLinks[l], "o", 45));
      const expired = (await page.textContent("main")) ?? "";
      const accessibility = await accessibilityProblems(page);
      await screenshots(page, folder, `expired-offer-${l}`);
      const brandBlue = await backgroundOf(page, say(l, "renew.button"));
      await page.getByRole("button", { name: say(l, "renew.button") }).click();
      await page.getByRole("status").waitFor();
      const renewed = (await page.textContent("main")) ?? "";
      accessibility.push(...(await accessibilityProblems(page)));
      await screenshots(page, folder, `renewed-${l}`);
      const after = await waitFor(
        "the renewed email",
        async () => (await inbox()).filter((e) => e.destination.to.includes(address)),
        (found) => found.length === before + 1,
      );

      expect(response?.status()).toBe(410);
      expect(await page.getAttribute("html", "lang")).toBe(l);
      expect(expired).toContain(say(l, "expiredOffer.body", { days: 30 }));
      expect(expired).toContain(say(l, "renew.privacy"));
      expect(await page.textContent("header")).toContain(DEMO_BRAND.name[l]);
      expect(brandBlue).toBe(BANK_BLUE);
      expect(renewed).toContain(say(l, "renewed.sent", { days: 30 }));
      expect(renewed).not.toContain(address.replace(/.*</, "").replace(/>.*/, ""));
      expect(after.at(-1)!.subject).toBe(emails[l].subject);
      expect(accessibility).toEqual([]);
      // The page's own 410, which Chromium reports as a resource that failed to load: the status the page means.
      expect(problems.filter((p) => !p.includes("status of 410"))).toEqual([]);
      await page.close();
    },
  );

  it.each(["zh-CN", "en"] as const)(
    "lets the %s customer stop offers, and only stop them, from a preference link 40 days old",
    async (l) => {
      const customerId = l === "zh-CN" ? "E2EW-ZH" : "E2EW-EN";
      const page = await browser.newPage();
      const problems = problemsOn(page);

      await page.goto(oldLink(preferenceLinks[l], "p", 40));
      const shown = (await page.textContent("main")) ?? "";
      const ticked = await page.locator("input[type=checkbox]:checked").count();
      const accessibility = await accessibilityProblems(page);
      await screenshots(page, folder, `expired-preferences-${l}`);
      // Keyboard only: the intermediary products' box, Space ticks it, then the button that stops what is ticked.
      await page.getByRole("checkbox", { name: say(l, "category.intermediary") }).focus();
      await page.keyboard.press("Space");
      await page.getByRole("button", { name: say(l, "preferences.stopChosen") }).focus();
      await page.keyboard.press("Enter");
      await page.getByRole("status").waitFor();
      const status = await page.getByRole("status").textContent();
      accessibility.push(...(await accessibilityProblems(page)));
      const customer = (await api("GET", `/api/customers/${customerId}`, "admin")).body;

      expect(await page.getAttribute("html", "lang")).toBe(l);
      expect(shown).toContain(say(l, "preferences.expired", { days: 30 }));
      expect(shown).not.toMatch(/@|\*\*/);
      expect(ticked).toBe(0);
      expect(await page.getByRole("button", { name: say(l, "preferences.newLink") }).isVisible()).toBe(true);
      expect(status).toBe(
        say(l, "preferences.saved", { changes: say(l, "preferences.off", { what: say(l, "category.intermediary") }) }),
      );
      expect(customer.consent.categories.intermediary).toMatchObject({ granted: false, by: "customer" });
      expect(customer.consent.categories.wealth?.granted).not.toBe(false);
      expect(accessibility).toEqual([]);
      expect(problems).toEqual([]);
      await page.close();
    },
  );

  it.each(["zh-CN", "en"] as const)(
    "opens the %s customer's preference centre from the email's footer and saves a change made by keyboard",
    async (l) => {
      const customerId = l === "zh-CN" ? "E2EW-ZH" : "E2EW-EN";
      const page = await browser.newPage();
      const problems = problemsOn(page);

      // The email's own link, as the customer clicks it in their mail client.
      await page.setContent(emails[l].body.html!);
      await page.getByRole("link", { name: say(l, "email.preferences") }).click();
      await page.waitForURL(preferenceLinks[l]);
      const before = await page.getByRole("checkbox", { name: say(l, "category.wealth") }).isChecked();
      const legends = await page.locator("legend").allTextContents();
      const accessibility = await accessibilityProblems(page);
      await screenshots(page, folder, `preferences-${l}`);
      // Keyboard only: focus the wealth box, Space unticks it, Tab to the button, Enter saves.
      await page.getByRole("checkbox", { name: say(l, "category.wealth") }).focus();
      await page.keyboard.press("Space");
      await page.keyboard.press("Tab");
      await page.keyboard.press("Tab");
      await page.keyboard.press("Tab");
      await page.keyboard.press("Enter");
      await page.getByRole("status").waitFor();
      const status = await page.getByRole("status").textContent();
      const after = await page.getByRole("checkbox", { name: say(l, "category.wealth") }).isChecked();
      accessibility.push(...(await accessibilityProblems(page)));
      await screenshots(page, folder, `preferences-saved-${l}`);
      const customer = (await api("GET", `/api/customers/${customerId}`, "admin")).body;

      expect(before).toBe(true);
      expect(legends).toEqual([say(l, "preferences.channels"), say(l, "preferences.categories")]);
      expect(await page.getAttribute("html", "lang")).toBe(l);
      expect(await page.textContent("header")).toContain(DEMO_BRAND.name[l]);
      expect(status).toBe(
        say(l, "preferences.saved", { changes: say(l, "preferences.off", { what: say(l, "category.wealth") }) }),
      );
      expect(await page.textContent("main")).toContain(say(l, "preferences.scope"));
      expect(after).toBe(false);
      expect(customer.consent.categories.wealth).toMatchObject({ granted: false, by: "customer" });
      expect(customer.consent.categories.wealth.source).toMatch(/^preference centre/);
      expect(accessibility).toEqual([]);
      expect(problems).toEqual([]);
      await page.close();
    },
  );

  it.each(["zh-CN", "en"] as const)("tells the %s customer what happens next after each answer", async (l) => {
    const page = await browser.newPage();
    const problems = problemsOn(page);
    const answer = async (a: "interested" | "call_me" | "not_now" | "unsubscribe") => {
      await page.goto(offerLinks[l]);
      await page.getByRole("button", { name: say(l, `answer.${a}`) }).click();
      await page.waitForLoadState();
      return (await page.textContent("main")) ?? "";
    };
    const seen: Record<string, string> = {};
    const accessibility: string[] = [];
    const visit = async (name: string, text: () => Promise<string>) => {
      seen[name] = await text();
      accessibility.push(...(await accessibilityProblems(page)));
      await screenshots(page, folder, `${name}-${l}`);
    };

    await visit("answer-interested", () => answer("interested"));
    await visit("answer-not-now", () => answer("not_now"));
    await visit("answer-call-me-asked", () => answer("call_me"));
    await visit("answer-call-me", async () => {
      await page.getByRole("button", { name: say(l, "callTimeOption.evening") }).click();
      await page.waitForLoadState();
      return (await page.textContent("main")) ?? "";
    });
    const customer = (await api("GET", `/api/customers/${l === "zh-CN" ? "E2EW-ZH" : "E2EW-EN"}`, "admin")).body;
    await visit("unsubscribe-page", async () => {
      await page.goto(unsubscribeLinks[l]);
      return (await page.textContent("main")) ?? "";
    });
    await visit("answer-unsubscribe", () => answer("unsubscribe"));

    expect(seen["answer-interested"]).toContain(say(l, "answered.interested", { days: 2 }));
    expect(seen["answer-not-now"]).toContain(
      say(l, "answered.notNow", { product: l === "zh-CN" ? "理财产品" : "Wealth Management Fund", days: 90 }),
    );
    expect(seen["answer-call-me-asked"]).toContain(say(l, "answered.callTimeQuestion"));
    expect(seen["answer-call-me"]).toContain(say(l, "answered.callTimeChosen", { time: say(l, "callTime.evening") }));
    expect(Object.values(customer.answers ?? {})).toContainEqual(
      expect.objectContaining({ answer: "call_me", callTime: "evening" }),
    );
    expect(seen["unsubscribe-page"]).toContain(say(l, "unsubscribe.question", words(l)));
    expect(seen["answer-unsubscribe"]).toContain(say(l, "unsubscribed.body", words(l)));
    expect(seen["answer-unsubscribe"]).toContain(say(l, "preferences.link"));
    expect(seen["unsubscribe-page"]).toContain(say(l, "preferences.link"));
    expect(accessibility).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });

  it.each([
    ["zh-CN,zh;q=0.9", "zh-CN"],
    ["en-US,en;q=0.9", "en"],
  ] as const)("shows an expired or broken link's page in the browser's language (%s)", async (header, l) => {
    const context = await browser.newContext({ locale: l, extraHTTPHeaders: { "accept-language": header } });
    const page = await context.newPage();

    const response = await page.goto(`${offerLinks[l]}broken`);
    const body = (await page.textContent("body")) ?? "";
    const accessibility = await accessibilityProblems(page);
    await screenshots(page, folder, `error-${l}`);

    expect(response?.status()).toBe(400);
    expect(body).toContain(say(l, "error.invalid_link"));
    expect(body).toContain(DEMO_BRAND.name[l]);
    expect(accessibility).toEqual([]);
    await context.close();
  });
});
