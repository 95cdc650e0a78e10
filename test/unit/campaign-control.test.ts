import { beforeEach, describe, expect, it } from "vitest";
import type { Platform } from "../../shared/adapters/platform.js";
import { approvalDigest } from "../../shared/campaigns/approval.js";
import type { CampaignStatus } from "../../shared/campaigns/lifecycle.js";
import {
  automaticPauseReason,
  cancelCampaign,
  holdForCampaign,
  pauseCampaign,
  pauseIfUnhealthy,
  resumeCampaign,
} from "../../shared/delivery/control.js";
import type { Counters } from "../../shared/delivery/counters.js";
import { fanOutPage } from "../../shared/delivery/fan-out.js";
import { recordMailFeedback } from "../../shared/delivery/feedback.js";
import { launchCampaign } from "../../shared/delivery/launch.js";
import type { DeliveryKey, DeliveryStore, JobQueue } from "../../shared/delivery/ports.js";
import { sendOffer } from "../../shared/delivery/send.js";
import { CampaignChangedSinceApprovalError, CampaignStateConflictError } from "../../shared/kernel/errors.js";
import { aCampaign } from "../adapters/fixtures.js";
import { aCustomer } from "./fixtures.js";
import { InMemoryCampaigns } from "./in-memory-campaigns.js";
import { partOf, platformWith, TEST_SETTINGS } from "./platform.js";

const MEI = { name: "mei", role: "marketer" as const };

let campaigns: InMemoryCampaigns;
let shards: number;
let counters: Counters;

const deliveries = () =>
  partOf<DeliveryStore>("deliveries", {
    shardsFinished: async () => shards,
    counters: async () => counters,
  });

beforeEach(() => {
  shards = 0;
  counters = {};
});

describe("pauseCampaign, resumeCampaign, cancelCampaign", () => {
  it("pauses a sending campaign naming who paused it, and records it in the history", async () => {
    // prepare
    campaigns = new InMemoryCampaigns(aCampaign({ status: "sending", fanoutShards: 4 }));
    // act
    const paused = await pauseCampaign(platformWith({ campaigns }), "cmp-1", { name: "mei" });
    // assess
    expect(paused).toMatchObject({ status: "paused", pauseReason: "paused by mei", pausedBy: "mei" });
    expect(campaigns.entries).toEqual([
      expect.objectContaining({ event: "paused", status: "paused", by: "mei", reason: "paused by mei" }),
    ]);
  });

  it.each<CampaignStatus>(["draft", "approved", "completed", "cancelled", "paused"])(
    "refuses to pause a campaign that is %s",
    async (status) => {
      // prepare
      campaigns = new InMemoryCampaigns(aCampaign({ status }));
      // act
      const paused = pauseCampaign(platformWith({ campaigns }), "cmp-1", { name: "mei" });
      // assess
      await expect(paused).rejects.toBeInstanceOf(CampaignStateConflictError);
    },
  );

  it("resumes to sending when every shard had finished, clears the pause and settles the campaign", async () => {
    // prepare: paused while launching, and the fan-out finished during the pause
    campaigns = new InMemoryCampaigns(aCampaign({ status: "sending", fanoutShards: 4 }));
    const p = platformWith({ campaigns, deliveries: deliveries() });
    await pauseCampaign(p, "cmp-1", { name: "mei" });
    shards = 4;
    counters = { targeted: 2, claimed: 2, sent: 2 };
    // act
    const resumed = await resumeCampaign(p, "cmp-1", MEI);
    // assess: nothing was left to send, so it completed
    expect(resumed.status).toBe("completed");
    expect(resumed.pauseReason).toBeUndefined();
    expect(campaigns.entries.map((e) => e.event)).toEqual(["paused", "resumed", "completed"]);
  });

  it("resumes to launching while a shard is still fanning out", async () => {
    // prepare
    campaigns = new InMemoryCampaigns(aCampaign({ status: "paused", fanoutShards: 4 }));
    shards = 3;
    // act
    const resumed = await resumeCampaign(platformWith({ campaigns, deliveries: deliveries() }), "cmp-1", MEI);
    // assess
    expect(resumed.status).toBe("launching");
  });

  it("finishes the fan-out itself when the last shard finished between its read and the resume", async () => {
    // prepare: the last shard's own finishFanout finds the campaign paused and cannot move it
    campaigns = new InMemoryCampaigns(aCampaign({ status: "paused", fanoutShards: 4 }));
    shards = 3;
    campaigns.beforeNextTransition = async () => {
      shards = 4;
    };
    counters = { targeted: 5 };
    // act
    const resumed = await resumeCampaign(platformWith({ campaigns, deliveries: deliveries() }), "cmp-1", MEI);
    // assess
    expect(resumed.status).toBe("sending");
    expect(campaigns.entries.map((e) => e.event)).toEqual(["resumed", "fanned_out"]);
  });

  it("refuses to resume a campaign that is not paused", async () => {
    // prepare
    campaigns = new InMemoryCampaigns(aCampaign({ status: "sending", fanoutShards: 4 }));
    shards = 4;
    // act
    const resumed = resumeCampaign(platformWith({ campaigns, deliveries: deliveries() }), "cmp-1", MEI);
    // assess
    await expect(resumed).rejects.toBeInstanceOf(CampaignStateConflictError);
  });

  it.each<CampaignStatus>(["draft", "approved", "launching", "sending", "paused"])(
    "cancels a campaign that is %s, for good",
    async (status) => {
      // prepare
      campaigns = new InMemoryCampaigns(aCampaign({ status }));
      const p = platformWith({ campaigns, deliveries: deliveries() });
      // act
      const cancelled = await cancelCampaign(p, "cmp-1", MEI);
      // assess
      expect(cancelled).toMatchObject({ status: "cancelled", cancelledBy: "mei" });
      await expect(resumeCampaign(p, "cmp-1", MEI)).rejects.toBeInstanceOf(CampaignStateConflictError);
      await expect(pauseCampaign(p, "cmp-1", { name: "mei" })).rejects.toBeInstanceOf(CampaignStateConflictError);
    },
  );

  it("refuses to cancel a completed campaign", async () => {
    // prepare
    campaigns = new InMemoryCampaigns(aCampaign({ status: "completed" }));
    // act / assess
    await expect(cancelCampaign(platformWith({ campaigns }), "cmp-1", MEI)).rejects.toBeInstanceOf(
      CampaignStateConflictError,
    );
  });
});

