import { createHash, randomBytes } from "node:crypto";

/** A client credentials token from the issuer's token endpoint, as core banking gets one. */
export async function clientCredentialsToken(issuer: string, clientId: string, secret: string, scope: string) {
  const response = await fetch(`${issuer}/token`, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString("base64")}`,
    },
    body: new URLSearchParams({ grant_type: "client_credentials", scope }),
  });
  const body = (await response.json()) as { access_token?: string; error_description?: string };
  if (!body.access_token) throw new Error(`No token: ${response.status} ${body.error_description}`);
  return body.access_token;
}

/** PKCE's pair: the verifier the client keeps, the S256 challenge it sends. */
export function pkcePair() {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

/** The authorization request a console sends the browser to: code flow with PKCE, the scopes the console asks. */
export const authorizationUrl = (issuer: string, redirectUri: string, challenge: string, state: string) =>
  `${issuer}/auth?${new URLSearchParams({
    client_id: "console",
    response_type: "code",
    redirect_uri: redirectUri,
    scope: "openid profile email",
    code_challenge: challenge,
    code_challenge_method: "S256",
    state,
  })}`;

/** The code exchanged for tokens, with the PKCE verifier, as the console's backend will. */
export async function exchangeCode(issuer: string, code: string, redirectUri: string, verifier: string) {
  const response = await fetch(`${issuer}/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      code,
      redirect_uri: redirectUri,
      client_id: "console",
      code_verifier: verifier,
    }),
  });
  return {
    status: response.status,
    body: (await response.json()) as { access_token?: string; id_token?: string; error?: string },
  };
}

/**
 * Signs a person in without a browser: the login form posted by hand, cookies carried along,
 * redirects followed to the redirect URI. The browser test (test/e2e/sign-in.test.ts) does it
 * on the real page.
 */
export async function signInWithPassword(
  issuer: string,
  redirectUri: string,
  username: string,
  password: string,
): Promise<{ code: string | null; verifier: string; loginStatus: number }> {
  const { verifier, challenge } = pkcePair();
  const cookies = new Map<string, string>();
  const go = async (url: string, init: RequestInit = {}) => {
    const response = await fetch(new URL(url, issuer), {
      ...init,
      redirect: "manual",
      headers: { ...(init.headers as Record<string, string>), cookie: [...cookies.values()].join("; ") },
    });
    for (const c of response.headers.getSetCookie()) {
      const pair = c.split(";")[0];
      cookies.set(pair.split("=")[0], pair);
    }
    return response;
  };
  let response = await go(authorizationUrl(issuer, redirectUri, challenge, "s1"));
  const interaction = response.headers.get("location")!;
  await (await go(interaction)).text();
  response = await go(`${interaction}/login`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ username, password }),
  });
  const loginStatus = response.status;
  let location = response.headers.get("location");
  for (let hops = 0; location && !location.startsWith(redirectUri) && hops < 5; hops++) {
    location = (await go(location)).headers.get("location");
  }
  return { code: location ? new URL(location).searchParams.get("code") : null, verifier, loginStatus };
}
