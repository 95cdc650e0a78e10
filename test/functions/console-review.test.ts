import { beforeEach, describe, expect, it } from "vitest";
import type { CustomerChange } from "../../shared/customers/changes.js";
import type { Actor } from "../../shared/kernel/actor.js";
import { aCampaign } from "../adapters/fixtures.js";
import { consoleHarness } from "../support/console-app.js";
import { aCustomer } from "../unit/fixtures.js";
import { hashedBase } from "../unit/hashed-base.js";
import { InMemoryCampaigns } from "../unit/in-memory-campaigns.js";
import { inMemoryPreviews } from "../unit/in-memory-previews.js";
import { platformWith } from "../unit/platform.js";

/**
 * The review area's routes through the whole console app, with the campaign store in memory:
 * who sees which decision and control, and what each refusal looks like to the person (a
 * message on the campaign's page, never a 500). The browser test (test/e2e/console-review.test.ts)
 * runs the same on the local platform.
 */

const MEI: Actor = { kind: "person", id: "sub-mei", name: "mei", role: "marketer" };
const LI: Actor = { kind: "person", id: "sub-li", name: "li", role: "approver" };
const ROOT: Actor = { kind: "person", id: "sub-root", name: "root", role: "admin" };

let campaigns: InMemoryCampaigns;
/** The customer changes, by id: one waiting for a checker unless a test changes it. */
let changes: Map<string, CustomerChange>;
const clock = new Date("2026-06-01T12:00:00.000Z");
const { appWith, signedIn } = consoleHarness(() => clock);

/** `large`: a bank of 600 customers holding a current account, counted with a bound of 100. */
function appNow(large?: { previews: ReturnType<typeof inMemoryPreviews>["previews"] }) {
  const ports = {
    ...platformWith(
      {
        campaigns,
        previews: large?.previews ?? inMemoryPreviews().previews,
        ...(large
          ? {
              customers: hashedBase(Array.from({ length: 600 }, (_, i) => aCustomer({ customerId: `C-${i}` }))),
              settings: { syncCountMaxCustomers: 100 },
            }
          : {}),
        segments: {
          get: async (segmentId: string) => ({
            segmentId,
            version: 2,
            name: "Current-account holders",
            rule: { holds: "DEPOSIT_CURRENT" as const },
            createdBy: "mei",
            createdAt: "2026-05-01T08:00:00.000Z",
          }),
        },
        ...(large ? {} : { customers: { scanShard: async () => ({ customers: [] }) } }),
        customerChanges: {
          pending: async () => [...changes.values()].filter((c) => c.status === "pending"),
          get: async (_customerId: string, changeId: string) => changes.get(changeId) ?? null,
          apply: async (applied: CustomerChange) => void changes.set(applied.changeId, applied),
          reject: async (rejected: CustomerChange) => void changes.set(rejected.changeId, rejected),
        },
        deliveries: { counters: async () => ({}) },
      },
      clock,
    ),
  };
  return appWith(ports);
}

const submitted = (campaignId: string, createdBy: string, submittedAt: string) =>
  aCampaign({ campaignId, createdBy, status: "submitted", submittedBy: createdBy, submittedAt });

