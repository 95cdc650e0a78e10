import { describe, expect, it } from "vitest";
import {
  MESSAGE_FIELDS,
  type MessageFields,
  type MessageTemplate,
  prepareTemplate,
  renderMessage,
} from "../../shared/campaigns/message.js";
import { DEMO_BRAND } from "../../shared/kernel/brand.js";
import { ValidationError } from "../../shared/kernel/errors.js";
import { thrownBy } from "./fixtures.js";

const fields: MessageFields = {
  name: "Wang Fang",
  tier: "Mass Affluent",
  product: "Credit Card",
  offerUrl: "https://offers.example.cn/o/OFFER",
  unsubscribeUrl: "https://offers.example.cn/u/UNSUB",
};

const template = (overrides: Partial<MessageTemplate> = {}): MessageTemplate => ({
  subject: "{{name}}, a {{product}} for you",
  html: '<p>Dear {{name}}, as a {{tier}} customer: <a href="{{offerUrl}}">see the offer</a></p>',
  text: "Dear {{name}}, see the offer: {{offerUrl}}",
  ...overrides,
});

const count = (haystack: string, needle: string) => haystack.split(needle).length - 1;

/** What a browser reads from an attribute value: Mustache writes '/' and '=' as entities. */
const decodeEntities = (html: string) =>
  html.replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16))).replace(/&amp;/g, "&");

describe("prepareTemplate", () => {
  it.each([
    ["subject", { subject: "Hello {{firstName}}" }, "firstName"],
    ["html", { html: "<p>{{balance}}</p>" }, "balance"],
    ["text", { text: "Your manager: {{manager}}" }, "manager"],
    ["html", { html: "{{#vip}}VIP only{{/vip}}" }, "vip"],
    ["text", { text: "{{{raw}}}" }, "raw"],
  ])("rejects an unknown field in the %s, naming it", (part, overrides, field) => {
    // prepare
    const message = template(overrides);
    // act
    const error = thrownBy(() => prepareTemplate(message));
    // assess
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toContain(`{{${field}}}`);
    expect((error as Error).message).toContain(`message.${part}`);
  });

  it("lists the fields a marketer may use when rejecting one", () => {
    // prepare
    const message = template({ subject: "{{nam}}" });
    // act
    const error = thrownBy(() => prepareTemplate(message)) as Error;
    // assess
    for (const field of MESSAGE_FIELDS) expect(error.message).toContain(`{{${field}}}`);
  });

  it("rejects a template that does not parse with a ValidationError", () => {
    // prepare
    const message = template({ html: "<p>{{name</p>" });
    // act
    const error = thrownBy(() => prepareTemplate(message));
    // assess
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toContain("message.html");
  });

  it("accepts a template that uses every known field", () => {
    // prepare
    const all = MESSAGE_FIELDS.map((f) => `{{${f}}}`).join(" ");
    const message = template({ subject: all, html: all, text: all });
    // act
    const prepared = prepareTemplate(message);
    // assess
    expect(prepared.subject).toBe(all);
  });

  it("appends an unsubscribe link to html and text when the marketer left it out", () => {
    // prepare
    const message = template();
    // act
    const prepared = prepareTemplate(message);
    const rendered = renderMessage(prepared, fields);
    // assess
    expect(prepared.html).toContain(message.html);
    expect(prepared.text.startsWith(message.text!)).toBe(true);
    expect(count(prepared.html, "{{unsubscribeUrl}}")).toBe(1);
    expect(count(prepared.text, "{{unsubscribeUrl}}")).toBe(1);
    expect(decodeEntities(rendered.html)).toContain(`<a href="${fields.unsubscribeUrl}"`);
    expect(rendered.text).toContain(fields.unsubscribeUrl);
    expect(prepared.subject).toBe(message.subject);
  });

  it("does not add a second unsubscribe link when the marketer placed one", () => {
    // prepare
    const message = template({
      html: '<p>Hi {{name}}, <a href="{{offerUrl}}">see</a></p><footer><a href="{{unsubscribeUrl}}">Stop these emails</a></footer>',
      text: "Hi {{name}}: {{offerUrl}}\nStop: {{unsubscribeUrl}}",
    });
    // act
    const prepared = prepareTemplate(message);
    // assess: the bank's footer is added, a second unsubscribe link is not
    expect(prepared.html).toContain(message.html);
    expect(prepared.text.startsWith(message.text!)).toBe(true);
    expect(count(prepared.html, "{{unsubscribeUrl}}")).toBe(1);
    expect(count(prepared.text, "{{unsubscribeUrl}}")).toBe(1);
    expect(prepared.html).not.toContain("No longer interested?");
    expect(prepared.html).toContain("Demo Bank Co., Ltd.");
  });

  it("checks html and text separately: a link in the text only still gets one added to the html", () => {
    // prepare
    const message = template({ text: "See {{offerUrl}}. Stop: {{unsubscribeUrl}}" });
    // act
    const prepared = prepareTemplate(message);
    // assess
    expect(count(prepared.text, "{{unsubscribeUrl}}")).toBe(1);
    expect(count(prepared.html, "{{unsubscribeUrl}}")).toBe(1);
  });
});

