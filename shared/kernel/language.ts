import { z } from "zod";

/**
 * The languages the bank speaks to its customers in: offers, emails, pages. zh-CN unless the
 * customer chose otherwise. It lives in the kernel because every context that writes a word a
 * customer reads (the brand kit, the footer, the pages) needs it.
 */
export const Language = z.enum(["zh-CN", "en"]);
export type Language = z.infer<typeof Language>;
export const DEFAULT_LANGUAGE = "zh-CN";

/** A text in each language. */
export type InEachLanguage<T = string> = Record<Language, T>;

/**
 * The language a browser asks for (Accept-Language), for the pages that cannot know the
 * customer: a link that is not valid or has expired. Chinese when the browser's first language
 * is Chinese, else English.
 */
export function languageOfBrowser(acceptLanguage: string | undefined): Language {
  const first = (acceptLanguage ?? "").split(",")[0]?.trim().toLowerCase() ?? "";
  return first.startsWith("zh") ? "zh-CN" : "en";
}
