import { beforeEach, describe, expect, it } from "vitest";
import type { AuditEntry, CustomerChange } from "../../shared/customers/changes.js";
import type { Customer } from "../../shared/customers/customer.js";
import type { Delivery } from "../../shared/delivery/delivery.js";
import type { Actor } from "../../shared/kernel/actor.js";
import { aCampaign } from "../adapters/fixtures.js";
import { consoleHarness } from "../support/console-app.js";
import { aCustomer } from "../unit/fixtures.js";
import { InMemoryCampaigns } from "../unit/in-memory-campaigns.js";
import { platformWith } from "../unit/platform.js";

/**
 * The single customer view through the whole console app, with the stores in memory: what each
 * role sees of a customer (masked as the API masks it), and an edit or deletion asked for
 * becoming a pending change, or refused on the page in the person's words. The browser test
 * (test/e2e/console-customers.test.ts) runs the same on the local platform.
 */

const CHEN: Actor = { kind: "person", id: "sub-chen", name: "chen.rm", role: "relationship_manager" };
const ZHOU: Actor = { kind: "person", id: "sub-zhou", name: "zhou", role: "analyst" };
const WU: Actor = { kind: "person", id: "sub-wu", name: "wu.rm", role: "relationship_manager" };
const ROOT: Actor = { kind: "person", id: "sub-root", name: "root", role: "admin" };
const clock = new Date("2026-06-01T12:00:00.000Z");
const harness = consoleHarness(() => clock);

let customers: Map<string, Customer>;
let requested: CustomerChange[];
const auditTrail: AuditEntry[] = [
  {
    customerId: "C-0001",
    at: "2026-05-20T02:00:00.000Z",
    actor: "customer",
    action: "consent",
    field: "channel.sms",
    before: "on",
    after: "off",
    reason: "preference centre, link of campaign cmp-1",
  },
];
const offer: Delivery = {
  campaignId: "cmp-1",
  customerId: "C-0001",
  productCode: "CREDIT_CARD",
  status: "sent",
  offeredAt: "2026-05-10T02:00:00.000Z",
  sentAt: "2026-05-10T02:01:00.000Z",
  answer: "call_me",
  answeredAt: "2026-05-11T03:00:00.000Z",
};

function appNow() {
  const ports = platformWith(
    {
      campaigns: new InMemoryCampaigns(
        aCampaign({ campaignId: "cmp-1", name: "Spring credit card", status: "sending" }),
      ),
      customers: { get: async (id: string) => customers.get(id) ?? null },
      customerChanges: {
        of: async (id: string) => requested.filter((c) => c.customerId === id),
        auditTrail: async (id: string) => auditTrail.filter((e) => e.customerId === id),
        request: async (change: CustomerChange) => void requested.push(change),
        apply: async (change: CustomerChange) => void requested.push(change),
      },
      deliveries: {
        counters: async () => ({}),
        ofCustomer: async (id: string) => (id === "C-0001" ? [offer] : []),
        conversionsOf: async () => [],
      },
    },
    clock,
  );
  const app = harness.appWith(ports);
  return { signIn: (who: Actor) => harness.signedIn(app, who) };
}

