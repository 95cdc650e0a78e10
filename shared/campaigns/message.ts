import Mustache from "mustache";
import { z } from "zod";
import { type BrandKit, DEMO_BRAND } from "../kernel/brand.js";
import { say } from "../kernel/copy/say.js";
import { ValidationError } from "../kernel/errors.js";
import type { Language } from "../kernel/language.js";

/** The personal fields a message may use. */
export const MESSAGE_FIELDS = ["name", "tier", "product", "offerUrl", "unsubscribeUrl"] as const;
export type MessageFields = Record<(typeof MESSAGE_FIELDS)[number], string>;

export const MessageTemplate = z.object({
  subject: z.string().trim().min(1, "subject is required").max(200),
  html: z.string().min(1, "html is required").max(100_000),
  text: z.string().min(1, "text is required").max(100_000),
});
export type MessageTemplate = z.infer<typeof MessageTemplate>;

function fieldsUsed(template: string): string[] {
  const walk = (tokens: Mustache.TemplateSpans): string[] =>
    tokens.flatMap((token) => {
      const [type, value, , , children] = token as [string, string, number, number, Mustache.TemplateSpans?];
      const own = ["name", "&", "{", "#", "^"].includes(type) ? [value] : [];
      return [...own, ...(children ? walk(children) : [])];
    });
  return walk(Mustache.parse(template));
}

/** Fields rendered without HTML escaping ({{{x}}} and {{& x}}). */
function rawFieldsUsed(template: string): string[] {
  const walk = (tokens: Mustache.TemplateSpans): string[] =>
    tokens.flatMap((token) => {
      const [type, value, , , children] = token as [string, string, number, number, Mustache.TemplateSpans?];
      return [...(type === "&" || type === "{" ? [value] : []), ...(children ? walk(children) : [])];
    });
  return walk(Mustache.parse(template));
}

const HTML_ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
/** Mustache's default also escapes '/' and '=', which mangles every link; these five are what HTML needs. */
const escapeHtml = (value: string) => String(value).replace(/[&<>"']/g, (c) => HTML_ENTITIES[c]);

const FOOTER_STYLE = "font-size:12px;line-height:1.5;color:#666";

/**
 * What the platform adds under the marketer's message, in the message's language: the
 * unsubscribe link when the marketer left it out, the link to the customer's preference centre
 * (`{{preferencesUrl}}`, filled in at the send like the other links), then who the email is from (the bank, with
 * its warning that it never asks for a password) and the bank's legal line. Brand texts hold no
 * braces (brand.ts), so they stay words in the template, never fields.
 */
function footer(language: Language, brand: BrandKit, withUnsubscribe: boolean) {
  const words = {
    bank: brand.name[language],
    legalName: brand.legalName[language],
    address: brand.address[language],
    hotline: brand.hotline,
  };
  const sentBy = say(language, "email.sentBy", words);
  const legal = say(language, "email.legal", words);
  const prompt = say(language, "email.unsubscribePrompt");
  const unsubscribe = say(language, "email.unsubscribe");
  const preferences = say(language, "email.preferences");
  const unsubscribeLink = `${escapeHtml(prompt)} <a href="{{unsubscribeUrl}}">${escapeHtml(unsubscribe)}</a> · `;
  const html = [
    `<hr style="border:none;border-top:1px solid #ddd;margin:24px 0 12px">`,
    `<p style="${FOOTER_STYLE}">${withUnsubscribe ? unsubscribeLink : ""}<a href="{{preferencesUrl}}">${escapeHtml(preferences)}</a></p>`,
    `<p style="${FOOTER_STYLE}">${escapeHtml(sentBy)}<br>${escapeHtml(legal)}</p>`,
  ].join("");
  const text = [
    withUnsubscribe ? `${unsubscribe}: {{unsubscribeUrl}}` : "",
    `${preferences}: {{preferencesUrl}}`,
    "--",
    sentBy,
    legal,
  ]
    .filter((line) => line !== "")
    .join("\n");
  return { html, text };
}

/**
 * Checks a template names only known fields and links to the offer, and adds the footer
 * (footer()): the unsubscribe link when the marketer left it out, since every email must carry
 * one, and the bank's name and legal line, in `language`, the language the template is written
 * in. `path` names the template in errors ("message", "translations.en").
 */
export function prepareTemplate(
  message: MessageTemplate,
  path = "message",
  language: Language = "en",
  brand: BrandKit = DEMO_BRAND,
): MessageTemplate {
  const used = {} as Record<"subject" | "html" | "text", string[]>;
  for (const part of ["subject", "html", "text"] as const) {
    try {
      used[part] = fieldsUsed(message[part]);
    } catch (error) {
      throw new ValidationError(`${path}.${part} is not a valid template: ${(error as Error).message}`);
    }
    if (part === "html" && rawFieldsUsed(message.html).length > 0) {
      throw new ValidationError(
        `${path}.html must use {{field}}, not {{{field}}} or {{& field}}: raw fields would put unescaped customer data into the email`,
      );
    }
    const unknown = used[part].filter((f) => !(MESSAGE_FIELDS as readonly string[]).includes(f));
    if (unknown.length > 0) {
      throw new ValidationError(
        `${path}.${part} uses unknown field ${unknown.map((f) => `{{${f}}}`).join(", ")}; known fields: ${MESSAGE_FIELDS.map((f) => `{{${f}}}`).join(", ")}`,
      );
    }
  }
  // The offer link is where the customer answers; where it goes in the message is the
  // marketer's choice, so a message without it is refused rather than patched.
  const withoutOffer = (["html", "text"] as const).filter((part) => !used[part].includes("offerUrl"));
  if (withoutOffer.length > 0) {
    throw new ValidationError(
      `${withoutOffer.map((part) => `${path}.${part}`).join(" and ")} must link to the offer with {{offerUrl}}: without it the customer cannot answer`,
    );
  }
  const html = `${message.html}\n${footer(language, brand, !used.html.includes("unsubscribeUrl")).html}`;
  const text = `${message.text}\n\n${footer(language, brand, !used.text.includes("unsubscribeUrl")).text}`;
  return { ...message, html, text };
}

export type RenderedMessage = { subject: string; html: string; text: string };

/**
 * The fields a message is rendered with: the marketer's, and the preference centre's link the
 * platform's footer uses (not a field a marketer may write).
 */
export type RenderFields = MessageFields & { preferencesUrl?: string };

/** HTML gets every personal field escaped; subject and text are plain text. */
export function renderMessage(template: MessageTemplate, fields: RenderFields): RenderedMessage {
  const plain = (t: string) => Mustache.render(t, fields, undefined, { escape: (v: string) => v });
  return {
    subject: plain(template.subject).replace(/[\r\n]+/g, " "),
    html: Mustache.render(template.html, fields, undefined, { escape: escapeHtml }),
    text: plain(template.text),
  };
}
