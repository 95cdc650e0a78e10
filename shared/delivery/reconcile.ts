import type { Campaign } from "../campaigns/campaign.js";
import type { CampaignStatus } from "../campaigns/lifecycle.js";
import type { CampaignStore } from "../campaigns/ports.js";
import type { Clock } from "../kernel/time.js";
import type { FanoutJob, SendJob } from "./jobs.js";
import type { DeliveryStore, JobQueue } from "./ports.js";
import { type SettleDeps, settleCampaign } from "./settle.js";

/**
 * Every campaign reaches an end. A message can be lost to the platform: the local queues live
 * in memory and die with the process, a send message can outlive SQS's retention while a
 * customer sleeps, a crash can fall between two writes. The reconciler (every few minutes on
 * AWS, on a timer and at start locally) finds what waits for a message that will not come:
 *
 * - a fan-out shard of a launching (or paused) campaign silent for `fanoutSilentSeconds` is
 *   queued again from where its scan got to (every page is idempotent);
 * - a queued delivery overdue by `lostAfterSeconds` while the send queue has no backlog is
 *   given a new send message (the claim is on the business key: a copy sends nothing twice);
 * - a delivery claimed `unconfirmedAfterSeconds` ago with no result is settled `unconfirmed`:
 *   whether SES took it is unknown, so it is never sent again (SES's Send event still turns it
 *   to sent: feedback.ts);
 * - a campaign whose counters say it is done is settled.
 *
 * A delivery whose message went to the dead-letter queue is `stuck`, not overdue: it waits for
 * an admin's redrive once the cause is fixed, and the alarm on the queue says so. After a local
 * start the dead-letter queues are new and empty too, so a stuck delivery is given a message
 * again with the queued ones (the claim takes a stuck delivery as it does a queued one).
 */
export type ReconcileDeps = {
  campaigns: Pick<CampaignStore, "listByStatus" | "get" | "transition">;
  deliveries: Pick<
    DeliveryStore,
    "overdue" | "requeue" | "settleUnconfirmed" | "shardProgress" | "finishedShards" | "counters"
  >;
  queue: Pick<JobQueue, "enqueueSends" | "enqueueFanout" | "sendBacklog">;
} & SettleDeps &
  Clock;

export type ReconcileOptions = {
  lostAfterSeconds: number;
  unconfirmedAfterSeconds: number;
  fanoutSilentSeconds: number;
  /** Overdue deliveries handled in one run; the rest wait for the next. */
  limit: number;
  /** The queues were just created empty (a local start): every message was lost, whenever it was due. */
  queuesLost?: boolean;
};

export const RECONCILE_DEFAULTS = {
  /** Past SQS's retries of a failing send (5 receives, 180 s apart) with room to spare. */
  lostAfterSeconds: 20 * 60,
  /** A send takes seconds; a sender's Lambda times out at 30 s. */
  unconfirmedAfterSeconds: 15 * 60,
  /** A page takes seconds; a failing page is retried for 30 minutes before its dead-letter queue. */
  fanoutSilentSeconds: 60 * 60,
  limit: 5_000,
} as const satisfies ReconcileOptions;

export type ReconcileReport = {
  shardsResumed: number;
  requeued: number;
  unconfirmed: number;
  /** Why queued deliveries were not looked at, when they were not. */
  queuedSkipped?: "send_backlog";
};

const CAMPAIGN_PAGE = 100;
const SEND_BATCH = 100;
const secondsBefore = (now: Date, seconds: number) => new Date(now.getTime() - seconds * 1000).toISOString();
/** Later than any due time: with the queues lost, every queued delivery is overdue. */
const END_OF_TIME = "9999-12-31T23:59:59.999Z";

async function* campaignsIn(p: ReconcileDeps, status: CampaignStatus): AsyncGenerator<Campaign> {
  let cursor: string | undefined;
  do {
    const page = await p.campaigns.listByStatus(status, CAMPAIGN_PAGE, cursor);
    yield* page.campaigns;
    cursor = page.cursor;
  } while (cursor);
}

/** The unfinished shards of a launching or paused campaign that have been silent too long. */
async function silentShards(
  p: ReconcileDeps,
  campaign: Campaign,
  finished: ReadonlySet<number>,
  silentBefore: string,
): Promise<FanoutJob[]> {
  const totalShards = campaign.fanoutShards;
  if (!totalShards || !campaign.launchedAt || finished.size >= totalShards) return [];
  const latest = new Map((await p.deliveries.shardProgress(campaign.campaignId)).map((s) => [s.shard, s]));
  return Array.from({ length: totalShards }, (_, shard) => shard).flatMap((shard) => {
    if (finished.has(shard)) return [];
    const last = latest.get(shard);
    if ((last?.at ?? campaign.launchedAt!) >= silentBefore) return [];
    return [{ campaignId: campaign.campaignId, shard, totalShards, ...(last ? { cursor: last.cursor } : {}) }];
  });
}

export async function reconcile(p: ReconcileDeps, options: ReconcileOptions): Promise<ReconcileReport> {
  const now = p.now();
  const report: ReconcileReport = { shardsResumed: 0, requeued: 0, unconfirmed: 0 };

  const silentBefore = options.queuesLost ? END_OF_TIME : secondsBefore(now, options.fanoutSilentSeconds);
  for (const status of ["launching", "paused"] as const) {
    for await (const campaign of campaignsIn(p, status)) {
      const finished = await p.deliveries.finishedShards(campaign.campaignId);
      const jobs = await silentShards(p, campaign, finished, silentBefore);
      if (jobs.length > 0) await p.queue.enqueueFanout(jobs);
      report.shardsResumed += jobs.length;
      // Every shard finished, yet still launching: the last shard's own settle did not happen.
      if (status === "launching" && campaign.fanoutShards && finished.size >= campaign.fanoutShards)
        await settleCampaign(p, campaign.campaignId, true);
    }
  }

  // A backlog means send messages are still on their way: a queued delivery may be among them.
  const backlog = options.queuesLost ? 0 : await p.queue.sendBacklog();
  if (backlog > 0) report.queuedSkipped = "send_backlog";
  const claimedBefore = secondsBefore(now, options.unconfirmedAfterSeconds);
  const overdue = await p.deliveries.overdue(
    {
      queuedBefore: backlog > 0 ? "" : options.queuesLost ? END_OF_TIME : secondsBefore(now, options.lostAfterSeconds),
      claimedBefore,
      // A stuck delivery waits for the admin's redrive, unless its dead-letter queue died with the queues.
      stuckToo: options.queuesLost,
    },
    options.limit,
  );
  const touched = new Set<string>();
  const resend: SendJob[] = [];
  for (const delivery of overdue) {
    if (delivery.status !== "sending") {
      // Due again from now: the next run leaves it alone while its new message is on its way.
      if (await p.deliveries.requeue(delivery, now.toISOString())) {
        resend.push({ campaignId: delivery.campaignId, customerId: delivery.customerId });
        report.requeued++;
      }
    } else if (await p.deliveries.settleUnconfirmed(delivery, claimedBefore)) {
      report.unconfirmed++;
      touched.add(delivery.campaignId);
    }
    if (resend.length >= SEND_BATCH) {
      await p.queue.enqueueSends(resend.splice(0));
    }
  }
  if (resend.length > 0) await p.queue.enqueueSends(resend);

  // Campaigns whose last settle did not happen (a crash after the last send) end here too.
  for await (const campaign of campaignsIn(p, "sending")) touched.add(campaign.campaignId);
  for (const campaignId of touched) await settleCampaign(p, campaignId);
  return report;
}
