import type { Language } from "../../../shared/kernel/language.js";
import { type ConsoleCopyKey, EN } from "./en.js";
import { ZH_CN } from "./zh-cn.js";

export type { ConsoleCopyKey } from "./en.js";

/** One catalogue per language, the same keys in each (test/unit/console-copy.test.ts). */
export const CONSOLE_CATALOGUES: Record<Language, Record<ConsoleCopyKey, string>> = { en: EN, "zh-CN": ZH_CN };

/** The console's text for `key` in `language`, each `{name}` replaced by `params.name`. */
export function t(language: Language, key: ConsoleCopyKey, params: Record<string, string | number> = {}): string {
  return CONSOLE_CATALOGUES[language][key].replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(params, name) ? String(params[name]) : whole,
  );
}
