import { describe, expect, it } from "vitest";
import { api, type InboxEmail, inbox, linkIn, waitFor } from "./client.js";

/** A campaign written in two languages: each customer gets the version in their own, product and tier named to match. */
const REGION = "LangTown";

let sent: InboxEmail[] = [];

describe("messages in the customer's language", () => {
  it("sends the Chinese version to a zh-CN customer and the default message to an English one", async () => {
    const file = [
      "customerId,type,name,email,aum,products,region,emailConsent,language",
      `LANG-ZH,individual,王芳,wang.fang@lang.test,250000,DEPOSIT_CURRENT,${REGION},true,`,
      `LANG-EN,individual,Li Na,li.na@lang.test,250000,DEPOSIT_CURRENT,${REGION},true,en`,
    ].join("\n");
    await api("POST", "/api/customers/import", "marketer", file, "text/csv");
    const segment = await api("POST", "/api/segments", "marketer", {
      name: "LangTown",
      rule: { attr: "region", op: "eq", value: REGION },
    });
    const created = await api("POST", "/api/campaigns", "marketer", {
      name: "Bilingual fund offer",
      segmentId: segment.body.segmentId,
      offer: { productCode: "WEALTH_FUND" },
      message: {
        subject: "{{name}}, a {{product}} for {{tier}} customers",
        html: "<p>{{offerUrl}}</p>",
        text: "{{offerUrl}}",
      },
      translations: {
        "zh-CN": { subject: "{{name}}，为{{tier}}推荐{{product}}", html: "<p>{{offerUrl}}</p>", text: "{{offerUrl}}" },
      },
      controlGroupPercent: 0,
    });
    await api("POST", `/api/campaigns/${created.body.campaignId}/submit`, "marketer");
    await api("POST", `/api/campaigns/${created.body.campaignId}/approve`, "approver");
    await api("POST", `/api/campaigns/${created.body.campaignId}/launch`, "marketer");

    const emails = await waitFor(
      "both emails",
      async () => (await inbox()).filter((e) => e.destination.to.some((to) => to.includes("@lang.test"))),
      (found) => found.length === 2,
    );
    const subjectTo = (address: string) =>
      emails.find((e) => e.destination.to.some((to) => to.includes(address)))?.subject;

    expect(created.status).toBe(201);
    expect(subjectTo("wang.fang@lang.test")).toBe("王芳，为个人富裕客户推荐理财产品");
    expect(subjectTo("li.na@lang.test")).toBe("Li Na, a Wealth Management Fund for Affluent customers");
    sent = emails;
  });

  it("opens the offer and unsubscribe pages in the language the email was in", async () => {
    const linkTo = (address: string, kind: "o" | "u") =>
      linkIn(sent.find((e) => e.destination.to.some((to) => to.includes(address)))!.body.text!, kind)!;
    const page = (url: string, method = "GET", body?: string) =>
      fetch(url, { method, body, headers: body ? { "content-type": "application/x-www-form-urlencoded" } : {} }).then(
        (r) => r.text(),
      );

    const chineseOffer = await page(linkTo("wang.fang@lang.test", "o"));
    const chineseAnswer = await page(linkTo("wang.fang@lang.test", "o"), "POST", "answer=call_me");
    const chineseUnsubscribe = await page(linkTo("wang.fang@lang.test", "u"));
    const englishOffer = await page(linkTo("li.na@lang.test", "o"));

    expect(chineseOffer).toContain('<html lang="zh-CN">');
    expect(chineseOffer).toContain("<h1>理财产品</h1>");
    expect(chineseOffer).toContain("请给我回电话");
    expect(chineseAnswer).toContain("您的客户经理会给您回电话。");
    expect(chineseUnsubscribe).toContain("不再接收示范银行的电子邮件推荐？");
    expect(englishOffer).toContain('<html lang="en">');
    expect(englishOffer).toContain("Please call me");
  });

  it("refuses a translation for a language the platform does not know, or with a bad template", async () => {
    const segment = await api("POST", "/api/segments", "marketer", {
      name: "LangTown",
      rule: { attr: "region", op: "eq", value: REGION },
    });
    const base = {
      name: "x",
      segmentId: segment.body.segmentId,
      offer: { productCode: "WEALTH_FUND" },
      message: { subject: "s", html: "<p>{{offerUrl}}</p>", text: "{{offerUrl}}" },
      controlGroupPercent: 0,
    };

    const french = await api("POST", "/api/campaigns", "marketer", { ...base, translations: { fr: base.message } });
    const unknownField = await api("POST", "/api/campaigns", "marketer", {
      ...base,
      translations: { en: { ...base.message, subject: "{{nickname}}" } },
    });

    expect(french.status).toBe(400);
    expect(french.body.message).toContain("translations");
    expect(unknownField.status).toBe(400);
    expect(unknownField.body.message).toContain("nickname");
  });
});
