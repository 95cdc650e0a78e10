import { createHash } from "node:crypto";
import { html, raw } from "hono/html";
import { type Brand, type BrandKit, logoPath } from "../../../shared/kernel/brand.js";
import { type CopyKey, say } from "../../../shared/kernel/copy/say.js";
import type { Language } from "../../../shared/kernel/language.js";

/**
 * The pages' only styling: one inline block, no `style=` attribute anywhere, no script. Built
 * from the brand kit's colours, which are #rrggbb and nothing else (brand.ts), so the CSP can
 * allow exactly this block by its hash (pageStyleHash).
 */
export function pageStyle({ colours }: BrandKit): string {
  return [
    `body{margin:0;color:#1b1b1b;background:#f5f6f8;font:16px/1.6 system-ui,-apple-system,"PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC",sans-serif}`,
    `.bar{background:${colours.primary};color:${colours.onPrimary};border-bottom:4px solid ${colours.accent}}`,
    ".bar div{max-width:40rem;margin:0 auto;padding:.9rem 1rem;font-size:1.15rem;font-weight:600;letter-spacing:.04em}",
    ".bar img{display:block;max-width:100%;height:auto}",
    "main{max-width:40rem;margin:1.5rem auto;padding:1.5rem;background:#fff;border-radius:.5rem;box-shadow:0 1px 3px rgba(0,0,0,.08)}",
    "h1{font-size:1.6rem;line-height:1.3;margin:0 0 .5rem}h2{font-size:1.05rem;margin:1.5rem 0 .5rem}",
    ".lead{color:#333;margin:0 0 1rem}",
    "dl{display:grid;grid-template-columns:max-content 1fr;gap:.4rem 1.2rem;margin:0;padding:1rem;background:#f5f6f8;border-radius:.4rem}dt{color:#555}dd{margin:0;font-weight:600}",
    `.risk{margin:1.2rem 0;padding:.8rem 1rem;border:1px solid ${colours.accent};border-left-width:6px;border-radius:.4rem;background:#fffaf0}.risk h2{margin:0 0 .2rem;font-size:1rem}.risk p{margin:0;font-weight:600}`,
    ".note{padding:.8rem 1rem;background:#eef4fb;border-radius:.4rem}",
    "fieldset{border:0;margin:1.2rem 0 0;padding:0}legend{font-weight:600;margin-bottom:.3rem;padding:0}",
    `label.choice{display:flex;align-items:center;gap:.75rem;padding:.7rem .25rem;border-bottom:1px solid #e3e6ea;cursor:pointer}label.choice input{width:1.3rem;height:1.3rem;margin:0;flex:none;accent-color:${colours.primary}}`,
    ".small{font-size:.9rem;color:#555}",
    "button{display:block;width:100%;margin:.5rem 0;padding:.8rem;font:inherit;border-radius:.4rem;border:1px solid #767676;background:#f4f4f4;color:#1b1b1b;cursor:pointer}",
    `button.primary{background:${colours.primary};color:${colours.onPrimary};border-color:${colours.primary}}`,
    `a{color:${colours.primary}}`,
    "footer{max-width:40rem;margin:0 auto 2rem;padding:0 1.5rem;font-size:.85rem;color:#555}footer p{margin:.3rem 0}",
  ].join("");
}

/** The Content-Security-Policy source that allows exactly pageStyle(brand), computed from the text the pages send. */
export const pageStyleHash = (brand: BrandKit) =>
  `sha256-${createHash("sha256").update(pageStyle(brand), "utf8").digest("base64")}`;

/** The brand's words for a catalogue text: the bank's name, legal name, address and hotline. */
export const brandWords = (brand: BrandKit, language: Language) => ({
  bank: brand.name[language],
  legalName: brand.legalName[language],
  address: brand.address[language],
  hotline: brand.hotline,
});

/** A text for the customer; zh-CN sentences follow each other without a space, English ones with one. */
export const sentences = (language: Language, ...parts: string[]) =>
  parts.filter((part) => part !== "").join(language === "zh-CN" ? "" : " ");

/**
 * say() with the bank's words, the hotline a tap-to-call link: the text stays escaped, only the
 * link is markup. The hotline is digits, spaces and dashes (brand.ts), so the tel: URL is safe.
 */
export function sayWithHotline(brand: BrandKit, language: Language, key: CopyKey) {
  const MARK = "\u0000";
  const [before, ...after] = say(language, key, { ...brandWords(brand, language), hotline: MARK }).split(MARK);
  const link = html`<a href="tel:${brand.hotline.replace(/[ -]/g, "")}">${brand.hotline}</a>`;
  return html`${before}${after.map((part) => html`${link}${part}`)}`;
}

/**
 * The colour bar's content: the bank's logo when an admin uploaded one (from this origin, so
 * the CSP's img-src allows its path there), named by the bank's name, at its fixed size so the bar
 * keeps its height before it loads; else the name in words.
 */
const masthead = (brand: Brand, bank: string) =>
  brand.logo
    ? html`<img src="${logoPath(brand.logo)}" alt="${bank}" width="${brand.logo.width}" height="${brand.logo.height}">`
    : bank;

/**
 * A customer page: the bank's name (or logo) on its colour bar above, what the page says, and below it
 * the bank's warning that it never asks for a password, its legal name, address and hotline.
 */
export function page(brand: Brand, language: Language, title: string, body: unknown) {
  const words = brandWords(brand, language);
  return html`<!doctype html>
<html lang="${language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · ${words.bank}</title>
<style>${raw(pageStyle(brand))}</style>
</head><body>
<header class="bar"><div>${masthead(brand, words.bank)}</div></header>
<main>${body}</main>
<footer><p>${say(language, "page.safety", words)}</p><p>${sayWithHotline(brand, language, "page.legal")}</p></footer>
</body></html>`;
}

const ERROR_KEYS: Record<string, CopyKey> = {
  invalid_link: "error.invalid_link",
  expired_link: "error.expired_link",
  cross_site_request: "error.cross_site_request",
  internal: "error.internal",
};

/** The page for an error on a customer page, in the browser's language: the customer may not be known. */
export function errorPage(brand: Brand, language: Language, code: string) {
  const title = say(language, "error.title");
  const message = say(language, ERROR_KEYS[code] ?? "error.other");
  const help = sayWithHotline(brand, language, "offer.questions");
  return page(brand, language, title, html`<h1>${title}</h1><p>${message}</p><p>${help}</p>`);
}
