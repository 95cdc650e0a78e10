import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { breakdownPage } from "../../shared/delivery/breakdown-run.js";
import type { Delivery } from "../../shared/delivery/delivery.js";
import type { Actor } from "../../shared/kernel/actor.js";
import { aCampaign, aDelivery } from "../adapters/fixtures.js";
import {
  accessibilityProblems,
  CONSOLE_SHOTS_KEPT,
  chromiumAvailable,
  launchChromium,
  problemsOn,
  screenshots,
} from "../support/browser.js";
import { CONSOLE_BASE, consoleHarness } from "../support/console-app.js";
import { deliveriesPaged, inMemoryBreakdownRuns } from "../unit/in-memory-breakdown-runs.js";
import { InMemoryCampaigns } from "../unit/in-memory-campaigns.js";
import { platformWith } from "../unit/platform.js";

/**
 * The results page of a campaign past SYNC_BREAKDOWN_MAX_DELIVERIES in Debian's Chromium: the
 * console app on stores in memory (a large campaign needs a bound below it, which the shared
 * platform keeps at its default), its requests answered by the app through Playwright's routing.
 * The progress moves on its own while a run counts, and the page reloads to the tables when it
 * is done; axe-core clean and nothing wider than 390 px, in English and Chinese.
 */
const ZHOU: Actor = { kind: "person", id: "sub-zhou", name: "zhou", role: "analyst" };
const { appWith, signedIn } = consoleHarness(() => new Date());

const deliveries: Delivery[] = Array.from({ length: 250 }, (_, i) =>
  aDelivery({
    customerId: `C-${i}`,
    status: "sent",
    tier: i % 5 === 0 ? "affluent" : "mass",
    region: i % 2 ? "Jilin" : "Siping",
    sentAt: "2024-05-02T02:00:00.000Z",
  }),
);

const runs = inMemoryBreakdownRuns();
const paged = deliveriesPaged(deliveries);
const ports = platformWith({
  campaigns: new InMemoryCampaigns(
    aCampaign({ status: "completed", launchedAt: "2024-05-02T01:00:00.000Z", name: "Fund for savers" }),
  ),
  breakdownRuns: runs.breakdownRuns,
  queue: runs.queue,
  deliveries: { counters: async () => ({ targeted: 250, claimed: 250, sent: 250 }), ...paged },
  settings: { syncBreakdownMaxDeliveries: 100 },
});
ports.now = () => new Date();
const app = appWith(ports);
let browser: Awaited<ReturnType<typeof launchChromium>>;

beforeAll(async () => {
  if (chromiumAvailable) browser = await launchChromium();
});
afterAll(() => browser?.close());

describe.skipIf(!chromiumAvailable)("a large campaign's results page in the browser", () => {
  it("offers Count now, then shows the count's progress moving on its own, then the tables as of the count", async () => {
    // prepare
    const as = await signedIn(app, ZHOU);
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    await context.route(`${CONSOLE_BASE}/**`, async (route) => {
      const request = route.request();
      const response = await app.request(request.url(), {
        method: request.method(),
        headers: { ...(await request.allHeaders()), cookie: as.cookie },
        body: request.method() === "POST" ? request.postData() : undefined,
      });
      await route.fulfill({
        status: response.status,
        headers: Object.fromEntries(response.headers),
        body: Buffer.from(await response.arrayBuffer()),
      });
    });
    const page = await context.newPage();
    const problems = problemsOn(page);
    const wide = () => page.evaluate<number>("document.documentElement.scrollWidth");
    /** The README's screenshots, when kept (CONSOLE_SCREENSHOTS); the page is at a phone's width again after. */
    const shots = async (name: string) => {
      if (!CONSOLE_SHOTS_KEPT) return;
      await screenshots(page, CONSOLE_SHOTS_KEPT, name);
      await page.setViewportSize({ width: 390, height: 844 });
    };
    // act
    await page.goto(`${CONSOLE_BASE}/console/campaigns/cmp-1`);
    const before = await page.locator("#breakdown").textContent();
    const axeBefore = await accessibilityProblems(page);
    await page.getByRole("button", { name: "Count now" }).waitFor();
    // The form's POST goes through the harness (its CSRF check is the console route test's): a
    // page fulfilled by Playwright's routing posts with an opaque origin, which the check refuses.
    expect((await as.post("/campaigns/cmp-1/breakdown-runs")).status).toBe(303);
    await page.reload();
    await page.getByText("Counting: 0 of about 250 deliveries.").waitFor();
    const axeCounting = await accessibilityProblems(page);
    // The fan-out consumer counts one page while the page watches, then the rest.
    await breakdownPage(ports, runs.jobs.shift()!);
    await page.getByText("Counting: 100 of about 250 deliveries.").waitFor();
    const widthCounting = await wide();
    await shots("results-counting-en");
    await runs.drain((job) => breakdownPage(ports, job));
    await page.getByText(/Counted as of/).waitFor({ timeout: 10_000 });
    const axeDone = await accessibilityProblems(page);
    await shots("results-counted-en");
    const tier = await page.locator('table[data-table="region"]').textContent();
    await page.goto(`${CONSOLE_BASE}/console/campaigns/cmp-1`);
    await as.post("/language", { language: "zh-CN", returnTo: "/console/campaigns/cmp-1" });
    await page.reload();
    const chinese = await page.locator("#breakdown").textContent();
    const axeChinese = await accessibilityProblems(page);
    await shots("results-counted-zh-CN");
    // assess
    expect(before).toContain("Not counted yet.");
    expect(widthCounting).toBeLessThanOrEqual(390);
    expect(tier).toContain("Jilin");
    expect(chinese).toContain("统计截至");
    expect(chinese).toContain("重新统计");
    expect([...axeBefore, ...axeCounting, ...axeDone, ...axeChinese]).toEqual([]);
    expect(await wide()).toBeLessThanOrEqual(390);
    expect(problems).toEqual([]);
    await context.close();
  });
});
