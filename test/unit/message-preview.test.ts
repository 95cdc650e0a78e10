import { beforeEach, describe, expect, it } from "vitest";
import type { Customer } from "../../shared/customers/customer.js";
import type { CustomerStore } from "../../shared/customers/ports.js";
import type { Mailer, OutgoingEmail } from "../../shared/delivery/ports.js";
import { previewCampaignMessage, sendTestEmail, TEST_SENDS_PER_HOUR } from "../../shared/delivery/preview.js";
import { NotFoundError, NotInSegmentError, TestSendLimitError, ValidationError } from "../../shared/kernel/errors.js";
import { PRODUCT_CATALOGUE } from "../../shared/kernel/products.js";
import { TIER_LABELS_ZH } from "../../shared/kernel/tiers.js";
import { aCampaign } from "../adapters/fixtures.js";
import { aCustomer } from "./fixtures.js";
import { InMemoryCampaigns } from "./in-memory-campaigns.js";
import { partOf, platformWith } from "./platform.js";

const MEI = { name: "mei", role: "marketer" as const };
const ADMIN = { name: "root", role: "admin" as const };

const campaign = aCampaign({
  status: "submitted",
  segmentRule: { holds: "DEPOSIT_CURRENT" },
  translations: {
    "zh-CN": {
      subject: "{{name}}，{{product}}",
      html: '<p>{{tier}}客户 <a href="{{offerUrl}}">查看</a> <a href="{{unsubscribeUrl}}">退订</a></p>',
      text: "{{tier}} {{offerUrl}} {{unsubscribeUrl}}",
    },
  },
});

const outsider = aCustomer({ customerId: "C-0", products: ["CREDIT_CARD"], language: "en" });
const chinese = aCustomer({ customerId: "C-1", name: "王芳", language: "zh-CN" });
const english = aCustomer({ customerId: "C-2", name: "Lily Chen", language: "en", tier: "affluent" });

let campaigns: InMemoryCampaigns;
let mailed: OutgoingEmail[];
let scanned: number;

/** Customers in one page per shard: shard 0 holds the first two, shard 1 the rest. */
function platform(customers: Customer[] = [outsider, chinese, english]) {
  const byId = new Map(customers.map((c) => [c.customerId, c]));
  return platformWith({
    campaigns,
    customers: partOf<CustomerStore>("customers", {
      get: async (id) => byId.get(id) ?? null,
      scanShard: async (shard) => {
        scanned++;
        return { customers: shard === 0 ? customers.slice(0, 2) : shard === 1 ? customers.slice(2) : [] };
      },
    }),
    mailer: partOf<Mailer>("mailer", {
      send: async (email) => {
        mailed.push(email);
        return { messageId: "msg-1" };
      },
    }),
  });
}

beforeEach(() => {
  campaigns = new InMemoryCampaigns(campaign);
  mailed = [];
  scanned = 0;
});

describe("previewCampaignMessage", () => {
  it("renders the first member who reads the language asked for, in that language's version, name masked for a marketer", async () => {
    // act
    const preview = await previewCampaignMessage(platform(), "cmp-1", { language: "en" }, MEI);
    // assess
    expect(preview).toMatchObject({ customerId: "C-2", language: "en", languages: ["en", "zh-CN"] });
    expect(preview.subject).toBe("L*** C***, a fund picked for you");
    expect(preview.html).not.toContain("Lily");
  });

  it("names the product and tier in Chinese in the Chinese version, as the sender does", async () => {
    // act
    const preview = await previewCampaignMessage(platform(), "cmp-1", { language: "zh-CN" }, ADMIN);
    // assess: an admin sees the real name
    expect(preview.customerId).toBe("C-1");
    expect(preview.language).toBe("zh-CN");
    expect(preview.subject).toBe(`王芳，${PRODUCT_CATALOGUE.WEALTH_FUND.nameZh}`);
    expect(preview.text).toContain(TIER_LABELS_ZH.mass_affluent);
  });

  it("carries inert links the customer pages refuse, never a signed one", async () => {
    // act
    const preview = await previewCampaignMessage(platform(), "cmp-1", {}, MEI);
    // assess
    expect(preview.html).toContain('href="https://offers.example.cn/o/preview"');
    expect(preview.html).toContain('href="https://offers.example.cn/u/preview"');
    expect(preview.html).not.toMatch(/\/o\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/);
  });

  it("uses the customer asked for when they are in the segment, in their own language", async () => {
    // act
    const preview = await previewCampaignMessage(platform(), "cmp-1", { customerId: "C-2" }, MEI);
    // assess
    expect(preview).toMatchObject({ customerId: "C-2", language: "en" });
    expect(scanned).toBe(0);
  });

  it("refuses a customer outside the segment with a 422 saying so, and an unknown one with a 404", async () => {
    // act
    const outside = previewCampaignMessage(platform(), "cmp-1", { customerId: "C-0" }, MEI);
    const unknown = previewCampaignMessage(platform(), "cmp-1", { customerId: "C-9" }, MEI);
    // assess
    await expect(outside).rejects.toBeInstanceOf(NotInSegmentError);
    await expect(outside).rejects.toThrow("is not in the segment");
    await expect(unknown).rejects.toBeInstanceOf(NotFoundError);
  });

  it("falls back to a member in another language, rendered in the language asked for", async () => {
    // act
    const preview = await previewCampaignMessage(platform([outsider, chinese]), "cmp-1", { language: "en" }, MEI);
    // assess
    expect(preview).toMatchObject({ customerId: "C-1", language: "en" });
    expect(preview.subject).toContain("a fund picked for you");
  });

  it("finds the one member of a small segment deep in a large base, and says so only when the whole base has none", async () => {
    // prepare: 30 pages of outsiders in each shard; in one base the last page of the last shard holds a member
    const base = (last: Customer) =>
      platformWith({
        campaigns,
        customers: partOf<CustomerStore>("customers", {
          scanShard: async (shard: number, shards: number, _size: number, cursor?: string) => {
            scanned++;
            const page = Number(cursor ?? 0);
            const isLast = shard === shards - 1 && page === 29;
            return { customers: [isLast ? last : outsider], cursor: page < 29 ? String(page + 1) : undefined };
          },
        }),
      });
    // act
    const found = await previewCampaignMessage(base(chinese), "cmp-1", {}, MEI);
    const readToFind = scanned;
    scanned = 0;
    const none = previewCampaignMessage(base(outsider), "cmp-1", {}, MEI);
    // assess
    expect(found.customerId).toBe(chinese.customerId);
    await expect(none).rejects.toBeInstanceOf(NotInSegmentError);
    await expect(none).rejects.toThrow("name one with customerId");
    expect(scanned).toBe(readToFind); // the whole base, every shard to its end, and no further
  });

  it("reads no more of a large bank than SYNC_COUNT_MAX_CUSTOMERS, and then asks for a customer to preview with", async () => {
    // prepare: one customer a page, 30 pages a shard, the only member on the last shard's last page
    const records: number[] = [];
    const ports = platformWith({
      campaigns,
      customers: partOf<CustomerStore>("customers", {
        scanShard: async (shard: number, shards: number, _size: number, cursor?: string) => {
          records.push(1);
          const page = Number(cursor ?? 0);
          const isLast = shard === shards - 1 && page === 29;
          return { customers: [isLast ? chinese : outsider], cursor: page < 29 ? String(page + 1) : undefined };
        },
        approximateCount: async () => 30 * 4,
      }),
      settings: { syncCountMaxCustomers: 12 },
    });
    // act
    const none = previewCampaignMessage(ports, "cmp-1", {}, MEI);
    // assess
    await expect(none).rejects.toBeInstanceOf(NotInSegmentError);
    await expect(none).rejects.toThrow(/among the \d+ customers a request reads .*name one to preview with/);
    expect(records.length).toBeLessThanOrEqual(12);
  });
});

