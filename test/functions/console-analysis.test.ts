import { beforeEach, describe, expect, it } from "vitest";
import type { Customer } from "../../shared/customers/customer.js";
import type { Actor } from "../../shared/kernel/actor.js";
import { aCampaign } from "../adapters/fixtures.js";
import { consoleHarness } from "../support/console-app.js";
import { InMemoryCampaigns } from "../unit/in-memory-campaigns.js";
import { platformWith } from "../unit/platform.js";

/**
 * The analysis area through the whole console app: campaigns side by side and the data-quality
 * report, who may read them, what a wrong choice looks like (a 400 naming it, never a 500), and
 * that each CSV is the table shown. The browser test (test/e2e/console-analysis.test.ts) runs the
 * same on the local platform.
 */

const ZHOU: Actor = { kind: "person", id: "sub-zhou", name: "zhou", role: "analyst" };
const MEI: Actor = { kind: "person", id: "sub-mei", name: "mei", role: "marketer" };
const WANG: Actor = { kind: "person", id: "sub-wang", name: "wang", role: "relationship_manager" };
const clock = new Date("2026-06-01T12:00:00.000Z");

const launched = (campaignId: string, name: string, status: "sending" | "completed", launchedAt: string) =>
  aCampaign({ campaignId, name, status, launchedAt, launchedBy: "mei", approvedBy: "li" });

/** Counters as the deliveries keep them: a measurable lift for the fund, a control too small for the card. */
const COUNTERS: Record<string, Record<string, number>> = {
  "cmp-fund": { targeted: 1000, control: 100, sent: 900, clicked: 90, converted: 120, controlConverted: 5 },
  "cmp-card": { targeted: 200, control: 10, sent: 200, clicked: 30, converted: 8, controlConverted: 0 },
};

const customer = (customerId: string, c: Partial<Customer>) =>
  ({
    customerId,
    type: "individual",
    name: "Customer",
    aum: 1000,
    tier: "mass",
    products: ["DEPOSIT_CURRENT"],
    region: "Shanghai",
    emailConsent: true,
    updatedAt: "2026-05-01T00:00:00.000Z",
    ...c,
  }) as Customer;

const CUSTOMERS = [
  customer("C-1", { email: "zhang.wei@example.cn", phone: "13812345678" }),
  customer("C-2", { email: "zhang.wei@example.cn" }),
  customer("C-3", { email: "noemail@bank.cn", updatedAt: "2020-01-01T00:00:00.000Z" }),
  customer("C-4", { type: "corporate", region: "", updatedAt: "2025-01-01T00:00:00.000Z" }),
];

let harness: ReturnType<typeof consoleHarness>;
let campaigns: InMemoryCampaigns;

const app = () =>
  harness.appWith(
    platformWith(
      {
        campaigns,
        deliveries: { counters: async (id: string) => COUNTERS[id] ?? {} },
        customers: { scanShard: async (shard: number) => ({ customers: shard === 0 ? CUSTOMERS : [] }) },
      },
      clock,
    ),
  );

/** A CSV as the browser saves it: the byte-order mark kept (Response.text() drops it). */
const csvOf = async (response: Response) =>
  new TextDecoder("utf-8", { ignoreBOM: true }).decode(await response.arrayBuffer());

