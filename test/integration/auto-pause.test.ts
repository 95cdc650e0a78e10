import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "./client.js";
import { approvedCampaignFor, type Call, type OwnPlatform, startOwnPlatform, townCustomer } from "./own-platform.js";

/**
 * The automatic pause (issue #11) on the real local emulators, with SES's feedback coming from the
 * SES stand-in's mailbox simulator through the local SNS/SQS path. A platform of its own (in this
 * test file's process), with PAUSE_MIN_SENT=20 instead of 500 and the default thresholds (bounce
 * rate 5%, complaint rate 0.1%). One customer in ten has a `bounce+N@simulator.amazonses.com`
 * address (a hard bounce each; 10%, twice the threshold), the others are delivered.
 *
 * What it proves:
 * - the campaign pauses itself, as "system", naming the bounce rate and how many emails it is
 *   over (at or above 5%, over at least 20 sent), before every email went out;
 * - the pause holds the sends: once the sends already in flight have finished, `sent` and the
 *   SES inbox stay the same over the next three seconds (counts read twice, not timings);
 * - a marketer's resume starts a fresh judgement (control.ts: the counts at the resume are kept,
 *   and the rates are those of the emails sent since): the bounces the marketer already weighed
 *   do not pause it again at the next report; it pauses again only once at least 20 more went
 *   out at 5% or more, naming the rate "since the resume". So it pauses at most once per 20
 *   emails, and once resumed each time it completes with
 *   every customer emailed exactly once and every bounce counted. Nobody is held back as
 *   `address_bounced` in this campaign: each bouncing address is a different one, and an
 *   address is suppressed only after its own email bounced.
 *
 * 120 customers rather than fewer: the pause must come while the campaign still sends, and the
 * local sends are not rate-limited (SES_MAX_SEND_RATE unset: with it, a send already past the
 * status check could wait for a slot and go out after the pause, blurring the "sends stopped"
 * count). With twelve bouncing addresses, the third bounce recorded after the twentieth send
 * already pauses it (3 / 60 is 5%), long before the last email.
 */
const CUSTOMERS = 120;
const bounces = (i: number) => i % 10 === 3;
const BOUNCING = Array.from({ length: CUSTOMERS }, (_, i) => i).filter(bounces).length;
const MIN_SENT = 20;
const MARKETER = "pause-marketer-token-1";
const APPROVER = "pause-approver-token-1";
const ANALYST = "pause-analyst-token-1";
const AUTOMATIC = /^automatic: bounce rate (\d+\.\d)% over (\d+) sent( since the resume)?$/;

let own: OwnPlatform;
const call: Call = (...args) => own.call(...args);

type Stats = {
  status: string;
  targeted: number;
  control: number;
  suppressed: Record<string, number>;
  queued: number;
  unconfirmed: number;
  sent: number;
  failed: number;
  bounced: number;
  complained: number;
};
type HistoryEntry = { event: string; status: string; by: string; at: string; reason?: string };

const statsOf = (campaignId: string): Promise<Stats> =>
  call("GET", `/api/campaigns/${campaignId}/stats`, undefined, ANALYST);
const historyOf = async (campaignId: string): Promise<HistoryEntry[]> =>
  (await call("GET", `/api/campaigns/${campaignId}/history`, undefined, ANALYST)).history;
const inboxCount = async () =>
  ((await (await fetch(`${own.platform.inboxUrl}/store`)).json()) as { emails: unknown[] }).emails.length;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The rate and the sent count an automatic pause's reason names. */
function named(reason: string | undefined) {
  const match = AUTOMATIC.exec(reason ?? "");
  expect(match, `an automatic pause's reason: ${reason}`).not.toBeNull();
  return { percent: Number(match![1]), sent: Number(match![2]), sinceResume: Boolean(match![3]) };
}

beforeAll(async () => {
  own = await startOwnPlatform(
    {
      devTokens: `mei:marketer:${MARKETER},li:approver:${APPROVER},zhou:analyst:${ANALYST}`,
      settings: {
        PAUSE_MIN_SENT: String(MIN_SENT),
        PAUSE_RECHECK_SECONDS: "1", // held sends look at the campaign again every second: a resume takes effect at once
        FANOUT_SHARDS: "2",
        POWERTOOLS_LOG_LEVEL: "ERROR",
      },
    },
    MARKETER,
  );
}, 120_000);

afterAll(() => own?.stop());