describe("launchCampaign pins the approval", () => {
  it("refuses, naming what changed, a campaign that differs from what was approved, and launches nothing", async () => {
    // prepare
    const approved = aCampaign({ status: "approved" });
    campaigns = new InMemoryCampaigns({
      ...approved,
      approvedDigest: approvalDigest(approved),
      segmentVersion: 2,
    });
    // act
    const launched = launchCampaign(platformWith({ campaigns }), "cmp-1", MEI);
    // assess
    await expect(launched).rejects.toBeInstanceOf(CampaignChangedSinceApprovalError);
    await expect(launched).rejects.toThrow(/segment changed after it was approved/);
    expect(campaigns.rows.get("cmp-1")?.status).toBe("approved");
  });

  it("launches the campaign as approved, recording who launched it in the history", async () => {
    // prepare
    const approved = aCampaign({ status: "approved" });
    campaigns = new InMemoryCampaigns({ ...approved, approvedDigest: approvalDigest(approved) });
    const fanout: unknown[] = [];
    const queue = partOf<JobQueue>("queue", { enqueueFanout: async (jobs) => void fanout.push(...jobs) });
    // act
    const launched = await launchCampaign(platformWith({ campaigns, queue }), "cmp-1", MEI);
    // assess
    expect(launched.status).toBe("launching");
    expect(fanout).toHaveLength(TEST_SETTINGS.fanoutShards);
    expect(campaigns.entries).toEqual([expect.objectContaining({ event: "launched", by: "mei" })]);
  });
});

