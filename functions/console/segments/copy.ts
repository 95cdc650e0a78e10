/**
 * This area's words, in both languages: en and zh-CN hold the same keys (the type says so, and
 * test/unit/console-copy.test.ts checks the whole catalogue). Keys start with "segments.".
 */
export const SEGMENTS_EN = {} as const;

export const SEGMENTS_ZH_CN: Record<keyof typeof SEGMENTS_EN, string> = {};
