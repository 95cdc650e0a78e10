import { describe, expect, it } from "vitest";
import type { Campaign } from "../../shared/campaigns/campaign.js";
import type { CampaignStatus } from "../../shared/campaigns/lifecycle.js";
import type { CampaignStore } from "../../shared/campaigns/ports.js";
import type { Counters } from "../../shared/delivery/counters.js";
import type { FanoutJob, SendJob } from "../../shared/delivery/jobs.js";
import type { DeliveryStore, JobQueue, PendingDelivery, ShardProgress } from "../../shared/delivery/ports.js";
import { type ReconcileOptions, reconcile } from "../../shared/delivery/reconcile.js";
import { aCampaign } from "../adapters/fixtures.js";
import { partOf } from "./platform.js";

const NOW = new Date("2026-06-01T12:00:00.000Z");
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000).toISOString();
const OPTIONS: ReconcileOptions = {
  lostAfterSeconds: 20 * 60,
  unconfirmedAfterSeconds: 15 * 60,
  fanoutSilentSeconds: 60 * 60,
  limit: 100,
};

/**
 * The deliveries side in memory, as the pending index behaves: a pending delivery (queued or
 * claimed) has a due time; requeue and settleUnconfirmed are conditional, as in DynamoDB.
 */
function world(options: {
  pending?: PendingDelivery[];
  campaigns?: Campaign[];
  backlog?: number;
  finished?: Record<string, number[]>;
  progress?: Record<string, ShardProgress[]>;
  counters?: Record<string, Counters>;
}) {
  const pending = new Map((options.pending ?? []).map((d) => [`${d.campaignId}/${d.customerId}`, { ...d }]));
  const settled: string[] = [];
  const sends: SendJob[] = [];
  const fanouts: FanoutJob[] = [];
  const transitions: string[] = [];
  const campaigns = new Map((options.campaigns ?? []).map((c) => [c.campaignId, c]));
  const deliveries = partOf<DeliveryStore>("deliveries", {
    overdue: async ({ queuedBefore, claimedBefore, stuckToo }, limit) =>
      [...pending.values()]
        .filter((d) => d.status !== "stuck" || stuckToo)
        .filter((d) => d.dueAt < (d.status === "sending" ? claimedBefore : queuedBefore))
        .slice(0, limit),
    requeue: async (d, dueAt) => {
      const current = pending.get(`${d.campaignId}/${d.customerId}`);
      if ((current?.status !== "queued" && current?.status !== "stuck") || current.dueAt !== d.dueAt) return false;
      current.dueAt = dueAt;
      return true;
    },
    settleUnconfirmed: async (d, claimedBefore) => {
      const key = `${d.campaignId}/${d.customerId}`;
      const current = pending.get(key);
      if (current?.status !== "sending" || current.dueAt >= claimedBefore) return false;
      pending.delete(key);
      settled.push(key);
      return true;
    },
    finishedShards: async (campaignId) => new Set(options.finished?.[campaignId] ?? []),
    shardProgress: async (campaignId) => options.progress?.[campaignId] ?? [],
    counters: async (campaignId) => options.counters?.[campaignId] ?? {},
  });
  const queue = partOf<JobQueue>("queue", {
    enqueueSends: async (jobs) => void sends.push(...jobs),
    enqueueFanout: async (jobs) => void fanouts.push(...jobs),
    sendBacklog: async () => options.backlog ?? 0,
  });
  const campaignStore = partOf<CampaignStore>("campaigns", {
    listByStatus: async (status: CampaignStatus) => ({
      campaigns: [...campaigns.values()].filter((c) => c.status === status),
    }),
    get: async (id) => campaigns.get(id) ?? null,
    transition: async (id, transition) => {
      transitions.push(`${id}:${transition}`);
      const c = campaigns.get(id)!;
      const next = { ...c, status: transition === "complete" ? "completed" : "sending" } as Campaign;
      campaigns.set(id, next);
      return next;
    },
  });
  const p = { deliveries, queue, campaigns: campaignStore, now: () => NOW };
  return { p, sends, fanouts, settled, transitions, pending };
}

const queued = (customerId: string, dueAt: string): PendingDelivery => ({
  campaignId: "cmp-1",
  customerId,
  status: "queued",
  dueAt,
});
const claimed = (customerId: string, dueAt: string): PendingDelivery => ({
  campaignId: "cmp-1",
  customerId,
  status: "sending",
  dueAt,
});

