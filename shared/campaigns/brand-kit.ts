import { createHash } from "node:crypto";
import type { Actor } from "../kernel/actor.js";
import { type Brand, BrandKit, type BrandLogo, logoPath } from "../kernel/brand.js";
import { DomainError, ValidationError } from "../kernel/errors.js";
import { brandOf, type WithSettings } from "../kernel/settings.js";
import type { Clock } from "../kernel/time.js";
import type { BrandKitChange, BrandKitFieldChange, BrandKitStore, StoredBrandKit } from "./ports.js";

/** The largest logo taken: an email's header needs a small image, and the item stays far under DynamoDB's 400 KB. */
export const LOGO_MAX_BYTES = 100 * 1024;
/** The height a logo is drawn at in the emails' and pages' header band, and the widest it may be drawn. */
export const LOGO_HEIGHT = 40;
export const LOGO_MAX_WIDTH = 200;
/** How long a container keeps the brand kit it read: the sender must not read DynamoDB for every email. */
export const BRAND_KIT_CACHE_MS = 60_000;

export class BrandKitConflictError extends DomainError {
  readonly code = "brand_kit_conflict";
  readonly status = 409;
  constructor(expected: number, current: number) {
    super(
      `The brand kit changed since you read it (you sent version ${expected}, it is now version ${current}): read it again with GET /api/brand-kit, apply your change to it and send that version`,
    );
  }
}

export class LogoTooLargeError extends DomainError {
  readonly code = "logo_too_large";
  readonly status = 413;
  constructor(size: number) {
    super(
      `The logo is ${size} bytes; a logo may be at most ${LOGO_MAX_BYTES} bytes (100 KB): make it smaller (a PNG of about 400 x 80 pixels is plenty)`,
    );
  }
}

export class LogoTypeError extends DomainError {
  readonly code = "unsupported_logo_type";
  readonly status = 415;
}

/** A logo that is not one: SVG (it can carry scripts), or bytes that are not what the Content-Type says. */
const LOGO_TYPES = ["image/png", "image/jpeg"] as const;

/** The pixel size of a PNG (its IHDR chunk) or a JPEG (its first start-of-frame), or null when it cannot be read. */
function pixelSizeOf(contentType: BrandLogo["contentType"], bytes: Buffer): { width: number; height: number } | null {
  if (contentType === "image/png") {
    if (bytes.length < 24 || bytes.toString("latin1", 12, 16) !== "IHDR") return null;
    return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
  }
  let i = 2;
  while (i + 9 < bytes.length) {
    if (bytes[i] !== 0xff) return null;
    const marker = bytes[i + 1];
    if (marker === 0xff) {
      i += 1; // a fill byte
      continue;
    }
    // SOF0-SOF15 carry the frame's size; C4 (Huffman tables), C8 and CC (arithmetic coding) do not.
    if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) {
      return { height: bytes.readUInt16BE(i + 5), width: bytes.readUInt16BE(i + 7) };
    }
    i += 2 + bytes.readUInt16BE(i + 2);
  }
  return null;
}

/**
 * Checks an uploaded logo: PNG or JPEG by its Content-Type and by its own first bytes alike (a
 * file's name or type alone can lie), at most LOGO_MAX_BYTES, with a readable size in pixels.
 * Returns what the brand kit keeps of it: its hash, size and the size it is drawn at,
 * LOGO_HEIGHT high and at most LOGO_MAX_WIDTH wide, in its own proportions.
 */
