import { describe, expect, it } from "vitest";
import { DEMO_BRAND } from "../../shared/kernel/brand.js";
import { CATALOGUES, say } from "../../shared/kernel/copy/say.js";
import { languageOfBrowser } from "../../shared/kernel/language.js";

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("the customer-facing catalogues", () => {
  const [english, chinese] = [CATALOGUES.en, CATALOGUES["zh-CN"]];

  it("have the same keys in every language", () => {
    // assess
    expect(Object.keys(chinese).sort()).toEqual(Object.keys(english).sort());
  });

  it.each(Object.entries(CATALOGUES))("%s has no empty value", (_, catalogue) => {
    // assess
    const empty = Object.entries(catalogue).filter(([, text]) => text.trim() === "");
    expect(empty).toEqual([]);
  });

  it("fill in the same placeholders in every language", () => {
    // assess: a {bank} in one language and not the other is a word the customer would miss
    const differing = Object.keys(english).filter(
      (key) =>
        placeholders(english[key as keyof typeof english]).join() !==
        placeholders(chinese[key as keyof typeof chinese]).join(),
    );
    expect(differing).toEqual([]);
  });

  it("have no English words left in the Chinese catalogue, but for the hotline's digits and risk levels", () => {
    // assess
    const untranslated = Object.entries(chinese).filter(([, text]) =>
      /[A-Za-z]{3,}/.test(text.replace(/\{\w+\}/g, "")),
    );
    expect(untranslated).toEqual([]);
  });
});

describe("say", () => {
  it("fills in every placeholder", () => {
    // act
    const english = say("en", "unsubscribed.body", { bank: DEMO_BRAND.name.en });
    const chinese = say("zh-CN", "unsubscribed.body", { bank: DEMO_BRAND.name["zh-CN"] });
    // assess
    expect(english).toBe("Demo Bank will send you no more offers by email.");
    expect(chinese).toBe("示范银行将不再通过电子邮件向您发送推荐。");
  });

  it("leaves a placeholder without a value visible", () => {
    // assess
    expect(say("en", "offer.questions")).toBe("Questions? Call our service hotline {hotline}.");
  });
});

describe("languageOfBrowser", () => {
  it.each([
    ["zh-CN,zh;q=0.9,en;q=0.8", "zh-CN"],
    ["zh-TW", "zh-CN"],
    ["en-US,en;q=0.9", "en"],
    ["fr-FR", "en"],
    [undefined, "en"],
  ] as const)("%s -> %s", (header, language) => {
    // assess
    expect(languageOfBrowser(header)).toBe(language);
  });
});
