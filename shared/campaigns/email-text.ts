import { convert } from "html-to-text";

const HEADINGS = ["h1", "h2", "h3", "h4", "h5", "h6"].map((selector) => ({ selector, options: { uppercase: false } }));

/**
 * The plain-text part of an email, read from its HTML by html-to-text: each link kept as its
 * URL in brackets after its words (a phone number as itself), images left out (their address means nothing in a text), no
 * wrapping (mail clients wrap; a wrap made before the fields are filled in would be wrong after).
 * It reads a template: `{{field}}` stays as it is, also inside a link's address, and is filled in
 * at the send like the HTML's. Headings keep their case, so no `{{NAME}}` can come of them.
 */
export function textFromHtml(html: string): string {
  return convert(html, {
    wordwrap: false,
    selectors: [
      ...HEADINGS,
      { selector: "a", options: { hideLinkHrefIfSameAsText: true } },
      // A phone number is its own link: "95000", not "95000 [tel:95000]".
      { selector: 'a[href^="tel:"]', format: "anchor", options: { ignoreHref: true } },
      { selector: "img", format: "skip" },
    ],
  })
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}
