import { deflateSync } from "node:zlib";
import { BrandKitConflictError } from "../../shared/campaigns/brand-kit.js";
import type { BrandKitChange, BrandKitStore, StoredBrandKit } from "../../shared/campaigns/ports.js";
import type { BrandLogo } from "../../shared/kernel/brand.js";

/** The brand kit store in memory, with the DynamoDB adapter's conditional write: a stale version is a conflict. */
export class MemoryBrandKits implements BrandKitStore {
  stored: StoredBrandKit | null = null;
  changes: BrandKitChange[] = [];
  logos = new Map<string, { contentType: BrandLogo["contentType"]; bytes: Uint8Array }>();
  reads = 0;
  logoReads = 0;

  async current() {
    this.reads++;
    return this.stored;
  }

  async save(next: StoredBrandKit, change: BrandKitChange, logoBytes?: Uint8Array) {
    const version = this.stored?.version ?? 0;
    if (next.version - 1 !== version) throw new BrandKitConflictError(next.version - 1, version);
    this.stored = next;
    this.changes.unshift(change);
    if (logoBytes && next.logo)
      this.logos.set(next.logo.sha256.slice(0, 16), { contentType: next.logo.contentType, bytes: logoBytes });
  }

  async logo(prefix: string) {
    this.logoReads++;
    return this.logos.get(prefix) ?? null;
  }

  async history() {
    return this.changes;
  }
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (bytes: Buffer) => {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 255] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type: string, data: Buffer) => {
  const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
};

/**
 * A real PNG of `width` x `height`: a band of `colour` (#rrggbb) with a white stripe across its
 * middle, so a screenshot shows it is an image; `padTo` bytes long when given (trailing bytes).
 */
export function pngOf(width: number, height: number, colour = "#c8102e", padTo?: number): Uint8Array {
  const [r, g, b] = [1, 3, 5].map((i) => Number.parseInt(colour.slice(i, i + 2), 16));
  const rows = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    const stripe = y > height / 3 && y < (2 * height) / 3;
    for (let x = 0; x < width; x++) {
      const at = y * (width * 3 + 1) + 1 + x * 3;
      rows[at] = stripe ? 255 : r;
      rows[at + 1] = stripe ? 255 : g;
      rows[at + 2] = stripe ? 255 : b;
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // truecolour
  const png = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(rows)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
  return new Uint8Array(padTo && padTo > png.length ? Buffer.concat([png, Buffer.alloc(padTo - png.length)]) : png);
}

/** A JPEG's start and a baseline start-of-frame naming `width` x `height`, after an APP0 segment. */
export function jpegOf(width: number, height: number): Uint8Array {
  const app0 = [0xff, 0xe0, 0x00, 0x10, ...Buffer.from("JFIF\0"), 1, 1, 0, 0, 1, 0, 1, 0, 0];
  const sof = [
    0xff,
    0xc0,
    0x00,
    0x11,
    8,
    height >> 8,
    height & 255,
    width >> 8,
    width & 255,
    3,
    1,
    0x22,
    0,
    2,
    0x11,
    1,
    3,
    0x11,
    1,
  ];
  return new Uint8Array([0xff, 0xd8, ...app0, ...sof, 0xff, 0xd9]);
}