describe("sendTestEmail", () => {
  it("mails the preview with a [TEST] subject in the email's language, names no delivery, and records who sent it", async () => {
    // act
    const sent = await sendTestEmail(platform(), "cmp-1", { to: "mei@bank.example", language: "zh-CN" }, MEI);
    // assess
    expect(sent).toEqual({ messageId: "msg-1", to: "mei@bank.example", language: "zh-CN" });
    expect(mailed).toHaveLength(1);
    expect(mailed[0].subject.startsWith("[测试] ")).toBe(true);
    expect(mailed[0].fromName).toBe("示范银行");
    expect(mailed[0].tags).toEqual({ testSend: "cmp-1" });
    expect(campaigns.entries).toEqual([
      { campaignId: "cmp-1", event: "test_sent", status: "submitted", by: "mei", at: "2026-06-01T12:00:00.000Z" },
    ]);
    // The history names who, never the address.
    expect(JSON.stringify(campaigns.entries)).not.toContain("mei@bank.example");
  });

  it("allows a person TEST_SENDS_PER_HOUR tests of a campaign an hour, saying when the next may go (429)", async () => {
    // prepare: nine of mei's in the last hour, one older, and li's, which are li's own
    const at = (minutesAgo: number) =>
      new Date(Date.parse("2026-06-01T12:00:00.000Z") - minutesAgo * 60_000).toISOString();
    const sent = (by: string, minutesAgo: number) =>
      campaigns.entries.push({ campaignId: "cmp-1", event: "test_sent", status: "submitted", by, at: at(minutesAgo) });
    sent("mei", 61);
    for (let m = 59; m > 50; m--) sent("mei", m);
    sent("li", 5);
    // act
    const tenth = await sendTestEmail(platform(), "cmp-1", { to: "mei@bank.example" }, MEI);
    const eleventh = sendTestEmail(platform(), "cmp-1", { to: "mei@bank.example" }, MEI);
    // assess
    expect(tenth.messageId).toBe("msg-1");
    await expect(eleventh).rejects.toBeInstanceOf(TestSendLimitError);
    await expect(eleventh).rejects.toThrow(
      `the next may go at ${new Date(Date.parse(at(59)) + 3_600_000).toISOString()}`,
    );
    expect(TEST_SENDS_PER_HOUR).toBe(10);
    expect(mailed).toHaveLength(1);
  });

  it("marks an English test [TEST]", async () => {
    // act
    await sendTestEmail(platform(), "cmp-1", { to: "mei@bank.example", language: "en" }, MEI);
    // assess
    expect(mailed[0].subject).toBe("[TEST] L*** C***, a fund picked for you");
  });

  it.each(["", "mei", "mei@", "a b@bank.example"])("refuses the address %j before sending anything", async (to) => {
    // act
    const result = sendTestEmail(platform(), "cmp-1", { to }, MEI);
    // assess
    await expect(result).rejects.toBeInstanceOf(ValidationError);
    await expect(result).rejects.toThrow("to is not an email address");
    expect(mailed).toEqual([]);
    expect(campaigns.entries).toEqual([]);
  });
});
