/**
 * GBK bytes written by hand (TextEncoder only writes UTF-8, and no GBK encoder is a dependency):
 * the two-byte codes of the few Chinese characters the tests use, from the GBK code table.
 */
const GBK_CODES: Record<string, [number, number]> = {
  张: [0xd5, 0xc5],
  伟: [0xce, 0xb0],
  王: [0xcd, 0xf5],
  芳: [0xb7, 0xbc],
  李: [0xc0, 0xee],
  娜: [0xc4, 0xc8],
  长: [0xb3, 0xa4],
  春: [0xb4, 0xba],
  吉: [0xbc, 0xaa],
  林: [0xc1, 0xd6],
  陈: [0xb3, 0xc2],
  陳: [0xea, 0x90], // a traditional form outside GB2312: its second byte is below 0x80
};

/** `text` in GBK; ASCII passes through, and a character missing from the table is a test bug. */
export function gbk(text: string): Uint8Array {
  const bytes: number[] = [];
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (code < 0x80) bytes.push(code);
    else if (GBK_CODES[char]) bytes.push(...GBK_CODES[char]);
    else throw new Error(`no GBK code for '${char}' in test/support/gbk.ts`);
  }
  return Uint8Array.from(bytes);
}

export const utf8 = (text: string) => new TextEncoder().encode(text);

export const concat = (...parts: Uint8Array[]) => {
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    all.set(part, at);
    at += part.length;
  }
  return all;
};
