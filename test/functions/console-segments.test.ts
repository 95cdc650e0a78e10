import { beforeEach, describe, expect, it } from "vitest";
import type { createApp } from "../../functions/api/app.js";
import type { Actor } from "../../shared/kernel/actor.js";
import { SegmentVersionConflictError } from "../../shared/kernel/errors.js";
import type { SegmentStore } from "../../shared/segments/ports.js";
import { previewPage } from "../../shared/segments/preview-jobs.js";
import type { Segment } from "../../shared/segments/segment.js";
import { CONSOLE_BASE as BASE, CONSOLE_BASE as BASE_URL, consoleHarness } from "../support/console-app.js";
import { aCustomer } from "../unit/fixtures.js";
import { hashedBase } from "../unit/hashed-base.js";
import { InMemoryCampaigns } from "../unit/in-memory-campaigns.js";
import { inMemoryPreviews } from "../unit/in-memory-previews.js";
import { platformWith } from "../unit/platform.js";

/**
 * The segment builder's routes through the whole console app, the stores in memory: who may
 * build, and what each mistake looks like to the person (the form again with what is wrong,
 * never a 500). The browser test (test/e2e/console-segments.test.ts) runs the builder itself.
 */

const MEI: Actor = { kind: "person", id: "sub-mei", name: "mei", role: "marketer" };
const ZHOU: Actor = { kind: "person", id: "sub-zhou", name: "zhou", role: "analyst" };
const clock = new Date("2026-06-01T12:00:00.000Z");

let harness: ReturnType<typeof consoleHarness>;
let saved: Segment[];
/** When set, the next save fails as if someone had saved that version first. */
let someoneSavedFirst: boolean;

const segments: SegmentStore = {
  save: async (segment) => {
    if (someoneSavedFirst) throw new SegmentVersionConflictError(segment.segmentId, segment.version);
    saved.push(segment);
  },
  get: async (segmentId, version) =>
    saved
      .filter((s) => s.segmentId === segmentId && (version === undefined || s.version === version))
      .sort((a, b) => b.version - a.version)[0] ?? null,
  list: async () => saved,
  setArchived: async () => undefined,
};

function appNow() {
  const customers = [
    aCustomer({ customerId: "C-1", region: "Tonghua" }),
    aCustomer({ customerId: "C-2", region: "Tonghua", tier: "affluent" }),
  ];
  const ports = platformWith(
    {
      campaigns: new InMemoryCampaigns(),
      segments,
      customers: {
        scanShard: async (shard: number) => ({ customers: shard === 0 ? customers : [] }),
      },
    },
    clock,
  );
  return harness.appWith(ports);
}

async function signedIn(app: ReturnType<typeof createApp>, who: Actor) {
  const { get, post, csrf, cookie } = await harness.signedIn(app, who);
  const preview = (body: string, token: string | undefined = csrf) =>
    app.request(`${BASE}/console/segments/preview`, {
      method: "POST",
      headers: {
        cookie,
        "content-type": "application/json",
        origin: BASE,
        ...(token ? { "x-csrf-token": token } : {}),
      },
      body,
    });
  return { get, post, preview };
}

const region = (value: string) => JSON.stringify({ attr: "region", op: "eq", value });

