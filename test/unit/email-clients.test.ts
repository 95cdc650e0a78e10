import { describe, expect, it } from "vitest";
import { clientGapsOf, clientGapsOfEmail } from "../../shared/campaigns/email-clients.js";
import { prepareTemplate, renderMessage } from "../../shared/campaigns/message.js";
import { DEMO_BRAND } from "../../shared/kernel/brand.js";
import type { Language } from "../../shared/kernel/language.js";

const fields = {
  name: "王芳",
  tier: "个人富裕客户",
  product: "理财产品",
  offerUrl: "https://offers.example.cn/o/OFFER",
  unsubscribeUrl: "https://offers.example.cn/u/UNSUB",
  preferencesUrl: "https://offers.example.cn/p/PREFS",
};

/**
 * What caniemail says some clients drop in the platform's own layout, and why each is
 * accepted: MJML writes these for the clients that read them, with a fallback for those that
 * do not. A gap not in this list is new, and someone should look at it before it ships.
 */
const LAYOUT_GAPS: Record<string, string> = {
  "@media":
    "the responsive rules for phones; Outlook for Windows and Gmail's mobile web app show the fixed 600 px column instead",
  "Class selector": "the same responsive rules, in MJML's <style> block (Gmail's mobile web app drops the block)",
  "ID selector": "MJML's Outlook.com reset (#outlook a): no effect elsewhere",
  "Type selector": "MJML's resets of body, table and img margins; every part also carries its inline style",
  "Descendant combinator": "in the same resets and responsive rules",
  "Chaining selectors": "in the same resets and responsive rules",
  outline: "MJML's reset of image outlines; Outlook for Windows draws none anyway",
  "<body> element": "the Outlook and Yahoo apps replace <body> with a <div>; every style is also on the tables inside",
  "aria-label attribute": "the email's accessible name for screen readers; clients without it read the content",
  "role attribute": "role=presentation on layout tables, for screen readers; ignored where unsupported",
  "word-break": "long links wrap in clients that support it; elsewhere a long link scrolls",
};

const rendered = (language: Language, html: string) =>
  renderMessage(
    prepareTemplate(
      { subject: "{{name}}", html, text: "{{offerUrl}}" },
      "message",
      language,
      {
        ...DEMO_BRAND,
        logo: { sha256: "ab".repeat(32), contentType: "image/png", size: 2048, width: 120, height: 40 },
      },
      "https://offers.example.cn",
    ),
    fields,
  ).html;

describe("email clients (caniemail's data)", () => {
  it.each<Language>(["en", "zh-CN"])(
    "finds in the %s layout, logo and footer included, only the gaps the layout accepts on purpose",
    (language) => {
      // act
      const gaps = clientGapsOfEmail(rendered(language, '<p>{{name}}, <a href="{{offerUrl}}">see the offer</a></p>'));
      // assess
      expect(gaps.map((g) => g.feature).sort()).toEqual(Object.keys(LAYOUT_GAPS).sort());
    },
  );

  it("tells the marketer what Outlook for Windows ignores in their content, and which clients", () => {
    // act
    const gaps = clientGapsOf(
      '<div style="display:flex;background-image:url(https://bank.example/bg.png)"><p>{{name}}</p></div>',
    );
    // assess
    const outlookWindows = { family: "outlook", platform: "windows" };
    expect(gaps.map((g) => g.feature).sort()).toEqual(["background-image", "display:flex"]);
    for (const gap of gaps) expect(gap.clients).toContainEqual(outlookWindows);
  });

  it("says nothing of plain content, nor of the document the check wraps it in", () => {
    // act
    const gaps = clientGapsOf('<p>Dear {{name}},</p><p><a href="{{offerUrl}}">See the offer</a></p>');
    // assess
    expect(gaps).toEqual([]);
  });
});
