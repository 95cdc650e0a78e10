import { beforeAll, describe, expect, it } from "vitest";
import { api, type InboxEmail, inbox, linkIn, runCampaign, waitFor } from "./client.js";

/**
 * Issue #12 on the real emulators: a customer turns off the wealth category in the preference
 * centre, posting its form as a browser does, from the link in an offer's footer. The next
 * wealth campaign holds them back as `category_refused` while a deposit campaign still reaches
 * them, and the bank's file imported again (yes to every category, no proof of its own) does
 * not give the category back.
 */
const REGION = "PrefTown";
const chooser = { id: "PREF-1", email: "pref1@customers.test" };
const other = { id: "PREF-2", email: "pref2@customers.test" };
const HEADER =
  "customerId,type,name,email,aum,products,region,emailConsent,liabilityConsent,assetConsent,intermediaryConsent";
const row = (c: typeof chooser) =>
  [c.id, "individual", `Pref ${c.id}`, c.email, 150_000, "SETTLEMENT", REGION, "true", "true", "true", "true"].join(
    ",",
  );
/** What core banking sends every night: yes to every category, with no consentSource or consentAt. */
const bankFile = [HEADER, row(chooser), row(other)].join("\n");

let segmentId: string;

const view = (customerId: string) => api("GET", `/api/customers/${customerId}`, "admin").then((r) => r.body);
const recipient = (e: InboxEmail) => e.destination.to[0].replace(/.*<|>.*/g, "");
const emailsTo = async (address: string, subject: string) =>
  (await inbox()).filter((e) => recipient(e) === address && e.subject.startsWith(subject));

let firstCampaign: string;
let preferencesUrl: string;

beforeAll(async () => {
  expect((await api("POST", "/api/customers/import", "marketer", bankFile, "text/csv")).status).toBe(200);
  const segment = await api("POST", "/api/segments", "marketer", {
    name: "PrefTown savers",
    rule: { attr: "region", op: "eq", value: REGION },
  });
  segmentId = segment.body.segmentId;
  ({ campaignId: firstCampaign } = await runCampaign(segmentId, "PrefTown card", "CREDIT_CARD"));
  const [email] = await waitFor(
    "the card offer to the customer who will choose",
    () => emailsTo(chooser.email, "PrefTown card"),
    (found) => found.length === 1,
  );
  preferencesUrl = linkIn(email.body.text!, "p")!;
  expect(email.body.html).toContain(`href="${preferencesUrl}"`);
});

describe("a customer's choices in the preference centre, honoured by the next campaigns", () => {
  it("shows the customer's choices, and records the wealth category turned off as their own with its proof", async () => {
    const page = await fetch(preferencesUrl, { headers: { accept: "text/html" } });
    const shown = await page.text();
    // The form as a browser posts it from the page: every box ticked but wealth.
    const saved = await fetch(preferencesUrl, {
      method: "POST",
      headers: {
        accept: "text/html",
        "content-type": "application/x-www-form-urlencoded",
        origin: new URL(preferencesUrl).origin,
        "sec-fetch-site": "same-origin",
      },
      body: "form=preferences&email=yes&deposits=yes&asset=yes&intermediary=yes",
    });
    const customer = await view(chooser.id);

    expect(page.status).toBe(200);
    expect(page.headers.get("cache-control")).toBe("no-store");
    expect(shown).toMatch(/name="wealth" value="yes" checked/);
    expect(saved.status).toBe(200);
    expect(await saved.text()).toContain("您的选择已保存：理财与投资：关闭。"); // the customer's language: zh-CN unless the file says otherwise
    expect(customer.emailConsent).toBe(true);
    expect(customer.consent.categories.wealth).toEqual({
      granted: false,
      source: `preference centre, link of campaign ${firstCampaign}`,
      at: expect.any(String),
      by: "customer",
    });
    expect(customer.consent.categories.liability).toMatchObject({ granted: true, by: "bank" }); // the bank's, kept
    // The audit trail names the customer's own choice beside the staff's edits, once, with its proof.
    expect(customer.auditTrail.filter((e: { action: string }) => e.action === "consent")).toEqual([
      {
        customerId: chooser.id,
        at: customer.consent.categories.wealth.at,
        actor: "customer",
        action: "consent",
        field: "category.wealth",
        before: "on",
        after: "off",
        reason: `preference centre, link of campaign ${firstCampaign}`,
      },
    ]);
  });

  it("refuses the same form posted from another site, changing nothing", async () => {
    const before = await view(chooser.id);

    const forged = await fetch(preferencesUrl, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        origin: "https://evil.example",
        "sec-fetch-site": "cross-site",
      },
      body: "form=preferences",
    });

    expect(forged.status).toBe(403);
    expect((await view(chooser.id)).consent).toEqual(before.consent);
  });

  it("holds the customer back from the next wealth campaign as category_refused", async () => {
    const { stats } = await runCampaign(segmentId, "PrefTown wealth", "WEALTH_FUND");
    await waitFor(
      "the wealth offer to the other customer",
      () => emailsTo(other.email, "PrefTown wealth"),
      (found) => found.length === 1,
    );

    expect(stats).toMatchObject({ targeted: 1, sent: 1, suppressed: { category_refused: 1 } });
    expect(await emailsTo(chooser.email, "PrefTown wealth")).toEqual([]);
  });

  it("still reaches the customer with a deposit campaign", async () => {
    const { stats } = await runCampaign(segmentId, "PrefTown deposit", "DEPOSIT_TIME");
    const toChooser = await waitFor(
      "the deposit offer to the customer who turned wealth off",
      () => emailsTo(chooser.email, "PrefTown deposit"),
      (found) => found.length === 1,
    );

    expect(stats).toMatchObject({ targeted: 2, sent: 2 });
    expect(stats.suppressed).toEqual({});
    expect(toChooser).toHaveLength(1);
  });

  it("keeps the category off when the bank's file is imported again", async () => {
    const before = (await view(chooser.id)).consent.categories.wealth;

    const again = await api("POST", "/api/customers/import", "marketer", bankFile, "text/csv");
    const after = await view(chooser.id);
    const { stats } = await runCampaign(segmentId, "PrefTown wealth again", "WEALTH_FUND");

    expect(again.status).toBe(200);
    expect(after.consent.categories.wealth).toEqual(before); // the customer's proof, untouched
    expect(stats).toMatchObject({ targeted: 1, suppressed: { category_refused: 1 } });
    const page = await (await fetch(preferencesUrl, { headers: { accept: "text/html" } })).text();
    expect(page).toMatch(/name="wealth" value="yes">/); // shown off
    expect(page).toMatch(/name="deposits" value="yes" checked/);
  });
});