describe("the footer the platform adds, in the message's language", () => {
  const chinese = template({
    subject: "{{name}}，为您推荐{{product}}",
    html: '<p>尊敬的{{name}}：<a href="{{offerUrl}}">查看推荐</a></p>',
    text: "尊敬的{{name}}：{{offerUrl}}",
  });

  it("is Chinese on a Chinese message, naming the bank in Chinese", () => {
    // act
    const rendered = renderMessage(prepareTemplate(chinese, "translations.zh-CN", "zh-CN", DEMO_BRAND), fields);
    // assess
    expect(rendered.html).toContain("不想再收到此类推荐？");
    expect(decodeEntities(rendered.html)).toMatch(
      new RegExp(`<a href="${fields.unsubscribeUrl.replace(/[.?/]/g, "\\$&")}" style="[^"]*">退订</a>`),
    );
    expect(rendered.html).toContain("本推荐由示范银行发送。");
    expect(rendered.html).toMatch(
      /示范银行股份有限公司，北京市西城区金融大街 88 号。客服热线 <a href="tel:95000"[^>]*>95000<\/a>。/,
    );
    expect(rendered.text).toContain(`退订: ${fields.unsubscribeUrl}`);
    expect(rendered.text).toContain("客服热线 95000");
    expect(`${rendered.html}${rendered.text}`).not.toMatch(/Unsubscribe|No longer interested|Demo Bank|hotline/);
  });

  it("is English on an English message", () => {
    // act
    const rendered = renderMessage(prepareTemplate(template(), "translations.en", "en", DEMO_BRAND), fields);
    // assess
    expect(rendered.html).toContain("No longer interested?");
    expect(rendered.html).toContain("This offer comes from Demo Bank.");
    expect(rendered.text).toContain("Service hotline 95000.");
    expect(`${rendered.html}${rendered.text}`).not.toMatch(/[\u4e00-\u9fff]/);
  });

  it("wears the configured bank's brand, HTML-escaped", () => {
    // prepare
    const brand = { ...DEMO_BRAND, name: { ...DEMO_BRAND.name, en: "Smith & Sons Bank" } };
    // act
    const prepared = prepareTemplate(template(), "message", "en", brand);
    // assess
    expect(prepared.html).toContain("This offer comes from Smith &amp; Sons Bank.");
    expect(prepared.text).toContain("This offer comes from Smith & Sons Bank.");
  });
});

describe("prepareTemplate and the offer link", () => {
  it("refuses a message whose html has no {{offerUrl}}, naming the part", () => {
    // prepare: the customer would have no way to answer the offer
    const message = template({ html: "<p>Dear {{name}}, visit your branch.</p>" });
    // act
    const error = thrownBy(() => prepareTemplate(message)) as Error;
    // assess
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.message).toBe(
      "message.html must link to the offer with {{offerUrl}}: without it the customer cannot answer",
    );
  });

  it("names both parts when neither links to the offer, and the translation they belong to", () => {
    // prepare
    const message = template({ html: "<p>Hello</p>", text: "Hello" });
    // act
    const error = thrownBy(() => prepareTemplate(message, "translations.en")) as Error;
    // assess
    expect(error.message).toContain(
      "translations.en.html and translations.en.text must link to the offer with {{offerUrl}}",
    );
  });

  it("does not count the word offerUrl outside a field as the link", () => {
    // prepare: a literal mention is not a link
    const message = template({ text: "Dear {{name}}, the offerUrl is in the HTML part" });
    // act
    const error = thrownBy(() => prepareTemplate(message)) as Error;
    // assess
    expect(error.message).toContain("message.text must link to the offer");
  });
});

