import { describe, expect, it } from "vitest";
import type { Platform } from "../../shared/adapters/platform.js";
import {
  ANSWERS_LIMIT,
  type CampaignAnswer,
  type CampaignAnswers,
  contactedWithin,
  NOT_NOW_QUIET_DAYS,
  saidNotNowTo,
  withAnswer,
} from "../../shared/customers/answers.js";
import type { Customer } from "../../shared/customers/customer.js";
import { importCustomers } from "../../shared/customers/import/import-customers.js";
import type { CustomerStore } from "../../shared/customers/ports.js";
import type { Delivery } from "../../shared/delivery/delivery.js";
import { signLink } from "../../shared/delivery/links.js";
import { sendOffer } from "../../shared/delivery/send.js";
import { DeliveryAlreadyClaimedError } from "../../shared/kernel/errors.js";
import { answerOffer } from "../../shared/responses/respond.js";
import { matches, type SegmentRule } from "../../shared/segments/rule.js";
import { NewSegment } from "../../shared/segments/segment.js";
import { aCampaign, aDelivery } from "../adapters/fixtures.js";
import { aCustomer } from "./fixtures.js";
import { TEST_SETTINGS } from "./platform.js";

const DAY = 86_400_000;
const AT = new Date("2026-06-01T12:00:00.000Z");
const daysBefore = (days: number, ms = 0) => new Date(AT.getTime() - days * DAY - ms).toISOString();

function issuesOf(rule: unknown) {
  const parsed = NewSegment.safeParse({ name: "x", rule });
  return parsed.success ? [] : parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
}

describe("the contactedWithinDays leaf", () => {
  const rule = { contactedWithinDays: 30 };

  it("matches a customer emailed within N days, the N-th day itself included", () => {
    expect(matches(rule, aCustomer({ lastContactedAt: daysBefore(1) }), { at: AT })).toBe(true);
    expect(matches(rule, aCustomer({ lastContactedAt: daysBefore(30) }), { at: AT })).toBe(true);
    expect(matches(rule, aCustomer({ lastContactedAt: daysBefore(30, 1) }), { at: AT })).toBe(false);
  });

  it("does not match a customer never emailed", () => {
    expect(matches(rule, aCustomer(), { at: AT })).toBe(false);
  });

  it("counts a send after the rule's moment: it landed while the campaign was fanning out", () => {
    expect(contactedWithin(new Date(AT.getTime() + 60_000).toISOString(), 30, AT)).toBe(true);
  });

  it("negated, is the frequency cap: only customers not emailed for N days", () => {
    const cap: SegmentRule = { not: { contactedWithinDays: 30 } };

    expect(matches(cap, aCustomer(), { at: AT })).toBe(true);
    expect(matches(cap, aCustomer({ lastContactedAt: daysBefore(30, 1) }), { at: AT })).toBe(true);
    expect(matches(cap, aCustomer({ lastContactedAt: daysBefore(30) }), { at: AT })).toBe(false);
  });

  it.each([
    [{ contactedWithinDays: 0 }, "contactedWithinDays"],
    [{ contactedWithinDays: 1.5 }, "contactedWithinDays"],
    [{ contactedWithinDays: "30" }, "contactedWithinDays"],
    [{ contactedWithinDays: 30, withinDays: 2 }, ""],
  ])("refuses %j, naming the part", (leaf, part) => {
    const issues = issuesOf({ all: [{ holds: "DEPOSIT_CURRENT" }, leaf] });

    expect(issues).toHaveLength(1);
    expect(issues[0].path).toBe(["rule.all.1", part].filter(Boolean).join("."));
  });
});

