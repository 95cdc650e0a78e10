import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  BrandKitConflictError,
  CachedBrandKits,
  checkLogo,
  currentBrand,
  LOGO_MAX_BYTES,
  LogoTooLargeError,
  LogoTypeError,
  removeLogo,
  setBrandKit,
  setLogo,
  viewBrandKit,
} from "../../shared/campaigns/brand-kit.js";
import { prepareTemplate } from "../../shared/campaigns/message.js";
import type { Actor } from "../../shared/kernel/actor.js";
import { DEMO_BRAND } from "../../shared/kernel/brand.js";
import { ValidationError } from "../../shared/kernel/errors.js";
import { jpegOf, MemoryBrandKits, pngOf } from "../support/memory-brand-kits.js";

const ROOT: Actor = { kind: "person", id: "sub-root", name: "root", role: "admin" };
const OTHER_ADMIN: Actor = { kind: "person", id: "sub-wang", name: "wang", role: "admin" };
const NOW = new Date("2026-11-30T08:00:00.000Z");
const JILIN = { ...DEMO_BRAND, name: { "zh-CN": "吉林示例银行", en: "Jilin Example Bank" } };

const deps = (store = new MemoryBrandKits(), brand?: typeof DEMO_BRAND) => ({
  brandKits: store,
  settings: brand ? { brand } : {},
  now: () => NOW,
});

describe("the brand kit in force", () => {
  it("is the demo bank's, then BRAND_KIT's, then an admin's, in that order of precedence", async () => {
    // prepare
    const store = new MemoryBrandKits();
    const configured = { ...DEMO_BRAND, name: { "zh-CN": "配置银行", en: "Configured Bank" } };

    // act + assess
    expect((await currentBrand(deps(store))).name.en).toBe("Demo Bank");
    expect((await currentBrand(deps(store, configured))).name.en).toBe("Configured Bank");
    expect((await viewBrandKit(deps(store, configured))).source).toBe("configured");
    await setBrandKit(deps(store, configured), JILIN, 0, ROOT);
    expect((await currentBrand(deps(store, configured))).name.en).toBe("Jilin Example Bank");
    expect((await viewBrandKit(deps(store, configured))).source).toBe("stored");
  });

  it("keeps BRAND_KIT's words when an admin only uploaded a logo", async () => {
    // prepare
    const store = new MemoryBrandKits();
    const configured = { ...DEMO_BRAND, name: { "zh-CN": "配置银行", en: "Configured Bank" } };

    // act
    await setLogo(deps(store, configured), "image/png", pngOf(200, 50), 0, ROOT);

    // assess
    const brand = await currentBrand(deps(store, configured));
    expect(brand.name.en).toBe("Configured Bank");
    expect(brand.logo).toMatchObject({ contentType: "image/png", width: 160, height: 40 });
  });
});

describe("an admin's change", () => {
  it("refuses colours customers could not read, naming the field and the contrast", async () => {
    // act
    const change = setBrandKit(
      deps(),
      { ...DEMO_BRAND, colours: { ...DEMO_BRAND.colours, primary: "#7fb2e5" } },
      0,
      ROOT,
    );

    // assess
    await expect(change).rejects.toThrow(ValidationError);
    await expect(change).rejects.toThrow(/colours\.primary: #7fb2e5 on white, as links has a contrast of 2\.\d\d:1/);
  });

  it("records who changed which field, from what to what, and nothing for a field left as it was", async () => {
    // prepare
    const store = new MemoryBrandKits();

    // act
    await setBrandKit(deps(store), JILIN, 0, ROOT);
    await setBrandKit(deps(store), { ...JILIN, hotline: "95 111" }, 1, OTHER_ADMIN);
    await setBrandKit(deps(store), { ...JILIN, hotline: "95 111" }, 2, ROOT); // the same again: no change

    // assess
    const history = await store.history();
    expect(history).toHaveLength(2);
    expect(history[0]).toEqual({
      version: 2,
      at: NOW.toISOString(),
      by: { name: "wang", id: "sub-wang" },
      changes: [{ field: "hotline", before: "95000", after: "95 111" }],
    });
    expect(history[1].changes).toEqual([
      { field: "name.zh-CN", before: "示范银行", after: "吉林示例银行" },
      { field: "name.en", before: "Demo Bank", after: "Jilin Example Bank" },
    ]);
  });

  it("refuses a change made on a version another admin has since replaced, and keeps theirs", async () => {
    // prepare: both read version 0; wang saves first
    const store = new MemoryBrandKits();
    await setBrandKit(deps(store), JILIN, 0, OTHER_ADMIN);

    // act
    const late = setBrandKit(deps(store), { ...DEMO_BRAND, hotline: "95 999" }, 0, ROOT);

    // assess
    await expect(late).rejects.toThrow(BrandKitConflictError);
    await expect(late).rejects.toThrow(/it is now version 1\): read it again/);
    expect(store.stored?.kit?.name.en).toBe("Jilin Example Bank");
    expect(store.stored?.kit?.hotline).toBe("95000");
  });

  it("records a logo by its SHA-256 and size, and its removal, never its bytes", async () => {
    // prepare
    const store = new MemoryBrandKits();
    const png = pngOf(120, 40);

    // act
    await setLogo(deps(store), "image/png", png, 0, ROOT);
    await removeLogo(deps(store), 1, ROOT);

    // assess
    const [removed, added] = await store.history();
    const sha256 = createHash("sha256").update(png).digest("hex");
    expect(added.changes).toEqual([{ field: "logo", before: null, after: { sha256, size: png.length } }]);
    expect(removed.changes).toEqual([{ field: "logo", before: { sha256, size: png.length }, after: null }]);
    expect(JSON.stringify(await store.history())).not.toContain(Buffer.from(png).toString("base64"));
    expect((await currentBrand(deps(store))).logo).toBeUndefined();
    // The bytes stay where the emails sent with it point
    expect(await store.logo(sha256.slice(0, 16))).not.toBeNull();
  });
});