describe("renderMessage", () => {
  const hostile: MessageFields = { ...fields, name: '<script>alert("x")</script> & Co' };

  it("fills in every personal field, and the preference centre's link in the footer", () => {
    // prepare
    const prepared = prepareTemplate(template());
    // act
    const rendered = renderMessage(prepared, { ...fields, preferencesUrl: "https://offers.example.cn/p/PREFS" });
    // assess
    expect(rendered.subject).toBe("Wang Fang, a Credit Card for you");
    expect(rendered.text).toBe(
      [
        "Dear Wang Fang, see the offer: https://offers.example.cn/o/OFFER",
        "",
        "Unsubscribe: https://offers.example.cn/u/UNSUB",
        "Manage your preferences: https://offers.example.cn/p/PREFS",
        "--",
        "This offer comes from Demo Bank. Demo Bank will never ask for your password or a verification code by email.",
        "Demo Bank Co., Ltd., 88 Financial Street, Xicheng District, Beijing. Service hotline 95000.",
      ].join("\n"),
    );
    expect(rendered.html).toContain("Dear Wang Fang, as a Mass Affluent customer");
    expect(decodeEntities(rendered.html)).toMatch(
      /<a href="https:\/\/offers\.example\.cn\/p\/PREFS" style="[^"]*">Manage your preferences<\/a>/,
    );
  });

  it("links to the preference centre in the message's language even when the marketer wrote the unsubscribe link", () => {
    // prepare
    const own = template({
      html: '<p><a href="{{offerUrl}}">offer</a> <a href="{{unsubscribeUrl}}">stop</a></p>',
      text: "{{offerUrl}} {{unsubscribeUrl}}",
    });
    // act
    const prepared = prepareTemplate(own, "translations.zh-CN", "zh-CN");
    // assess
    expect(prepared.html).toMatch(/<a href="\{\{preferencesUrl\}\}" style="[^"]*">管理您的推荐偏好<\/a>/);
    expect(prepared.html).not.toContain("退订</a>");
    expect(prepared.text).toContain("管理您的推荐偏好: {{preferencesUrl}}");
  });

  it("HTML-escapes personal fields in the html part", () => {
    // prepare
    const prepared = prepareTemplate(template());
    // act
    const rendered = renderMessage(prepared, hostile);
    // assess
    expect(rendered.html).not.toContain("<script>");
    expect(rendered.html).toContain("&lt;script&gt;");
    expect(rendered.html).toContain("&amp; Co");
  });

  it("leaves personal fields as they are in the plain-text part", () => {
    // prepare
    const prepared = prepareTemplate(template());
    // act
    const rendered = renderMessage(prepared, hostile);
    // assess
    expect(rendered.text).toContain('Dear <script>alert("x")</script> & Co,');
    expect(rendered.text).not.toContain("&lt;");
    expect(rendered.text).toContain("https://offers.example.cn/o/OFFER");
  });

  it("does not HTML-escape the subject, which is plain text", () => {
    // prepare
    const prepared = prepareTemplate(template({ subject: "For {{name}}" }));
    // act
    const rendered = renderMessage(prepared, { ...fields, name: "Smith & Sons" });
    // assess
    expect(rendered.subject).toBe("For Smith & Sons");
  });

  it.each([["\r\n"], ["\n"], ["\r"], ["\r\n\r\n"]])(
    "strips line breaks (%j) from the subject so no header can be injected",
    (newline) => {
      // prepare
      const prepared = prepareTemplate(template({ subject: "Offer for {{name}}" }));
      // act
      const rendered = renderMessage(prepared, { ...fields, name: `Ann${newline}Bcc: everyone@example.cn` });
      // assess
      expect(rendered.subject).not.toMatch(/[\r\n]/);
      expect(rendered.subject).toBe("Offer for Ann Bcc: everyone@example.cn");
    },
  );

  it.each([["{{{name}}}"], ["{{& name}}"]])(
    "never lets a template put a raw personal field into the html (%s)",
    (tag) => {
      // prepare: a customer's name comes from an imported file; in html it must stay text
      const message = template({ html: `<p>Dear ${tag}</p>` });
      // act: either prepareTemplate refuses the unescaped tag, or renderMessage escapes it anyway
      let html: string | undefined;
      let refused: unknown;
      try {
        html = renderMessage(prepareTemplate(message), hostile).html;
      } catch (error) {
        refused = error;
      }
      // assess
      if (refused !== undefined) expect(refused).toBeInstanceOf(ValidationError);
      else expect(html).not.toContain("<script>");
    },
  );
});

