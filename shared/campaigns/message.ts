import Mustache from "mustache";
import { z } from "zod";
import { type Brand, type BrandKit, DEMO_BRAND, logoPath } from "../kernel/brand.js";
import { say } from "../kernel/copy/say.js";
import { ValidationError } from "../kernel/errors.js";
import type { Language } from "../kernel/language.js";
import { EMAIL_LAYOUT } from "./email-layout.js";
import { textFromHtml } from "./email-text.js";

/** The personal fields a message may use. */
export const MESSAGE_FIELDS = ["name", "tier", "product", "offerUrl", "unsubscribeUrl"] as const;
export type MessageFields = Record<(typeof MESSAGE_FIELDS)[number], string>;

/**
 * A message as the marketer writes it. `text`, the plain-text part, is theirs to write or to
 * leave out: left out, the platform reads it from the finished HTML (prepareTemplate).
 */
export const MessageInput = z.object({
  subject: z.string().trim().min(1, "subject is required").max(200),
  html: z.string().min(1, "html is required").max(100_000),
  text: z.string().min(1, "text is not empty when given").max(100_000).optional(),
});
export type MessageInput = z.infer<typeof MessageInput>;

/** A message as a campaign keeps it (prepareTemplate): the finished email, both parts. */
export const MessageTemplate = MessageInput.extend({ text: z.string().min(1).max(200_000) });
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

const FOOTER_LINK = "color:#4a5260;text-decoration:underline";

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
  const link = (href: string, words: string) => `<a href="${href}" style="${FOOTER_LINK}">${escapeHtml(words)}</a>`;
  const unsubscribeLink = `${escapeHtml(prompt)} ${link("{{unsubscribeUrl}}", unsubscribe)} · `;
  const html = [
    `<p style="margin:0 0 12px">${withUnsubscribe ? unsubscribeLink : ""}${link("{{preferencesUrl}}", preferences)}</p>`,
    `<p style="margin:0 0 12px">${escapeHtml(sentBy)}</p>`,
    `<p style="margin:0">${withHotlineLink(escapeHtml(legal), brand.hotline, link)}</p>`,
  ].join("\n");
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

/** The hotline named last in `html` as a tap-to-call link, as the pages have it. */
function withHotlineLink(html: string, hotline: string, link: (href: string, words: string) => string): string {
  const at = html.lastIndexOf(hotline);
  if (at < 0) return html;
  return `${html.slice(0, at)}${link(`tel:${hotline.replace(/[ -]/g, "")}`, hotline)}${html.slice(at + hotline.length)}`;
}

/** The marketer's HTML as it goes into the layout: the body's content when they wrote a whole document. */
const contentOf = (html: string) => /<body[^>]*>([\s\S]*)<\/body>/i.exec(html)?.[1] ?? html;

/**
 * The header band's content: the bank's logo when an admin uploaded one, named by the bank's
 * name in the email's language (what a reader with images off sees, in the band's text colour),
 * drawn at its fixed size so the band keeps its height with images off; else the name in words.
 * The logo's URL is absolute (a mail client has no page to be relative to) and content-addressed.
 */
function masthead(language: Language, brand: Brand, publicBaseUrl: string | undefined): string {
  const name = escapeHtml(brand.name[language]);
  if (!brand.logo || !publicBaseUrl) return name;
  const { width, height } = brand.logo;
  const src = escapeHtml(`${publicBaseUrl.replace(/\/$/, "")}${logoPath(brand.logo)}`);
  return `<img src="${src}" alt="${name}" width="${width}" height="${height}" style="display:block;width:${width}px;height:${height}px;border:0;color:${brand.colours.onPrimary};font-size:16px;font-weight:700;line-height:${height}px;">`;
}

/**
 * The finished email: the layout (email-layout.mjml, compiled by MJML into email-safe HTML) with
 * the bank's name on its colours above the marketer's content, and the footer below it, in
 * `language`. Its one image is the bank's logo, when there is one (masthead): the email reads
 * the same with images off, and carries no tracking pixel (the platform has no open tracking). Each slot is filled once, so nothing
 * filled in is read again as a slot.
 */
function inLayout(
  language: Language,
  brand: Brand,
  subject: string,
  content: string,
  footerHtml: string,
  publicBaseUrl: string | undefined,
): string {
  const slots: Record<string, string> = {
    lang: language,
    title: escapeHtml(subject),
    primary: brand.colours.primary,
    onPrimary: brand.colours.onPrimary,
    accent: brand.colours.accent,
    masthead: masthead(language, brand, publicBaseUrl),
    content: contentOf(content),
    footer: footerHtml,
  };
  return EMAIL_LAYOUT.replace(/%%(\w+)%%/g, (whole, slot: string) => slots[slot] ?? whole);
}

/**
 * Checks a template names only known fields and links to the offer, and finishes the email in
 * `language`, the language the template is written in: the layout wearing the brand kit around
 * the marketer's HTML, with the footer (footer()): the unsubscribe link when the marketer left it
 * out, since every email must carry one, and the bank's name and legal line. The plain-text part
 * is the marketer's own text with the footer's words when they wrote one, else read from the
 * finished HTML (textFromHtml), links kept as their URLs. Done once, when the campaign is
 * created: the approval pins the finished email, and a send only fills in the fields.
 * `path` names the template in errors ("message", "translations.en").
 */
export function prepareTemplate(
  message: MessageInput,
  path = "message",
  language: Language = "en",
  brand: Brand = DEMO_BRAND,
  /** Where the logo is served from, for an email's absolute link to it; without it, the name in words. */
  publicBaseUrl?: string,
): MessageTemplate {
  const used = { text: [] } as unknown as Record<"subject" | "html" | "text", string[]>;
  for (const part of ["subject", "html", "text"] as const) {
    const written = message[part];
    if (written === undefined) continue;
    try {
      used[part] = fieldsUsed(written);
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
  const withoutOffer = (["html", "text"] as const).filter(
    (part) => message[part] !== undefined && !used[part].includes("offerUrl"),
  );
  if (withoutOffer.length > 0) {
    throw new ValidationError(
      `${withoutOffer.map((part) => `${path}.${part}`).join(" and ")} must link to the offer with {{offerUrl}}: without it the customer cannot answer`,
    );
  }
  const html = inLayout(
    language,
    brand,
    message.subject,
    message.html,
    footer(language, brand, !used.html.includes("unsubscribeUrl")).html,
    publicBaseUrl,
  );
  const text =
    message.text === undefined
      ? textFromHtml(html)
      : `${message.text}\n\n${footer(language, brand, !used.text.includes("unsubscribeUrl")).text}`;
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
