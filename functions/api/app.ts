import type { ErrorHandler, NotFoundHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import { currentBrand } from "../../shared/campaigns/brand-kit.js";
import type { Brand } from "../../shared/kernel/brand.js";
import { DomainError } from "../../shared/kernel/errors.js";
import { languageOfBrowser } from "../../shared/kernel/language.js";
import { brandOf } from "../../shared/kernel/settings.js";
import { logger } from "../../shared/observability/logger.js";
import { consoleNotConfigured, consoleRoutes } from "../console/app.js";
import { authenticate, authorize } from "./auth.js";
import type { ApiDeps } from "./deps.js";
import { meRoutes } from "./me.js";
import { registerPublicPaths } from "./public-paths.js";
import { type ApiEnv, router } from "./router.js";
import { brandKitRoutes, brandLogoRoute } from "./routes/brand-kit.js";
import { campaignBreakdownRoutes } from "./routes/campaign-breakdown.js";
import { campaignRoutes } from "./routes/campaigns.js";
import { conversionRoutes } from "./routes/conversions.js";
import { changeQueueRoutes, customerChangeRoutes } from "./routes/customer-changes.js";
import { errorPage, pageStyleHash } from "./routes/customer-page-layout.js";
import { customerPages } from "./routes/customer-pages.js";
import { customerRoutes } from "./routes/customers.js";
import { dataQualityRoutes } from "./routes/data-quality.js";
import { deadLetterRoutes } from "./routes/dead-letters.js";
import { products } from "./routes/products.js";
import { segmentRoutes } from "./routes/segments.js";
import { changeTrailRoutes, exportTrailRoutes } from "./routes/trails.js";
import { consoleSecurityHeaders, noStore, refuseCrossSitePosts, securityHeaders } from "./security.js";

const isCustomerPage = (path: string) => /^\/[oup]\//.test(path);
const isConsole = (path: string) => path === "/console" || path.startsWith("/console/");
const isLogo = (path: string) => path.startsWith("/brand/logo/");
const prefersHtml = (accept: string | undefined) => (accept ?? "").includes("text/html");
/** The path as a log may carry it: a customer page's token is the customer's only credential. */
const loggedPath = (path: string) => path.replace(/^\/([oup])\/[^/]*/, "/$1/{token}");

const routeNotFound: NotFoundHandler<ApiEnv> = (c) =>
  c.json({ code: "not_found", message: `No route for ${c.req.method} ${c.req.path}; see /openapi.json` }, 404);

/**
 * The one place errors become HTTP replies. A client's mistake is never a 500; internals never
 * leak. A customer page's error is a page wearing the bank's brand, in the browser's language.
 */
const replyToError =
  (configured: Brand): ErrorHandler<ApiEnv> =>
  async (error, c) => {
    let status: number;
    let body: { code: string; message: string };
    if (error instanceof DomainError) {
      status = error.status;
      body = { code: error.code, message: error.message };
    } else if (error instanceof HTTPException && error.status < 500) {
      status = error.status;
      body = {
        code: status === 413 ? "payload_too_large" : "invalid_request",
        message: error.message || "The request could not be read",
      };
    } else {
      status = 500;
      body = { code: "internal", message: "Internal server error" };
      logger.error("unhandled error", { path: loggedPath(c.req.path), method: c.req.method, error: error as Error });
    }
    if (isCustomerPage(c.req.path) && prefersHtml(c.req.header("accept"))) {
      // The brand the page's CSP is built with (customerHeadersFor), so its style applies.
      const brand = (await c.get("brand")?.()) ?? configured;
      return c.html(errorPage(brand, languageOfBrowser(c.req.header("accept-language")), body.code), status as 400);
    }
    return c.json(body, status as 400);
  };

/**
 * The API, built from what it depends on: the composition root's ports and secrets on Lambda and
 * in `npm start` (deps.ts, liveApiDeps), in-memory fakes in the tests. Each sub-app gets the ports.
 */
export function createApp({ ports, actorFor, checkServices, inbox, issuer, console: consoleDeps }: ApiDeps) {
  const app = router();
  const { publicBaseUrl } = ports.settings;
  const configured = brandOf(ports.settings);
  const consoleUrl = consoleDeps ? `${publicBaseUrl.replace(/\/$/, "")}/console` : undefined;

  // First, so that every answer carries them: pages, JSON, errors and 404s (security.ts). The
  // pages' one style block is built from the brand kit's colours, which an admin may change: the
  // policy allows the block of the kit this request's page was built with, read only when a page
  // (or an error page) asks for it, so a JSON call or a refused request reads no store for it.
  const headersByStyle = new Map<string, ReturnType<typeof securityHeaders>>();
  const customerHeadersFor = (brand: Brand) => {
    const hash = pageStyleHash(brand);
    if (!headersByStyle.has(hash)) headersByStyle.set(hash, securityHeaders({ publicBaseUrl, styleHashes: [hash] }));
    return headersByStyle.get(hash)!;
  };
  const brandNow = () =>
    currentBrand(ports).catch((error: Error) => {
      // A page must still say something when the store does not answer: the configured kit's words.
      logger.warn("brand kit unavailable; the configured one is used", { error });
      return configured;
    });
  // A logo is linked from emails, read by mail clients on any origin: it may be loaded cross-origin.
  const logoHeaders = securityHeaders({ publicBaseUrl, styleHashes: [], crossOriginResourcePolicy: "cross-origin" });
  const consoleHeaders = consoleSecurityHeaders({
    publicBaseUrl,
    formTargets: consoleDeps
      ? [
          ...new Set(
            [consoleDeps.issuer, consoleDeps.logoutUrl].filter((u): u is string => !!u).map((u) => new URL(u).origin),
          ),
        ]
      : [],
  });
  app.use("*", async (c, next) => {
    if (isConsole(c.req.path)) return consoleHeaders(c, next);
    if (isLogo(c.req.path)) return logoHeaders(c, next);
    let read: Promise<Brand> | undefined;
    c.set("brand", () => (read ??= brandNow()));
    await next();
    await customerHeadersFor(read ? await read : configured)(c, async () => {});
  });

  app.get("/health", async (c) => {
    const services = await checkServices();
    const healthy = Object.values(services).every((s) => s === "ok");
    const named = {
      ...(inbox ? { inbox } : {}),
      ...(issuer ? { issuer } : {}),
      ...(consoleUrl ? { console: consoleUrl } : {}),
    };
    return c.json({ status: healthy ? "ok" : "degraded", services, ...named }, healthy ? 200 : 503);
  });

  app.use("/api/*", authenticate(actorFor), authorize()); // the role matrix: access.ts
  app.route("/api/me", meRoutes());
  app.route("/api/customers", customerRoutes(ports));
  app.route("/api/customers", customerChangeRoutes(ports));
  app.route("/api/changes", changeQueueRoutes(ports));
  app.route("/api/segments", segmentRoutes(ports));
  app.route("/api/campaigns", campaignRoutes(ports));
  app.route("/api/campaigns", campaignBreakdownRoutes(ports));
  app.route("/api/conversions", conversionRoutes(ports));
  app.route("/api/data-quality", dataQualityRoutes(ports));
  app.route("/api/admin/dead-letters", deadLetterRoutes(ports));
  app.route("/api/exports", exportTrailRoutes(ports));
  app.route("/api/audit/customer-changes", changeTrailRoutes(ports));
  app.route("/api/products", products);
  app.route("/api/brand-kit", brandKitRoutes(ports));
  app.route("/", brandLogoRoute(ports));
  // The offer page's answer form is posted from our own page only. Not /u/: RFC 8058's one-click
  // unsubscribe is posted by the mail provider, and must work from anywhere with the token alone.
  app.use("/o/*", noStore(), refuseCrossSitePosts(publicBaseUrl));
  app.use("/p/*", noStore(), refuseCrossSitePosts(publicBaseUrl)); // the preference centre's form, likewise
  app.use("/u/*", noStore());
  app.route("/", customerPages(ports));
  // The console: pages and its sign-in (backend-for-frontend), on the API's own origin.
  if (consoleDeps) app.route("/console", consoleRoutes(ports, consoleDeps));
  else app.route("/console", consoleNotConfigured());

  app.openAPIRegistry.registerComponent("securitySchemes", "bearer", { type: "http", scheme: "bearer" });
  registerPublicPaths(app.openAPIRegistry);
  app.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "Cross-sell campaigns API",
      version: "0.1.0",
      description:
        "Segments, maker-checker campaigns, delivery, responses and conversions. Everything under /api needs 'Authorization: Bearer <token>'.",
    },
    security: [{ bearer: [] }],
  });

  app.notFound(routeNotFound);
  app.onError(replyToError(configured));

  return app;
}
