import type { MiddlewareHandler } from "hono";
import { secureHeaders } from "hono/secure-headers";
import { DomainError } from "../../shared/kernel/errors.js";

/** HSTS for a year, subdomains of the pages' host included; never preloaded from here. */
const HSTS = "max-age=31536000; includeSubDomains";

/**
 * The response headers every answer carries, pages and JSON alike, configured once.
 *
 * - Content-Security-Policy: nothing loads by default; no script at all; the pages' one inline
 *   `<style>` block is allowed by its SHA-256 hash (`styleHashes`), so no other inline style
 *   and no `style=` attribute applies; images only from the logo's path (/brand/logo/) on the
 *   public origin; forms post only to this site; no `<base>`; no framing.
 * - Referrer-Policy `no-referrer`: the offer and unsubscribe URLs carry their signed token.
 * - X-Content-Type-Options `nosniff`, X-Frame-Options `DENY` (with `frame-ancestors 'none'`).
 * - Strict-Transport-Security only when the public base URL is https (deployed on AWS); a
 *   browser would otherwise remember it for localhost.
 * Hono's other defaults stay: Cross-Origin-Opener/Resource-Policy same-origin, no X-Powered-By.
 */
export function securityHeaders(options: {
  publicBaseUrl: string;
  styleHashes: string[];
  /** `cross-origin` for what other sites load (the logo in a webmail's page); same-origin otherwise. */
  crossOriginResourcePolicy?: "same-origin" | "cross-origin";
}): MiddlewareHandler {
  const https = new URL(options.publicBaseUrl).protocol === "https:";
  return secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'none'"],
      styleSrc: options.styleHashes.map((hash) => `'${hash}'`),
      // The bank's logo in the pages' header band, and nothing else: only its path on the pages'
      // own origin, so the browser's own /favicon.ico (there is none) stays unrequested.
      imgSrc: [`${new URL(options.publicBaseUrl).origin}/brand/logo/`],
      formAction: ["'self'"],
      baseUri: ["'none'"],
      frameAncestors: ["'none'"],
    },
    referrerPolicy: "no-referrer",
    xContentTypeOptions: "nosniff",
    xFrameOptions: "DENY",
    strictTransportSecurity: https ? HSTS : false,
    crossOriginResourcePolicy: options.crossOriginResourcePolicy ?? "same-origin",
  });
}

/**
 * The console's headers (/console): the same as every answer's, except that its pages load their
 * one stylesheet and one script from this origin (no inline script or style at all, no other
 * origin), fetch and frame only from here, and post forms here and to the sign-in provider, whose
 * sign-out page the sign-out form is redirected to (Chromium holds redirects to form-action).
 */
export function consoleSecurityHeaders(options: { publicBaseUrl: string; formTargets: string[] }): MiddlewareHandler {
  const https = new URL(options.publicBaseUrl).protocol === "https:";
  return secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'none'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'"],
      connectSrc: ["'self'"],
      // The campaign wizard's email preview, a page of the console with its own policy (campaign-editor/routes.tsx).
      frameSrc: ["'self'"],
      formAction: ["'self'", ...options.formTargets],
      baseUri: ["'none'"],
      frameAncestors: ["'none'"],
    },
    referrerPolicy: "no-referrer",
    xContentTypeOptions: "nosniff",
    xFrameOptions: "DENY",
    strictTransportSecurity: https ? HSTS : false,
    // A console route that answers with its own policy keeps it: the email preview, framed by the wizard.
    overwrite: false,
  });
}

/**
 * The customer pages carry the customer's own data (the offer they were sent, their answer)
 * behind a token in the URL: no browser, proxy or shared computer keeps a copy.
 */
export function noStore(): MiddlewareHandler {
  return async function noStoreMiddleware(c, next) {
    await next();
    c.header("Cache-Control", "no-store");
  };
}

/** A browser posted an answer from a page on another site: refused, and nothing is recorded. */
export class CrossSiteRequestError extends DomainError {
  readonly code = "cross_site_request";
  readonly status = 403;
  constructor() {
    super(
      "This answer came from another website, so it was not recorded. Open the link in your email and answer on our page.",
    );
  }
}

/**
 * Whether a browser sent this request from a page of another site. The browser sets
 * `Sec-Fetch-Site` and `Origin` itself and no page can change them. Modern browsers send
 * `Sec-Fetch-Site`: `same-origin` (or `none`, a request the user typed) passes, anything else
 * needs an `Origin` we trust. Without it, an `Origin` must be ours. A request with neither
 * comes from no browser (a server, curl, a mail provider), and cross-site forgery needs a
 * victim's browser, so it passes: its only credential, the link token, is checked next.
 */
export function isCrossSite(
  headers: { secFetchSite?: string; origin?: string },
  trustedOrigins: readonly string[],
): boolean {
  const { secFetchSite, origin } = headers;
  if (secFetchSite === "same-origin" || secFetchSite === "none") return false;
  if (secFetchSite !== undefined) return origin === undefined || !trustedOrigins.includes(origin);
  return origin !== undefined && !trustedOrigins.includes(origin);
}

/**
 * Refuses a POST sent by a browser from another site (see isCrossSite). Trusted origins: the
 * public base URL's, which the emailed links use, and the request's own.
 */
export function refuseCrossSitePosts(publicBaseUrl: string): MiddlewareHandler {
  const publicOrigin = new URL(publicBaseUrl).origin;
  return async (c, next) => {
    if (c.req.method === "POST") {
      const headers = { secFetchSite: c.req.header("sec-fetch-site"), origin: c.req.header("origin") };
      if (isCrossSite(headers, [publicOrigin, new URL(c.req.url).origin])) throw new CrossSiteRequestError();
    }
    await next();
  };
}
