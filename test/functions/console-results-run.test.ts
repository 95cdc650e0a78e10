import { describe, expect, it } from "vitest";
import { breakdownPage } from "../../shared/delivery/breakdown-run.js";
import type { Delivery } from "../../shared/delivery/delivery.js";
import type { Actor } from "../../shared/kernel/actor.js";
import { aCampaign, aDelivery } from "../adapters/fixtures.js";
import { consoleHarness } from "../support/console-app.js";
import { deliveriesPaged, inMemoryBreakdownRuns } from "../unit/in-memory-breakdown-runs.js";
import { InMemoryCampaigns } from "../unit/in-memory-campaigns.js";
import { platformWith } from "../unit/platform.js";

/**
 * The results page of a campaign past SYNC_BREAKDOWN_MAX_DELIVERIES, through the whole console
 * app on stores in memory: the page never reads the deliveries; it offers Count now, shows the
 * run's progress, then its tables as of its finish, and the CSVs serve the same tables.
 */
const ZHOU: Actor = { kind: "person", id: "sub-zhou", name: "zhou", role: "analyst" };
const clock = new Date("2026-06-01T12:00:00.000Z");
const { appWith, signedIn } = consoleHarness(() => clock);

const deliveries: Delivery[] = Array.from({ length: 250 }, (_, i) =>
  aDelivery({
    customerId: `C-${i}`,
    status: "sent",
    tier: i % 5 === 0 ? "affluent" : "mass",
    region: i % 2 ? "Jilin" : "Siping",
    sentAt: "2024-05-02T02:00:00.000Z",
    ...(i % 10 === 0 ? { clickedAt: "2024-05-02T03:00:00.000Z" } : {}),
  }),
);

function appNow() {
  const runs = inMemoryBreakdownRuns();
  const read: string[] = [];
  const paged = deliveriesPaged(deliveries);
  const ports = platformWith(
    {
      campaigns: new InMemoryCampaigns(
        aCampaign({ status: "completed", launchedAt: "2024-05-02T01:00:00.000Z", name: "Fund for savers" }),
      ),
      breakdownRuns: runs.breakdownRuns,
      queue: runs.queue,
      deliveries: {
        counters: async () => ({ targeted: 250, claimed: 250, sent: 250, clicked: 25 }),
        pagesOfCampaign: (id: string) => {
          read.push("pagesOfCampaign");
          return paged.pagesOfCampaign(id);
        },
        pageOfCampaign: paged.pageOfCampaign,
      },
      settings: { syncBreakdownMaxDeliveries: 100 },
    },
    clock,
  );
  return { app: appWith(ports), runs, read, ports };
}

describe("the results page of a campaign larger than SYNC_BREAKDOWN_MAX_DELIVERIES", () => {
  it("counts in the background on Count now, shows the progress, then the tables as of the count, never reading the deliveries in a request", async () => {
    // prepare
    const { app, runs, read, ports } = appNow();
    const as = await signedIn(app, ZHOU);
    // act
    const first = await (await as.get("/campaigns/cmp-1")).text();
    const started = await as.post("/campaigns/cmp-1/breakdown-runs");
    const counting = await (await as.get("/campaigns/cmp-1")).text();
    const polled = await (await as.get("/campaigns/cmp-1/breakdown-runs")).json();
    await runs.drain((job) => breakdownPage(ports, job));
    const donePoll = await (await as.get("/campaigns/cmp-1/breakdown-runs")).json();
    const counted = await (await as.get("/campaigns/cmp-1")).text();
    const csv = await (await as.get("/campaigns/cmp-1/tables/region.csv")).text();
    // assess
    expect(first).toContain("This campaign has 250 deliveries, more than a page reads at once (100)");
    expect(first).toContain("Not counted yet.");
    expect(first).toMatch(/<form method="post" action="\/console\/campaigns\/cmp-1\/breakdown-runs">/);
    expect(first).toContain(">Count now</button>");
    expect(first).not.toContain('data-table="tier"');
    expect(started.status).toBe(303);
    expect(started.headers.get("location")).toBe("/console/campaigns/cmp-1#breakdown");
    expect(counting).toContain("Counting: 0 of about 250 deliveries.");
    expect(counting).toContain('data-breakdown-run-url="/console/campaigns/cmp-1/breakdown-runs"');
    expect(counting).toMatch(/<script src="\/console\/assets\/results\.[0-9a-f]{12}\.js" defer/);
    expect(counting).toContain('href="/console/campaigns/cmp-1#breakdown">Refresh to see the progress</a>');
    expect(counting).not.toContain(">Count now</button>");
    expect(polled).toMatchObject({ status: "running", counted: 0, expected: 250 });
    expect(donePoll).toMatchObject({ status: "done", counted: 250 });
    expect(counted).toContain("Counted as of");
    expect(counted).toContain(">Count again</button>");
    expect(counted).toContain('data-table="tier"');
    expect(counted).not.toContain("data-breakdown-run-url");
    expect(csv.split("\n")[1]).toMatch(/^Jilin,125,/);
    expect(csv.split("\n")[2]).toMatch(/^Siping,125,/);
    expect(read).toEqual([]);
  });

  it("says it in Chinese too", async () => {
    // prepare
    const { app } = appNow();
    const as = await signedIn(app, ZHOU);
    await as.post("/language", { language: "zh-CN", returnTo: "/console/campaigns/cmp-1" });
    // act
    const page = await (await as.get("/campaigns/cmp-1")).text();
    // assess
    expect(page).toContain("本活动共有 250 条推荐，超过页面一次读取的上限（100 条）");
    expect(page).toContain(">立即统计</button>");
  });
});
