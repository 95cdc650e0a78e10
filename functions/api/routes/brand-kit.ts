import { createRoute, z } from "@hono/zod-openapi";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import {
  LOGO_MAX_BYTES,
  LogoTooLargeError,
  removeLogo,
  setBrandKit,
  setLogo,
  viewBrandKit,
} from "../../../shared/campaigns/brand-kit.js";
import { BrandKit } from "../../../shared/kernel/brand.js";
import { ValidationError } from "../../../shared/kernel/errors.js";
import { idNamed, idRule } from "../../../shared/kernel/ids.js";
import { requireRole } from "../auth.js";
import type { ApiPorts } from "../deps.js";
import { router } from "../router.js";

/** The version a change was made on: GET /api/brand-kit's `version` (0 before the first change). */
const Version = z.coerce
  .number({ error: "version must be the brand kit's version as GET /api/brand-kit gave it (0 before any change)" })
  .int("version must be a whole number: the brand kit's version as GET /api/brand-kit gave it")
  .min(0, "version must be 0 or more: the brand kit's version as GET /api/brand-kit gave it");
const LogoView = z.object({
  sha256: z.string(),
  contentType: z.enum(["image/png", "image/jpeg"]),
  size: z.number().describe("The file's bytes"),
  width: z.number().describe("CSS pixels it is drawn at in the emails' and pages' header"),
  height: z.number(),
  path: z.string().describe("Where it is served, publicly and content-addressed: /brand/logo/<sha256 prefix>.png"),
});
const BrandKitReply = z.object({
  kit: z.unknown().describe("The brand kit in force (shared/kernel/brand.ts)"),
  logo: LogoView.nullable(),
  version: z.number().describe("The version a change must name; 0 while no admin has changed anything"),
  source: z.enum(["stored", "configured", "demo"]).describe("An admin's kit, BRAND_KIT's, or the demo bank's"),
  updatedAt: z.string().optional(),
  updatedBy: z.string().optional(),
});
const Summary = z.object({ sha256: z.string(), size: z.number() });
const History = z.object({
  changes: z.array(
    z.object({
      version: z.number(),
      at: z.string(),
      by: z.object({ name: z.string(), id: z.string().optional() }),
      changes: z.array(
        z.object({
          field: z.string().describe("name.en, colours.primary, ...; `logo` for the logo"),
          before: z.union([z.string(), Summary]).nullable(),
          after: z.union([z.string(), Summary]).nullable(),
        }),
      ),
    }),
  ),
});
const Problem = { "application/json": { schema: z.object({ code: z.string(), message: z.string() }) } };
const conflict = {
  409: {
    description:
      "Another admin changed the brand kit since `version`: read it again, apply the change, send that version",
    content: Problem,
  },
};