describe("the console's review and controls", () => {
  beforeEach(() => {
    campaigns = new InMemoryCampaigns(
      submitted("cmp-late", "mei", "2026-06-01T09:00:00.000Z"),
      submitted("cmp-early", "mei", "2026-05-30T09:00:00.000Z"),
      submitted("cmp-li", "li", "2026-05-31T09:00:00.000Z"),
      aCampaign({ campaignId: "cmp-draft", status: "draft" }),
      aCampaign({ campaignId: "cmp-approved", status: "approved" }),
      aCampaign({ campaignId: "cmp-sending", status: "sending" }),
    );
    changes = new Map([
      [
        "chg-1",
        {
          changeId: "chg-1",
          customerId: "C-1",
          kind: "edit",
          fields: { region: { before: "Shanghai", after: "Beijing" } },
          reason: "The customer moved to Beijing",
          requestedBy: "mei",
          requestedAt: "2026-05-31T10:00:00.000Z",
          status: "pending",
        },
      ],
    ]);
  });

  it("shows a large bank's count today as an estimate, the version's latest exact count with its time, and Count exactly", async () => {
    // prepare
    const { previews } = inMemoryPreviews();
    await previews.create({
      previewId: "run-1",
      segmentId: "seg-1",
      segmentVersion: 1,
      rule: { holds: "DEPOSIT_CURRENT" },
      at: "2026-06-01T02:00:00.000Z",
      requestedBy: "li",
      totalShards: 4,
      shardsDone: 4,
      pagesCounted: 8,
      count: 600,
      byTier: {},
      byRegion: {},
    });
    const li = await signedIn(appNow({ previews }), LI);
    // act
    const page = await (await li.get("/campaigns/cmp-late")).text();
    // assess
    expect(page).toMatch(
      /About [\d,]+ customers meet the rule today; about [\d,]+ of them may be offered the product \(an estimate from 16.7% of the customers\)/,
    );
    expect(page).toContain("Counted exactly at Jun 1, 2026, 10:00 AM GMT+8: 600 customers meet the rule.");
    expect(page).toContain('action="/console/segments/seg-1/counts"');
    expect(page).toContain('name="segmentVersion" value="1"');
  });

  it("lists the submitted campaigns in the inbox, the longest waiting first, and refuses the inbox to a marketer", async () => {
    // prepare
    const app = appNow();
    const li = await signedIn(app, LI);
    const mei = await signedIn(app, MEI);
    // act
    const inbox = await li.get("/inbox");
    const html = await inbox.text();
    const refused = await mei.get("/inbox");
    // assess
    expect(inbox.status).toBe(200);
    const order = ["cmp-early", "cmp-li", "cmp-late"].map((id) => html.indexOf(`/console/campaigns/${id}"`));
    expect(order.every((at) => at > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(html).toContain("You created it: another approver must approve it.");
    expect(html).toContain("Region: Shanghai → Beijing");
    expect(html).toContain("The customer moved to Beijing");
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain("Your role (marketer) cannot do this.");
  });

  it("shows a decider Approve and Send back on a submitted campaign, and its author neither but why", async () => {
    // prepare
    const app = appNow();
    const li = await signedIn(app, LI);
    // act
    const other = await (await li.get("/campaigns/cmp-early")).text();
    const own = await (await li.get("/campaigns/cmp-li")).text();
    // assess
    expect(other).toContain('action="/console/campaigns/cmp-early/approve"');
    expect(other).toContain('action="/console/campaigns/cmp-early/send-back"');
    expect(other).toContain("Holds Current Account"); // the rule in words
    expect(other).toContain("Current-account holders, version 1");
    expect(other).toContain("The segment has changed since (now version 2)");
    // Nobody in the (empty) customer base meets the rule: no frame that could only fail to render.
    expect(other).toContain("Nobody meets the rule today, so there is no customer to show this email for");
    expect(other).not.toContain("<iframe");
    expect(other).not.toContain("Funnel: treated and control side by side"); // nothing went out yet
    expect(own).not.toContain("/approve");
    expect(own).not.toContain("/send-back");
    expect(own).toContain("You created this campaign: another approver must approve it (maker-checker).");
  });

  it("approves, and says so with a status message on the campaign's page", async () => {
    // prepare
    const app = appNow();
    const li = await signedIn(app, LI);
    // act
    const approved = await li.post("/campaigns/cmp-early/approve");
    const page = await (await li.get("/campaigns/cmp-early?done=approved")).text();
    // assess
    expect(approved.status).toBe(303);
    expect(approved.headers.get("location")).toBe("/console/campaigns/cmp-early?done=approved");
    expect((await campaigns.get("cmp-early"))?.status).toBe("approved");
    expect(page).toContain('role="status"');
    expect(page).toContain("Approved. The marketer may now launch it.");
  });

  it("answers an approval the domain refuses with a message on the page: the author's own, or a campaign not submitted", async () => {
    // prepare
    const app = appNow();
    const li = await signedIn(app, LI);
    // act
    const own = await li.post("/campaigns/cmp-li/approve");
    const draft = await li.post("/campaigns/cmp-draft/approve");
    const page = await (await li.get("/campaigns/cmp-draft?problem=state")).text();
    // assess
    expect(own.headers.get("location")).toBe("/console/campaigns/cmp-li?problem=selfApproval");
    expect(draft.status).toBe(303);
    expect(draft.headers.get("location")).toBe("/console/campaigns/cmp-draft?problem=state");
    expect(page).toContain('role="alert"');
    expect(page).toContain("The campaign has changed since this page was opened (it is now “Draft”).");
    expect((await campaigns.get("cmp-li"))?.status).toBe("submitted");
  });

  it("refuses an approval to a marketer and to a form without the session's CSRF token", async () => {
    // prepare
    const app = appNow();
    const mei = await signedIn(app, MEI);
    const li = await signedIn(app, LI);
    // act
    const marketer = await mei.post("/campaigns/cmp-early/approve");
    const forged = await li.post("/campaigns/cmp-early/approve", { csrf: "not-the-token" });
    // assess
    expect(marketer.status).toBe(403);
    expect(forged.status).toBe(403);
    expect((await campaigns.get("cmp-early"))?.status).toBe("submitted");
  });

  it("sends back only with a reason, which the campaign then carries as a draft", async () => {
    // prepare
    const app = appNow();
    const li = await signedIn(app, LI);
    // act
    const empty = await li.post("/campaigns/cmp-early/send-back", { reason: "   " });
    const sent = await li.post("/campaigns/cmp-early/send-back", { reason: "Say the fund's risk level" });
    // assess
    expect(empty.headers.get("location")).toBe("/console/campaigns/cmp-early?problem=reasonRequired");
    expect(sent.headers.get("location")).toBe("/console/campaigns/cmp-early?done=sentBack");
    expect(await campaigns.get("cmp-early")).toMatchObject({
      status: "draft",
      sentBack: { by: "li", reason: "Say the fund's risk level" },
    });
  });

  it("cancels only with the box ticked, else asks again; a marketer may", async () => {
    // prepare
    const app = appNow();
    const mei = await signedIn(app, MEI);
    // act
    const unticked = await mei.post("/campaigns/cmp-approved/cancel");
    const asks = await (await mei.get("/campaigns/cmp-approved/cancel")).text();
    const ticked = await mei.post("/campaigns/cmp-approved/cancel", { confirm: "yes" });
    // assess
    expect(unticked.headers.get("location")).toBe("/console/campaigns/cmp-approved/cancel");
    expect(asks).toContain('type="checkbox"');
    expect(asks).toContain("A cancelled campaign cannot be started again.");
    expect(ticked.headers.get("location")).toBe("/console/campaigns/cmp-approved?done=cancelled");
    expect((await campaigns.get("cmp-approved"))?.status).toBe("cancelled");
  });

  it("offers Launch on an approved campaign to the staff who run campaigns, and no control to an analyst", async () => {
    // prepare
    const app = appNow();
    const root = await signedIn(app, ROOT);
    const zhou = await signedIn(app, { kind: "person", id: "sub-zhou", name: "zhou", role: "analyst" });
    // act
    const admin = await (await root.get("/campaigns/cmp-approved")).text();
    const analyst = await (await zhou.get("/campaigns/cmp-approved")).text();
    const refused = await zhou.post("/campaigns/cmp-approved/cancel", { confirm: "yes" });
    // assess
    expect(admin).toContain('action="/console/campaigns/cmp-approved/launch"');
    expect(analyst).not.toContain("/launch");
    expect(analyst).not.toContain("/cancel");
    expect(refused.status).toBe(403);
  });

  it("pauses with the reason given (a sentence, at most 200 characters), and shows it with Resume while paused", async () => {
    // prepare
    const app = appNow();
    const mei = await signedIn(app, MEI);
    // act
    const tooLong = await mei.post("/campaigns/cmp-sending/pause", { reason: "x".repeat(201) });
    const stillSending = (await campaigns.get("cmp-sending"))?.status;
    const paused = await mei.post("/campaigns/cmp-sending/pause", { reason: "Checking the complaints first" });
    const page = await (await mei.get("/campaigns/cmp-sending?done=paused")).text();
    // assess
    expect(tooLong.headers.get("location")).toBe("/console/campaigns/cmp-sending?problem=pauseReasonTooLong");
    expect(stillSending).toBe("sending");
    expect(paused.headers.get("location")).toBe("/console/campaigns/cmp-sending?done=paused");
    expect(await campaigns.get("cmp-sending")).toMatchObject({ status: "paused", pausedBy: "mei" });
    expect(page).toContain("Paused: no email goes out until it is resumed.");
    expect(page).toContain("by mei: Checking the complaints first");
    expect(page).toContain('action="/console/campaigns/cmp-sending/resume"');
    expect(page).not.toContain("/pause");
  });

  it("applies a waiting customer change from the inbox, but not the checker's own, and rejects only with a reason", async () => {
    // prepare
    const app = appNow();
    const li = await signedIn(app, LI);
    changes.set("chg-2", { ...changes.get("chg-1")!, changeId: "chg-2", requestedBy: "li" });
    // act
    const own = await li.post("/inbox/changes/C-1/chg-2/apply");
    const short = await li.post("/inbox/changes/C-1/chg-2/reject", { reason: "no" });
    const applied = await li.post("/inbox/changes/C-1/chg-1/apply");
    const again = await li.post("/inbox/changes/C-1/chg-1/apply");
    const page = await (await li.get("/inbox?problem=decided")).text();
    // assess
    expect(own.headers.get("location")).toBe("/console/inbox?problem=ownChange");
    expect(short.headers.get("location")).toBe("/console/inbox?problem=reason");
    expect(applied.headers.get("location")).toBe("/console/inbox?done=applied");
    expect(changes.get("chg-1")).toMatchObject({ status: "applied", decidedBy: "li" });
    expect(again.headers.get("location")).toBe("/console/inbox?problem=decided");
    expect(page).toContain("Someone else decided on this change meanwhile");
    expect(changes.get("chg-2")?.status).toBe("pending");
  });
});