describe("the console's single customer view", () => {
  beforeEach(() => {
    customers = new Map([
      [
        "C-0001",
        aCustomer({
          customerId: "C-0001",
          name: "Wang Fang",
          email: "wang.fang@example.cn",
          phone: "+86 13812345678",
          relationshipManager: "chen.rm",
        }),
      ],
    ]);
    requested = [];
  });

  it("shows an analyst the customer's contact data masked, and their own relationship manager in full", async () => {
    // prepare
    const app = appNow();
    const zhou = await app.signIn(ZHOU);
    const chen = await app.signIn(CHEN);
    const wu = await app.signIn(WU);
    // act
    const [asAnalyst, asTheirManager, asAnotherManager] = await Promise.all(
      [zhou, chen, wu].map(async (who) => (await who.get("/customers/C-0001")).text()),
    );
    // assess
    expect(asAnalyst).toContain("W*** F***");
    expect(asAnalyst).toContain("w***@example.cn");
    expect(asAnalyst).toContain("+86 138****5678");
    expect(asAnalyst).not.toContain("Wang Fang");
    expect(asAnalyst).not.toContain("wang.fang@");
    expect(asAnalyst).toContain("Contact data is masked");
    expect(asTheirManager).toContain("Wang Fang");
    expect(asTheirManager).toContain("wang.fang@example.cn");
    expect(asAnotherManager).not.toContain("Wang Fang");
  });

  it("shows the offer with its answer linked to the campaign, the consent proof and the customer's own consent choice", async () => {
    // prepare
    const chen = await appNow().signIn(CHEN);
    // act
    const html = await (await chen.get("/customers/C-0001")).text();
    // assess
    expect(html).toContain('href="/console/campaigns/cmp-1">Spring credit card</a>');
    expect(html).toContain("Call me");
    expect(html).toMatch(/CN¥120,000\.00|¥120,000\.00/);
    expect(html).toContain("The bank&#39;s records");
    expect(html).toContain("The customer (preference centre)");
    expect(html).toContain("Consent, Text message: Agreed → Refused");
  });

  it("opens a customer found by id, and says so when there is none, naming the id that differs only in case", async () => {
    // prepare
    const zhou = await appNow().signIn(ZHOU);
    // act
    const found = await zhou.get("/customers?id=C-0001");
    const missing = await zhou.get("/customers?id=c-0001");
    const invalid = await zhou.get(`/customers?id=${encodeURIComponent("C 0001<")}`);
    // assess
    expect(found.status).toBe(303);
    expect(found.headers.get("location")).toBe("/console/customers/C-0001");
    expect(missing.status).toBe(404);
    const html = await missing.text();
    expect(html).toContain("No customer has the id c-0001.");
    expect(html).toContain('href="/console/customers/C-0001">Ids are case-sensitive: there is a customer C-0001.');
    expect(invalid.status).toBe(400);
    expect(await invalid.text()).toContain("A customer id is letters, digits");
  });

  it("turns an edit into a pending change with only the fields changed, shown on the customer's page", async () => {
    // prepare
    const zhou = await appNow().signIn(ZHOU);
    const form = await (await zhou.get("/customers/C-0001/edit")).text();
    // act: the masked name and email are left as shown, the region corrected
    const sent = await zhou.post("/customers/C-0001/edit", {
      name: "W*** F***",
      email: "w***@example.cn",
      phone: "+86 138****5678",
      region: "Beijing",
      language: "zh-CN",
      timeZone: "Asia/Shanghai",
      riskTolerance: "",
      reason: "The customer moved to Beijing in May",
    });
    const page = await (await zhou.get(sent.headers.get("location")?.replace("/console", "") ?? "")).text();
    // assess
    expect(form).toContain('value="W*** F***"');
    expect(sent.status).toBe(303);
    expect(sent.headers.get("location")).toBe("/console/customers/C-0001?done=editRequested");
    expect(requested).toHaveLength(1);
    expect(requested[0]).toMatchObject({
      kind: "edit",
      status: "pending",
      requestedBy: "zhou",
      fields: { region: { before: "Jilin", after: "Beijing" } },
      reason: "The customer moved to Beijing in May",
    });
    expect(Object.keys(requested[0].fields)).toEqual(["region"]);
    expect(page).toContain("Your edit is waiting for an approver");
    expect(page).toContain("Region: Jilin → Beijing");
  });

  it("refuses an edit without a reason, or with a bad email, on the form with what was typed, and asks nothing", async () => {
    // prepare
    const chen = await appNow().signIn(CHEN);
    // act
    const noReason = await chen.post("/customers/C-0001/edit", {
      name: "Wang Fang",
      email: "wang.fang@example.cn",
      phone: "+86 13812345678",
      region: "Beijing",
      language: "zh-CN",
      timeZone: "Asia/Shanghai",
      reason: "",
    });
    const badEmail = await chen.post("/customers/C-0001/edit", {
      name: "Wang Fang",
      email: "wang.fang-at-example.cn",
      phone: "+86 13812345678",
      region: "Jilin",
      language: "zh-CN",
      timeZone: "Asia/Shanghai",
      reason: "Corrected from the branch form",
    });
    // assess
    expect(noReason.status).toBe(400);
    const html = await noReason.text();
    expect(html).toContain("Say why, in at least 5 and at most 500 characters.");
    expect(html).toContain('value="Beijing"');
    expect(badEmail.status).toBe(400);
    expect(await badEmail.text()).toContain("Enter an email address such as name@example.com");
    expect(requested).toEqual([]);
  });

  it("asks for a deletion only with the box ticked and a reason, and then it waits for an approver", async () => {
    // prepare
    const chen = await appNow().signIn(CHEN);
    // act
    const unticked = await chen.post("/customers/C-0001/delete", { reason: "The customer closed every account" });
    const ticked = await chen.post("/customers/C-0001/delete", {
      reason: "The customer closed every account",
      confirm: "yes",
    });
    // assess
    expect(unticked.status).toBe(400);
    expect(await unticked.text()).toContain("Tick the box to confirm the deletion.");
    expect(ticked.status).toBe(303);
    expect(ticked.headers.get("location")).toBe("/console/customers/C-0001?done=deletionRequested");
    expect(requested).toMatchObject([{ kind: "delete", status: "pending", requestedBy: "chen.rm" }]);
  });

  it("applies an administrator's own edit at once, and says so", async () => {
    // prepare
    const root = await appNow().signIn(ROOT);
    // act
    const sent = await root.post("/customers/C-0001/edit", {
      occupation: "Teacher",
      reason: "Stated by the customer at the branch",
    });
    // assess
    expect(sent.headers.get("location")).toBe("/console/customers/C-0001?done=editApplied");
    expect(requested).toMatchObject([
      { status: "applied", decidedBy: "root", fields: { occupation: { after: "Teacher" } } },
    ]);
  });

  it("shows a deleted customer as deleted, with no request to make, and refuses an edit posted anyway", async () => {
    // prepare
    customers.set(
      "C-0001",
      aCustomer({ customerId: "C-0001", deletedAt: "2026-05-30T02:00:00.000Z", purgeAt: 1_783_000_000 }),
    );
    const chen = await appNow().signIn(CHEN);
    // act
    const html = await (await chen.get("/customers/C-0001")).text();
    const refused = await chen.post("/customers/C-0001/edit", { region: "Beijing", reason: "The customer moved" });
    // assess
    expect(html).toContain("This customer was deleted on");
    expect(html).not.toContain("Request an edit");
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("This customer is deleted: an approver must restore it");
    expect(requested).toEqual([]);
  });

  it("refuses a form without the session's CSRF token", async () => {
    // prepare
    const chen = await appNow().signIn(CHEN);
    // act
    const forged = await chen.post("/customers/C-0001/delete", {
      csrf: "forged",
      reason: "The customer closed every account",
      confirm: "yes",
    });
    // assess
    expect(forged.status).toBe(403);
    expect(requested).toEqual([]);
  });
});
