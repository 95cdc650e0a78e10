import type { Platform } from "../../shared/adapters/platform.js";
import type { ConsoleSessionStore } from "../../shared/console/session.js";
import type { Caller } from "../../shared/kernel/actor.js";

/**
 * The ports the console's pages run on: the API's own, since each page does what an API route
 * does, through the same use cases (the mailer for a campaign's test email, as the API's).
 */
export type ConsolePorts = Platform;

/** What the console needs beyond the API's ports: the issuer it signs people in at, and where sessions live. */
export type ConsoleDeps = {
  issuer: string;
  /** The console's app client at the issuer: a public client, authorization code with PKCE. */
  clientId: string;
  sessions: ConsoleSessionStore;
  /** The API's own verifier of access tokens (shared/adapters/identity/access-tokens.ts). */
  verifyAccessToken: (token: string) => Promise<Caller | undefined>;
  /** Cognito's `/logout` when the discovery document names no end_session_endpoint. */
  logoutUrl?: string;
  /** The HTTP client for the issuer; a test hands in its own. */
  fetch?: typeof fetch;
};