/** The cells of a table the page shows, row by row, as text (tags dropped). */
function tableOf(html: string, id: string) {
  const table = new RegExp(`<table data-table="${id}">([\\s\\S]*?)</table>`).exec(html)?.[1] ?? "";
  return [...table.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((row) =>
    [...row[1].matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((cell) =>
      cell[1]
        .replace(/<[^>]+>/g, "")
        .replace(/&amp;/g, "&")
        .replace(/&#39;/g, "'")
        .trim(),
    ),
  );
}

describe("the console's analysis pages", () => {
  beforeEach(() => {
    harness = consoleHarness(() => clock);
    campaigns = new InMemoryCampaigns(
      launched("cmp-fund", "Fund for savers", "completed", "2026-05-20T02:00:00.000Z"),
      launched("cmp-card", "Card for travellers", "sending", "2026-05-28T02:00:00.000Z"),
      aCampaign({ campaignId: "cmp-draft", name: "A draft", status: "draft" }),
      aCampaign({
        campaignId: "cmp-paused",
        name: "Paused loan",
        status: "paused",
        launchedAt: "2026-05-10T02:00:00.000Z",
      }),
    );
  });

  it("offers the launched campaigns to compare, newest launch first, and not a draft", async () => {
    // arrange
    const as = await harness.signedIn(app(), ZHOU);

    // act
    const response = await as.get("/compare");
    const html = await response.text();

    // assess
    expect(response.status).toBe(200);
    const boxes = [...html.matchAll(/<input type="checkbox" name="c" value="([^"]+)"/g)].map((m) => m[1]);
    expect(boxes).toEqual(["cmp-card", "cmp-fund"]);
    expect(html).toContain('aria-current="page">Compare</a>');
    expect(html).toContain(">Data quality</a>");
  });

  it("shows two campaigns side by side: rates, a lift with its interval, and why the other's cannot be measured", async () => {
    // arrange
    const as = await harness.signedIn(app(), ZHOU);

    // act
    const html = await (await as.get("/compare?c=cmp-fund&c=cmp-card")).text();
    const rows = tableOf(html, "compare");

    // assess
    expect(rows[0]).toEqual(["Measure", "Fund for savers", "Card for travellers"]);
    const row = (name: string) => rows.find((r) => r[0] === name)?.slice(1);
    expect(row("Treated customers")).toEqual(["1,000", "200"]);
    expect(row("Click rate (of emails sent)")).toEqual(["10%", "15%"]);
    expect(row("Conversion rate, control")).toEqual(["5%", "0%"]);
    expect(row("Lift over the control group")).toEqual([
      "+7.0 percentage points",
      "The control group has 10 customers: too few to measure a lift (at least 30 are needed).",
    ]);
    expect(row("Lift, 95% interval from")).toEqual(["+0.5 percentage points", "–"]);
    expect(row("Lift, 95% interval to")).toEqual(["+10.6 percentage points", "–"]);
    expect(html).toMatch(/<input type="checkbox" name="c" value="cmp-fund" checked/);
  });

  it("gives the comparison as a CSV: the table shown, with a BOM and the reader's headings", async () => {
    // arrange
    const as = await harness.signedIn(app(), ZHOU);

    // act
    const response = await as.get("/compare.csv?c=cmp-fund&c=cmp-card");
    const csv = await csvOf(response);

    // assess
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(csv.startsWith("\uFEFFMeasure,Fund for savers,Card for travellers\n")).toBe(true);
    expect(csv).toContain("Treated customers,1000,200\n");
    expect(csv).toContain("Lift over the control group,7,");
    expect(csv).toContain('"Lift, 95% interval from",0.5,\n');
  });

  it("reads the comparison in Chinese, the CSV's headings too", async () => {
    // arrange
    const as = await harness.signedIn(app(), ZHOU);
    await as.post("/language", { language: "zh-CN", returnTo: "/console/compare" });

    // act
    const html = await (await as.get("/compare?c=cmp-fund&c=cmp-card")).text();
    const csv = await csvOf(await as.get("/compare.csv?c=cmp-fund&c=cmp-card"));

    // assess
    expect(tableOf(html, "compare").find((r) => r[0] === "营销组客户数")).toEqual(["营销组客户数", "1,000", "200"]);
    expect(html).toContain("+7.0 个百分点");
    expect(csv.startsWith("\uFEFF指标,Fund for savers,Card for travellers\n")).toBe(true);
  });

  it("takes one campaign, as the results page's link gives it, as a start: checked, and a prompt to choose another", async () => {
    // arrange
    const as = await harness.signedIn(app(), ZHOU);

    // act
    const response = await as.get("/compare?c=cmp-fund");
    const html = await response.text();
    const csv = await as.get("/compare.csv?c=cmp-fund");

    // assess
    expect(response.status).toBe(200);
    expect(html).toMatch(/<input type="checkbox" name="c" value="cmp-fund" checked/);
    expect(html).toContain('<p class="hint">Choose at least two campaigns to compare; 1 chosen.</p>');
    expect(html).not.toContain('data-table="compare"');
    expect(csv.status).toBe(400);
  });

  it("keeps a chosen campaign the list does not offer, such as a paused one reached from its results, in the form", async () => {
    // arrange
    const as = await harness.signedIn(app(), ZHOU);

    // act
    const alone = await (await as.get("/compare")).text();
    const chosen = await (await as.get("/compare?c=cmp-paused&c=cmp-fund")).text();

    // assess
    expect(alone).not.toContain('value="cmp-paused"');
    expect(chosen).toMatch(/<input type="checkbox" name="c" value="cmp-paused" checked/);
    expect(tableOf(chosen, "compare")[0]).toEqual(["Measure", "Paused loan", "Fund for savers"]);
  });

  it.each([
    [
      "seven",
      `?${["a", "b", "c", "d", "e", "f", "g"].map((x) => `c=cmp-${x}`).join("&")}`,
      "Choose at most six campaigns; 7 were chosen.",
    ],
    [
      "a draft and an unknown one",
      "?c=cmp-fund&c=cmp-draft&c=cmp-nobody",
      "These campaigns were not found or have not been launched, so they cannot be compared: cmp-draft, cmp-nobody.",
    ],
    ["an id that is no id", "?c=cmp-fund&c=cmp-card&c=%3Cscript%3E", "cannot be compared: &lt;script&gt;. Choose"],
  ])("refuses %s with a 400 that says what to choose", async (_, query, message) => {
    // arrange
    const as = await harness.signedIn(app(), ZHOU);

    // act
    const response = await as.get(`/compare${query}`);

    // assess
    expect(response.status).toBe(400);
    expect(await response.text()).toContain(message);
  });

  it("keeps the comparison from a relationship manager, and the data quality from a marketer", async () => {
    // arrange
    const wang = await harness.signedIn(app(), WANG);
    const mei = await harness.signedIn(app(), MEI);

    // act
    const compare = await wang.get("/compare");
    const quality = await mei.get("/data-quality");
    const meiPage = await (await mei.get("/compare")).text();

    // assess
    expect(compare.status).toBe(403);
    expect(await compare.text()).toContain(
      "Comparing campaigns is for analysts, marketers, approvers and administrators.",
    );
    expect(quality.status).toBe(403);
    const csv = await mei.get("/data-quality/stale.csv");
    expect(csv.status).toBe(403);
    expect(await csv.text()).not.toContain("C-3");
    expect(meiPage).not.toContain(">Data quality</a>");
  });

  it("reports the data's quality: completeness, invalid and shared addresses masked, stale records", async () => {
    // arrange
    const as = await harness.signedIn(app(), ZHOU);

    // act
    const response = await as.get("/data-quality?staleDays=365");
    const html = await response.text();

    // assess
    expect(response.status).toBe(200);
    expect(tableOf(html, "completeness")).toContainEqual(["Region", "3", "1", "75%"]);
    expect(tableOf(html, "invalid")).toEqual([
      ["Customer id", "What is wrong"],
      ["C-3", "A placeholder, not the customer's address"],
    ]);
    expect(tableOf(html, "shared")[1]).toEqual(["z***@example.cn", "Email", "2", "C-1, C-2"]);
    expect(html).not.toContain("zhang.wei");
    expect(tableOf(html, "stale")).toEqual([["Customer id"], ["C-3"], ["C-4"]]);
  });

  it("counts as stale what the chosen number of days says, and its CSV is the table shown", async () => {
    // arrange
    const as = await harness.signedIn(app(), ZHOU);

    // act
    const html = await (await as.get("/data-quality?staleDays=1000")).text();
    const csv = await csvOf(await as.get("/data-quality/stale.csv?staleDays=1000"));
    const shared = await csvOf(await as.get("/data-quality/shared.csv?staleDays=1000"));

    // assess
    expect(tableOf(html, "stale")).toEqual([["Customer id"], ["C-3"]]);
    expect(html).toContain('value="1000"');
    expect(csv).toBe("\uFEFFCustomer id\nC-3\n");
    expect(shared).toBe(
      '\uFEFFAddress or number (masked),Channel,How many,Customers holding it\nz***@example.cn,Email,2,"C-1, C-2"\n',
    );
  });

  it.each(["abc", "-1", "1e3", "99999"])("refuses %s days with a 400 that says what to enter", async (days) => {
    // arrange
    const as = await harness.signedIn(app(), ZHOU);

    // act
    const response = await as.get(`/data-quality?staleDays=${encodeURIComponent(days)}`);
    const html = await response.text();

    // assess
    expect(response.status).toBe(400);
    expect(html).toContain(`“${days}” is not a number of days: enter a whole number from 0 to 36,500.`);
    expect(html).toContain('aria-invalid="true"');
    expect(html).not.toContain('data-table="stale"');
  });
});
