import { beforeAll, describe, expect, it } from "vitest";
import { inControlGroup } from "../../shared/delivery/decide.js";
import { api, type InboxEmail, inbox, waitFor } from "./client.js";

/**
 * Pausing, resuming and cancelling a running campaign on the real emulators. Each campaign is
 * paused right after its launch: the fan-out goes on recording who is targeted, and the sender
 * holds every send it claims from then on. The test checks that the pause caught sends still
 * queued (so it does not pass vacuously), that none goes out while paused, and then resumes one
 * campaign to completion and cancels the other.
 */
const REGION = "CtrlTown";
const CUSTOMERS = 60;
const CONTROL_PERCENT = 10;
const ids = Array.from({ length: CUSTOMERS }, (_, i) => `ZZ-CTRL-${String(i).padStart(3, "0")}`);
const csv = [
  "customerId,type,name,email,aum,products,region,emailConsent",
  ...ids.map((id, i) => `${id},individual,Ctrl ${i},ctrl${i}@customers.test,300000,DEPOSIT_CURRENT,${REGION},true`),
].join("\n");

let segmentId: string;

type Stats = {
  status: string;
  targeted: number;
  control: number;
  suppressed: Record<string, number>;
  queued: number;
  sending: number;
  unconfirmed: number;
  sent: number;
  failed: number;
};
const statsOf = (campaignId: string) =>
  api<Stats>("GET", `/api/campaigns/${campaignId}/stats`, "analyst").then((r) => r.body);
const suppressedIn = (s: Stats) => Object.values(s.suppressed).reduce((a, b) => a + b, 0);
/** Every matched customer recorded by the fan-out, which goes on during a pause. */
const fannedOut = (s: Stats) => s.targeted + s.control + suppressedIn(s) === CUSTOMERS;
/**
 * What must not move while paused. `queued` and `sending` do flicker: each held send is
 * claimed, found paused and put back, once a second.
 */
const outcomes = ({ status, targeted, control, sent, failed }: Stats) => ({ status, targeted, control, sent, failed });

const recipient = (e: InboxEmail) => e.destination.to[0].replace(/.*<|>.*/g, "");
const emailsOf = async (marker: string) => (await inbox()).filter((e) => e.subject.includes(marker));

/** Creates, approves, launches and at once pauses a campaign; returns its id. */
async function launchedAndPaused(marker: string, productCode: string): Promise<string> {
  const created = await api("POST", "/api/campaigns", "marketer", {
    name: `Control ${marker}`,
    segmentId,
    offer: { productCode },
    message: {
      subject: `{{name}}, ${marker}`,
      html: '<p><a href="{{offerUrl}}">{{product}}</a></p>',
      text: "{{product}}: {{offerUrl}}",
    },
    controlGroupPercent: CONTROL_PERCENT,
  });
  const campaignId = created.body.campaignId as string;
  expect((await api("POST", `/api/campaigns/${campaignId}/submit`, "marketer")).status).toBe(200);
  expect((await api("POST", `/api/campaigns/${campaignId}/approve`, "approver")).status).toBe(200);
  expect((await api("POST", `/api/campaigns/${campaignId}/launch`, "marketer")).status).toBe(200);
  const paused = await api("POST", `/api/campaigns/${campaignId}/pause`, "marketer");
  expect(paused.body).toEqual({ campaignId, status: "paused" });
  return campaignId;
}

/** Waits for the paused campaign to hold still, and checks nothing more goes out for a few recheck rounds. */
async function heldStill(campaignId: string, marker: string): Promise<Stats> {
  const held = await waitFor("the paused campaign's fan-out", () => statsOf(campaignId), fannedOut);
  const emails = (await emailsOf(marker)).length;
  await new Promise((r) => setTimeout(r, 3_000)); // three rounds of PAUSE_RECHECK_SECONDS=1
  const later = await statsOf(campaignId);
  expect(held.status).toBe("paused");
  expect(held.targeted - held.sent - held.failed).toBeGreaterThan(0); // the pause caught sends not yet made
  expect(outcomes(later)).toEqual(outcomes(held));
  expect((await emailsOf(marker)).length).toBe(emails);
  expect(emails).toBe(held.sent);
  return held;
}

