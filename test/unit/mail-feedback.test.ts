import { describe, expect, it } from "vitest";
import { scenarioFor, sesEventsFor } from "../../infra/local/ses-events.js";
import { mailFeedbackOf, SesEvent } from "../../shared/adapters/ses/events.js";
import type { CampaignStore } from "../../shared/campaigns/ports.js";
import { importedConsent } from "../../shared/customers/consent.js";
import type { Customer } from "../../shared/customers/customer.js";
import type { CustomerStore } from "../../shared/customers/ports.js";
import { MAIL_OUTCOMES, type MailOutcome } from "../../shared/delivery/counters.js";
import { decideDelivery, suppressionFor } from "../../shared/delivery/decide.js";
import type { Delivery } from "../../shared/delivery/delivery.js";
import { type FeedbackDeps, type MailFeedback, recordMailFeedback } from "../../shared/delivery/feedback.js";
import type { DeliveryKey, DeliveryStore, SuppressionList } from "../../shared/delivery/ports.js";
import { sendOffer } from "../../shared/delivery/send.js";
import type { SuppressedAddress } from "../../shared/delivery/suppression.js";
import { NotFoundError } from "../../shared/kernel/errors.js";
import { aCampaign, aDelivery } from "../adapters/fixtures.js";
import { aCustomer } from "./fixtures.js";
import { partOf, platformWith, TEST_SETTINGS } from "./platform.js";

const NOW = new Date("2026-06-01T12:00:00.000Z");
const CAMPAIGN = "cmp-1";

// --- small in-memory fakes of the three ports feedback writes to ---

class InMemorySuppressionList implements SuppressionList {
  readonly rows = new Map<string, SuppressedAddress>();
  async suppress(entry: SuppressedAddress) {
    if (!this.rows.has(entry.address)) this.rows.set(entry.address, entry);
  }
  async find(address: string) {
    return this.rows.get(address) ?? null;
  }
  async suppressedAmong(addresses: string[]) {
    return new Set(addresses.filter((a) => this.rows.has(a)));
  }
}

class InMemoryOutcomes implements Pick<DeliveryStore, "recordOutcome" | "counters" | "confirmSent"> {
  readonly deliveries = new Map<string, Delivery>();
  readonly counted: Record<string, number> = {};
  constructor(...stored: Delivery[]) {
    for (const d of stored) this.deliveries.set(`${d.campaignId}/${d.customerId}`, d);
  }
  async recordOutcome(key: DeliveryKey, outcome: MailOutcome, at: string) {
    const { field, counter } = MAIL_OUTCOMES[outcome];
    const current = this.deliveries.get(`${key.campaignId}/${key.customerId}`);
    if (!current) return "unknown" as const;
    if (current[field]) return "already_recorded" as const;
    this.deliveries.set(`${key.campaignId}/${key.customerId}`, { ...current, [field]: at });
    this.counted[counter] = (this.counted[counter] ?? 0) + 1;
    return "recorded" as const;
  }
  async counters() {
    return this.counted;
  }
  async confirmSent(key: DeliveryKey, messageId: string, at: string) {
    const current = this.deliveries.get(`${key.campaignId}/${key.customerId}`);
    if (current?.status !== "sending" && current?.status !== "unconfirmed") return false;
    this.deliveries.set(`${key.campaignId}/${key.customerId}`, { ...current, status: "sent", messageId, sentAt: at });
    this.counted.sent = (this.counted.sent ?? 0) + 1;
    if (current.status === "unconfirmed") this.counted.unconfirmed = (this.counted.unconfirmed ?? 0) - 1;
    return true;
  }
}

class InMemoryCustomers implements Pick<CustomerStore, "get" | "withdrawEmailConsent"> {
  readonly rows = new Map<string, Customer>();
  withdrawals = 0;
  constructor(...stored: Customer[]) {
    for (const c of stored) this.rows.set(c.customerId, c);
  }
  async get(customerId: string) {
    return this.rows.get(customerId) ?? null;
  }
  async withdrawEmailConsent(customerId: string, now: string, source: string) {
    const customer = this.rows.get(customerId);
    if (!customer) throw new NotFoundError("Customer", customerId);
    this.withdrawals++;
    const record = { granted: false, source, at: now, by: "customer" as const };
    this.rows.set(customerId, {
      ...customer,
      emailConsent: false,
      updatedAt: now,
      consent: { ...customer.consent, channels: { ...customer.consent.channels, email: record } },
    });
  }
}

