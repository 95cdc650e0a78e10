import { createHmac, timingSafeEqual } from "node:crypto";
import { ExpiredLinkError, InvalidLinkError } from "../kernel/errors.js";

/** offer: the offer page; unsubscribe: the one-click unsubscribe; preferences: the customer's preference centre. */
export type LinkAction = "offer" | "unsubscribe" | "preferences";
export type LinkClaims = { deliveryId: string; action: LinkAction; expiresAt: number };

const mac = (secret: string, payload: string) => createHmac("sha256", secret).update(payload).digest("base64url");

/** `payload.signature`, both base64url; the HMAC covers delivery id, action and expiry (epoch seconds). */
export function signLink(secret: string, claims: LinkClaims): string {
  const payload = Buffer.from(JSON.stringify([claims.deliveryId, claims.action, claims.expiresAt])).toString(
    "base64url",
  );
  return `${payload}.${mac(secret, payload)}`;
}

/**
 * The links whose signature alone proves them, at any age. A customer's own choice outranks
 * everything: an unsubscribe link from an email of two years ago still unsubscribes (RFC 8058
 * asks for a link that keeps working). Its token still carries an expiry, as tokens already
 * sent do, and it is still checked for its signature; the expiry is only not enforced.
 */
export const NEVER_EXPIRES: readonly LinkAction[] = ["unsubscribe"];

/** A link whose signature holds, and whether its time has passed (`expired`), whatever its action. */
export type ReadLink = LinkClaims & { expired: boolean };

/**
 * Checks the signature and the action, never the age: InvalidLinkError for a forged, altered or
 * misdirected token. The caller decides what an expired link may still do (the preference
 * centre's opt-outs, the offer's renewal).
 */
export function readLink(secret: string, token: string, action: LinkAction, now = Date.now()): ReadLink {
  const [payload, signature, extra] = token.split(".");
  if (!payload || !signature || extra !== undefined) throw new InvalidLinkError();
  const expected = Buffer.from(mac(secret, payload));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw new InvalidLinkError();
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
  } catch {
    throw new InvalidLinkError();
  }
  if (!Array.isArray(decoded) || decoded.length !== 3) throw new InvalidLinkError();
  const [deliveryId, tokenAction, expiresAt] = decoded as [unknown, unknown, unknown];
  if (typeof deliveryId !== "string" || tokenAction !== action || typeof expiresAt !== "number")
    throw new InvalidLinkError();
  return { deliveryId, action, expiresAt, expired: expiresAt * 1000 < now };
}

/** A link that may be used as it is: signed, for this action, and not expired unless it never expires. */
export function verifyLink(secret: string, token: string, action: LinkAction, now = Date.now()): LinkClaims {
  const { expired, ...claims } = readLink(secret, token, action, now);
  if (expired && !NEVER_EXPIRES.includes(action)) throw new ExpiredLinkError();
  return claims;
}

type LinkSettings = { linkSigningSecret: string; publicBaseUrl: string; linkTtlDays: number };

/** A signed token for `action` on the delivery, expiring linkTtlDays from `now`. */
export function linkToken(
  settings: Pick<LinkSettings, "linkSigningSecret" | "linkTtlDays">,
  deliveryId: string,
  action: LinkAction,
  now: Date,
): string {
  const expiresAt = Math.floor(now.getTime() / 1000) + settings.linkTtlDays * 86_400;
  return signLink(settings.linkSigningSecret, { deliveryId, action, expiresAt });
}

/**
 * The signed links every offer email carries: the offer, the one-click unsubscribe, and the
 * preference centre, whose token names the customer through the delivery (campaign.customer).
 */
export function offerLinks(
  settings: LinkSettings,
  deliveryId: string,
  now: Date,
): { offerUrl: string; unsubscribeUrl: string; preferencesUrl: string } {
  const base = settings.publicBaseUrl.replace(/\/$/, "");
  const token = (action: LinkAction) => linkToken(settings, deliveryId, action, now);
  return {
    offerUrl: `${base}/o/${token("offer")}`,
    unsubscribeUrl: `${base}/u/${token("unsubscribe")}`,
    preferencesUrl: `${base}/p/${token("preferences")}`,
  };
}
