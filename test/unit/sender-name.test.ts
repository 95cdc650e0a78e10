import { describe, expect, it } from "vitest";
import { prepareTemplate } from "../../shared/campaigns/message.js";
import type { CampaignStore } from "../../shared/campaigns/ports.js";
import type { Language } from "../../shared/customers/customer.js";
import type { CustomerStore } from "../../shared/customers/ports.js";
import type { DeliveryStore, Mailer, OutgoingEmail } from "../../shared/delivery/ports.js";
import { sendOffer } from "../../shared/delivery/send.js";
import { DEMO_BRAND } from "../../shared/kernel/brand.js";
import { aCampaign } from "../adapters/fixtures.js";
import { aCustomer } from "./fixtures.js";
import { partOf, platformWith } from "./platform.js";

let campaigns = 0;

/** Sends the campaign to one customer whose language is `language`, and returns what the mailer was given. */
async function sentTo(language: Language, withChinese: boolean, settings = {}): Promise<OutgoingEmail> {
  const mailed: OutgoingEmail[] = [];
  const chinese = prepareTemplate(
    { subject: "{{name}}，您好", html: '<p><a href="{{offerUrl}}">查看推荐</a></p>' },
    "translations.zh-CN",
    "zh-CN",
  );
  // A container keeps a launched campaign (send.ts): each call sends its own.
  const campaignId = `cmp-${++campaigns}`;
  const campaign = aCampaign({
    campaignId,
    status: "sending",
    ...(withChinese ? { translations: { "zh-CN": chinese } } : {}),
  });
  const p = platformWith({
    deliveries: partOf<DeliveryStore>("deliveries", {
      claim: async () => undefined,
      recordSent: async () => undefined,
    }),
    campaigns: partOf<CampaignStore>("campaigns", { get: async () => campaign, status: async () => "sending" }),
    customers: partOf<CustomerStore>("customers", {
      get: async () => aCustomer({ customerId: `C-${language}-${withChinese}`, language }),
      recordContact: async () => undefined,
    }),
    mailer: partOf<Mailer>("mailer", {
      send: async (email) => {
        mailed.push(email);
        return { messageId: "m" };
      },
    }),
    settings,
  });
  await sendOffer(p, { campaignId, customerId: `C-${language}-${withChinese}` });
  return mailed[0];
}

describe("the sender's name on the From line", () => {
  it("is the brand kit's sender name in the language the email is written in", async () => {
    // act
    const chinese = await sentTo("zh-CN", true);
    const english = await sentTo("en", true);
    const untranslated = await sentTo("zh-CN", false);
    // assess: a Chinese customer without a Chinese version gets the English email, and the English name
    expect(chinese.fromName).toBe("示范银行");
    expect(chinese.subject).toContain("您好");
    expect(english.fromName).toBe("Demo Bank");
    expect(untranslated.fromName).toBe("Demo Bank");
  });

  it("is the configured bank's", async () => {
    // act
    const email = await sentTo("zh-CN", true, {
      brand: { ...DEMO_BRAND, senderName: { "zh-CN": "样例银行信用卡中心", en: "Sample Bank Cards" } },
    });
    // assess
    expect(email.fromName).toBe("样例银行信用卡中心");
  });
});
