import { beforeAll, describe, expect, inject, it } from "vitest";
import { signLink } from "../../shared/delivery/links.js";
import { api, type InboxEmail, inbox, linkIn, runCampaign, waitFor } from "./client.js";

/**
 * Issue #12 on the real emulators: links in emails older than their 30 days. The platform has
 * no clock to turn, so the test signs each link as the sender did, with the secret the test
 * platform was given, and an expiry in the past. An old unsubscribe link still unsubscribes; an
 * expired offer link's "Email me a current link" sends exactly one email (read from the local
 * SES emulator) whose links work, a second press sends none, and a customer who unsubscribed
 * gets none; the campaign's funnel counts the renewal apart from its sends.
 */
const REGION = "RenewTown";
const customers = [0, 1, 2].map((i) => ({ id: `RENEW-${i}`, email: `renew${i}@customers.test` }));
const [unsubscriber, renewer, unsubscribedRenewer] = customers;
const HEADER = "customerId,type,name,email,aum,products,region,emailConsent";
const bankFile = [
  HEADER,
  ...customers.map((c) =>
    [c.id, "individual", `Renew ${c.id}`, c.email, 120_000, "DEPOSIT_CURRENT", REGION, "true"].join(","),
  ),
].join("\n");
const SUBJECT = "RenewTown card";

const recipient = (e: InboxEmail) => e.destination.to[0].replace(/.*<|>.*/g, "");
const emailsTo = async (address: string) =>
  (await inbox()).filter((e) => recipient(e) === address && e.subject.startsWith(SUBJECT));
const view = (customerId: string) => api("GET", `/api/customers/${customerId}`, "admin").then((r) => r.body);

let campaignId: string;
/** Each customer's first email, as the campaign sent it. */
const firstEmail = new Map<string, InboxEmail>();

/** The link of `kind` in the customer's email, signed again as if sent `daysAgo` days ago with its 30 days. */
function oldLink(customer: (typeof customers)[number], kind: "o" | "u" | "p", daysAgo: number): string {
  const link = linkIn(firstEmail.get(customer.id)!.body.text!, kind)!;
  const [base, token] = link.split(`/${kind}/`);
  const [deliveryId, action] = JSON.parse(Buffer.from(token.split(".")[0], "base64url").toString()) as [
    string,
    "offer" | "unsubscribe" | "preferences",
  ];
  const expiresAt = Math.floor(Date.now() / 1000) - daysAgo * 86_400 + 30 * 86_400;
  return `${base}/${kind}/${signLink(inject("linkSigningSecret"), { deliveryId, action, expiresAt })}`;
}

/** A press of the page's button, as the browser posts it. */
const press = (url: string) =>
  fetch(url, {
    method: "POST",
    headers: {
      accept: "text/html",
      "content-type": "application/x-www-form-urlencoded",
      origin: new URL(url).origin,
      "sec-fetch-site": "same-origin",
    },
    body: "",
  });

const stats = () => api("GET", `/api/campaigns/${campaignId}/stats`, "analyst").then((r) => r.body);

beforeAll(async () => {
  expect((await api("POST", "/api/customers/import", "marketer", bankFile, "text/csv")).status).toBe(200);
  const segment = await api("POST", "/api/segments", "marketer", {
    name: "RenewTown savers",
    rule: { attr: "region", op: "eq", value: REGION },
  });
  ({ campaignId } = await runCampaign(segment.body.segmentId, SUBJECT, "CREDIT_CARD"));
  for (const customer of customers) {
    const [email] = await waitFor(
      `the card offer to ${customer.id}`,
      () => emailsTo(customer.email),
      (found) => found.length === 1,
    );
    firstEmail.set(customer.id, email);
  }
});

describe("links in old emails", () => {
  it("unsubscribes with the one-click POST of an email 400 days old", async () => {
    // act
    const response = await fetch(oldLink(unsubscriber, "u", 400), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "List-Unsubscribe=One-Click",
    });

    // assess
    expect(response.status).toBe(200);
    const customer = await view(unsubscriber.id);
    expect(customer.emailConsent).toBe(false);
    expect(customer.consent.channels.email).toMatchObject({ granted: false, by: "customer" });
  });

  it("sends exactly one current email from an expired offer link, whose links work, and none on a second press", async () => {
    // prepare
    const expired = oldLink(renewer, "o", 40);
    const sentBefore = (await stats()).sent;

    // act
    const page = await fetch(expired, { headers: { accept: "text/html" } });
    const pageText = await page.text();
    const first = await press(`${expired}/renew`);
    const firstText = await first.text();
    const [, renewal] = await waitFor(
      "the renewed email",
      () => emailsTo(renewer.email),
      (found) => found.length === 2,
    );
    const second = await press(`${expired}/renew`);
    const secondText = await second.text();
    const fresh = await fetch(linkIn(renewal.body.text!, "o")!, { headers: { accept: "text/html" } });
    await new Promise((r) => setTimeout(r, 1_500)); // time for a second email, were one sent
    const after = await stats();

    // assess
    expect(page.status).toBe(410);
    expect(pageText).toContain("Email me a current link");
    expect(first.status).toBe(200);
    expect(firstText).toContain("sent it to the email address we have for you");
    expect(firstText).not.toContain(renewer.email);
    expect(renewal.subject).toBe(firstEmail.get(renewer.id)!.subject);
    expect(linkIn(renewal.body.text!, "o")).not.toBe(linkIn(firstEmail.get(renewer.id)!.body.text!, "o"));
    expect(fresh.status).toBe(200);
    expect(second.status).toBe(200);
    expect(secondText).toContain("We have already sent you a current link today");
    expect(await emailsTo(renewer.email)).toHaveLength(2);
    expect(after.sent).toBe(sentBefore);
    expect(after.renewed).toBe(1);
  });

  it("sends nothing to a customer who unsubscribed", async () => {
    // prepare
    const unsubscribe = linkIn(firstEmail.get(unsubscribedRenewer.id)!.body.text!, "u")!;
    expect((await fetch(unsubscribe, { method: "POST" })).status).toBe(200);

    // act
    const response = await press(`${oldLink(unsubscribedRenewer, "o", 40)}/renew`);
    await new Promise((r) => setTimeout(r, 1_000));

    // assess
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("We cannot email you about this offer");
    expect(await emailsTo(unsubscribedRenewer.email)).toHaveLength(1);
    expect((await stats()).renewed).toBe(1);
  });
});
