import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_BRAND } from "../../shared/kernel/brand.js";
import { pngOf } from "../support/memory-brand-kits.js";
import { type InboxEmail, linkIn, waitFor } from "./client.js";
import { approvedCampaignFor, type Call, type OwnPlatform, startOwnPlatform, townCustomer } from "./own-platform.js";

/**
 * Issue #12's brand kit on the real local emulators: an administrator renames the bank and
 * uploads a logo through the API; a campaign created afterwards is mailed (read from the SES
 * emulator) from the new sender name, with the logo in its header band named by the new name,
 * and the offer page its link opens wears the same; the history names the administrator. A
 * platform of its own: the shared one's other tests expect the demo bank's words.
 */
const ADMIN = "brand-admin-token-1";
const MARKETER = "brand-marketer-token-1";
const APPROVER = "brand-approver-token-1";
const JILIN = {
  ...DEMO_BRAND,
  name: { "zh-CN": "吉林示例银行", en: "Jilin Example Bank" },
  senderName: { "zh-CN": "吉林示例银行", en: "Jilin Example Bank" },
};
const CUSTOMER = "brand0@customers.test";

let own: OwnPlatform;
const call: Call = (...args) => own.call(...args);
let logoPath: string;

beforeAll(async () => {
  own = await startOwnPlatform(
    {
      devTokens: `lan:admin:${ADMIN},mei:marketer:${MARKETER},li:approver:${APPROVER}`,
      settings: { FANOUT_SHARDS: "2", POWERTOOLS_LOG_LEVEL: "ERROR" },
    },
    ADMIN,
  );
}, 120_000);

afterAll(() => own?.stop());

describe("the brand kit an administrator sets", () => {
  it("is saved through the API, and a logo uploaded as its bytes is served publicly at its content's address", async () => {
    // act
    const before = await call("GET", "/api/brand-kit");
    const saved = await call("PUT", "/api/brand-kit", { version: before.version, kit: JILIN });
    const upload = await fetch(`${own.platform.apiUrl}/api/brand-kit/logo?version=${saved.version}`, {
      method: "PUT",
      headers: { authorization: `Bearer ${ADMIN}`, "content-type": "image/png" },
      body: pngOf(200, 50),
    });
    const withLogo = (await upload.json()) as { version: number; logo: { path: string; width: number } };
    logoPath = withLogo.logo.path;
    const served = await fetch(`${own.platform.apiUrl}${logoPath}`);

    // assess
    expect(before).toMatchObject({ version: 0, source: "demo" });
    expect(saved).toMatchObject({ version: 1, source: "stored", kit: { name: JILIN.name } });
    expect(upload.status).toBe(200);
    expect(withLogo).toMatchObject({ version: 2, logo: { width: 160 } });
    expect(logoPath).toMatch(/^\/brand\/logo\/[0-9a-f]{16}\.png$/);
    expect(served.status).toBe(200);
    expect(served.headers.get("content-type")).toBe("image/png");
    expect(Buffer.from(await served.arrayBuffer())).toEqual(Buffer.from(pngOf(200, 50)));
  });

  it("dresses the next campaign's email and its offer page: the new name, the sender and the logo", async () => {
    // prepare: a campaign created after the change
    const campaignId = await approvedCampaignFor(call, "BrandTown", [townCustomer("BrandTown", 0, CUSTOMER)], {
      maker: MARKETER,
      approver: APPROVER,
    });

    // act
    await call("POST", `/api/campaigns/${campaignId}/launch`, undefined, MARKETER);
    const [email] = await waitFor(
      "the BrandTown offer in the SES emulator",
      async () =>
        ((await (await fetch(`${own.platform.inboxUrl}/store`)).json()) as { emails: InboxEmail[] }).emails.filter(
          (e) => e.destination.to.some((to) => to.includes(CUSTOMER)),
        ),
      (found) => found.length === 1,
    );
    const offerUrl = linkIn(email.body.text!, "o")!;
    const page = await fetch(offerUrl, { headers: { accept: "text/html", "accept-language": "en" } });
    const html = await page.text();

    // assess: the email, from the new sender name, its header band the logo named by the new name
    const origin = new URL(offerUrl).origin;
    expect(email.from).toContain("Jilin Example Bank");
    expect(email.body.html).toContain(
      `<img src="${origin}${logoPath}" alt="Jilin Example Bank" width="160" height="40"`,
    );
    expect(email.body.html).toContain("Jilin Example Bank");
    expect(email.body.html).not.toContain("Demo Bank<");
    // the offer page, its CSP allowing the logo from its own origin
    expect(page.status).toBe(200);
    expect(html).toContain(`<header class="bar"><div><img src="${logoPath}" alt="Jilin Example Bank"`);
    expect(html).toContain("· Jilin Example Bank</title>");
    expect(page.headers.get("content-security-policy")).toContain(`img-src ${origin}/brand/logo/;`);
  });

  it("is recorded change by change, naming the administrator", async () => {
    // act
    const { changes } = await call("GET", "/api/brand-kit/history");

    // assess
    expect(changes).toHaveLength(2);
    expect(changes[0]).toMatchObject({ version: 2, by: { name: "lan" }, changes: [{ field: "logo", before: null }] });
    expect(changes[1]).toMatchObject({
      version: 1,
      by: { name: "lan" },
      changes: expect.arrayContaining([{ field: "name.en", before: "Demo Bank", after: "Jilin Example Bank" }]),
    });
  });
});
