import { beforeAll, describe, expect, it } from "vitest";
import { api, type InboxEmail, inbox, linkIn, runCampaign, waitFor } from "./client.js";

/**
 * Issue #8 on the real emulators: a customer's own withdrawal wins over the bank's feed. Two
 * customers withdraw email consent, one with the one-click unsubscribe link and one by
 * answering "unsubscribe" on the offer page. The same file is imported again, saying yes for
 * both with no proof of its own, and the next campaign to the same segment holds them back.
 */
const REGION = "StickTown";
const customers = [0, 1, 2].map((i) => ({ id: `STICK-${i}`, email: `stick${i}@customers.test` }));
const [stays, unsubscribes, answersUnsubscribe] = customers;
const HEADER = "customerId,type,name,email,aum,products,region,emailConsent";
const row = (c: (typeof customers)[number], consent = "true") =>
  [c.id, "individual", `Stick ${c.id}`, c.email, 120_000, "DEPOSIT_CURRENT", REGION, consent].join(",");
/** What core banking sends every night: consent as it has it, with no consentSource or consentAt. */
const bankFile = [HEADER, ...customers.map((c) => row(c))].join("\n");

let segmentId: string;
let firstCampaign: string;
/** The withdrawals as the customer view showed them before the second import. */
const withdrawals = new Map<string, unknown>();

const view = (customerId: string) => api("GET", `/api/customers/${customerId}`, "admin").then((r) => r.body);
const recipient = (e: InboxEmail) => e.destination.to[0].replace(/.*<|>.*/g, "");
const emailsTo = async (address: string, subject: string) =>
  (await inbox()).filter((e) => recipient(e) === address && e.subject.startsWith(subject));

beforeAll(async () => {
  expect((await api("POST", "/api/customers/import", "marketer", bankFile, "text/csv")).status).toBe(200);
  const segment = await api("POST", "/api/segments", "marketer", {
    name: "StickTown savers",
    rule: { attr: "region", op: "eq", value: REGION },
  });
  segmentId = segment.body.segmentId;
  ({ campaignId: firstCampaign } = await runCampaign(segmentId, "StickTown first wealth", "WEALTH_FUND"));
});

describe("a customer's own withdrawal against the next import", () => {
  it("withdraws email consent through the real unsubscribe link and the offer page's unsubscribe answer", async () => {
    const [unsubscribeEmail] = await waitFor(
      "the first offer to the customer who unsubscribes",
      () => emailsTo(unsubscribes.email, "StickTown first"),
      (found) => found.length === 1,
    );
    const [answerEmail] = await waitFor(
      "the first offer to the customer who answers unsubscribe",
      () => emailsTo(answersUnsubscribe.email, "StickTown first"),
      (found) => found.length === 1,
    );

    const oneClick = await fetch(linkIn(unsubscribeEmail.body.text!, "u")!, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "List-Unsubscribe=One-Click",
    });
    const answered = await fetch(linkIn(answerEmail.body.text!, "o")!, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ answer: "unsubscribe" }),
    });

    expect(oneClick.status).toBe(200);
    expect(answered.status).toBe(200);
    for (const [customer, source] of [
      [unsubscribes, `unsubscribe link of campaign ${firstCampaign}`],
      [answersUnsubscribe, `offer page of campaign ${firstCampaign}`],
    ] as const) {
      const withdrawn = await view(customer.id);
      expect(withdrawn.emailConsent).toBe(false);
      expect(withdrawn.consent.channels.email).toEqual({
        granted: false,
        source,
        at: expect.any(String),
        by: "customer",
      });
      withdrawals.set(customer.id, withdrawn.consent.channels.email);
    }
  });

  it("keeps both withdrawn when the same file is imported again, and counts the rows it kept", async () => {
    const again = await api("POST", "/api/customers/import", "marketer", bankFile, "text/csv");

    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ rowsRead: 3, imported: 0, updated: 0, unchanged: 3, consentKept: 2 });
    for (const customer of [unsubscribes, answersUnsubscribe]) {
      const after = await view(customer.id);
      expect(after.emailConsent).toBe(false);
      expect(after.consent.channels.email).toEqual(withdrawals.get(customer.id)); // the customer's proof, untouched
    }
    expect((await view(stays.id)).emailConsent).toBe(true);
  });

  it("holds both back in the next campaign to the same segment, and emails neither again", async () => {
    const { stats } = await runCampaign(segmentId, "StickTown second wealth", "WEALTH_FUND");
    await waitFor(
      "the second offer to the customer who stayed",
      () => emailsTo(stays.email, "StickTown second"),
      (found) => found.length === 1,
    );

    expect(stats).toMatchObject({ targeted: 1, sent: 1, suppressed: { no_email_consent: 2 } });
    for (const customer of [unsubscribes, answersUnsubscribe]) {
      expect(await emailsTo(customer.email, "StickTown second")).toEqual([]);
      expect(await emailsTo(customer.email, "StickTown")).toHaveLength(1); // the first campaign's only
    }
  });

  it("grants consent again only for a row with its own consentSource and a consentAt after the withdrawal", async () => {
    const withProof = (consentAt: string) =>
      [`${HEADER},consentSource,consentAt`, `${row(unsubscribes)},branch form ${consentAt},${consentAt}`].join("\n");
    const withdrawnAt = (withdrawals.get(unsubscribes.id) as { at: string }).at;
    const before = new Date(Date.parse(withdrawnAt) - 60_000).toISOString();
    const after = new Date(Date.parse(withdrawnAt) + 60_000).toISOString();

    const older = await api("POST", "/api/customers/import", "marketer", withProof(before), "text/csv");
    const stillWithdrawn = await view(unsubscribes.id);
    const later = await api("POST", "/api/customers/import", "marketer", withProof(after), "text/csv");
    const granted = await view(unsubscribes.id);

    expect(older.body).toMatchObject({ unchanged: 1, consentKept: 1 });
    expect(stillWithdrawn.consent.channels.email).toEqual(withdrawals.get(unsubscribes.id));
    expect(later.body).toMatchObject({ updated: 1, consentKept: 0 });
    expect(granted.emailConsent).toBe(true);
    expect(granted.consent.channels.email).toEqual({
      granted: true,
      source: `branch form ${after}`,
      at: after,
      by: "bank",
    });
  });
});
