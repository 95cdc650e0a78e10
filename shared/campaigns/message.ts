import Mustache from "mustache";
import { z } from "zod";
import { ValidationError } from "../kernel/errors.js";

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

/**
 * Checks a template names only known fields and links to the offer, and adds the unsubscribe
 * link when the marketer left it out: every email must carry one. `path` names the template
 * in errors ("message", "translations.en").
 */
export function prepareTemplate(message: MessageTemplate, path = "message"): MessageTemplate {
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
  const html = used.html.includes("unsubscribeUrl")
    ? message.html
    : `${message.html}\n<p style="font-size:12px;color:#666">No longer interested? <a href="{{unsubscribeUrl}}">Unsubscribe</a></p>`;
  const text = used.text.includes("unsubscribeUrl")
    ? message.text
    : `${message.text}\n\nUnsubscribe: {{unsubscribeUrl}}`;
  return { ...message, html, text };
}

export type RenderedMessage = { subject: string; html: string; text: string };

const HTML_ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
/** Mustache's default also escapes '/' and '=', which mangles every link; these five are what HTML needs. */
const escapeHtml = (value: string) => String(value).replace(/[&<>"']/g, (c) => HTML_ENTITIES[c]);

/** HTML gets every personal field escaped; subject and text are plain text. */
export function renderMessage(template: MessageTemplate, fields: MessageFields): RenderedMessage {
  const plain = (t: string) => Mustache.render(t, fields, undefined, { escape: (v: string) => v });
  return {
    subject: plain(template.subject).replace(/[\r\n]+/g, " "),
    html: Mustache.render(template.html, fields, undefined, { escape: escapeHtml }),
    text: plain(template.text),
  };
}
