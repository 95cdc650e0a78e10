import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { ROLES } from "../kernel/actor.js";
import { Language } from "../kernel/language.js";

/** A console session ends after this long without a request (issue #9). */
export const IDLE_TIMEOUT_SECONDS = 15 * 60;
/** And after this long whatever happens: a working day, as Cognito's console refresh token. */
export const ABSOLUTE_TIMEOUT_SECONDS = 8 * 60 * 60;
/** A sign-in started and not finished within this is forgotten. */
export const LOGIN_TIMEOUT_SECONDS = 10 * 60;
/** lastSeenAt is written again only once it is this old: not one write per request. */
export const TOUCH_AFTER_SECONDS = 60;

/**
 * A signed-in person's console session, kept on the server. The browser holds only its id, in
 * an httpOnly cookie; the store keys it by the id's SHA-256, so a read of the table yields no
 * usable cookie. No access token is kept: the console acts with the person the provider's token
 * named when they signed in. The ID token is kept only as the sign-out's hint to the provider.
 */
export const ConsoleSession = z.object({
  /** SHA-256 of the cookie's value, hex. */
  sessionKey: z.string(),
  csrfToken: z.string(),
  /**
   * Who signed in. `email` is their own address, where a test email they send goes: from the
   * access token when it carries one (the local provider), else from the ID token (Cognito).
   */
  user: z.object({ id: z.string(), name: z.string(), role: z.enum(ROLES), email: z.string().optional() }),
  language: Language,
  idToken: z.string().optional(),
  createdAt: z.iso.datetime(),
  lastSeenAt: z.iso.datetime(),
});
export type ConsoleSession = z.infer<typeof ConsoleSession>;

/** A sign-in under way: what the callback needs to finish it (the state and PKCE's verifier). */
export const PendingLogin = z.object({
  /** SHA-256 of the state, hex. */
  stateKey: z.string(),
  verifier: z.string(),
  returnTo: z.string(),
  createdAt: z.iso.datetime(),
});
export type PendingLogin = z.infer<typeof PendingLogin>;

/** Where sessions and sign-ins under way are kept: DynamoDB on AWS and locally (the campaigns table, TTL). */
export interface ConsoleSessionStore {
  /** Saves a session; it expires by `expiresAt` (the idle timeout from its last use, capped at the absolute one). */
  save(session: ConsoleSession, expiresAt: Date): Promise<void>;
  get(sessionKey: string): Promise<ConsoleSession | null>;
  delete(sessionKey: string): Promise<void>;
  savePendingLogin(login: PendingLogin, expiresAt: Date): Promise<void>;
  /** The sign-in under way, removed as it is read: a state serves one callback only. */
  takePendingLogin(stateKey: string): Promise<PendingLogin | null>;
  /**
   * The language a person last chose in the console, kept by their user id with no expiry: it
   * follows them to another browser and outlives their sessions. Null when they never chose.
   */
  languageOf(userId: string): Promise<Language | null>;
  rememberLanguage(userId: string, language: Language): Promise<void>;
}

/** A fresh random value for a cookie, a CSRF token, a state or a PKCE verifier: 256 bits, base64url. */
export const randomToken = () => randomBytes(32).toString("base64url");
export const keyOf = (value: string) => createHash("sha256").update(value).digest("hex");

/** Seconds since an ISO time. */
const ageSeconds = (iso: string, now: Date) => (now.getTime() - Date.parse(iso)) / 1000;

/** Whether a session has ended: idle for IDLE_TIMEOUT_SECONDS, or older than ABSOLUTE_TIMEOUT_SECONDS. */
export const hasExpired = (session: ConsoleSession, now: Date) =>
  ageSeconds(session.lastSeenAt, now) >= IDLE_TIMEOUT_SECONDS ||
  ageSeconds(session.createdAt, now) >= ABSOLUTE_TIMEOUT_SECONDS;

/** Whether a request should record that the session was used (see TOUCH_AFTER_SECONDS). */
export const needsTouch = (session: ConsoleSession, now: Date) =>
  ageSeconds(session.lastSeenAt, now) >= TOUCH_AFTER_SECONDS;

/** When the store may forget the session: its idle end, never past its absolute end. */
export const expiryOf = (session: ConsoleSession) =>
  new Date(
    Math.min(
      Date.parse(session.lastSeenAt) + IDLE_TIMEOUT_SECONDS * 1000,
      Date.parse(session.createdAt) + ABSOLUTE_TIMEOUT_SECONDS * 1000,
    ),
  );

/** The form's CSRF token against the session's, in constant time. */
export function sameCsrfToken(given: string | undefined, expected: string): boolean {
  if (!given) return false;
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}
