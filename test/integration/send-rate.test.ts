import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEND_RATE_REPORT_PATH, type SendSecond } from "../../infra/local/ses-events.js";
import { approvedCampaignFor, type OwnPlatform, startOwnPlatform, townCustomer } from "./own-platform.js";

/**
 * The send rate held to the quota, against a limit that bites: a platform of its own (in this
 * test file's process) with SES_MAX_SEND_RATE=5, where the SES stand-in states that rate and
 * refuses any send beyond it in a second. Twenty records are in flight at once (two sender
 * pollers, ten a batch), so without the shared send-rate bucket the senders would send far
 * faster. The assertions are counts, not timings: every email once, no second of the
 * stand-in's clock with more than five sends, and next to no send refused.
 */
const LIMIT = 5;
const CUSTOMERS = 40;
const ADMIN = "rate-admin-token-1";
const APPROVER = "rate-approver-token-1";

let own: OwnPlatform;

beforeAll(async () => {
  own = await startOwnPlatform(
    {
      devTokens: `rate:admin:${ADMIN},approver:approver:${APPROVER}`,
      settings: { SES_MAX_SEND_RATE: String(LIMIT), FANOUT_SHARDS: "2", POWERTOOLS_LOG_LEVEL: "ERROR" },
    },
    ADMIN,
  );
}, 120_000);

afterAll(() => own?.stop());

describe("the send rate", () => {
  it("sends a campaign's every email exactly once, never asking SES for more than the limit in a second", async () => {
    // prepare
    const rows = Array.from({ length: CUSTOMERS }, (_, i) => townCustomer("RateTown", i, `rate${i}@customers.test`));
    const campaignId = await approvedCampaignFor(own.call, "RateTown", rows, { maker: ADMIN, approver: APPROVER });

    // act
    await own.call("POST", `/api/campaigns/${campaignId}/launch`);
    let stats: any;
    const deadline = Date.now() + 90_000;
    do {
      await new Promise((r) => setTimeout(r, 250));
      stats = await own.call("GET", `/api/campaigns/${campaignId}/stats`);
    } while (stats.status !== "completed" && Date.now() < deadline);

    // assess: the campaign completed, every customer emailed once
    expect(stats).toMatchObject({ status: "completed", targeted: CUSTOMERS, sent: CUSTOMERS, unconfirmed: 0 });
    const { emails } = (await (await fetch(`${own.platform.inboxUrl}/store`)).json()) as {
      emails: { destination: { to: string[] } }[];
    };
    const recipients = emails.map((e) => e.destination.to[0].replace(/.*<|>.*/g, "")).sort();
    expect(recipients).toEqual(Array.from({ length: CUSTOMERS }, (_, i) => `rate${i}@customers.test`).sort());

    // ...and the stand-in for SES took no more than the limit in any one second
    const report = (await (await fetch(`${own.platform.env.AWS_ENDPOINT_URL_SES}${SEND_RATE_REPORT_PATH}`)).json()) as {
      maxSendRate: number;
      seconds: SendSecond[];
    };
    expect(report.maxSendRate).toBe(LIMIT);
    const taken = report.seconds.map((s) => s.accepted);
    expect(Math.max(...taken)).toBeLessThanOrEqual(LIMIT);
    expect(taken.reduce((n, t) => n + t, 0)).toBe(CUSTOMERS);
    // The limit did bite: some seconds were full.
    expect(taken.filter((n) => n === LIMIT).length).toBeGreaterThan(0);
    // The senders kept to it themselves. A send that reaches SES a moment after its second ended
    // (the machine stalled past END_MARGIN_MS) can still be refused, so a few are tolerated on a
    // busy machine; without the shared bucket, twenty in flight would have most of them refused.
    const throttled = report.seconds.reduce((n, s) => n + s.throttled, 0);
    expect(throttled).toBeLessThanOrEqual(CUSTOMERS / 10);
  }, 120_000);
});
