import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { z } from "zod";
import { type Config, ConfigError } from "../config/index.js";
import { type Actor, ROLES } from "../kernel/actor.js";

/** `apiTokens`: the static tokens of DEV_TOKENS, locally only; always empty deployed. */
export type Secrets = { linkSigningSecret: string; apiTokens: Map<string, Actor> };

const Role = z.enum(ROLES);

/** `name:role:token,...`, the format of DEV_TOKENS and API_TOKENS. */
export function parseApiTokens(spec: string | undefined): Map<string, Actor> {
  const tokens = new Map<string, Actor>();
  for (const entry of (spec ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [name, role, token, ...rest] = entry.split(":");
    const parsedRole = Role.safeParse(role);
    if (!name || !token || rest.length > 0 || !parsedRole.success) {
      throw new ConfigError(
        `API token entry '${name ?? ""}:${role ?? ""}:…' must be name:role:token with role one of ${Role.options.join(", ")}`,
      );
    }
    if (token.length < 8) throw new ConfigError(`The token of '${name}' is shorter than 8 characters`);
    tokens.set(token, { name, role: parsedRole.data });
  }
  return tokens;
}

/** The deployed secret: the link-signing key only. A static token in it (as before issue #9) is ignored. */
const StoredSecret = z.object({ linkSigningSecret: z.string().min(16) });

/**
 * Deployed (the platform secret, or any Lambda), people and machine clients sign in at the
 * identity provider: static bearer tokens are refused whatever the environment holds.
 */
export const staticTokensAllowed = (config: Config, env: NodeJS.ProcessEnv = process.env) =>
  !config.PLATFORM_SECRET_ARN && !env.AWS_LAMBDA_FUNCTION_NAME;

let loading: Promise<Secrets> | undefined;

/** Read once per container: from Secrets Manager on AWS, from the environment locally (DEV_TOKENS as API_TOKENS). */
export function loadSecrets(config: Config): Promise<Secrets> {
  loading ??= (async () => {
    if (config.PLATFORM_SECRET_ARN) {
      const out = await new SecretsManagerClient({}).send(
        new GetSecretValueCommand({ SecretId: config.PLATFORM_SECRET_ARN }),
      );
      const stored = StoredSecret.parse(JSON.parse(out.SecretString ?? "{}"));
      return { linkSigningSecret: stored.linkSigningSecret, apiTokens: new Map() };
    }
    const apiTokens = staticTokensAllowed(config) ? parseApiTokens(config.API_TOKENS) : new Map<string, Actor>();
    return { linkSigningSecret: config.LINK_SIGNING_SECRET!, apiTokens };
  })();
  return loading!;
}