describe("the answered leaf", () => {
  const answers: CampaignAnswers = {
    "cmp-1": { answer: "interested", at: daysBefore(3) },
    "cmp-2": { answer: "not_now", at: daysBefore(2) },
  };
  const answered = aCustomer({ answers });

  it("matches the campaign's latest answer, or any answer when none is named", () => {
    expect(matches({ answered: "cmp-1", answer: "interested" }, answered)).toBe(true);
    expect(matches({ answered: "cmp-1", answer: "call_me" }, answered)).toBe(false);
    expect(matches({ answered: "cmp-2" }, answered)).toBe(true);
    expect(matches({ answered: "cmp-3" }, answered)).toBe(false);
    expect(matches({ not: { answered: "cmp-3" } }, answered)).toBe(true);
  });

  it("does not match a customer with no answers, nor a campaign id that names an object property", () => {
    expect(matches({ answered: "cmp-1" }, aCustomer())).toBe(false);
    expect(matches({ answered: "constructor" }, answered)).toBe(false);
    expect(matches({ answered: "__proto__" }, answered)).toBe(false);
  });

  it("names the wrong part of a rule", () => {
    expect(issuesOf({ all: [{ answered: "cmp-1", answer: "maybe" }] })).toEqual([
      { path: "rule.all.0.answer", message: "answer must be one of interested, call_me, not_now, unsubscribe" },
    ]);
    expect(issuesOf({ any: [{ holds: "DEPOSIT_CURRENT" }, { answered: "" }] }).map((i) => i.path)).toEqual([
      "rule.any.1.answered",
    ]);
    expect(issuesOf({ not: { answered: 7 } }).map((i) => i.path)).toEqual(["rule.not.answered"]);
    expect(issuesOf({ answered: "cmp-1", answers: "interested" }).map((i) => i.path)).toEqual(["rule"]);
  });

  it("accepts a well-formed leaf", () => {
    expect(
      issuesOf({ all: [{ answered: "cmp-1", answer: "interested" }, { not: { contactedWithinDays: 30 } }] }),
    ).toEqual([]);
  });
});

describe("withAnswer", () => {
  const entry = (answer: CampaignAnswer["answer"], daysAgo: number): CampaignAnswer => ({
    answer,
    at: daysBefore(daysAgo),
  });

  it("records a first answer and replaces a campaign's answer with a later one", () => {
    const first = withAnswer({}, "cmp-1", entry("interested", 2));
    const changed = withAnswer(first!, "cmp-1", entry("call_me", 1));

    expect(first).toEqual({ "cmp-1": entry("interested", 2) });
    expect(changed).toEqual({ "cmp-1": entry("call_me", 1) });
  });

  it("changes nothing for the same answer again or for an older answer arriving late", () => {
    const answers = { "cmp-1": entry("interested", 1) };

    expect(withAnswer(answers, "cmp-1", entry("interested", 0))).toBeNull();
    expect(withAnswer(answers, "cmp-1", entry("not_now", 2))).toBeNull();
  });

  it("keeps the time of day picked with call_me, and a later pick replaces it", () => {
    const asked = { "cmp-1": entry("call_me", 2) };

    const picked = withAnswer(asked, "cmp-1", { ...entry("call_me", 1), callTime: "evening" });
    const again = withAnswer(picked!, "cmp-1", { ...entry("call_me", 0), callTime: "evening" });
    const changed = withAnswer(picked!, "cmp-1", { ...entry("call_me", 0), callTime: "morning" });

    expect(picked).toEqual({ "cmp-1": { ...entry("call_me", 1), callTime: "evening" } });
    expect(again).toBeNull();
    expect(changed?.["cmp-1"].callTime).toBe("morning");
  });

  it("knows a customer said not now to a product within the quiet days, and only to that product", () => {
    const answers: CampaignAnswers = {
      "cmp-fund": { ...entry("not_now", NOT_NOW_QUIET_DAYS - 1), productCode: "WEALTH_FUND" },
      "cmp-card": { ...entry("interested", 1), productCode: "CREDIT_CARD" },
      "cmp-old": { ...entry("not_now", NOT_NOW_QUIET_DAYS + 1), productCode: "INSURANCE" },
      "cmp-before": entry("not_now", 1), // recorded before answers kept their product
    };

    expect(saidNotNowTo(answers, "WEALTH_FUND", AT)).toBe(true);
    expect(saidNotNowTo(answers, "CREDIT_CARD", AT)).toBe(false);
    expect(saidNotNowTo(answers, "INSURANCE", AT)).toBe(false);
    expect(saidNotNowTo(undefined, "WEALTH_FUND", AT)).toBe(false);
  });

  it(`keeps the latest ${ANSWERS_LIMIT} campaigns, dropping the oldest`, () => {
    const full = Object.fromEntries(
      Array.from({ length: ANSWERS_LIMIT }, (_, i) => [`cmp-${i}`, entry("not_now", 100 - i)]),
    );

    const next = withAnswer(full, "cmp-new", entry("interested", 0))!;

    expect(Object.keys(next)).toHaveLength(ANSWERS_LIMIT);
    expect(next["cmp-new"]).toEqual(entry("interested", 0));
    expect(next).not.toHaveProperty("cmp-0");
    expect(withAnswer(full, "cmp-ancient", entry("interested", 1000))).toBeNull(); // older than all kept: nothing to keep
  });
});

// --- use cases, over small in-memory ports ----------------------------------------------------

