import { beforeEach, describe, expect, it } from "vitest";
import type { Actor } from "../../shared/kernel/actor.js";
import { DEMO_BRAND } from "../../shared/kernel/brand.js";
import { CONSOLE_BASE, consoleHarness } from "../support/console-app.js";
import { MemoryBrandKits, pngOf } from "../support/memory-brand-kits.js";
import { platformWith } from "../unit/platform.js";

/**
 * The administrator's brand kit page through the whole console app, the store in memory: the
 * form with every field in both languages, problems beside their field keeping what was typed,
 * a change saved and listed in the history, another admin's change not overwritten, and the logo.
 * The browser test (test/e2e/console-brand-kit.test.ts) runs it on the local platform.
 */

const ROOT: Actor = { kind: "person", id: "sub-root", name: "root", role: "admin" };
const MEI: Actor = { kind: "person", id: "sub-mei", name: "mei", role: "marketer" };
const clock = new Date("2026-06-01T12:00:00.000Z");
const harness = consoleHarness(() => clock);

let store: MemoryBrandKits;

/** The form as the page shows the kit: every field, the colours' pickers and what they showed. */
function formOf(kit = DEMO_BRAND, version = 0): Record<string, string> {
  const form: Record<string, string> = { version: String(version), hotline: kit.hotline };
  for (const group of ["name", "legalName", "senderName", "address"] as const)
    for (const l of ["zh-CN", "en"] as const) form[`${group}.${l}`] = kit[group][l];
  for (const colour of ["primary", "onPrimary", "accent"] as const) {
    const value = kit.colours[colour];
    Object.assign(form, {
      [`colours.${colour}`]: value,
      [`colours.${colour}.picked`]: value,
      [`colours.${colour}.shown`]: value,
    });
  }
  return form;
}

async function signIn(who: Actor) {
  const app = harness.appWith(platformWith({ brandKits: store }, clock));
  const session = await harness.signedIn(app, who, "/admin/brand");
  const upload = (file: Blob | undefined, version = "0") => {
    const body = new FormData();
    body.set("csrf", session.csrf);
    body.set("version", version);
    if (file) body.set("logo", file, "logo.png");
    return app.request(`${CONSOLE_BASE}/console/admin/brand/logo`, {
      method: "POST",
      headers: { cookie: session.cookie, origin: CONSOLE_BASE },
      body,
    });
  };
  return { ...session, upload };
}