beforeAll(async () => {
  expect((await api("POST", "/api/customers/import", "marketer", csv, "text/csv")).status).toBe(200);
  const segment = await api("POST", "/api/segments", "marketer", {
    name: "CtrlTown savers",
    rule: { attr: "region", op: "eq", value: REGION },
  });
  segmentId = segment.body.segmentId;
});

describe("pausing and resuming a campaign", () => {
  it("holds every send while paused, then sends each treated customer one email after the resume", async () => {
    const campaignId = await launchedAndPaused("CTRL-RESUME", "WEALTH_FUND");
    const shown = await api("GET", `/api/campaigns/${campaignId}`, "analyst");
    expect(shown.body).toMatchObject({ status: "paused", pauseReason: "paused by mei", pausedBy: "mei" });

    const held = await heldStill(campaignId, "CTRL-RESUME");
    const resumed = await api("POST", `/api/campaigns/${campaignId}/resume`, "marketer");
    const final = await waitFor(
      "the resumed campaign to complete",
      () => statsOf(campaignId),
      (s) => s.status === "completed",
    );

    const treated = ids.filter((id) => !inControlGroup(campaignId, id, CONTROL_PERCENT));
    expect(resumed.body.status).toBe("sending");
    expect(final).toMatchObject({
      targeted: treated.length,
      sent: treated.length,
      queued: 0,
      unconfirmed: 0,
      failed: 0,
    });
    expect(final.sent).toBeGreaterThan(held.sent);
    expect(final.targeted + final.control + suppressedIn(final)).toBe(CUSTOMERS);
    const recipients = (await emailsOf("CTRL-RESUME")).map(recipient).sort();
    expect(recipients).toEqual(treated.map((id) => `ctrl${Number(id.slice(8))}@customers.test`).sort());
    const campaign = await api("GET", `/api/campaigns/${campaignId}`, "analyst");
    expect(campaign.body.pauseReason).toBeUndefined();

    const history = await api("GET", `/api/campaigns/${campaignId}/history`, "analyst");
    const events = (history.body.history as { event: string; by: string }[]).map((e) => `${e.event} by ${e.by}`);
    expect(events).toEqual(
      expect.arrayContaining([
        "created by mei",
        "approved by li",
        "launched by mei",
        "paused by mei",
        "resumed by mei",
        "completed by system",
      ]),
    );
    expect(events[0]).toBe("created by mei");
    expect(events.at(-1)).toBe("completed by system");
  });
});

describe("cancelling a campaign", () => {
  it("withdraws every send not yet made as campaign_cancelled, counts it, and ends cancelled", async () => {
    const campaignId = await launchedAndPaused("CTRL-CANCEL", "CREDIT_CARD");
    const held = await heldStill(campaignId, "CTRL-CANCEL");

    const cancelled = await api("POST", `/api/campaigns/${campaignId}/cancel`, "approver");
    const final = await waitFor(
      "the held sends to be withdrawn",
      () => statsOf(campaignId),
      (s) => s.queued === 0 && s.sending === 0,
    );
    const again = await api("POST", `/api/campaigns/${campaignId}/resume`, "marketer");

    expect(cancelled.body).toEqual({ campaignId, status: "cancelled" });
    expect(final).toMatchObject({
      status: "cancelled",
      sent: held.sent,
      targeted: held.sent,
      unconfirmed: 0,
      suppressed: expect.objectContaining({ campaign_cancelled: held.targeted - held.sent }),
    });
    expect(final.targeted + final.control + suppressedIn(final)).toBe(CUSTOMERS);
    expect((await emailsOf("CTRL-CANCEL")).length).toBe(held.sent);
    expect(again.status).toBe(409);
  });
});