class InMemoryCustomers implements CustomerStore {
  readonly rows = new Map<string, Customer>();
  contactWrites: { customerId: string; at: string }[] = [];
  failContactWrites = false;
  async get(customerId: string) {
    return this.rows.get(customerId) ?? null;
  }
  async getMany(customerIds: string[]) {
    return new Map(customerIds.flatMap((id) => (this.rows.has(id) ? [[id, this.rows.get(id)!] as const] : [])));
  }
  async save(customers: Customer[]) {
    for (const customer of customers) this.rows.set(customer.customerId, customer);
  }
  async replaceIfUnchanged(updates: { customer: Customer; readAt: string }[]) {
    const changed = updates.filter(({ customer, readAt }) => this.rows.get(customer.customerId)?.updatedAt !== readAt);
    for (const { customer } of updates)
      if (!changed.some((c) => c.customer === customer)) this.rows.set(customer.customerId, customer);
    return changed.map(({ customer }) => customer.customerId);
  }
  async scanShard(): Promise<never> {
    throw new Error("not used here");
  }
  async withdrawEmailConsent(): Promise<never> {
    throw new Error("not used here");
  }
  async recordPreferences(): Promise<never> {
    throw new Error("not used here");
  }
  /** As the DynamoDB store: a conditional write that only moves forward. */
  async recordContact(customerId: string, at: string) {
    this.contactWrites.push({ customerId, at });
    if (this.failContactWrites) throw new Error("DynamoDB is unavailable");
    const customer = this.rows.get(customerId);
    if (customer && (!customer.lastContactedAt || customer.lastContactedAt < at))
      this.rows.set(customerId, { ...customer, lastContactedAt: at });
  }
  async recordAnswer(customerId: string, campaignId: string, answer: CampaignAnswer) {
    const customer = this.rows.get(customerId);
    const next = customer && withAnswer(customer.answers ?? {}, campaignId, answer);
    if (customer && next) this.rows.set(customerId, { ...customer, answers: next });
  }
}

class InMemoryDeliveries {
  readonly rows = new Map<string, Delivery>();
  answers: string[] = [];
  put(delivery: Delivery) {
    this.rows.set(`${delivery.campaignId}/${delivery.customerId}`, delivery);
  }
  async get(campaignId: string, customerId: string) {
    return this.rows.get(`${campaignId}/${customerId}`) ?? null;
  }
  private async move(
    key: { campaignId: string; customerId: string },
    from: Delivery["status"],
    patch: Partial<Delivery>,
  ) {
    const current = await this.get(key.campaignId, key.customerId);
    if (current?.status !== from) throw new DeliveryAlreadyClaimedError("not queued");
    this.put({ ...current, ...patch });
  }
  claim(key: { campaignId: string; customerId: string }) {
    return this.move(key, "queued", { status: "sending" });
  }
  recordSent(key: { campaignId: string; customerId: string }, messageId: string, at: string) {
    return this.move(key, "sending", { status: "sent", messageId, sentAt: at });
  }
  async recordClick(delivery: Delivery, at: string) {
    this.put({ ...(await this.get(delivery.campaignId, delivery.customerId))!, clickedAt: at });
  }
  async recordAnswer(delivery: Delivery, answer: Delivery["answer"], at: string) {
    this.answers.push(answer!);
    this.put({ ...(await this.get(delivery.campaignId, delivery.customerId))!, answer, answeredAt: at });
  }
}

function platformWith(customers: InMemoryCustomers, deliveries: InMemoryDeliveries, now: Date, mailed: string[] = []) {
  const campaign = aCampaign({ campaignId: "cmp-1" });
  return {
    customers,
    deliveries: deliveries as unknown as Platform["deliveries"],
    campaigns: {
      get: async (id: string) => (id === campaign.campaignId ? campaign : null),
      status: async (id: string) => (id === campaign.campaignId ? campaign.status : null),
    } as unknown as Platform["campaigns"],
    suppressions: { find: async () => null, suppressedAmong: async () => new Set() },
    mailer: {
      send: async (email: { to: string }) => {
        mailed.push(email.to);
        return { messageId: `msg-${mailed.length}` };
      },
    },
    sendRate: { acquire: async () => true },
    brandKits: { current: async () => null },
    settings: TEST_SETTINGS,
    now: () => now,
    newId: () => "id-1",
  } as unknown as Platform;
}