/** The brand kit's admin API: read by any staff, changed by an admin only, every change in its history. */
export function brandKitRoutes(ports: ApiPorts) {
  const routes = router();
  routes.use(
    "/logo",
    bodyLimit({
      maxSize: LOGO_MAX_BYTES,
      onError: (c) => {
        throw new LogoTooLargeError(Number(c.req.header("content-length")) || LOGO_MAX_BYTES + 1);
      },
    }),
  );
  return routes
    .openapi(
      createRoute({
        method: "get",
        path: "/",
        summary: "The brand kit in force (an admin's, else BRAND_KIT's, else the demo bank's), its logo and version",
        responses: {
          200: { description: "The brand kit", content: { "application/json": { schema: BrandKitReply } } },
        },
      }),
      async (c) => c.json(await viewBrandKit(ports), 200),
    )
    .openapi(
      createRoute({
        method: "put",
        path: "/",
        summary:
          "Sets the whole brand kit (names, legal footer, colours readable on each other, sender name, hotline); recorded in its history",
        middleware: [requireRole("admin")] as const,
        request: {
          body: {
            required: true,
            content: {
              "application/json": {
                schema: z.object({ version: Version, kit: BrandKit }).strict(),
              },
            },
          },
        },
        responses: {
          200: { description: "The brand kit now", content: { "application/json": { schema: BrandKitReply } } },
          400: { description: "A field is not valid: the message names it and why", content: Problem },
          ...conflict,
        },
      }),
      async (c) => {
        const { version, kit } = c.req.valid("json");
        return c.json(await setBrandKit(ports, kit, version, c.get("actor")), 200);
      },
    )
    .openapi(
      createRoute({
        method: "put",
        path: "/logo",
        summary: `Sets the logo: the image's bytes as the body, Content-Type image/png or image/jpeg, at most ${LOGO_MAX_BYTES / 1024} KB (no SVG)`,
        middleware: [requireRole("admin")] as const,
        request: {
          query: z.object({ version: Version }),
          body: {
            required: true,
            content: {
              "image/png": { schema: z.string().openapi({ format: "binary" }) },
              "image/jpeg": { schema: z.string().openapi({ format: "binary" }) },
            },
          },
        },
        responses: {
          200: { description: "The brand kit now", content: { "application/json": { schema: BrandKitReply } } },
          413: { description: `Larger than ${LOGO_MAX_BYTES / 1024} KB`, content: Problem },
          415: { description: "Not a PNG or a JPEG (an SVG is refused: it can carry scripts)", content: Problem },
          ...conflict,
        },
      }),
      async (c) => {
        const bytes = new Uint8Array(await c.req.arrayBuffer());
        const { version } = c.req.valid("query");
        return c.json(await setLogo(ports, c.req.header("content-type"), bytes, version, c.get("actor")), 200);
      },
    )
    .openapi(
      createRoute({
        method: "delete",
        path: "/logo",
        summary: "Removes the logo: emails and pages name the bank in words again",
        middleware: [requireRole("admin")] as const,
        request: { query: z.object({ version: Version }) },
        responses: {
          200: { description: "The brand kit now", content: { "application/json": { schema: BrandKitReply } } },
          ...conflict,
        },
      }),
      async (c) => c.json(await removeLogo(ports, c.req.valid("query").version, c.get("actor")), 200),
    )
    .openapi(
      createRoute({
        method: "get",
        path: "/history",
        summary: "Every change to the brand kit, newest first: who, when, each field before and after",
        middleware: [requireRole("admin")] as const,
        responses: { 200: { description: "The changes", content: { "application/json": { schema: History } } } },
      }),
      async (c) => c.json({ changes: await ports.brandKits.history() }, 200),
    );
}

const LogoFile = /^(.*)\.(png|jpg)$/s;
const LogoId = idNamed("logoId");
/** Logos a container keeps in memory, at most 100 KB each: the current one and the few before it. */
const KEPT_LOGOS = 8;

/**
 * The logo, public: the emails link to it from any mail client. Content-addressed, so a year's
 * caching is safe; a replaced logo's bytes stay, for the emails already sent with it.
 */
export const brandLogoRoute = (ports: Pick<ApiPorts, "brandKits">) => {
  // A logo never changes at its address: the few a container served are kept, so a mail
  // client or a crawler asking again and again (the WAF counts only the pages) reads no store.
  const kept = new Map<string, Awaited<ReturnType<ApiPorts["brandKits"]["logo"]>>>();
  const logoBy = async (logoId: string) => {
    const logo = kept.get(logoId) ?? (await ports.brandKits.logo(logoId));
    if (logo && !kept.has(logoId)) {
      if (kept.size >= KEPT_LOGOS) kept.delete(kept.keys().next().value as string);
      kept.set(logoId, logo);
    }
    return logo;
  };
  return new Hono().get("/brand/logo/:file", async (c) => {
    const [, logoId = "", extension] = LogoFile.exec(c.req.param("file")) ?? [];
    // An id-shaped name first, as every path's id is, so nothing longer reaches the store.
    if (!LogoId.safeParse(logoId).success) throw new ValidationError(idRule("logoId"));
    const logo = /^[0-9a-f]{16}$/.test(logoId) ? await logoBy(logoId) : null;
    if (!logo || (extension === "png") !== (logo.contentType === "image/png"))
      return c.json({ code: "not_found", message: "No logo at this address" }, 404);
    return c.body(logo.bytes as Uint8Array<ArrayBuffer>, 200, {
      "content-type": logo.contentType,
      "cache-control": "public, max-age=31536000, immutable",
    });
  });
};
