import { beforeAll, describe, expect, it } from "vitest";
import { api, type InboxEmail, inbox, waitFor } from "./client.js";

/**
 * Issue #11 on the real emulators: SES's feedback, as the mailbox simulator gives it. The local
 * SES stand-in (infra/local/ses-events.ts) publishes SES's events to the local SNS topic, which
 * delivers them to the feedback queue and handler. A hard bounce puts the address on the
 * suppression list; a complaint withdraws the customer's email consent as their own. The next
 * campaign to the same segment holds both back and emails neither.
 */
const REGION = "BounceTown";
const customers = {
  bounces: { id: "FBK-BOUNCE", email: "bounce@simulator.amazonses.com" },
  complains: { id: "FBK-COMPLAINT", email: "complaint@simulator.amazonses.com" },
  succeeds: { id: "FBK-SUCCESS", email: "success@simulator.amazonses.com" },
  succeedsLabelled: { id: "FBK-SUCCESS-2", email: "success+feedback@simulator.amazonses.com" },
};
const HEADER = "customerId,type,name,email,aum,products,region,emailConsent";
const bankFile = [
  HEADER,
  ...Object.values(customers).map((c) =>
    [c.id, "individual", `Feedback ${c.id}`, c.email, 120_000, "DEPOSIT_CURRENT", REGION, "true"].join(","),
  ),
].join("\n");

let segmentId: string;
let first: { campaignId: string; stats: any };

const view = (customerId: string) => api("GET", `/api/customers/${customerId}`, "admin").then((r) => r.body);
const recipient = (e: InboxEmail) => e.destination.to[0].replace(/.*<|>.*/g, "");
const emailsTo = async (address: string, subject: string) =>
  (await inbox()).filter((e) => recipient(e) === address && e.subject.startsWith(subject));
const statsOf = (campaignId: string) => api("GET", `/api/campaigns/${campaignId}/stats`, "analyst").then((r) => r.body);

async function runCampaign(subject: string) {
  const created = await api("POST", "/api/campaigns", "marketer", {
    name: `${subject} wealth offer`,
    segmentId,
    offer: { productCode: "WEALTH_FUND" },
    message: {
      subject: `${subject}: a {{product}} for you`,
      html: '<p>Dear {{name}}, <a href="{{offerUrl}}">see the offer</a></p>',
      text: "Dear {{name}}, see the offer: {{offerUrl}}",
    },
    controlGroupPercent: 0,
  });
  expect(created.status).toBe(201);
  const campaignId: string = created.body.campaignId;
  expect((await api("POST", `/api/campaigns/${campaignId}/submit`, "marketer")).status).toBe(200);
  expect((await api("POST", `/api/campaigns/${campaignId}/approve`, "approver")).status).toBe(200);
  expect((await api("POST", `/api/campaigns/${campaignId}/launch`, "marketer")).status).toBe(200);
  const stats = await waitFor(
    `the ${subject} campaign to complete`,
    () => statsOf(campaignId),
    (s) => s.status === "completed",
  );
  return { campaignId, stats };
}

beforeAll(async () => {
  expect((await api("POST", "/api/customers/import", "marketer", bankFile, "text/csv")).status).toBe(200);
  const segment = await api("POST", "/api/segments", "marketer", {
    name: "BounceTown savers",
    rule: { attr: "region", op: "eq", value: REGION },
  });
  segmentId = segment.body.segmentId;
  first = await runCampaign("BounceTown first");
});

describe("SES feedback through the local mailbox simulator", () => {
  it("counts the deliveries, the hard bounce and the complaint in the campaign's stats", async () => {
    const stats = await waitFor(
      "the first campaign's feedback",
      () => statsOf(first.campaignId),
      (s) => s.bounced === 1 && s.complained === 1 && s.delivered === 3,
    );

    expect(stats).toMatchObject({ targeted: 4, sent: 4, delivered: 3, bounced: 1, complained: 1, softBounced: 0 });
    expect(stats.rates).toMatchObject({ deliveredRate: 0.75, bounceRate: 0.25, complaintRate: 0.25 });
  });

  it("withdraws the complaining customer's email consent as their own, with the complaint as proof", async () => {
    const complainer = await view(customers.complains.id);

    expect(complainer.emailConsent).toBe(false);
    expect(complainer.consent.channels.email).toEqual({
      granted: false,
      source: expect.stringMatching(new RegExp(`^complaint .* about campaign ${first.campaignId}, mail feedback .+`)),
      at: expect.any(String),
      by: "customer",
    });
  });

  it("shows what happened to each email among the customer's touches", async () => {
    const [bounced] = (await view(customers.bounces.id)).touches;
    const [complained] = (await view(customers.complains.id)).touches;
    const [delivered] = (await view(customers.succeeds.id)).touches;

    expect(bounced).toMatchObject({ campaignId: first.campaignId, status: "sent", bouncedAt: expect.any(String) });
    expect(bounced.deliveredAt).toBeUndefined();
    expect(complained).toMatchObject({ deliveredAt: expect.any(String), complainedAt: expect.any(String) });
    expect(delivered).toMatchObject({ deliveredAt: expect.any(String) });
    expect(delivered.bouncedAt).toBeUndefined();
  });

  it("holds the bounced address and the complainer back in the next campaign, and emails neither again", async () => {
    const { stats } = await runCampaign("BounceTown second");
    await waitFor(
      "the second offers to the two who may still be emailed",
      async () => [
        ...(await emailsTo(customers.succeeds.email, "BounceTown second")),
        ...(await emailsTo(customers.succeedsLabelled.email, "BounceTown second")),
      ],
      (found) => found.length === 2,
    );

    expect(stats).toMatchObject({
      targeted: 2,
      sent: 2,
      suppressed: { address_bounced: 1, no_email_consent: 1 },
    });
    for (const customer of [customers.bounces, customers.complains]) {
      expect(await emailsTo(customer.email, "BounceTown second")).toEqual([]);
      expect(await emailsTo(customer.email, "BounceTown")).toHaveLength(1); // the first campaign's only
    }
    const [latest] = (await view(customers.bounces.id)).touches;
    expect(latest).toMatchObject({ status: "suppressed", suppressionReason: "address_bounced" });
  });
});