describe("importCustomers and the campaign fields", () => {
  it("carries lastContactedAt and answers over when it rewrites an existing customer", async () => {
    // prepare
    const customers = new InMemoryCustomers();
    const answers = { "cmp-1": { answer: "interested" as const, at: daysBefore(2) } };
    customers.rows.set(
      "C1",
      aCustomer({ customerId: "C1", name: "Ann", aum: 100, tier: "mass", lastContactedAt: daysBefore(3), answers }),
    );
    const changed = [
      "customerId,type,name,email,aum,products,region,emailConsent",
      "C1,individual,Ann Li,ann@example.cn,250000,DEPOSIT_CURRENT,Jilin,true",
    ].join("\n");
    // act
    const summary = await importCustomers(platformWith(customers, new InMemoryDeliveries(), AT), changed, "csv");
    // assess
    expect(summary).toMatchObject({ updated: 1 });
    expect(customers.rows.get("C1")).toMatchObject({
      name: "Ann Li",
      tier: "affluent",
      lastContactedAt: daysBefore(3),
      answers,
    });
  });
});

describe("sendOffer and lastContactedAt", () => {
  const queued = () => aDelivery({ campaignId: "cmp-1", customerId: "C1", status: "queued" });

  it("records the contact once the delivery says sent", async () => {
    // prepare
    const customers = new InMemoryCustomers();
    customers.rows.set("C1", aCustomer({ customerId: "C1" }));
    const deliveries = new InMemoryDeliveries();
    deliveries.put(queued());
    // act
    const outcome = await sendOffer(platformWith(customers, deliveries, AT), { campaignId: "cmp-1", customerId: "C1" });
    // assess
    expect(outcome).toBe("sent");
    expect(customers.rows.get("C1")?.lastContactedAt).toBe(AT.toISOString());
  });

  it("never moves lastContactedAt back when a send is recorded late", async () => {
    // prepare
    const later = new Date(AT.getTime() + DAY).toISOString();
    const customers = new InMemoryCustomers();
    customers.rows.set("C1", aCustomer({ customerId: "C1", lastContactedAt: later }));
    const deliveries = new InMemoryDeliveries();
    deliveries.put(queued());
    // act
    await sendOffer(platformWith(customers, deliveries, AT), { campaignId: "cmp-1", customerId: "C1" });
    // assess
    expect(customers.rows.get("C1")?.lastContactedAt).toBe(later);
  });

  it("keeps a send that went out when the contact write fails, and the redelivery writes the contact without sending again", async () => {
    // prepare
    const customers = new InMemoryCustomers();
    customers.rows.set("C1", aCustomer({ customerId: "C1" }));
    const deliveries = new InMemoryDeliveries();
    deliveries.put(queued());
    const mailed: string[] = [];
    customers.failContactWrites = true;
    // act
    const first = sendOffer(platformWith(customers, deliveries, AT, mailed), { campaignId: "cmp-1", customerId: "C1" });
    await expect(first).rejects.toThrow("DynamoDB is unavailable");
    customers.failContactWrites = false;
    const later = new Date(AT.getTime() + 60_000);
    const redelivered = await sendOffer(platformWith(customers, deliveries, later, mailed), {
      campaignId: "cmp-1",
      customerId: "C1",
    });
    // assess
    expect(mailed).toHaveLength(1);
    expect(redelivered).toBe("already_claimed");
    expect((await deliveries.get("cmp-1", "C1"))?.status).toBe("sent");
    expect(customers.rows.get("C1")?.lastContactedAt).toBe(AT.toISOString()); // the recorded sentAt, not the redelivery's clock
  });
});

describe("answering an offer", () => {
  it("copies the latest answer onto the customer, and a retry completes a copy that failed before", async () => {
    // prepare
    const customers = new InMemoryCustomers();
    customers.rows.set("C1", aCustomer({ customerId: "C1" }));
    const deliveries = new InMemoryDeliveries();
    deliveries.put(
      aDelivery({
        campaignId: "cmp-1",
        customerId: "C1",
        status: "sent",
        sentAt: AT.toISOString(),
        answer: "interested",
      }),
    ); // the delivery has it, the customer not yet
    const token = signLink("test-secret-0123456789", {
      deliveryId: "cmp-1.C1",
      action: "offer",
      expiresAt: AT.getTime() / 1000 + 3600,
    });
    // act
    await answerOffer(platformWith(customers, deliveries, AT), token, "interested");
    await answerOffer(platformWith(customers, deliveries, new Date(AT.getTime() + 60_000)), token, "call_me");
    // assess
    expect(deliveries.answers).toEqual(["call_me"]);
    expect(customers.rows.get("C1")?.answers).toEqual({
      "cmp-1": { answer: "call_me", at: new Date(AT.getTime() + 60_000).toISOString(), productCode: "WEALTH_FUND" },
    });
  });
});