describe("the finished email: the layout wearing the brand kit", () => {
  const links = { ...fields, preferencesUrl: "https://offers.example.cn/p/PREFS" };

  it("wraps the content between the bank's name on its colours and the footer, in the message's language", () => {
    // act
    const rendered = renderMessage(prepareTemplate(template(), "translations.zh-CN", "zh-CN", DEMO_BRAND), links);
    // assess
    expect(rendered.html).toMatch(/^<!doctype html>\n<html lang="zh-CN"/);
    expect(rendered.html).toContain("<title>Wang Fang, a Credit Card for you</title>");
    expect(rendered.html).toContain(`background-color:${DEMO_BRAND.colours.primary}`);
    expect(rendered.html).toMatch(new RegExp(`color:${DEMO_BRAND.colours.onPrimary};"\\s*>示范银行</div>`));
    const content = rendered.html.indexOf("Dear Wang Fang, as a Mass Affluent customer");
    const bankName = rendered.html.indexOf(">示范银行</div>");
    const footer = rendered.html.indexOf("退订</a>");
    expect(bankName).toBeGreaterThan(0);
    expect(content).toBeGreaterThan(bankName);
    expect(footer).toBeGreaterThan(content);
    expect(decodeEntities(rendered.html)).toContain(`href="${fields.unsubscribeUrl}"`);
    expect(decodeEntities(rendered.html)).toContain(`href="${links.preferencesUrl}"`);
    expect(rendered.html).toContain("示范银行股份有限公司");
  });

  it("is text only: no image, so no tracking pixel and nothing lost with images off", () => {
    // act
    const { html } = renderMessage(prepareTemplate(template()), links);
    // assess
    expect(html).not.toMatch(/<img|background=|url\(/i);
    expect(html).toContain(">Demo Bank</div>");
  });

  it("HTML-escapes the brand's name and the subject in the layout", () => {
    // prepare
    const brand = { ...DEMO_BRAND, name: { ...DEMO_BRAND.name, en: "Smith & Sons Bank" } };
    // act
    const prepared = prepareTemplate(template({ subject: 'Rates > 3% "now"' }), "message", "en", brand);
    // assess
    expect(prepared.html).toContain(">Smith &amp; Sons Bank</div>");
    expect(prepared.html).toContain("<title>Rates &gt; 3% &quot;now&quot;</title>");
  });

  it("takes the body of a whole HTML document the marketer wrote, so the email stays one document", () => {
    // act
    const prepared = prepareTemplate(
      template({
        html: '<html><head><title>x</title></head><body><p><a href="{{offerUrl}}">See</a></p></body></html>',
      }),
    );
    // assess
    expect(count(prepared.html, "<html")).toBe(1);
    expect(count(prepared.html, "<body")).toBe(1);
    expect(prepared.html).toContain('<p><a href="{{offerUrl}}">See</a></p>');
  });
});

describe("the plain-text part", () => {
  const links = { ...fields, name: "Smith & Sons", preferencesUrl: "https://offers.example.cn/p/PREFS" };
  const withoutText = (html: string, subject = "{{name}}, for you") => ({ subject, html });

  it("is read from the finished HTML when the marketer wrote none: the bank, the content, each link as its URL", () => {
    // prepare
    const message = withoutText(
      '<h1>Hello {{name}}</h1><p>As a {{tier}} customer, open our {{product}}.</p><p><a href="{{offerUrl}}">See the offer</a></p>',
    );
    // act
    const { text } = renderMessage(prepareTemplate(message), links);
    // assess
    expect(text.startsWith("Demo Bank\n")).toBe(true);
    expect(text).toContain("Hello Smith & Sons");
    expect(text).toContain("As a Mass Affluent customer, open our Credit Card.");
    expect(text).toContain(`See the offer [${fields.offerUrl}]`);
    expect(text).toContain(`Unsubscribe [${fields.unsubscribeUrl}]`);
    expect(text).toContain(`Manage your preferences [${links.preferencesUrl}]`);
    expect(text).toContain(
      "Demo Bank Co., Ltd., 88 Financial Street, Xicheng District, Beijing. Service hotline 95000.",
    );
    expect(text).not.toMatch(/<\/?[a-z!]|&amp;|&lt;|\{\{|%%/i);
    expect(text).not.toContain("tel:");
    expect(text).not.toMatch(/\n{3}/);
  });

  it("is Chinese for a Chinese message, with the links the marketer placed and none twice", () => {
    // prepare
    const message = withoutText(
      '<p>尊敬的{{name}}：<a href="{{offerUrl}}">查看推荐</a></p><p><a href="{{unsubscribeUrl}}">不再接收</a></p>',
    );
    // act
    const { text } = renderMessage(prepareTemplate(message, "translations.zh-CN", "zh-CN"), links);
    // assess
    expect(text.startsWith("示范银行\n")).toBe(true);
    expect(text).toContain(`查看推荐 [${fields.offerUrl}]`);
    expect(count(text, fields.unsubscribeUrl)).toBe(1);
    expect(text).toContain(`管理您的推荐偏好 [${links.preferencesUrl}]`);
    expect(text).not.toMatch(/Unsubscribe|Demo Bank|hotline/);
  });

  it("is the marketer's own text with the footer's words when they wrote one", () => {
    // act
    const { text } = renderMessage(prepareTemplate(template()), links);
    // assess
    expect(text.startsWith("Dear Smith & Sons, see the offer: https://offers.example.cn/o/OFFER\n\n")).toBe(true);
    expect(text).toContain(`Unsubscribe: ${fields.unsubscribeUrl}`);
  });
});
