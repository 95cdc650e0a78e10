import { DynamoDbConsoleSessionStore } from "../../shared/adapters/dynamodb/console-session-store.js";
import { checkServices } from "../../shared/adapters/health.js";
import { accessTokenVerifier } from "../../shared/adapters/identity/access-tokens.js";
import { type Platform, platform } from "../../shared/adapters/platform.js";
import { loadSecrets } from "../../shared/adapters/secrets.js";
import { type Config, config } from "../../shared/config/index.js";
import type { Caller } from "../../shared/kernel/actor.js";
import type { ConsoleDeps } from "../console/deps.js";

/**
 * The ports the routes' use cases run on: all of the platform's. The mailer sends only the test
 * emails staff send themselves (POST /api/campaigns/{campaignId}/test-send); offers go out
 * through the sender.
 */
export type ApiPorts = Platform;

/** Everything the Hono app reads from outside itself; createApp is given it, never builds it. */
export type ApiDeps = {
  ports: ApiPorts;
  /**
   * Who a bearer token stands for, a person or a machine client; undefined for a token that is
   * not valid (README, "Signing in"). The name is older than machine clients.
   */
  actorFor: (token: string) => Promise<Caller | undefined>;
  /** Whether each store and queue the API depends on answers: /health's `services`. */
  checkServices: () => Promise<Awaited<ReturnType<typeof checkServices>>>;
  /** Where the local SES emulator shows the emails sent; /health reports it. None on AWS. */
  inbox?: string;
  /** The OpenID Connect issuer people and machine clients sign in at; /health names it. */
  issuer?: string;
  /** The console's sign-in and sessions (README, "The console"); without it /console says it is not configured. */
  console?: ConsoleDeps;
};

/** A token that is no JWT (three dot-separated parts) is not worth the verifier's time. */
const looksLikeJwt = (token: string) => token.split(".").length === 3;

/**
 * The real dependencies: the composition root's adapters, the live probes, and the tokens: the
 * identity provider's access tokens, and locally also DEV_TOKENS' static ones (never deployed).
 */
export async function liveApiDeps(): Promise<ApiDeps> {
  const c = config();
  const [ports, secrets] = await Promise.all([platform(), loadSecrets(c)]);
  const verify = c.OIDC_ISSUER ? accessTokenVerifier(issuerSettings(c, c.OIDC_ISSUER)) : undefined;
  return {
    ports,
    actorFor: async (token) =>
      secrets.apiTokens.get(token) ?? (verify && looksLikeJwt(token) ? verify(token) : undefined),
    checkServices: () => checkServices(c),
    issuer: c.OIDC_ISSUER,
    ...(c.OIDC_ISSUER && c.CONSOLE_CLIENT_ID && verify
      ? {
          console: {
            issuer: c.OIDC_ISSUER,
            clientId: c.CONSOLE_CLIENT_ID,
            sessions: new DynamoDbConsoleSessionStore(c.CAMPAIGNS_TABLE),
            verifyAccessToken: verify,
            logoutUrl: c.OIDC_LOGOUT_URL,
          },
        }
      : {}),
  };
}

const issuerSettings = (c: Config, issuer: string) => ({
  issuer,
  jwksUri: c.OIDC_JWKS_URI,
  clientIds: c.OIDC_CLIENT_IDS ?? [],
  audience: c.OIDC_AUDIENCE,
  scopePrefix: c.OIDC_SCOPE_PREFIX,
});
