import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import mjml2html from "mjml";
import { describe, expect, it } from "vitest";
import { EMAIL_LAYOUT } from "../../shared/campaigns/email-layout.js";

const source = fileURLToPath(new URL("../../shared/campaigns/email-layout.mjml", import.meta.url));
const compiled = fileURLToPath(new URL("../../shared/campaigns/email-layout.ts", import.meta.url));

/**
 * The emails' layout is written in MJML (email-layout.mjml) and compiled here, at test time,
 * into the string the platform uses (email-layout.ts): mjml and its 180 packages stay out of
 * the Lambda bundles. `UPDATE_EMAIL_LAYOUT=1 npx vitest run test/unit/email-layout.test.ts`
 * writes the string again after a change to the MJML.
 */
describe("the email layout", () => {
  it("is the MJML source compiled, with only the slots' placeholders left for MJML to question", async () => {
    // act
    const { html, errors } = await mjml2html(readFileSync(source, "utf8"), { validationLevel: "soft" });
    const layout = html
      .split("\n")
      .map((line) => line.trimEnd())
      .filter((line) => line !== "")
      .join("\n");
    if (process.env.UPDATE_EMAIL_LAYOUT) writeFileSync(compiled, generated(layout));
    // assess: a colour slot is not a colour until the brand kit fills it in; anything else is a mistake
    expect(errors.filter((error) => !/invalid value: %%\w+%% for type Color/.test(error.message))).toEqual([]);
    expect(EMAIL_LAYOUT, "run UPDATE_EMAIL_LAYOUT=1 npx vitest run test/unit/email-layout.test.ts").toBe(layout);
  });

  it("has a slot for every part the platform fills in, and nothing a template literal would read", () => {
    // assess
    const slots = new Set([...EMAIL_LAYOUT.matchAll(/%%(\w+)%%/g)].map((m) => m[1]));
    expect([...slots].sort()).toEqual(
      ["accent", "content", "footer", "lang", "masthead", "onPrimary", "primary", "title"].sort(),
    );
    expect(EMAIL_LAYOUT).not.toMatch(/`|\$\{|\\|<img/);
  });
});

function generated(layout: string): string {
  if (/`|\$\{|\\/.test(layout)) throw new Error("the compiled layout holds a backtick, ${ or a backslash");
  return [
    "// Generated from email-layout.mjml by test/unit/email-layout.test.ts (UPDATE_EMAIL_LAYOUT=1): do not edit.",
    "",
    "/**",
    " * The email-safe HTML every campaign email is wrapped in (message.ts), compiled by MJML: a",
    " * responsive 600 px column, the bank's name on its colours, the content, the footer. `%%slot%%`",
    " * marks what the platform fills in.",
    " */",
    `export const EMAIL_LAYOUT = \`${layout}\`;`,
    "",
  ].join("\n");
}
