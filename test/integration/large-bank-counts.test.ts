import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { platform } from "../../shared/adapters/platform.js";
import { latestFinishedRun } from "../../shared/segments/preview-jobs.js";
import { type OwnPlatform, startOwnPlatform, townCustomer } from "./own-platform.js";

/**
 * A bank larger than SYNC_COUNT_MAX_CUSTOMERS, on the real emulators: a platform of its own with
 * a bound of 50 and 300 customers. The builder's count (POST /api/segments/preview, the same
 * previewRule as the console's live count) reads at most the bound and says it is an estimate;
 * Count exactly (POST /api/segments/previews, the console's too) reaches the exact number
 * through the preview run on the fan-out queue.
 */
const BOUND = 50;
const MARKER = "count-marketer-token-1";
/** 200 in Northtown, 100 in Southtown. */
const ROWS = Array.from({ length: 300 }, (_, i) =>
  townCustomer(i < 200 ? "Northtown" : "Southtown", i, `count${i}@customers.test`),
);
const NORTHTOWN = { attr: "region", op: "eq", value: "Northtown" };

let own: OwnPlatform;

beforeAll(async () => {
  own = await startOwnPlatform(
    {
      devTokens: `mei:marketer:${MARKER}`,
      settings: { SYNC_COUNT_MAX_CUSTOMERS: String(BOUND), FANOUT_SHARDS: "4", POWERTOOLS_LOG_LEVEL: "ERROR" },
    },
    MARKER,
  );
  await own.call("POST", "/api/customers/import", ROWS.join("\n"), MARKER, "application/x-ndjson");
}, 120_000);

afterAll(() => own?.stop());

describe("the counts of a bank larger than SYNC_COUNT_MAX_CUSTOMERS", () => {
  it("estimates the builder's count from at most the bound, and says so", async () => {
    // act
    const preview = await own.call("POST", "/api/segments/preview", { rule: NORTHTOWN });
    // assess
    expect(preview.exact).toBe(false);
    expect(preview.basedOn.customersRead).toBeLessThanOrEqual(BOUND);
    expect(preview.basedOn.customersRead).toBeGreaterThan(BOUND / 2);
    expect(preview.basedOn.customersInBase).toBe(300);
    // A sample of 50 of 300: the estimate is within half of the truth, and not the exact number by chance alone.
    expect(Math.abs(preview.count - 200)).toBeLessThan(100);
  });

  it("reaches the exact count through the queued run that Count exactly starts", async () => {
    // act
    const started = await own.request("POST", "/api/segments/previews", { rule: NORTHTOWN });
    let progress: any;
    const deadline = Date.now() + 60_000;
    do {
      await new Promise((r) => setTimeout(r, 250));
      progress = await own.call("GET", `/api/segments/unsaved-rule/previews/${started.body.previewId}`);
    } while (progress.status !== "done" && Date.now() < deadline);
    // assess
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ segmentId: "unsaved-rule", status: "running", totalShards: 4 });
    expect(progress).toMatchObject({ status: "done", count: 200, byRegion: { Northtown: 200 }, shardsDone: 4 });
  });

  it("counts a saved segment's version exactly too, where the wizard and the review read it", async () => {
    // prepare
    const { segmentId } = await own.call("POST", "/api/segments", { name: "Northtown", rule: NORTHTOWN });
    const estimate = await own.call("GET", `/api/segments/${segmentId}/preview`);
    // act
    const { previewId } = await own.call("POST", `/api/segments/${segmentId}/previews`);
    let progress: any;
    const deadline = Date.now() + 60_000;
    do {
      await new Promise((r) => setTimeout(r, 250));
      progress = await own.call("GET", `/api/segments/${segmentId}/previews/${previewId}`);
    } while (progress.status !== "done" && Date.now() < deadline);
    // The wizard and the review read the version's latest finished run from the store itself.
    const ports = await platform();
    const latest = await latestFinishedRun(ports, segmentId, 1);
    const approximate = await ports.customers.approximateCount?.();
    // assess
    expect(estimate.exact).toBe(false);
    expect(progress).toMatchObject({ status: "done", count: 200, segmentVersion: 1 });
    expect(latest).toMatchObject({ previewId, count: 200, segmentVersion: 1 });
    expect(approximate).toBe(300);
  });
});
