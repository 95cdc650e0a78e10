import { doIUseEmail } from "doiuse-email";

/**
 * The email clients a message is checked against, by caniemail.com's data (doiuse-email): the
 * Outlooks (a bank's own staff and many business customers read mail in Outlook for Windows,
 * which renders with Word), Gmail, Apple Mail and Yahoo. QQ Mail and 163 Mail, which many
 * Chinese customers use, are not in caniemail's data: nothing here speaks for them.
 */
export const CHECKED_CLIENTS = ["outlook.*", "gmail.*", "apple-mail.*", "yahoo.*"] as const;

/** One email client, as caniemail names it: the family ("outlook") and the platform ("windows"). */
export type EmailClient = { family: string; platform: string };

/** Something in a message that some clients drop or ignore, and which ones. */
export type ClientGap = { feature: string; clients: EmailClient[] };

const GAP = /^`(.+)` is not supported by `([\w-]+)\.([\w-]+)`$/;

/** A fragment as a whole document: the check reads `<body>` and `<head>` as an email's. */
const asDocument = (html: string) => `<!doctype html><html><head></head><body><div>${html}</div></body></html>`;

function gapsOf(document: string): ClientGap[] {
  const result = doIUseEmail(document, { emailClients: [...CHECKED_CLIENTS] });
  const errors = result.success ? [] : result.errors;
  const byFeature = new Map<string, EmailClient[]>();
  for (const error of errors) {
    const found = GAP.exec(error);
    if (!found) continue;
    const [, feature, family, platform] = found;
    const clients = byFeature.get(feature) ?? [];
    if (!clients.some((c) => c.family === family && c.platform === platform)) clients.push({ family, platform });
    byFeature.set(feature, clients);
  }
  return [...byFeature].map(([feature, clients]) => ({ feature, clients }));
}

/** What the bare document the check wraps a fragment in is flagged for (`<body>` in some apps): not the marketer's. */
let wrapperGaps: Set<string> | undefined;

/**
 * What in a marketer's HTML content some email clients will drop or ignore, each feature with
 * the clients: `display:flex` and `background-image` in Outlook for Windows, a `<style>` block's
 * class selectors in Gmail's mobile web app. The platform's own layout around the content is
 * built for these clients (MJML) and is not part of the answer. Advice for the marketer, not a
 * rule: a campaign may go out with a gap it accepts.
 */
export function clientGapsOf(contentHtml: string): ClientGap[] {
  wrapperGaps ??= new Set(gapsOf(asDocument("")).map((g) => g.feature));
  const skip = wrapperGaps;
  return gapsOf(asDocument(contentHtml)).filter((gap) => !skip.has(gap.feature));
}

/** The gaps of a whole email as it is sent (layout and content), for the layout's own check. */
export const clientGapsOfEmail = (html: string): ClientGap[] => gapsOf(html);
