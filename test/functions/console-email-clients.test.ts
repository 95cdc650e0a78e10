import { beforeEach, describe, expect, it } from "vitest";
import { prepareTemplate } from "../../shared/campaigns/message.js";
import type { Customer } from "../../shared/customers/customer.js";
import type { Actor } from "../../shared/kernel/actor.js";
import type { Segment } from "../../shared/segments/segment.js";
import { aCampaign } from "../adapters/fixtures.js";
import { consoleHarness } from "../support/console-app.js";
import { aCustomer } from "../unit/fixtures.js";
import { InMemoryCampaigns } from "../unit/in-memory-campaigns.js";
import { inMemoryPreviews } from "../unit/in-memory-previews.js";
import { platformWith } from "../unit/platform.js";

/**
 * The draft's page tells the marketer what email clients will drop in each version's own HTML
 * (caniemail's data, shared/campaigns/email-clients.ts), before the approver or a customer sees it.
 */

const MEI: Actor = { kind: "person", id: "sub-mei", name: "mei", role: "marketer" };
const SEGMENT: Segment = {
  segmentId: "seg-1",
  version: 1,
  name: "Savers",
  rule: { holds: "DEPOSIT_CURRENT" },
  createdBy: "mei",
  createdAt: "2026-05-01T08:00:00.000Z",
};
const clock = new Date("2026-06-01T12:00:00.000Z");
const customers: Customer[] = [aCustomer({ customerId: "C-0001", language: "en" })];

let harness: ReturnType<typeof consoleHarness>;

/** The draft's page, as mei sees it in `language`, for a draft whose versions hold this HTML. */
async function draftPage(html: { en: string; zh: string }, language: "en" | "zh-CN", version: "en" | "zh-CN") {
  const message = (content: string, lang: "en" | "zh-CN") =>
    prepareTemplate({ subject: "{{name}}", html: content, text: "{{offerUrl}}" }, "message", lang);
  const campaigns = new InMemoryCampaigns(
    aCampaign({
      campaignId: "cmp-draft",
      status: "draft",
      message: message(html.en, "en"),
      translations: { "zh-CN": message(html.zh, "zh-CN") },
    }),
  );
  const ports = platformWith(
    {
      campaigns,
      previews: inMemoryPreviews().previews,
      segments: { get: async () => SEGMENT, list: async () => [SEGMENT] },
      customers: {
        scanShard: async (shard: number) => ({ customers: shard === 0 ? customers : [] }),
        get: async (id: string) => customers.find((c) => c.customerId === id) ?? null,
      },
    },
    clock,
  );
  const app = harness.appWith(ports);
  const mei = await harness.signedIn(app, MEI, "/campaigns/new");
  if (language === "zh-CN") await mei.post("/language", { language: "zh-CN", returnTo: "/console/campaigns" });
  const page = await mei.get(`/campaigns/cmp-draft/draft?language=${version}`);
  expect(page.status).toBe(200);
  return page.text();
}

/** The section's text, tags dropped. */
const section = (page: string) =>
  (/<div class="client-gaps" data-client-gaps="true">([\s\S]*?)<\/div>/.exec(page)?.[1] ?? "")
    .replace(/<[^>]+>/g, " ")
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, " ");

const PLAIN = '<p>Dear {{name}}, <a href="{{offerUrl}}">see the offer</a></p>';
const FLEX = '<div style="display:flex"><p>{{name}}</p><a href="{{offerUrl}}">see the offer</a></div>';

describe("the draft's page, on email clients", () => {
  beforeEach(() => {
    harness = consoleHarness(() => clock);
  });

  it("names what Outlook for Windows ignores in the version previewed, and which clients", async () => {
    // act
    const page = await draftPage({ en: FLEX, zh: PLAIN }, "en", "en");
    // assess
    expect(section(page)).toContain("display:flex is ignored by Outlook (Windows), Windows Mail.");
    expect(section(page)).toContain("QQ Mail and 163 Mail are not in it");
  });

  it("says so when a version has nothing a client drops, version by version", async () => {
    // act
    const page = await draftPage({ en: FLEX, zh: PLAIN }, "en", "zh-CN");
    // assess
    expect(section(page)).toContain("Nothing in this version's content is dropped");
  });

  it("says the same in Chinese", async () => {
    // act
    const page = await draftPage({ en: PLAIN, zh: FLEX }, "zh-CN", "zh-CN");
    // assess
    expect(section(page)).toContain("display:flex 不被以下客户端支持：Outlook（Windows）、Windows Mail。");
    expect(section(page)).toContain("其中没有 QQ 邮箱和 163 邮箱");
  });
});
