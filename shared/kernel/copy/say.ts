import type { Language } from "../language.js";
import { type CopyKey, EN } from "./en.js";
import { ZH_CN } from "./zh-cn.js";

export type { CopyKey } from "./en.js";

/** One catalogue per language, the same keys in each (test/unit/copy.test.ts). */
export const CATALOGUES: Record<Language, Record<CopyKey, string>> = { en: EN, "zh-CN": ZH_CN };

/**
 * The text for `key` in `language`, each `{name}` replaced by `params.name`. A placeholder
 * without a value stays as it is, so a missing parameter shows in a test instead of vanishing.
 */
export function say(language: Language, key: CopyKey, params: Record<string, string | number> = {}): string {
  return CATALOGUES[language][key].replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(params, name) ? String(params[name]) : whole,
  );
}