describe("the automatic pause", () => {
  let campaignId: string;

  it("pauses the campaign itself when its bounce rate reaches 5% over 20 sent, and holds its sends", async () => {
    // prepare
    const rows = Array.from({ length: CUSTOMERS }, (_, i) =>
      townCustomer(
        "PauseTown",
        i,
        bounces(i) ? `bounce+pause${i}@simulator.amazonses.com` : `pause${i}@customers.test`,
      ),
    );
    campaignId = await approvedCampaignFor(call, "PauseTown", rows, { maker: MARKETER, approver: APPROVER });

    // act
    await call("POST", `/api/campaigns/${campaignId}/launch`);
    const paused = await waitFor(
      "the campaign to pause itself",
      () => statsOf(campaignId),
      (s) => s.status === "paused" || s.status === "completed",
      60_000,
    );

    // assess: paused by the system, naming a rate at or over 5% over at least 20 sent
    expect(paused.status).toBe("paused");
    const campaign = await call("GET", `/api/campaigns/${campaignId}`, undefined, ANALYST);
    expect(campaign).toMatchObject({ status: "paused", pausedBy: "system" });
    const reason = named(campaign.pauseReason);
    expect(reason.percent).toBeGreaterThanOrEqual(5);
    expect(reason.sent).toBeGreaterThanOrEqual(MIN_SENT);
    const history = await historyOf(campaignId);
    expect(history.filter((e) => e.event === "paused")).toEqual([
      expect.objectContaining({ status: "paused", by: "system", reason: campaign.pauseReason }),
    ]);
    expect(paused.bounced).toBeGreaterThanOrEqual(1);
    expect(paused.sent).toBeGreaterThanOrEqual(MIN_SENT);

    // ...and the sends stopped: once those already past their status check finished (a second
    // is ample unthrottled), nothing more goes out while it stays paused.
    await sleep(1_000);
    const held = await statsOf(campaignId);
    const inboxHeld = await inboxCount();
    await sleep(3_000); // three rounds of PAUSE_RECHECK_SECONDS=1
    const later = await statsOf(campaignId);
    expect(held.status).toBe("paused");
    expect(later.status).toBe("paused");
    expect(later.sent).toBe(held.sent);
    expect(later.failed).toBe(held.failed);
    expect(await inboxCount()).toBe(inboxHeld);
    expect(inboxHeld).toBe(held.sent);
    expect(held.sent).toBeLessThan(CUSTOMERS); // the pause caught sends not yet made
  }, 90_000);

  it("after a resume judges only the emails sent since, pausing again only over 20 more at 5% or more, and completes once resumed each time", async () => {
    // act: the marketer resumes whenever it paused itself, until it completes
    let resumes = 0;
    for (;;) {
      const stats = await waitFor(
        "the campaign to pause itself again or complete",
        () => statsOf(campaignId),
        (s) => s.status === "paused" || s.status === "completed",
        60_000,
      );
      if (stats.status === "completed") break;
      // Each automatic pause needs a bounce report of its own (only a report SQS delivered twice could repeat one).
      expect(resumes).toBeLessThan(BOUNCING);
      await call("POST", `/api/campaigns/${campaignId}/resume`);
      resumes++;
    }
    // every bounce's event is in, after the last email
    const final = await waitFor(
      "every bounce to be recorded",
      () => statsOf(campaignId),
      (s) => s.bounced === BOUNCING,
    );

    // assess: every customer emailed once, every bounce counted; nobody stuck, failed or held back
    expect(final).toMatchObject({
      status: "completed",
      targeted: CUSTOMERS,
      control: 0,
      sent: CUSTOMERS,
      queued: 0,
      unconfirmed: 0,
      failed: 0,
      bounced: BOUNCING,
      complained: 0,
      suppressed: {},
    });
    expect(await inboxCount()).toBe(CUSTOMERS);

    // ...and the history: each automatic pause by the system, over a rate at or over 5% and
    // over at least as many emails as the one before; each resume by the marketer; completed last.
    const history = await historyOf(campaignId);
    const control = history.filter((e) => ["paused", "resumed", "completed"].includes(e.event));
    const pauses = control.filter((e) => e.event === "paused");
    expect(pauses).toHaveLength(resumes);
    // A fresh window of at least MIN_SENT emails for each pause: never once per bounce.
    expect(pauses.length).toBeLessThanOrEqual(Math.floor(CUSTOMERS / MIN_SENT));
    expect(control.map((e) => e.event)).toEqual([...pauses.flatMap(() => ["paused", "resumed"]), "completed"]);
    expect(control.at(-1)).toMatchObject({ event: "completed", by: "system" });
    for (const resumed of control.filter((e) => e.event === "resumed")) expect(resumed.by).toBe("mei");
    pauses.forEach((pause, i) => {
      expect(pause.by).toBe("system");
      const { percent, sent, sinceResume } = named(pause.reason);
      expect(percent).toBeGreaterThanOrEqual(5);
      expect(sent).toBeGreaterThanOrEqual(MIN_SENT);
      expect(sinceResume).toBe(i > 0); // the first over the whole campaign, each later one over its own window
    });
    console.log(`auto-pause: ${pauses.length} automatic pauses: ${pauses.map((p) => p.reason).join("; ")}`);
  }, 120_000);
});
