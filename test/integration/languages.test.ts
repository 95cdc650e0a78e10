import { describe, expect, it } from "vitest";
import { api, inbox, waitFor } from "./client.js";

/** A campaign written in two languages: each customer gets the version in their own, product and tier named to match. */
const REGION = "LangTown";

describe("messages in the customer's language", () => {
  it("sends the Chinese version to a zh-CN customer and the default message to an English one", async () => {
    const file = [
      "customerId,type,name,email,aum,products,region,emailConsent,language",
      `LANG-ZH,individual,王芳,wang.fang@lang.test,250000,DEPOSIT_CURRENT,${REGION},true,`,
      `LANG-EN,individual,Li Na,li.na@lang.test,250000,DEPOSIT_CURRENT,${REGION},true,en`,
    ].join("\n");
    await api("POST", "/api/customers/import", "marketer", file, "text/csv");
    const segment = await api("POST", "/api/segments", "marketer", { name: "LangTown", rule: { attr: "region", op: "eq", value: REGION } });
    const created = await api("POST", "/api/campaigns", "marketer", {
      name: "Bilingual fund offer",
      segmentId: segment.body.segmentId,
      offer: { productCode: "WEALTH_FUND" },
      message: { subject: "{{name}}, a {{product}} for {{tier}} customers", html: "<p>{{offerUrl}}</p>", text: "{{offerUrl}}" },
      translations: { "zh-CN": { subject: "{{name}}，为{{tier}}推荐{{product}}", html: "<p>{{offerUrl}}</p>", text: "{{offerUrl}}" } },
      controlGroupPercent: 0,
    });
    await api("POST", `/api/campaigns/${created.body.campaignId}/approve`, "approver");
    await api("POST", `/api/campaigns/${created.body.campaignId}/launch`, "marketer");

    const emails = await waitFor("both emails", async () => (await inbox()).filter((e) => e.destination.to.some((to) => to.includes("@lang.test"))), (found) => found.length === 2);
    const subjectTo = (address: string) => emails.find((e) => e.destination.to.some((to) => to.includes(address)))?.subject;

    expect(created.status).toBe(201);
    expect(subjectTo("wang.fang@lang.test")).toBe("王芳，为个人富裕客户推荐理财产品");
    expect(subjectTo("li.na@lang.test")).toBe("Li Na, a Wealth Management Fund for Affluent customers");
  });

  it("refuses a translation for a language the platform does not know, or with a bad template", async () => {
    const segment = await api("POST", "/api/segments", "marketer", { name: "LangTown", rule: { attr: "region", op: "eq", value: REGION } });
    const base = { name: "x", segmentId: segment.body.segmentId, offer: { productCode: "WEALTH_FUND" }, message: { subject: "s", html: "<p>{{offerUrl}}</p>", text: "{{offerUrl}}" }, controlGroupPercent: 0 };

    const french = await api("POST", "/api/campaigns", "marketer", { ...base, translations: { fr: base.message } });
    const unknownField = await api("POST", "/api/campaigns", "marketer", { ...base, translations: { en: { ...base.message, subject: "{{nickname}}" } } });

    expect(french.status).toBe(400);
    expect(french.body.message).toContain("translations");
    expect(unknownField.status).toBe(400);
    expect(unknownField.body.message).toContain("nickname");
  });
});