describe("holdForCampaign: what the sender does with a claimed delivery", () => {
  const key: DeliveryKey = { campaignId: "cmp-1", customerId: "C-1" };

  function world(status: CampaignStatus) {
    const calls: string[] = [];
    const held: { jobs: unknown[]; delay?: number }[] = [];
    const p = platformWith({
      campaigns: new InMemoryCampaigns(aCampaign({ status })),
      deliveries: partOf<DeliveryStore>("deliveries", {
        release: async () => void calls.push("release"),
        withdraw: async (_, reason) => void calls.push(`withdraw ${reason}`),
      }),
      queue: partOf<JobQueue>("queue", {
        enqueueSends: async (jobs, delay) => {
          calls.push("enqueueSends");
          held.push({ jobs, delay });
        },
      }),
      settings: { pauseRecheckSeconds: 45 },
    });
    return { p, calls, held };
  }

  it.each<CampaignStatus>(["launching", "sending"])("lets the send go while the campaign is %s", async (status) => {
    // prepare
    const { p, calls } = world(status);
    // act
    const outcome = await holdForCampaign(p, key);
    // assess
    expect(outcome).toBe("send");
    expect(calls).toEqual([]);
  });

  it("holds the send of a paused campaign: the claim back first, then a copy hidden for the recheck delay", async () => {
    // prepare
    const { p, calls, held } = world("paused");
    // act
    const outcome = await holdForCampaign(p, key);
    // assess
    expect(outcome).toBe("held");
    expect(calls).toEqual(["release", "enqueueSends"]);
    expect(held).toEqual([{ jobs: [key], delay: 45 }]);
  });

  it("withdraws the send of a cancelled campaign as campaign_cancelled", async () => {
    // prepare
    const { p, calls } = world("cancelled");
    // act
    const outcome = await holdForCampaign(p, key);
    // assess
    expect(outcome).toBe("withdrawn");
    expect(calls).toEqual(["withdraw campaign_cancelled"]);
  });

  it("sends nothing for a paused campaign through sendOffer, and reads no customer", async () => {
    // prepare
    const { p } = world("paused");
    const claimed: string[] = [];
    const deliveriesWithClaim = Object.assign(Object.create(p.deliveries), {
      claim: async (d: DeliveryKey) => void claimed.push(d.customerId),
    });
    // act
    const outcome = await sendOffer({ ...p, deliveries: deliveriesWithClaim }, key);
    // assess: the mailer and the customers port refuse any call (platformWith)
    expect(outcome).toBe("held");
    expect(claimed).toEqual(["C-1"]);
  });

  it("holds a send paused while it waited for a slot of the send rate: no email after the pause", async () => {
    // prepare: the campaign is sending when the send is claimed, and paused while the send waits for its slot
    const { p, calls } = world("sending");
    const store = p.campaigns as InMemoryCampaigns;
    const mailed: string[] = [];
    const sender = {
      ...p,
      deliveries: Object.assign(Object.create(p.deliveries), { claim: async () => undefined }),
      customers: partOf<Platform["customers"]>("customers", { get: async () => aCustomer({ customerId: "C-1" }) }),
      sendRate: {
        // The wait for a slot: the pause lands during it, and the send rate asks, after the wait, whether the send is still wanted.
        acquire: async (stillWanted?: () => Promise<boolean>) => {
          store.rows.set("cmp-1", { ...store.rows.get("cmp-1")!, status: "paused" });
          return (await stillWanted?.()) ?? true;
        },
      },
      mailer: {
        send: async (email: { to: string }) => {
          mailed.push(email.to);
          return { messageId: "m-1" };
        },
      },
    };
    // act
    const outcome = await sendOffer(sender, key);
    // assess
    expect(outcome).toBe("held");
    expect(mailed).toEqual([]);
    expect(calls).toEqual(["release", "enqueueSends"]);
  });
});

describe("fanOutPage of a cancelled campaign", () => {
  it("stops the shard: nothing scanned, recorded or queued", async () => {
    // prepare
    campaigns = new InMemoryCampaigns(aCampaign({ status: "cancelled" }));
    // act: customers, deliveries and queue refuse any call
    const result = await fanOutPage(platformWith({ campaigns }), { campaignId: "cmp-1", shard: 0, totalShards: 4 });
    // assess
    expect(result).toEqual({ matched: 0, queued: 0 });
  });
});

