import { createHash } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { createApp } from "../../functions/api/app.js";
import { pageStyleHash } from "../../functions/api/routes/customer-page-layout.js";
import { LOGO_MAX_BYTES } from "../../shared/campaigns/brand-kit.js";
import type { Actor } from "../../shared/kernel/actor.js";
import { DEMO_BRAND } from "../../shared/kernel/brand.js";
import { MemoryBrandKits, pngOf } from "../support/memory-brand-kits.js";
import { platformWith } from "../unit/platform.js";

const TOKENS = new Map<string, Actor>([
  ["marketer-token", { name: "mei", role: "marketer" }],
  ["admin-token", { id: "sub-root", name: "root", role: "admin" }],
  ["other-admin-token", { id: "sub-wang", name: "wang", role: "admin" }],
]);
const as = (token: string) => ({ authorization: `Bearer ${token}` });
const ADMIN = as("admin-token");
const JILIN = { ...DEMO_BRAND, name: { "zh-CN": "吉林示例银行", en: "Jilin Example Bank" } };

let store: MemoryBrandKits;
let app: ReturnType<typeof createApp>;

beforeEach(() => {
  store = new MemoryBrandKits();
  app = createApp({
    ports: platformWith({ brandKits: store }),
    actorFor: async (token) => TOKENS.get(token),
    checkServices: async () => ({ dynamodb: "ok", sqs: "ok" }),
  });
});