function world(...customers: Customer[]) {
  const suppressions = new InMemorySuppressionList();
  const deliveries = new InMemoryOutcomes(
    ...customers.map((c) => aDelivery({ campaignId: CAMPAIGN, customerId: c.customerId, status: "sent" })),
  );
  const store = new InMemoryCustomers(...customers);
  // No campaign is read: no test here sends enough for the automatic pause to look (campaign-control.test.ts).
  const deps: FeedbackDeps = {
    suppressions,
    deliveries,
    customers: store,
    campaigns: partOf<CampaignStore>("campaigns", {}),
    settings: { pauseThresholds: TEST_SETTINGS.pauseThresholds },
    now: () => NOW,
  };
  return { suppressions, deliveries, customers: store, deps };
}

const feedback = (overrides: Partial<MailFeedback>): MailFeedback => ({
  kind: "delivered",
  messageId: "ses-msg-1",
  at: "2026-06-01T11:59:00.000Z",
  delivery: { campaignId: CAMPAIGN, customerId: "C-1" },
  recipients: ["c1@example.cn"],
  ...overrides,
});

const hardBounce = feedback({
  kind: "bounced",
  bounceType: "permanent",
  detail: "General",
  feedbackId: "fb-1",
  recipients: ["  Bounce@Example.CN "],
});
const complaint = feedback({ kind: "complained", feedbackId: "fb-2", detail: "abuse" });

describe("recordMailFeedback", () => {
  it("puts a hard-bounced address on the suppression list, normalised, with the bounce as its proof", async () => {
    // prepare
    const { deps, suppressions, deliveries } = world(aCustomer({ customerId: "C-1" }));
    // act
    const result = await recordMailFeedback(deps, hardBounce);
    // assess
    expect(result).toEqual({ outcome: "bounced", recorded: "recorded" });
    expect([...suppressions.rows.values()]).toEqual([
      {
        address: "bounce@example.cn",
        reason: "hard_bounce",
        at: hardBounce.at,
        messageId: "ses-msg-1",
        feedbackId: "fb-1",
        bounceSubType: "General",
        campaignId: CAMPAIGN,
        customerId: "C-1",
        recordedAt: NOW.toISOString(),
      },
    ]);
    expect(deliveries.deliveries.get(`${CAMPAIGN}/C-1`)?.bouncedAt).toBe(hardBounce.at);
    expect(deliveries.counted).toEqual({ bounced: 1 });
  });

  it("counts soft bounces and delays without suppressing anyone", async () => {
    // prepare
    const { deps, suppressions, deliveries } = world(aCustomer({ customerId: "C-1" }));
    // act
    await recordMailFeedback(deps, feedback({ kind: "bounced", bounceType: "transient" }));
    await recordMailFeedback(deps, feedback({ kind: "bounced", bounceType: "undetermined" }));
    await recordMailFeedback(deps, feedback({ kind: "delayed" }));
    // assess
    expect(suppressions.rows.size).toBe(0);
    expect(deliveries.counted).toEqual({ softBounced: 1, delayed: 1 }); // once per email
    expect(deliveries.deliveries.get(`${CAMPAIGN}/C-1`)).toMatchObject({
      softBouncedAt: expect.any(String),
      delayedAt: expect.any(String),
    });
  });

  it("withdraws the complainer's email consent at once, as the customer's own, with the complaint as proof", async () => {
    // prepare
    const { deps, customers, deliveries } = world(aCustomer({ customerId: "C-1" }));
    // act
    const result = await recordMailFeedback(deps, complaint);
    // assess
    expect(result).toEqual({ outcome: "complained", recorded: "recorded" });
    const after = customers.rows.get("C-1")!;
    expect(after.emailConsent).toBe(false);
    expect(after.consent.channels.email).toEqual({
      granted: false,
      source: `complaint (marked as spam) at ${complaint.at} about campaign ${CAMPAIGN}, mail feedback fb-2`,
      at: NOW.toISOString(),
      by: "customer",
    });
    expect(deliveries.counted).toEqual({ complained: 1 });
  });

  it("keeps the complainer withdrawn when the bank's file says yes again without proof of its own", async () => {
    // prepare
    const { deps, customers } = world(aCustomer({ customerId: "C-1" }));
    await recordMailFeedback(deps, complaint);
    const withdrawn = customers.rows.get("C-1")!.consent;
    // act
    const { consent, kept } = importedConsent(withdrawn, {
      channels: { email: true },
      categories: {},
      source: "import",
      at: "2026-06-02T00:00:00.000Z",
    });
    // assess
    expect(consent.channels.email).toEqual(withdrawn.channels.email);
    expect(kept).toHaveLength(1);
  });

  it("counts the same event once however often it arrives, and withdraws consent once", async () => {
    // prepare
    const { deps, customers, suppressions, deliveries } = world(aCustomer({ customerId: "C-1" }));
    const delivered = feedback({ kind: "delivered" });
    // act
    const results = [];
    for (const event of [delivered, delivered, hardBounce, hardBounce, complaint, complaint]) {
      results.push((await recordMailFeedback(deps, event)).recorded);
    }
    // assess
    expect(results).toEqual([
      "recorded",
      "already_recorded",
      "recorded",
      "already_recorded",
      "recorded",
      "already_recorded",
    ]);
    expect(deliveries.counted).toEqual({ delivered: 1, bounced: 1, complained: 1 });
    expect(customers.withdrawals).toBe(1);
    expect(suppressions.rows.size).toBe(1);
  });

  it("keeps the first bounce as the proof when the address bounces again", async () => {
    // prepare
    const { deps, suppressions } = world(aCustomer({ customerId: "C-1" }));
    await recordMailFeedback(deps, hardBounce);
    // act
    await recordMailFeedback(deps, { ...hardBounce, messageId: "ses-msg-2", feedbackId: "fb-9" });
    // assess
    expect(suppressions.rows.get("bounce@example.cn")).toMatchObject({ messageId: "ses-msg-1", feedbackId: "fb-1" });
  });

  it("still suppresses a bounced address of mail the platform cannot place, and records nothing else", async () => {
    // prepare
    const { deps, suppressions, deliveries } = world();
    // act
    const untagged = await recordMailFeedback(deps, { ...hardBounce, delivery: undefined });
    const unknown = await recordMailFeedback(deps, feedback({ delivery: { campaignId: "cmp-x", customerId: "C-9" } }));
    // assess
    expect(untagged.recorded).toBe("not_recorded");
    expect(unknown.recorded).toBe("unknown");
    expect(suppressions.rows.has("bounce@example.cn")).toBe(true);
    expect(deliveries.counted).toEqual({});
  });

  it("records nothing for the send of a delivery already recorded sent, or for a rendering failure", async () => {
    // prepare: world() stores every delivery as sent
    const { deps, deliveries } = world(aCustomer({ customerId: "C-1" }));
    // act
    const sent = await recordMailFeedback(deps, feedback({ kind: "sent" }));
    const failed = await recordMailFeedback(deps, feedback({ kind: "rendering_failed" }));
    // assess
    expect([sent, failed]).toEqual([
      { outcome: null, recorded: "already_recorded" },
      { outcome: null, recorded: "not_recorded" },
    ]);
    expect(deliveries.counted).toEqual({});
  });

  it.each([
    ["still claimed (the sender died after SES took it)", "sending", { sent: 1 }],
    ["settled as unconfirmed by the reconciler", "unconfirmed", { sent: 1, unconfirmed: -1 }],
  ] as const)("confirms as sent a delivery %s when SES's Send event names it", async (_, status, counted) => {
    // prepare
    const { deps, deliveries } = world();
    deliveries.deliveries.set(`${CAMPAIGN}/C-1`, aDelivery({ campaignId: CAMPAIGN, customerId: "C-1", status }));
    // act
    const result = await recordMailFeedback(deps, feedback({ kind: "sent", messageId: "ses-msg-7" }));
    const again = await recordMailFeedback(deps, feedback({ kind: "sent", messageId: "ses-msg-7" }));
    // assess
    expect(result.recorded).toBe("recorded");
    expect(again.recorded).toBe("already_recorded");
    expect(deliveries.deliveries.get(`${CAMPAIGN}/C-1`)).toMatchObject({ status: "sent", messageId: "ses-msg-7" });
    expect(deliveries.counted).toEqual(counted);
  });

  it("records a complaint about a customer deleted and purged meanwhile on the delivery alone", async () => {
    // prepare
    const { deps, deliveries } = world();
    deliveries.deliveries.set(
      `${CAMPAIGN}/C-1`,
      aDelivery({ campaignId: CAMPAIGN, customerId: "C-1", status: "sent" }),
    );
    // act
    const result = await recordMailFeedback(deps, complaint);
    // assess
    expect(result.recorded).toBe("recorded");
  });
});