export function checkLogo(contentType: string | undefined, bytes: Uint8Array): BrandLogo {
  const type = (contentType ?? "").split(";")[0].trim().toLowerCase();
  if (type === "image/svg+xml")
    throw new LogoTypeError("An SVG logo is refused, since an SVG can carry scripts: upload a PNG or a JPEG");
  if (!(LOGO_TYPES as readonly string[]).includes(type))
    throw new LogoTypeError(
      `A logo is sent as its bytes with Content-Type image/png or image/jpeg, not '${type || "none"}'`,
    );
  if (bytes.length > LOGO_MAX_BYTES) throw new LogoTooLargeError(bytes.length);
  const buffer = Buffer.from(bytes);
  const isPng = buffer.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const isJpeg = buffer.subarray(0, 3).equals(Buffer.from([0xff, 0xd8, 0xff]));
  if ((type === "image/png" && !isPng) || (type === "image/jpeg" && !isJpeg))
    throw new LogoTypeError(
      `The file is not a ${type === "image/png" ? "PNG" : "JPEG"}, as its Content-Type says: its first bytes are not one's. Upload the image file itself`,
    );
  const logoType = type as BrandLogo["contentType"];
  const pixels = pixelSizeOf(logoType, buffer);
  if (!pixels || pixels.width < 1 || pixels.height < 1)
    throw new ValidationError("The logo's size in pixels cannot be read: the image file is damaged");
  let height = LOGO_HEIGHT;
  let width = Math.max(1, Math.round((LOGO_HEIGHT * pixels.width) / pixels.height));
  if (width > LOGO_MAX_WIDTH) {
    width = LOGO_MAX_WIDTH;
    height = Math.max(1, Math.round((LOGO_MAX_WIDTH * pixels.height) / pixels.width));
  }
  return {
    sha256: createHash("sha256").update(buffer).digest("hex"),
    contentType: logoType,
    size: bytes.length,
    width,
    height,
  };
}

/**
 * The brand kit store with the stored kit kept for BRAND_KIT_CACHE_MS: every reader (the sender,
 * the pages, the approval) reads through it, so a container reads DynamoDB once a minute at
 * most, and sees an admin's change within the minute. Its own writes are seen at once.
 */
export class CachedBrandKits implements BrandKitStore {
  private kept?: { value: StoredBrandKit | null; at: number };
  constructor(
    private readonly store: BrandKitStore,
    private readonly now: () => Date,
    private readonly ttlMs = BRAND_KIT_CACHE_MS,
  ) {}

  async current(options?: { fresh: boolean }) {
    const now = this.now().getTime();
    if (!options?.fresh && this.kept && now - this.kept.at < this.ttlMs) return this.kept.value;
    const value = await this.store.current();
    this.kept = { value, at: now };
    return value;
  }

  async save(next: StoredBrandKit, change: BrandKitChange, logoBytes?: Uint8Array) {
    await this.store.save(next, change, logoBytes);
    // After the write: a page read while it was under way must not keep the kit from before it.
    this.kept = undefined;
  }

  logo(sha256Prefix: string) {
    return this.store.logo(sha256Prefix);
  }

  history() {
    return this.store.history();
  }
}

export type BrandReader = { brandKits: Pick<BrandKitStore, "current"> } & WithSettings<"brand">;

/** The brand kit in force: an admin's stored kit, else BRAND_KIT's, else the demo bank's; with the logo uploaded. */
export async function currentBrand(p: BrandReader): Promise<Brand> {
  const stored = await p.brandKits.current();
  const kit = stored?.kit ?? brandOf(p.settings);
  return stored?.logo ? { ...kit, logo: stored.logo } : kit;
}

/** What GET /api/brand-kit answers: the kit in force, its logo, its version, and where it comes from. */
export type BrandKitView = {
  kit: BrandKit;
  logo: (BrandLogo & { path: string }) | null;
  /** The version a change must name; 0 while no admin has changed anything. */
  version: number;
  /** `stored`: an admin's; `configured`: BRAND_KIT's; `demo`: the demo bank's. */
  source: "stored" | "configured" | "demo";
  updatedAt?: string;
  updatedBy?: string;
};

export type BrandKitDeps = { brandKits: BrandKitStore } & WithSettings<"brand"> & Clock;

export async function viewBrandKit(p: BrandReader): Promise<BrandKitView> {
  const stored = await p.brandKits.current();
  const kit = stored?.kit ?? brandOf(p.settings);
  const logo = stored?.logo;
  return {
    kit,
    logo: logo ? { ...logo, path: logoPath(logo) } : null,
    version: stored?.version ?? 0,
    source: stored?.kit ? "stored" : p.settings.brand ? "configured" : "demo",
    ...(stored ? { updatedAt: stored.updatedAt, updatedBy: stored.updatedBy } : {}),
  };
}

