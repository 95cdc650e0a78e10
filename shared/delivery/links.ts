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

export function verifyLink(secret: string, token: string, action: LinkAction, now = Date.now()): LinkClaims {
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
  if (expiresAt * 1000 < now) throw new ExpiredLinkError();
  return { deliveryId, action, expiresAt };
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