describe("the automatic pause", () => {
  const thresholds = TEST_SETTINGS.pauseThresholds;

  it.each<[string, Counters, string | null]>([
    ["too few sent to judge", { sent: 499, bounced: 100 }, null],
    ["bounces at 5.2% of 520", { sent: 520, bounced: 27 }, "automatic: bounce rate 5.2% over 520 sent"],
    ["bounces just under 5%", { sent: 1000, bounced: 49 }, null],
    ["bounces at exactly 5%", { sent: 1000, bounced: 50 }, "automatic: bounce rate 5.0% over 1000 sent"],
    ["complaints at 0.1%", { sent: 2000, complained: 2 }, "automatic: complaint rate 0.10% over 2000 sent"],
    ["complaints under 0.1%", { sent: 2001, complained: 2 }, null],
  ])("%s", (_, given, expected) => {
    // prepare / act
    const reason = automaticPauseReason(given, thresholds);
    // assess
    expect(reason).toBe(expected);
  });

  it("pauses a sending campaign past a threshold as the system, naming why", async () => {
    // prepare
    campaigns = new InMemoryCampaigns(aCampaign({ status: "sending" }));
    counters = { targeted: 600, claimed: 520, sent: 520, bounced: 27 };
    // act
    const reason = await pauseIfUnhealthy(platformWith({ campaigns, deliveries: deliveries() }), "cmp-1");
    // assess
    expect(reason).toBe("automatic: bounce rate 5.2% over 520 sent");
    expect(campaigns.rows.get("cmp-1")).toMatchObject({ status: "paused", pausedBy: "system", pauseReason: reason });
    expect(campaigns.entries).toEqual([expect.objectContaining({ event: "paused", by: "system", reason })]);
  });

  it("after a resume, judges only the emails sent since: the bounces a person already weighed pause it no more", async () => {
    // prepare: paused at 27 bounces over 520 sent, then resumed by a marketer
    campaigns = new InMemoryCampaigns(aCampaign({ status: "sending", fanoutShards: 4 }));
    shards = 4;
    counters = { targeted: 2000, claimed: 520, sent: 520, bounced: 27 };
    const p = platformWith({ campaigns, deliveries: deliveries() });
    await pauseIfUnhealthy(p, "cmp-1");
    await resumeCampaign(p, "cmp-1", MEI);
    // act: one more bounce among 100 more sent; then a bad new batch, 30 bounces among the next 500
    counters = { targeted: 2000, claimed: 620, sent: 620, bounced: 28 };
    const soonAfter = await pauseIfUnhealthy(p, "cmp-1");
    counters = { targeted: 2000, claimed: 1020, sent: 1020, bounced: 57 };
    const later = await pauseIfUnhealthy(p, "cmp-1");
    // assess
    expect(campaigns.rows.get("cmp-1")?.automaticPauseFrom).toEqual({ sent: 520, bounced: 27, complained: 0 });
    expect(soonAfter).toBeNull();
    expect(later).toBe("automatic: bounce rate 6.0% over 500 sent since the resume");
    expect(campaigns.entries.map((e) => e.event)).toEqual(["paused", "resumed", "paused"]);
  });

  it.each<CampaignStatus>(["paused", "completed", "cancelled"])(
    "leaves a campaign that is %s as it is",
    async (status) => {
      // prepare
      campaigns = new InMemoryCampaigns(aCampaign({ status }));
      counters = { sent: 520, bounced: 27 };
      // act
      const reason = await pauseIfUnhealthy(platformWith({ campaigns, deliveries: deliveries() }), "cmp-1");
      // assess
      expect(reason).toBeNull();
      expect(campaigns.entries).toEqual([]);
    },
  );
});

describe("recordMailFeedback pauses the campaign", () => {
  const bounce = (messageId: string) => ({
    kind: "bounced" as const,
    messageId,
    at: "2026-06-01T11:59:00.000Z",
    delivery: { campaignId: "cmp-1", customerId: "C-1" },
    recipients: ["c1@example.cn"],
    bounceType: "permanent" as const,
  });

  it("after the hard bounce that takes the campaign's rate to 5%, once 500 went out", async () => {
    // prepare
    campaigns = new InMemoryCampaigns(aCampaign({ status: "sending" }));
    counters = { targeted: 1000, claimed: 500, sent: 500, bounced: 24 };
    const p = platformWith({
      campaigns,
      suppressions: { suppress: async () => undefined },
      deliveries: partOf<DeliveryStore>("deliveries", {
        counters: async () => counters,
        recordOutcome: async () => {
          counters = { ...counters, bounced: (counters.bounced ?? 0) + 1 };
          return "recorded";
        },
      }),
    });
    // act
    const result = await recordMailFeedback(p, bounce("m-25"));
    // assess
    expect(result.pausedBecause).toBe("automatic: bounce rate 5.0% over 500 sent");
    expect(campaigns.rows.get("cmp-1")?.status).toBe("paused");
  });
});
