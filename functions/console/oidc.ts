import { createHash } from "node:crypto";
import { z } from "zod";

/** What the console reads of the issuer's discovery document (`/.well-known/openid-configuration`). */
const Discovery = z.object({
  issuer: z.string(),
  authorization_endpoint: z.url(),
  token_endpoint: z.url(),
  /** The local provider publishes it; Cognito does not (its `/logout` is OIDC_LOGOUT_URL). */
  end_session_endpoint: z.url().optional(),
});
export type Discovery = z.infer<typeof Discovery>;

/** The provider cannot be reached or answered what no provider should: the sign-in fails, saying so. */
export class SignInError extends Error {
  override readonly name = "SignInError";
}

/**
 * The issuer's endpoints, read once from its discovery document and kept; a failed read is
 * tried again on the next sign-in. Cognito and the local provider alike: only the issuer differs.
 */
export function discovery(issuer: string, fetcher: typeof fetch = fetch): () => Promise<Discovery> {
  let reading: Promise<Discovery> | undefined;
  return () => {
    reading ??= (async () => {
      const response = await fetcher(`${issuer}/.well-known/openid-configuration`, {
        signal: AbortSignal.timeout(5000),
      });
      if (!response.ok) throw new SignInError(`the issuer's discovery document answered ${response.status}`);
      const parsed = Discovery.safeParse(await response.json());
      if (!parsed.success || parsed.data.issuer !== issuer)
        throw new SignInError("the issuer's discovery document is not one for this issuer");
      return parsed.data;
    })().catch((error) => {
      reading = undefined;
      throw error instanceof SignInError ? error : new SignInError("the sign-in service cannot be reached");
    });
    return reading;
  };
}

/** PKCE's S256 challenge for a verifier. */
export const challengeOf = (verifier: string) => createHash("sha256").update(verifier).digest("base64url");

/** The authorization request (code flow with PKCE) the browser is sent to. */
export function authorizationUrl(
  endpoints: Discovery,
  request: { clientId: string; redirectUri: string; state: string; verifier: string; language: string },
): string {
  const url = new URL(endpoints.authorization_endpoint);
  url.search = new URLSearchParams({
    client_id: request.clientId,
    response_type: "code",
    redirect_uri: request.redirectUri,
    // email: the ID token names the person's address, where their test emails go (Cognito's access token does not).
    scope: "openid profile email",
    state: request.state,
    code_challenge: challengeOf(request.verifier),
    code_challenge_method: "S256",
    // Cognito's managed login and most providers take it as the page's language; others ignore it.
    ui_locales: request.language,
  }).toString();
  return url.toString();
}

const IdTokenClaims = z.object({
  sub: z.string(),
  email: z.email().optional(),
  email_verified: z.union([z.boolean(), z.enum(["true", "false"])]).optional(),
});

/**
 * The person's address from the ID token the token endpoint gave with the access token, when it
 * names the same subject and does not say the address is unverified. The ID token came straight
 * from the provider over TLS in the code exchange, so its payload is read without checking its
 * signature again (OpenID Connect Core 3.1.3.7); it grants nothing, it only says where the
 * person's own test emails go. Anything unreadable is no address.
 */
export function emailOfIdToken(idToken: string | undefined, subject: string): string | undefined {
  const payload = idToken?.split(".")[1];
  if (!payload) return undefined;
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
  } catch {
    return undefined;
  }
  const claims = IdTokenClaims.safeParse(decoded);
  if (!claims.success || claims.data.sub !== subject) return undefined;
  const verified = claims.data.email_verified;
  return verified === false || verified === "false" ? undefined : claims.data.email;
}

const TokenReply = z.object({ access_token: z.string().min(1), id_token: z.string().optional() });

/** The code exchanged at the token endpoint, with PKCE's verifier; a public client sends no secret. */
export async function exchangeCode(
  endpoints: Discovery,
  request: { clientId: string; redirectUri: string; code: string; verifier: string },
  fetcher: typeof fetch = fetch,
): Promise<z.infer<typeof TokenReply>> {
  let response: Response;
  try {
    response = await fetcher(endpoints.token_endpoint, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: new URLSearchParams({
        grant_type: "authorization_code",
        code: request.code,
        redirect_uri: request.redirectUri,
        client_id: request.clientId,
        code_verifier: request.verifier,
      }),
      signal: AbortSignal.timeout(5000),
    });
  } catch {
    throw new SignInError("the sign-in service cannot be reached");
  }
  const parsed = TokenReply.safeParse(await response.json().catch(() => undefined));
  if (!response.ok || !parsed.success) throw new SignInError("the sign-in service did not accept the code");
  return parsed.data;
}

/**
 * Where the browser goes to end the session at the provider: the discovery document's
 * end_session_endpoint (OpenID Connect RP-initiated logout), else Cognito's `/logout`
 * (OIDC_LOGOUT_URL), which takes `client_id` and `logout_uri`; neither, the console's own page.
 */
export function endSessionUrl(
  endpoints: Discovery,
  request: { clientId: string; signedOutUri: string; idToken?: string; logoutUrl?: string },
): string {
  if (endpoints.end_session_endpoint) {
    const url = new URL(endpoints.end_session_endpoint);
    url.search = new URLSearchParams({
      client_id: request.clientId,
      post_logout_redirect_uri: request.signedOutUri,
      ...(request.idToken ? { id_token_hint: request.idToken } : {}),
    }).toString();
    return url.toString();
  }
  if (request.logoutUrl) {
    const url = new URL(request.logoutUrl);
    url.search = new URLSearchParams({ client_id: request.clientId, logout_uri: request.signedOutUri }).toString();
    return url.toString();
  }
  return request.signedOutUri;
}