describe("the console's brand kit page", () => {
  beforeEach(() => {
    store = new MemoryBrandKits();
  });

  it("shows an admin every field in both languages, the colours as pickers and text, and says whose kit it is", async () => {
    // act
    const root = await signIn(ROOT);
    const html = await (await root.get("/admin/brand")).text();

    // assess
    const shown = Object.entries(formOf()).filter(([name]) => !/\.(picked|shown)$|^version$/.test(name));
    expect(shown).toHaveLength(12);
    for (const [field, value] of shown)
      expect(html, field).toMatch(new RegExp(`<input[^>]* name="${field.replace(".", "\\.")}"[^>]* value="${value}"`));
    expect(html).toContain(
      'type="color" id="field-colours-primary-picked" name="colours.primary.picked" value="#0b5cad"',
    );
    expect(html).toContain('<label for="field-name-zh-CN">Chinese</label>');
    expect(html).toContain("The demo bank&#39;s: no administrator has changed it yet.");
    expect(html).toContain("No administrator has changed the brand kit yet.");
    expect(html).toContain('enctype="multipart/form-data"');
  });

  it("refuses anyone but an admin, in their words", async () => {
    // act
    const mei = await signIn(MEI);
    const reply = await mei.get("/admin/brand");

    // assess
    expect(reply.status).toBe(403);
    expect(await reply.text()).toContain(
      "Only an administrator sets the brand kit; as marketer you cannot open this page.",
    );
  });

  it("names each problem beside its field and keeps everything typed, saving nothing", async () => {
    // prepare
    const root = await signIn(ROOT);

    // act: the English name emptied, a pale main colour typed, a hotline with letters
    const reply = await root.post("/admin/brand", {
      ...formOf(),
      "name.zh-CN": "吉林示例银行",
      "name.en": "  ",
      "colours.primary": "#7fb2e5",
      hotline: "call 95000",
    });

    // assess
    expect(reply.status).toBe(400);
    const html = await reply.text();
    expect(html).toContain("The brand kit is not saved");
    expect(html).toContain('value="吉林示例银行"');
    expect(html).toContain('value="#7fb2e5"');
    expect(html).toContain('value="call 95000"');
    expect(html).toMatch(/id="field-name-en-problem">Fill this in\.</);
    expect(html).toMatch(
      /id="field-colours-primary-problem">Customers cannot read this: the contrast is 2\.23:1 and must be at least 4\.5:1/,
    );
    expect(html).toMatch(/id="field-hotline-problem">Digits, spaces and dashes only/);
    expect(html).toContain('aria-describedby="field-name-en-problem" aria-invalid="true"');
    expect(store.stored).toBeNull();
  });

  it("saves a change, says so, and lists it under Changes with who made it and what it was", async () => {
    // prepare
    const root = await signIn(ROOT);

    // act
    const reply = await root.post("/admin/brand", { ...formOf(), "name.en": "Jilin Example Bank" });
    const html = await (await root.get("/admin/brand?done=saved")).text();

    // assess
    expect(reply.status).toBe(303);
    expect(reply.headers.get("location")).toBe("/console/admin/brand?done=saved");
    expect(store.stored?.kit?.name.en).toBe("Jilin Example Bank");
    expect(html).toContain("The brand kit is saved and written to its history.");
    expect(html).toContain('value="Jilin Example Bank"');
    expect(html).toContain("Set by root on");
    expect(html).toContain("Name (English): Demo Bank → Jilin Example Bank");
  });

  it("takes a colour from its picker when only the picker was moved", async () => {
    // prepare
    const root = await signIn(ROOT);

    // act
    await root.post("/admin/brand", { ...formOf(), "colours.primary.picked": "#8a1538" });

    // assess
    expect(store.stored?.kit?.colours.primary).toBe("#8a1538");
  });

  it("keeps another admin's change made meanwhile, and the typing of whoever comes second", async () => {
    // prepare: both opened version 0; wang saved first
    const root = await signIn(ROOT);
    await root.post("/admin/brand", { ...formOf(), hotline: "95 111" });

    // act: the second admin's form still says version 0
    const reply = await root.post("/admin/brand", { ...formOf(), "name.en": "Second Bank" });

    // assess
    expect(reply.status).toBe(409);
    const html = await reply.text();
    expect(html).toContain("Another administrator changed the brand kit while you were editing");
    expect(html).toContain('value="Second Bank"');
    expect(html).toContain('name="version" value="1"');
    expect(store.stored?.kit?.hotline).toBe("95 111");
    expect(store.stored?.kit?.name.en).toBe("Demo Bank");
  });

  it("uploads a logo and shows it named by the bank, and refuses an SVG or no file beside the file field", async () => {
    // prepare
    const root = await signIn(ROOT);

    // act
    const svg = await root.upload(new Blob(["<svg/>"], { type: "image/svg+xml" }));
    const none = await root.upload(undefined);
    const png = await root.upload(new Blob([pngOf(160, 40)], { type: "image/png" }));
    const html = await (await root.get("/admin/brand?done=logo")).text();

    // assess
    expect(svg.status).toBe(415);
    expect(await svg.text()).toMatch(/id="field-logo-problem">An SVG is refused, since it can carry scripts/);
    expect(none.status).toBe(400);
    expect(await none.text()).toContain("Choose an image file first.");
    expect(png.status).toBe(303);
    const path = `/brand/logo/${store.stored?.logo?.sha256.slice(0, 16)}.png`;
    expect(html).toContain(`<img src="${path}" alt="Demo Bank" width="160" height="40"`);
    expect(html).toContain("The logo is uploaded");
    expect(html).toMatch(/Logo: \(none\) → logo [0-9a-f]{12} \(1 KB\)/);
  });
});