describe("the console's segment builder", () => {
  beforeEach(() => {
    harness = consoleHarness(() => clock);
    saved = [];
    someoneSavedFirst = false;
  });

  it("refuses the builder to an analyst, whose role builds no segment", async () => {
    // prepare
    const zhou = await signedIn(appNow(), ZHOU);
    // act
    const list = await zhou.get("/segments");
    const preview = await zhou.preview(JSON.stringify({ rule: JSON.parse(region("Tonghua")) }));
    // assess
    expect(list.status).toBe(403);
    expect(await list.text()).toContain("Segments are built by marketers and administrators.");
    expect(preview.status).toBe(403);
  });

  it("answers a wrong rule or a missing name with the form again, saying what is wrong", async () => {
    // prepare
    const mei = await signedIn(appNow(), MEI);
    // act
    const badValue = await mei.post("/segments", { name: "Gold", rule: '{"attr":"tier","op":"eq","value":"gold"}' });
    const noName = await mei.post("/segments", { name: " ", rule: region("Tonghua") });
    const notJson = await mei.post("/segments", { name: "Half", rule: '{"attr":' });
    // assess
    expect(badValue.status).toBe(400);
    expect(await badValue.text()).toContain(
      "In the rule, at value: tier is one of mass, mass_affluent, affluent, high_net_worth; got &quot;gold&quot;",
    );
    expect(noName.status).toBe(400);
    expect(await noName.text()).toContain("Give the segment a name, up to 200 characters.");
    expect(notJson.status).toBe(400);
    expect(await notJson.text()).toContain("The rule is not valid JSON");
    expect(saved).toEqual([]);
  });

  it("saves a new segment as version 1 and a change as version 2, by the signed-in person", async () => {
    // prepare
    const mei = await signedIn(appNow(), MEI);
    // act
    const created = await mei.post("/segments", { name: "Tonghua", rule: region("Tonghua") });
    const page = created.headers.get("location")!;
    const segmentId = saved[0].segmentId;
    const revised = await mei.post(`/segments/${segmentId}`, { name: "Tonghua, renamed", rule: region("Tonghua") });
    const html = await (await mei.get(`/segments/${segmentId}?saved=2`)).text();
    // assess
    expect(created.status).toBe(303);
    expect(page).toBe(`/console/segments/${segmentId}?saved=1`);
    expect(revised.headers.get("location")).toBe(`/console/segments/${segmentId}?saved=2`);
    expect(saved.map((s) => [s.version, s.name, s.createdBy])).toEqual([
      [1, "Tonghua", "mei"],
      [2, "Tonghua, renamed", "mei"],
    ]);
    expect(html).toContain("Saved as version 2.");
    expect(html).toContain(`href="/console/segments/${segmentId}?version=1"`);
  });

  it("says so when someone else saved a version meanwhile, keeping what the person wrote", async () => {
    // prepare
    const mei = await signedIn(appNow(), MEI);
    await mei.post("/segments", { name: "Tonghua", rule: region("Tonghua") });
    someoneSavedFirst = true;
    // act
    const conflict = await mei.post(`/segments/${saved[0].segmentId}`, { name: "My change", rule: region("Tonghua") });
    // assess
    expect(conflict.status).toBe(409);
    const html = await conflict.text();
    expect(html).toContain("Someone saved a new version while you were editing.");
    expect(html).toContain('value="My change"');
  });

  it("previews a rule with the session's token, and answers a wrong rule with a 400 naming it", async () => {
    // prepare
    const mei = await signedIn(appNow(), MEI);
    // act
    const counted = await mei.preview(JSON.stringify({ rule: JSON.parse(region("tonghua")) }));
    const wrong = await mei.preview(JSON.stringify({ rule: { holds: "GOLD_BARS" } }));
    const notJson = await mei.preview("{");
    const forged = await mei.preview(JSON.stringify({ rule: JSON.parse(region("Tonghua")) }), "not-the-token");
    // assess
    expect(counted.status).toBe(200);
    expect(await counted.json()).toMatchObject({
      count: 0,
      warnings: [{ attr: "region", value: "tonghua", suggestion: { value: "Tonghua", count: 2 } }],
    });
    expect(wrong.status).toBe(400);
    expect(((await wrong.json()) as { message: string }).message).toContain("holds");
    expect(notJson.status).toBe(400);
    expect(forged.status).toBe(403);
  });

  it("answers an unknown segment or version with a page saying so", async () => {
    // prepare
    const mei = await signedIn(appNow(), MEI);
    await mei.post("/segments", { name: "Tonghua", rule: region("Tonghua") });
    // act
    const unknown = await mei.get("/segments/no-such-segment");
    const badVersion = await mei.get(`/segments/${saved[0].segmentId}?version=abc`);
    const missingVersion = await mei.get(`/segments/${saved[0].segmentId}?version=7`);
    // assess
    expect([unknown.status, badVersion.status, missingVersion.status]).toEqual([404, 404, 404]);
    expect(await unknown.text()).toContain("There is no such segment, or no such version of it.");
  });
});