describe("address_bounced", () => {
  const bounced = new Set(["bounce@example.cn"]);

  it("holds back a customer whose address is on the suppression list, whatever its case", () => {
    const customer = aCustomer({ email: "Bounce@Example.cn" });

    expect(suppressionFor(customer, aCampaign(), bounced)).toBe("address_bounced");
    expect(decideDelivery(customer, aCampaign(), bounced)).toEqual({
      customerId: customer.customerId,
      status: "suppressed",
      reason: "address_bounced",
    });
  });

  it("offers again once the customer's address changes, and counts a withdrawn customer under consent first", () => {
    expect(suppressionFor(aCustomer({ email: "new@example.cn" }), aCampaign(), bounced)).toBeNull();
    expect(suppressionFor(aCustomer({ email: "bounce@example.cn", emailConsent: false }), aCampaign(), bounced)).toBe(
      "no_email_consent",
    );
  });

  it("withdraws a send already queued when the address bounced after the fan-out, emailing nothing", async () => {
    // prepare
    const suppressions = new InMemorySuppressionList();
    await suppressions.suppress({
      address: "bounce@example.cn",
      reason: "hard_bounce",
      at: NOW.toISOString(),
      messageId: "m",
      recordedAt: NOW.toISOString(),
    });
    const withdrawn: string[] = [];
    const p = platformWith({
      suppressions,
      deliveries: partOf<DeliveryStore>("deliveries", {
        claim: async () => undefined,
        withdraw: async (_, reason) => void withdrawn.push(reason),
      }),
      campaigns: { get: async () => aCampaign({ status: "sending" }), status: async () => "sending" },
      customers: { get: async () => aCustomer({ customerId: "C-1", email: "BOUNCE@example.cn" }) },
    });
    // act
    const outcome = await sendOffer(p, { campaignId: "cmp-1", customerId: "C-1" });
    // assess
    expect(outcome).toBe("withdrawn");
    expect(withdrawn).toEqual(["address_bounced"]);
  });
});

