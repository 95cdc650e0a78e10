/**
 * This area's words, in both languages: en and zh-CN hold the same keys (the type says so, and
 * test/unit/console-copy.test.ts checks the whole catalogue). Keys start with "campaign-editor.".
 */
export const CAMPAIGN_EDITOR_EN = {} as const;

export const CAMPAIGN_EDITOR_ZH_CN: Record<keyof typeof CAMPAIGN_EDITOR_EN, string> = {};