describe("the segment builder of a bank larger than SYNC_COUNT_MAX_CUSTOMERS", () => {
  const BOUND = 100;
  /** 600 customers, every third in Tonghua: six times the bound. */
  const BASE = Array.from({ length: 600 }, (_, i) =>
    aCustomer({ customerId: `C-${i}`, region: i % 3 === 0 ? "Tonghua" : "Jilin" }),
  );
  const TONGHUA = BASE.filter((c) => c.region === "Tonghua").length;
  const KAI: Actor = { kind: "person", id: "sub-kai", name: "kai", role: "marketer" };
  let base: ReturnType<typeof hashedBase>;
  let runs: ReturnType<typeof inMemoryPreviews>;
  let ports: ReturnType<typeof platformWith>;

  beforeEach(() => {
    harness = consoleHarness(() => clock);
    saved = [];
    someoneSavedFirst = false;
    base = hashedBase(BASE);
    runs = inMemoryPreviews();
    ports = platformWith(
      {
        campaigns: new InMemoryCampaigns(),
        segments,
        customers: base,
        previews: runs.previews,
        queue: runs.queue,
        settings: { syncCountMaxCustomers: BOUND },
      },
      clock,
    );
  });

  const countExactly = (cookie: string, csrf: string, rule: unknown, app: ReturnType<typeof createApp>) =>
    app.request(`${BASE_URL}/console/segments/counts.json`, {
      method: "POST",
      headers: { cookie, "content-type": "application/json", origin: BASE_URL, "x-csrf-token": csrf },
      body: JSON.stringify({ rule }),
    });

  it("shows the live count as an estimate, reading at most the bound, with the share it rests on", async () => {
    // prepare
    const app = harness.appWith(ports);
    const mei = await signedIn(app, MEI);
    base.reads = 0;
    // act
    const reply = await mei.preview(JSON.stringify({ rule: JSON.parse(region("Tonghua")) }));
    // assess
    const preview = (await reply.json()) as { exact: boolean; count: number; basedOn: { customersRead: number } };
    expect(base.reads).toBeLessThanOrEqual(BOUND);
    expect(preview.exact).toBe(false);
    expect(preview.basedOn.customersRead).toBe(base.reads);
    expect(Math.abs(preview.count - TONGHUA) / TONGHUA).toBeLessThan(0.3);
  });

  it("opens a saved segment with “about” its count and a Count exactly button", async () => {
    // prepare
    const mei = await signedIn(harness.appWith(ports), MEI);
    await mei.post("/segments", { name: "Tonghua", rule: region("Tonghua") });
    // act
    const html = await (await mei.get(`/segments/${saved[0].segmentId}`)).text();
    // assess
    expect(html).toMatch(/About [\d,]+ customers match/);
    expect(html).toMatch(/An estimate from \d+ of about 600 customers/);
    expect(html).toContain("Count exactly</button>");
    expect(html).not.toMatch(/<div id="seg-exact" hidden/);
  });

  it("counts the rule exactly as a queued run, its status polled until it is done", async () => {
    // prepare
    const app = harness.appWith(ports);
    const { csrf, cookie, get } = await harness.signedIn(app, MEI);
    // act
    const started = await countExactly(cookie, csrf, { attr: "region", op: "eq", value: "Tonghua" }, app);
    const { statusUrl } = (await started.json()) as { statusUrl: string };
    const status = async () =>
      (await (await get(statusUrl.replace("/console", ""))).json()) as { text: string; status: string; count: number };
    const before = await status();
    await runs.drain((job) => previewPage(ports, job));
    const after = await status();
    // assess
    expect(started.status).toBe(202);
    expect(before).toMatchObject({ status: "running", count: 0, shardsDone: 0, totalShards: 4 });
    expect(before.text).toBe("Counting exactly: 0 of 4 parts read, 0 matching so far.");
    expect(after).toMatchObject({ status: "done", count: TONGHUA });
    expect(after.text).toMatch(new RegExp(`^Exactly ${TONGHUA} customers match, counted at `));
  });

  it("counts a saved segment's version for an approver from the review's form, and follows it on its page", async () => {
    // prepare
    const app = harness.appWith(ports);
    const mei = await signedIn(app, MEI);
    await mei.post("/segments", { name: "Tonghua", rule: region("Tonghua") });
    const segmentId = saved[0].segmentId;
    const li = await signedIn(app, { kind: "person", id: "sub-li", name: "li", role: "approver" });
    // act
    const started = await li.post(`/segments/${segmentId}/counts`, { segmentVersion: "1" });
    const page = (started.headers.get("location") ?? "").replace("/console", "");
    const running = await (await li.get(page)).text();
    await runs.drain((job) => previewPage(ports, job));
    const done = await (await li.get(page)).text();
    const noVersion = await li.post(`/segments/${segmentId}/counts`, { segmentVersion: "7" });
    const zhou = await signedIn(app, ZHOU);
    const analyst = await zhou.get(page);
    // assess
    expect(started.status).toBe(303);
    expect(page).toMatch(new RegExp(`^/segments/${segmentId}/counts/[\\w-]+$`));
    expect(running).toContain("Counting exactly: 0 of 4 parts read");
    expect(running).not.toContain("All segments");
    expect(done).toContain(`Exactly ${TONGHUA} customers match, counted at`);
    expect(done).not.toContain("Refresh to see how far it is");
    expect(noVersion.status).toBe(404);
    expect(analyst.status).toBe(200);
  });

  it("without the script, starts the count from the form and shows its page, to its starter only", async () => {
    // prepare
    const app = harness.appWith(ports);
    const mei = await signedIn(app, MEI);
    // act
    const started = await mei.post("/segments/counts", { rule: region("Tonghua") });
    const page = started.headers.get("location") ?? "";
    const running = await (await mei.get(page.replace("/console", ""))).text();
    const kai = await signedIn(app, KAI);
    const theirs = await kai.get(page.replace("/console", ""));
    const noRule = await mei.post("/segments/counts", { rule: "" });
    // assess
    expect(started.status).toBe(303);
    expect(page).toMatch(/^\/console\/segments\/counts\/[\w-]+$/);
    expect(running).toContain("Counting exactly: 0 of 4 parts read");
    expect(running).toContain("Refresh to see how far it is");
    expect(theirs.status).toBe(404);
    expect(noRule.status).toBe(400);
  });
});
