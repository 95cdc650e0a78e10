import type { MiddlewareHandler } from "hono";
import { secureHeaders } from "hono/secure-headers";

/** HSTS for a year, subdomains of the pages' host included; never preloaded from here. */
const HSTS = "max-age=31536000; includeSubDomains";

/**
 * The response headers every answer carries, pages and JSON alike, configured once.
 *
 * - Content-Security-Policy: nothing loads by default; no script at all; the pages' one inline
 *   `<style>` block is allowed by its SHA-256 hash (`styleHashes`), so no other inline style
 *   and no `style=` attribute applies; forms post only to this site; no `<base>`; no framing.
 * - Referrer-Policy `no-referrer`: the offer and unsubscribe URLs carry their signed token.
 * - X-Content-Type-Options `nosniff`, X-Frame-Options `DENY` (with `frame-ancestors 'none'`).
 * - Strict-Transport-Security only when the public base URL is https (deployed on AWS); a
 *   browser would otherwise remember it for localhost.
 * Hono's other defaults stay: Cross-Origin-Opener/Resource-Policy same-origin, no X-Powered-By.
 */
export function securityHeaders(options: { publicBaseUrl: string; styleHashes: string[] }): MiddlewareHandler {
  const https = new URL(options.publicBaseUrl).protocol === "https:";
  return secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'none'"],
      styleSrc: options.styleHashes.map((hash) => `'${hash}'`),
      formAction: ["'self'"],
      baseUri: ["'none'"],
      frameAncestors: ["'none'"],
    },
    referrerPolicy: "no-referrer",
    xContentTypeOptions: "nosniff",
    xFrameOptions: "DENY",
    strictTransportSecurity: https ? HSTS : false,
  });
}
