import { describe, expect, it } from "vitest";
import { CONSOLE_CATALOGUES, t } from "../../functions/console/copy/say.js";

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("the console's catalogues", () => {
  const [english, chinese] = [CONSOLE_CATALOGUES.en, CONSOLE_CATALOGUES["zh-CN"]];

  it("have the same keys in both languages", () => {
    // assess
    expect(Object.keys(chinese).sort()).toEqual(Object.keys(english).sort());
  });

  it.each(Object.entries(CONSOLE_CATALOGUES))("%s has no empty value", (_, catalogue) => {
    // assess
    expect(Object.entries(catalogue).filter(([, text]) => text.trim() === "")).toEqual([]);
  });

  it("fill in the same placeholders in both languages", () => {
    // assess
    const differing = Object.keys(english).filter(
      (key) =>
        placeholders(english[key as keyof typeof english]).join() !==
        placeholders(chinese[key as keyof typeof chinese]).join(),
    );
    expect(differing).toEqual([]);
  });

  it("leaves no English word in the Chinese catalogue but names and codes", () => {
    // assess: every Chinese text holds a Chinese character
    const untranslated = Object.entries(chinese).filter(([, text]) => !/\p{Script=Han}/u.test(text));
    expect(untranslated).toEqual([]);
  });

  it("fills in what it is given", () => {
    // act / assess
    expect(t("en", "header.signedInAs", { name: "mei", role: "marketer" })).toBe("Signed in as mei, marketer");
    expect(t("zh-CN", "header.signedInAs", { name: "mei", role: "营销人员" })).toBe("已登录：mei，营销人员");
  });
});
