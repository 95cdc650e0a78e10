import { beforeEach, describe, expect, it } from "vitest";
import type { Actor } from "../../shared/kernel/actor.js";
import { aCampaign } from "../adapters/fixtures.js";
import { consoleHarness } from "../support/console-app.js";
import { InMemoryCampaigns } from "../unit/in-memory-campaigns.js";
import { platformWith } from "../unit/platform.js";

/**
 * The results page names the emails sent again at a customer's request (an expired link's
 * renewal, shared/responses/renew.ts) beside the funnel, which does not count them as sent:
 * an analyst who sees more emails in SES than sends in the funnel finds why on the page.
 */

const ZHOU: Actor = { kind: "person", id: "sub-zhou", name: "zhou", role: "analyst" };
const clock = new Date("2026-06-01T12:00:00.000Z");

let harness: ReturnType<typeof consoleHarness>;

async function resultsPage(renewed: number, language: "en" | "zh-CN" = "en") {
  const ports = platformWith(
    {
      campaigns: new InMemoryCampaigns(
        aCampaign({
          status: "completed",
          launchedAt: "2026-05-02T01:00:00.000Z",
          completedAt: "2026-05-02T03:00:00.000Z",
        }),
      ),
      deliveries: {
        counters: async () => ({ targeted: 90, control: 10, sent: 90, renewed, converted: 9 }),
        async *pagesOfCampaign() {},
      },
    },
    clock,
  );
  const app = harness.appWith(ports);
  const zhou = await harness.signedIn(app, ZHOU, "/campaigns/cmp-1");
  if (language === "zh-CN") await zhou.post("/language", { language, returnTo: "/console/campaigns/cmp-1" });
  const page = await zhou.get("/campaigns/cmp-1");
  expect(page.status).toBe(200);
  return page.text();
}

const renewedLine = (page: string) => /<p class="muted" data-renewed="true">([^<]*)<\/p>/.exec(page)?.[1];

describe("a campaign's results, on renewed links", () => {
  beforeEach(() => {
    harness = consoleHarness(() => clock);
  });

  it("says how many emails went again at customers' request, and that the funnel counts each customer once", async () => {
    // act
    const page = await resultsPage(3);
    // assess
    expect(renewedLine(page)).toBe(
      "Sent again at the customer&#39;s request, from a link that had expired: 3. Not counted as sent, so each customer counts once in the funnel and the rates.",
    );
  });

  it("says the same in Chinese", async () => {
    // act
    const page = await resultsPage(3, "zh-CN");
    // assess
    expect(renewedLine(page)).toContain("因原链接过期而重新发送：3");
  });

  it("says nothing when no link was renewed", async () => {
    // act
    const page = await resultsPage(0);
    // assess
    expect(renewedLine(page)).toBeUndefined();
    expect(page).toContain("Rates");
  });
});