/** Every text of a kit by its path ("name.en", "colours.primary"), to say what changed field by field. */
function fieldsOf(kit: BrandKit): Record<string, string> {
  const fields: Record<string, string> = {};
  const walk = (value: unknown, path: string) => {
    if (typeof value === "string") fields[path] = value;
    else if (value && typeof value === "object")
      for (const [key, inner] of Object.entries(value)) walk(inner, path ? `${path}.${key}` : key);
  };
  walk(kit, "");
  return fields;
}

export function kitChanges(before: BrandKit, after: BrandKit): BrandKitFieldChange[] {
  const [was, now] = [fieldsOf(before), fieldsOf(after)];
  return [...new Set([...Object.keys(was), ...Object.keys(now)])]
    .filter((field) => was[field] !== now[field])
    .map((field) => ({ field, before: was[field] ?? null, after: now[field] ?? null }));
}

const logoSummary = (logo: BrandLogo | undefined) => (logo ? { sha256: logo.sha256, size: logo.size } : null);

/** Writes the next version, or says why not; a change that changes nothing is no version. */
async function change(
  p: BrandKitDeps,
  expectedVersion: number,
  actor: Actor,
  next: (stored: StoredBrandKit | null, kit: BrandKit) => { kit?: BrandKit; logo?: BrandLogo; bytes?: Uint8Array },
): Promise<BrandKitView> {
  // Read fresh: a version another container's admin wrote within the cache's minute is the one to compare.
  const stored = await p.brandKits.current({ fresh: true });
  const version = stored?.version ?? 0;
  if (expectedVersion !== version) throw new BrandKitConflictError(expectedVersion, version);
  const kitBefore = stored?.kit ?? brandOf(p.settings);
  const wanted = next(stored, kitBefore);
  const changes = [
    ...(wanted.kit ? kitChanges(kitBefore, wanted.kit) : []),
    ...(wanted.logo?.sha256 !== stored?.logo?.sha256
      ? [{ field: "logo", before: logoSummary(stored?.logo), after: logoSummary(wanted.logo) }]
      : []),
  ];
  if (changes.length > 0) {
    const at = p.now().toISOString();
    const kit = wanted.kit ?? stored?.kit;
    await p.brandKits.save(
      {
        ...(kit ? { kit } : {}),
        ...(wanted.logo ? { logo: wanted.logo } : {}),
        version: version + 1,
        updatedAt: at,
        updatedBy: actor.name,
      },
      { version: version + 1, at, by: { name: actor.name, ...(actor.id ? { id: actor.id } : {}) }, changes },
      wanted.logo?.sha256 !== stored?.logo?.sha256 ? wanted.bytes : undefined,
    );
  }
  return viewBrandKit(p);
}

/**
 * An admin's brand kit, whole, checked by BrandKit (each field's problem named, the colours'
 * contrast too). `version` is the one they read: another admin's change since is a conflict,
 * never silently overwritten.
 */
export async function setBrandKit(p: BrandKitDeps, input: unknown, version: number, actor: Actor) {
  const parsed = BrandKit.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message }));
    throw new ValidationError(issues.map((i) => `${i.path}: ${i.message}`).join("; "), issues);
  }
  return change(p, version, actor, (stored) => ({ kit: parsed.data, logo: stored?.logo }));
}

/** An admin's logo (checkLogo), in place of the one before; the old one's bytes stay for the emails that show it. */
export async function setLogo(
  p: BrandKitDeps,
  contentType: string | undefined,
  bytes: Uint8Array,
  version: number,
  actor: Actor,
) {
  const logo = checkLogo(contentType, bytes);
  return change(p, version, actor, () => ({ logo, bytes }));
}

/** Back to the text header: the pages and new emails name the bank in words. */
export async function removeLogo(p: BrandKitDeps, version: number, actor: Actor) {
  return change(p, version, actor, () => ({}));
}