describe("a logo", () => {
  it("is drawn 40 px high in its own proportions, and at most 200 px wide", () => {
    expect(checkLogo("image/png", pngOf(300, 100))).toMatchObject({ width: 120, height: 40 });
    expect(checkLogo("image/png", pngOf(1000, 100))).toMatchObject({ width: 200, height: 20 });
    expect(checkLogo("image/jpeg", jpegOf(80, 80))).toMatchObject({ contentType: "image/jpeg", width: 40, height: 40 });
  });

  it.each([
    ["an SVG", "image/svg+xml", new TextEncoder().encode("<svg onload='alert(1)'/>"), /SVG .* can carry scripts/],
    ["a GIF", "image/gif", new TextEncoder().encode("GIF89a"), /image\/png or image\/jpeg, not 'image\/gif'/],
    ["HTML sent as a PNG", "image/png", new TextEncoder().encode("<html><script>"), /not a PNG/],
    ["a PNG sent as a JPEG", "image/jpeg", pngOf(10, 10), /not a JPEG/],
  ])("refuses %s, saying what to upload", (_, type, bytes, message) => {
    expect(() => checkLogo(type, bytes)).toThrow(LogoTypeError);
    expect(() => checkLogo(type, bytes)).toThrow(message);
  });

  it("refuses more than 100 KB, saying the limit", () => {
    // act
    const tooLarge = () => checkLogo("image/png", pngOf(10, 10, "#c8102e", LOGO_MAX_BYTES + 1));

    // assess
    expect(tooLarge).toThrow(LogoTooLargeError);
    expect(tooLarge).toThrow(`The logo is ${LOGO_MAX_BYTES + 1} bytes; a logo may be at most ${LOGO_MAX_BYTES} bytes`);
    expect(() => checkLogo("image/png", pngOf(10, 10, "#c8102e", LOGO_MAX_BYTES))).not.toThrow();
  });
});

describe("the kit a container keeps", () => {
  it("is read once a minute at most, and an admin's change elsewhere is seen once the minute is over", async () => {
    // prepare: one container's cache over the store another container's admin writes to
    const store = new MemoryBrandKits();
    let now = new Date("2026-11-30T08:00:00.000Z");
    const cached = new CachedBrandKits(store, () => now);
    const reader = { brandKits: cached, settings: {} };
    expect((await currentBrand(reader)).name.en).toBe("Demo Bank");

    // act: the admin changes it elsewhere; 59 s later, then 60 s later
    await setBrandKit(deps(store), JILIN, 0, ROOT);
    const readsBefore = store.reads;
    now = new Date("2026-11-30T08:00:59.000Z");
    const within = await currentBrand(reader);
    const readsWithin = store.reads - readsBefore;
    now = new Date("2026-11-30T08:01:00.000Z");
    const after = await currentBrand(reader);

    // assess
    expect(within.name.en).toBe("Demo Bank");
    expect(after.name.en).toBe("Jilin Example Bank");
    expect(readsWithin).toBe(0);
    expect(store.reads - readsBefore).toBe(1);
  });

  it("sees its own container's change at once, and checks a change's version against the store itself", async () => {
    // prepare
    const store = new MemoryBrandKits();
    const now = () => NOW;
    const cached = new CachedBrandKits(store, now);
    const p = { brandKits: cached, settings: {}, now };
    await currentBrand(p); // cached: nothing stored

    // act: another container's admin saves version 1; this one's admin read it, and saves version 2
    await setBrandKit(deps(store), JILIN, 0, OTHER_ADMIN);
    await setBrandKit(p, { ...JILIN, hotline: "95 111" }, 1, ROOT);

    // assess
    expect((await currentBrand(p)).hotline).toBe("95 111");
  });
});

describe("an email's header band", () => {
  const message = { subject: "For you", html: '<p><a href="{{offerUrl}}">See the offer</a></p>' };
  const logo = checkLogo("image/png", pngOf(300, 100));

  it("shows the logo at its fixed size from its absolute address, named by the bank in the email's language", () => {
    // act
    const chinese = prepareTemplate(message, "message", "zh-CN", { ...JILIN, logo }, "https://offers.example.cn/");
    const english = prepareTemplate(message, "message", "en", { ...JILIN, logo }, "https://offers.example.cn");

    // assess
    const src = `https://offers.example.cn/brand/logo/${logo.sha256.slice(0, 16)}.png`;
    expect(chinese.html).toContain(`<img src="${src}" alt="吉林示例银行" width="120" height="40"`);
    expect(english.html).toContain(`<img src="${src}" alt="Jilin Example Bank" width="120" height="40"`);
    expect(english.html).toContain("width:120px;height:40px;");
  });

  it("names the bank in words when there is no logo, as it always did", () => {
    // act
    const email = prepareTemplate(message, "message", "en", JILIN, "https://offers.example.cn");

    // assess
    expect(email.html).not.toContain("<img");
    expect(email.html).toMatch(/>Jilin Example Bank<\/div>/);
  });
});
