/**
 * This area's words, in both languages: en and zh-CN hold the same keys (the type says so, and
 * test/unit/console-copy.test.ts checks the whole catalogue). Keys start with "review.".
 */
export const REVIEW_EN = {} as const;

export const REVIEW_ZH_CN: Record<keyof typeof REVIEW_EN, string> = {};