const putKit = (body: unknown, headers = ADMIN) =>
  app.request("/api/brand-kit", {
    method: "PUT",
    headers: { ...headers, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
const putLogo = (bytes: Uint8Array, type: string, version: number) =>
  app.request(`/api/brand-kit/logo?version=${version}`, {
    method: "PUT",
    headers: { ...ADMIN, "content-type": type },
    body: bytes,
  });

describe("the brand kit's API", () => {
  it("shows any member of staff the kit in force, and lets only an admin change it", async () => {
    // act
    const read = await app.request("/api/brand-kit", { headers: as("marketer-token") });
    const change = await putKit({ version: 0, kit: JILIN }, as("marketer-token"));

    // assess
    expect(read.status).toBe(200);
    expect(await read.json()).toMatchObject({ kit: { name: { en: "Demo Bank" } }, version: 0, source: "demo" });
    expect(change.status).toBe(403);
    expect(store.stored).toBeNull();
  });

  it("refuses a kit whose colours customers could not read, naming the field and why", async () => {
    // act
    const reply = await putKit({ version: 0, kit: { ...JILIN, colours: { ...JILIN.colours, onPrimary: "#3a7bd5" } } });

    // assess
    expect(reply.status).toBe(400);
    const { message } = (await reply.json()) as { message: string };
    expect(message).toMatch(
      /kit\.colours\.onPrimary: #3a7bd5 on primary has a contrast of 1\.\d\d:1; customers need 4\.5:1/,
    );
    expect(store.stored).toBeNull();
  });

  it("saves an admin's kit as the next version, and refuses a second admin's change made on the version before", async () => {
    // act
    const first = await putKit({ version: 0, kit: JILIN });
    const late = await putKit({ version: 0, kit: { ...DEMO_BRAND, hotline: "95 999" } }, as("other-admin-token"));

    // assess
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ version: 1, source: "stored", updatedBy: "root" });
    expect(late.status).toBe(409);
    expect(await late.json()).toMatchObject({
      code: "brand_kit_conflict",
      message: expect.stringContaining("read it again with GET /api/brand-kit"),
    });
    expect(store.stored?.kit?.name.en).toBe("Jilin Example Bank");
  });

  it("serves an uploaded logo publicly at its content's address, for a year, loadable from a webmail's page, reading the store once", async () => {
    // prepare
    const png = pngOf(160, 40);

    // act
    const upload = await putLogo(png, "image/png", 0);
    const { logo } = (await upload.json()) as { logo: { path: string; width: number; height: number } };
    const served = await app.request(logo.path);
    const again = await app.request(logo.path);

    // assess
    expect(upload.status).toBe(200);
    expect(logo).toMatchObject({ width: 160, height: 40 });
    expect(logo.path).toBe(`/brand/logo/${createHash("sha256").update(png).digest("hex").slice(0, 16)}.png`);
    expect(served.status).toBe(200);
    expect(served.headers.get("content-type")).toBe("image/png");
    expect(served.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(served.headers.get("cross-origin-resource-policy")).toBe("cross-origin");
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(png);
    expect(new Uint8Array(await again.arrayBuffer())).toEqual(png);
    expect(store.logoReads).toBe(1); // kept by the container: it never changes at its address
    expect((await app.request("/brand/logo/0000000000000000.png")).status).toBe(404);
  });

  it.each([
    [
      "an SVG",
      new TextEncoder().encode("<svg xmlns='http://www.w3.org/2000/svg'/>"),
      "image/svg+xml",
      415,
      "can carry scripts",
    ],
    [
      "a PNG over 100 KB",
      pngOf(10, 10, "#c8102e", LOGO_MAX_BYTES + 1),
      "image/png",
      413,
      "at most 102400 bytes (100 KB)",
    ],
    ["text sent as a JPEG", new TextEncoder().encode("not an image"), "image/jpeg", 415, "not a JPEG"],
  ])("refuses %s with a %s, saying why, and keeps no logo", async (_, bytes, type, status, message) => {
    // act
    const reply = await putLogo(bytes, type, 0);

    // assess
    expect(reply.status).toBe(status);
    expect(((await reply.json()) as { message: string }).message).toContain(message);
    expect(store.stored).toBeNull();
  });

  it("lists every change, newest first: who, when, each field before and after, the logo by hash and size", async () => {
    // prepare
    const png = pngOf(80, 40);
    await putKit({ version: 0, kit: JILIN });
    await putLogo(png, "image/png", 1);

    // act
    const reply = await app.request("/api/brand-kit/history", { headers: ADMIN });
    const marketer = await app.request("/api/brand-kit/history", { headers: as("marketer-token") });

    // assess
    expect(marketer.status).toBe(403);
    const { changes } = (await reply.json()) as { changes: unknown[] };
    expect(changes).toEqual([
      {
        version: 2,
        at: "2026-06-01T12:00:00.000Z",
        by: { name: "root", id: "sub-root" },
        changes: [
          {
            field: "logo",
            before: null,
            after: { sha256: createHash("sha256").update(png).digest("hex"), size: png.length },
          },
        ],
      },
      {
        version: 1,
        at: "2026-06-01T12:00:00.000Z",
        by: { name: "root", id: "sub-root" },
        changes: [
          { field: "name.zh-CN", before: "示范银行", after: "吉林示例银行" },
          { field: "name.en", before: "Demo Bank", after: "Jilin Example Bank" },
        ],
      },
    ]);
  });

  it("dresses a customer page in the kit in force: its logo named by the bank, and a CSP allowing its colours and the image", async () => {
    // prepare: new colours and a logo
    await putKit({
      version: 0,
      kit: { ...JILIN, colours: { primary: "#8a1538", onPrimary: "#ffffff", accent: "#c9a227" } },
    });
    const upload = await putLogo(pngOf(160, 40), "image/png", 1);
    const { logo } = (await upload.json()) as { logo: { path: string } };

    // act: a page any customer can reach, an offer link's error page
    const page = await app.request("/o/not-a-token", { headers: { accept: "text/html", "accept-language": "zh-CN" } });

    // assess
    const html = await page.text();
    expect(html).toContain(`<img src="${logo.path}" alt="吉林示例银行" width="160" height="40">`);
    expect(html).toContain(".bar{background:#8a1538;");
    const csp = page.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("img-src https://offers.example.cn/brand/logo/;");
    expect(csp).toContain(
      pageStyleHash({ ...JILIN, colours: { primary: "#8a1538", onPrimary: "#ffffff", accent: "#c9a227" } }),
    );
  });
});