describe("SES events, as the local mailbox simulator publishes them", () => {
  const mail = (...destination: string[]) => ({
    messageId: "ses-msg-1",
    source: "Demo Bank Offers <offers@demo-bank.test>",
    destination,
    configurationSet: "local",
    tags: { campaignId: CAMPAIGN, customerId: "C-1" },
    at: NOW,
  });
  const kinds = (...destination: string[]) => sesEventsFor(mail(...destination)).map((e) => e.eventType);

  it("answers each simulator address, with or without a +label, as SES's mailbox simulator does", () => {
    expect(kinds("success@simulator.amazonses.com")).toEqual(["Send", "Delivery"]);
    expect(kinds("ooto+holiday@simulator.amazonses.com")).toEqual(["Send", "Delivery"]);
    expect(kinds("bounce+x@simulator.amazonses.com")).toEqual(["Send", "Bounce"]);
    expect(kinds("Complaint@Simulator.AmazonSES.com")).toEqual(["Send", "Delivery", "Complaint"]);
    expect(kinds("suppressionlist@simulator.amazonses.com")).toEqual(["Send", "Bounce"]);
    expect(kinds("anyone@example.cn")).toEqual(["Send", "Delivery"]);
    expect(scenarioFor("bounce@simulator.amazonses.com.evil.test")).toBe("delivered");
  });

  it("builds documents that the feedback handler reads back to the delivery, the bounce type and the recipients", () => {
    const events = sesEventsFor(mail("bounce@simulator.amazonses.com", "suppressionlist@simulator.amazonses.com"));
    const feedbacks = events.map((e) => mailFeedbackOf(SesEvent.parse(JSON.parse(JSON.stringify(e)))));

    expect(feedbacks.map((f) => [f.kind, f.bounceType, f.detail, f.recipients])).toEqual([
      ["sent", undefined, undefined, ["bounce@simulator.amazonses.com", "suppressionlist@simulator.amazonses.com"]],
      ["bounced", "permanent", "General", ["bounce@simulator.amazonses.com"]],
      ["bounced", "permanent", "Suppressed", ["suppressionlist@simulator.amazonses.com"]],
    ]);
    for (const f of feedbacks) expect(f.delivery).toEqual({ campaignId: CAMPAIGN, customerId: "C-1" });
    expect(feedbacks[1].feedbackId).toEqual(expect.any(String));
  });

  it("reads SES's own documented example of a complaint", () => {
    const documented = {
      eventType: "Complaint",
      complaint: {
        feedbackId: "0100015e-fb2a-4ac5-bb51-e9c2a6e5c9b0-000000",
        complaintSubType: null,
        complainedRecipients: [{ emailAddress: "recipient@example.com" }],
        timestamp: "2017-08-05T00:41:02.669Z",
        userAgent: "Mozilla/5.0",
        complaintFeedbackType: "abuse",
        arrivalDate: "2017-08-05T00:41:02.669Z",
      },
      mail: {
        timestamp: "2017-08-05T00:40:01.123Z",
        source: "Sender Name <sender@example.com>",
        sourceArn: "arn:aws:ses:us-east-1:123456789012:identity/sender@example.com",
        sendingAccountId: "123456789012",
        messageId: "EXAMPLE7c191be45-e9aedb9a-02f9-4d12-a87d-dd0099a07f8a-000000",
        destination: ["recipient@example.com"],
        headersTruncated: false,
        tags: { "ses:configuration-set": ["ConfigSet"], campaignId: ["cmp-7"], customerId: ["C-7"] },
      },
    };

    expect(mailFeedbackOf(SesEvent.parse(documented))).toEqual({
      kind: "complained",
      messageId: documented.mail.messageId,
      at: "2017-08-05T00:41:02.669Z",
      delivery: { campaignId: "cmp-7", customerId: "C-7" },
      recipients: ["recipient@example.com"],
      detail: "abuse",
      feedbackId: documented.complaint.feedbackId,
    });
  });
});
