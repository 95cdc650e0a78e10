import { z } from "@hono/zod-openapi";
import { InvalidLinkError } from "../../shared/kernel/errors.js";

/**
 * The longest link token a customer page reads. The platform signs `payload.signature`: the
 * base64url JSON of delivery id (two ids of at most 64 characters), action and expiry, and a
 * 43-character HMAC; at most 255 characters in all. Twice that leaves room and refuses the rest
 * before any HMAC is computed or any id is looked up.
 */
export const MAX_LINK_TOKEN_LENGTH = 512;

export const LinkToken = z
  .string()
  .min(3)
  .max(MAX_LINK_TOKEN_LENGTH)
  .regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/)
  .meta({ description: "The signed token from the email link" });

/** The token in a customer page's path, or the 400 "This link is not valid" any malformed link gets. */
export function linkTokenOf(raw: string): string {
  if (!LinkToken.safeParse(raw).success) throw new InvalidLinkError();
  return raw;
}