describe("reconcile: every campaign reaches an end", () => {
  it("gives a new send message to a queued delivery overdue past lostAfter, and leaves one due more recently", async () => {
    // prepare
    const w = world({ pending: [queued("C-lost", minutesAgo(30)), queued("C-recent", minutesAgo(5))] });
    // act
    const report = await reconcile(w.p, OPTIONS);
    // assess
    expect(w.sends).toEqual([{ campaignId: "cmp-1", customerId: "C-lost" }]);
    expect(report).toMatchObject({ requeued: 1, unconfirmed: 0 });
    expect(w.pending.get("cmp-1/C-lost")?.dueAt).toBe(NOW.toISOString()); // due again from now
  });

  it("requeues nothing while the send queue has a backlog: the lost delivery's message may be in it", async () => {
    // prepare
    const w = world({ pending: [queued("C-1", minutesAgo(90))], backlog: 1_200 });
    // act
    const report = await reconcile(w.p, OPTIONS);
    // assess
    expect(w.sends).toEqual([]);
    expect(report).toMatchObject({ requeued: 0, queuedSkipped: "send_backlog" });
  });

  it("requeues a delivery once per run: a second run right after finds it due from now", async () => {
    // prepare
    const w = world({ pending: [queued("C-1", minutesAgo(30))] });
    // act
    await reconcile(w.p, OPTIONS);
    await reconcile(w.p, OPTIONS);
    // assess
    expect(w.sends).toHaveLength(1);
  });

  it("settles as unconfirmed a claim older than unconfirmedAfter, never sending it again, and leaves a fresh claim", async () => {
    // prepare
    const w = world({
      campaigns: [aCampaign({ status: "sending" })],
      pending: [claimed("C-old", minutesAgo(16)), claimed("C-fresh", minutesAgo(1))],
      counters: { "cmp-1": { targeted: 2, claimed: 2, unconfirmed: 1 } },
    });
    // act
    const report = await reconcile(w.p, OPTIONS);
    // assess
    expect(w.settled).toEqual(["cmp-1/C-old"]);
    expect(w.sends).toEqual([]);
    expect(report.unconfirmed).toBe(1);
  });

  it("after a local start (queues lost) requeues every queued delivery, even one due in the future", async () => {
    // prepare: one held until the customer's morning, one just fanned out
    const tomorrow = new Date(NOW.getTime() + 10 * 3_600_000).toISOString();
    const w = world({ pending: [queued("C-morning", tomorrow), queued("C-now", minutesAgo(0))], backlog: 99 });
    // act
    const report = await reconcile(w.p, { ...OPTIONS, queuesLost: true });
    // assess: the sender defers the morning one again itself
    expect(w.sends.map((s) => s.customerId).sort()).toEqual(["C-morning", "C-now"]);
    expect(report.queuedSkipped).toBeUndefined();
  });

  it("gives a stuck delivery a message only after a local start, when its dead-letter queue died with the queues", async () => {
    // prepare
    const stuck: PendingDelivery = {
      campaignId: "cmp-1",
      customerId: "C-stuck",
      status: "stuck",
      dueAt: minutesAgo(90),
    };
    const w = world({ pending: [stuck] });
    // act
    await reconcile(w.p, OPTIONS);
    const afterRun = [...w.sends];
    await reconcile(w.p, { ...OPTIONS, queuesLost: true });
    // assess: left to the admin's redrive on AWS; requeued once the dead-letter queue is gone
    expect(afterRun).toEqual([]);
    expect(w.sends).toEqual([{ campaignId: "cmp-1", customerId: "C-stuck" }]);
  });

  it("resumes a silent fan-out shard from where its scan got to, and leaves finished and recently active shards", async () => {
    // prepare: 4 shards; 0 finished, 1 silent for 2 hours at a cursor, 2 active a minute ago, 3 never recorded a page
    const launching = aCampaign({ status: "launching", fanoutShards: 4, launchedAt: minutesAgo(180) });
    const w = world({
      campaigns: [launching],
      finished: { "cmp-1": [0] },
      progress: {
        "cmp-1": [
          { shard: 1, cursor: "page-7", at: minutesAgo(120) },
          { shard: 2, cursor: "page-3", at: minutesAgo(1) },
        ],
      },
    });
    // act
    const report = await reconcile(w.p, OPTIONS);
    // assess
    expect(w.fanouts).toEqual([
      { campaignId: "cmp-1", shard: 1, totalShards: 4, cursor: "page-7" },
      { campaignId: "cmp-1", shard: 3, totalShards: 4 },
    ]);
    expect(report.shardsResumed).toBe(2);
  });

  it("finishes the fan-out of a campaign still launching whose every shard finished", async () => {
    // prepare
    const w = world({
      campaigns: [aCampaign({ status: "launching", fanoutShards: 2, launchedAt: minutesAgo(5) })],
      finished: { "cmp-1": [0, 1] },
      counters: { "cmp-1": { targeted: 2, claimed: 2, sent: 2 } },
    });
    // act
    await reconcile(w.p, OPTIONS);
    // assess: moved on to sending, then completed, since everything was sent
    expect(w.transitions).toEqual(["cmp-1:finishFanout", "cmp-1:complete"]);
  });

  it("completes a sending campaign once its last claims are settled unconfirmed", async () => {
    // prepare: 3 targeted, 2 sent, the third claimed 20 minutes ago by a sender that died
    const w = world({
      campaigns: [aCampaign({ status: "sending" })],
      pending: [claimed("C-3", minutesAgo(20))],
      counters: { "cmp-1": { targeted: 3, claimed: 3, sent: 2, unconfirmed: 1 } },
    });
    // act
    await reconcile(w.p, OPTIONS);
    // assess
    expect(w.settled).toEqual(["cmp-1/C-3"]);
    expect(w.transitions).toEqual(["cmp-1:complete"]);
  });

  it("leaves a sending campaign with a stuck delivery sending: the redrive ends it, not the reconciler", async () => {
    // prepare
    const w = world({
      campaigns: [aCampaign({ status: "sending" })],
      counters: { "cmp-1": { targeted: 3, claimed: 2, sent: 2, stuck: 1 } },
    });
    // act
    await reconcile(w.p, OPTIONS);
    // assess
    expect(w.transitions).toEqual([]);
    expect(w.sends).toEqual([]);
  });
});
