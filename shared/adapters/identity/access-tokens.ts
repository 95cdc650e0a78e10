import { JwtVerifier } from "aws-jwt-verify";
import { FetchError, JwtBaseError } from "aws-jwt-verify/error";
import type { Fetcher } from "aws-jwt-verify/https";
import { SimpleJwksCache } from "aws-jwt-verify/jwk";
import type { JwtPayload } from "aws-jwt-verify/jwt-model";
import { z } from "zod";
import { type Caller, MACHINE_SCOPES, type MachineScope, type Role } from "../../kernel/actor.js";
import { DomainError } from "../../kernel/errors.js";

/** Where the API's access tokens come from: the Cognito user pool on AWS, the local provider in `npm start`. */
export type IssuerSettings = {
  issuer: string;
  /** The issuer's signing keys; Cognito's `<issuer>/.well-known/jwks.json` when absent. */
  jwksUri?: string;
  /** The app clients whose tokens are accepted (the console's, the machine clients'): Cognito's `client_id` check. */
  clientIds: readonly string[];
  /** When a token carries `aud`, it must be this (the local provider's resource); Cognito's access tokens carry none. */
  audience?: string;
  /** Before each machine scope in a token: Cognito's resource server identifier and `/`. */
  scopePrefix?: string;
};

/** The issuer's keys cannot be read: the platform's fault, not the caller's, so not a 401. */
export class IdentityProviderUnavailableError extends DomainError {
  readonly code = "identity_provider_unavailable";
  readonly status = 503;
  constructor() {
    super("The identity provider's signing keys cannot be read just now; try again shortly");
  }
}

/** A token aws-jwt-verify found sound that the API still refuses (customJwtCheck). */
class RefusedTokenError extends Error {}

/** The claims the API reads, after the signature, issuer, expiry, client and token use are verified. */
const Claims = z.object({
  sub: z.string().min(1),
  client_id: z.string().min(1),
  /** Cognito's name for a person's sign-in name; the local provider sets it too. */
  username: z.string().min(1).optional(),
  "cognito:groups": z.array(z.string()).optional(),
  scope: z.string().optional(),
  /**
   * The person's own address, where their test emails go: the local provider puts it in its
   * access tokens; Cognito's carry none (a pre-token-generation trigger could add it), and the
   * console reads it from the ID token instead. One that is not an address is left out, not refused.
   */
  email: z.email().optional().catch(undefined),
});

/** The one role a person holds: the most powerful of their groups that names a role. */
const ROLE_PRECEDENCE: readonly Role[] = ["admin", "approver", "marketer", "analyst", "relationship_manager"];
const roleOf = (groups: readonly string[]): Role | undefined => ROLE_PRECEDENCE.find((role) => groups.includes(role));

/**
 * Verifies OpenID Connect access tokens with AWS's aws-jwt-verify: the signature against the
 * issuer's keys, the issuer, the expiry, `token_use: access`, the app client (`client_id`), and
 * `aud` when present. One code path serves Cognito and the local provider, which puts Cognito's
 * claims (`cognito:groups`, `username`, `token_use`) in its tokens. A token with a user is a
 * person whose role is their group (none of the five: not valid here); one without is a machine
 * client (client credentials), with its scopes and nothing else. Any other token is undefined.
 */
export function accessTokenVerifier(settings: IssuerSettings): (token: string) => Promise<Caller | undefined> {
  const verifier = JwtVerifier.create(
    {
      issuer: settings.issuer,
      jwksUri: settings.jwksUri ?? `${settings.issuer}/.well-known/jwks.json`,
      audience: null,
      customJwtCheck: ({ payload }) => checkAccessToken(payload, settings),
    },
    { jwksCache: new SimpleJwksCache({ fetcher: jwksFetcher }) },
  );
  const prefix = settings.scopePrefix ?? "";
  return async function callerOfAccessToken(token) {
    let payload: JwtPayload;
    try {
      payload = await verifier.verify(token);
    } catch (error) {
      if (error instanceof FetchError) throw new IdentityProviderUnavailableError();
      if (error instanceof JwtBaseError || error instanceof RefusedTokenError) return undefined;
      throw error;
    }
    const claims = Claims.safeParse(payload);
    if (!claims.success) return undefined;
    const { sub, client_id, username, scope, email } = claims.data;
    if (username) {
      const role = roleOf(claims.data["cognito:groups"] ?? []);
      return role && { kind: "person", id: sub, name: username, role, ...(email ? { email } : {}) };
    }
    const scopes = (scope ?? "")
      .split(" ")
      .filter((s) => s.startsWith(prefix))
      .map((s) => s.slice(prefix.length))
      .filter((s): s is MachineScope => (MACHINE_SCOPES as readonly string[]).includes(s));
    return { kind: "machine", clientId: client_id, scopes };
  };
}

/**
 * Reads the issuer's keys with the runtime's fetch: aws-jwt-verify's own fetcher speaks only
 * https, and the local provider is http on localhost. A key that cannot be read is a FetchError,
 * which the API answers 503.
 */
const jwksFetcher: Fetcher = {
  fetch: async (uri) => {
    let response: Response;
    try {
      response = await fetch(uri, { signal: AbortSignal.timeout(3000) });
    } catch (error) {
      throw new FetchError(uri, (error as Error).message);
    }
    if (!response.ok) throw new FetchError(uri, `HTTP ${response.status}`);
    return response.arrayBuffer();
  },
};

/** What aws-jwt-verify's Cognito verifier checks of an access token, for any issuer; throwing refuses the token. */
function checkAccessToken(payload: JwtPayload, settings: IssuerSettings) {
  if (payload.token_use !== "access") throw new RefusedTokenError("not an access token");
  if (typeof payload.client_id !== "string" || !settings.clientIds.includes(payload.client_id))
    throw new RefusedTokenError("issued to another client");
  if (payload.aud !== undefined) {
    const audiences = [payload.aud].flat();
    if (!settings.audience || !audiences.includes(settings.audience))
      throw new RefusedTokenError("issued for another audience");
  }
}
