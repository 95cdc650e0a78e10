import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { z } from "zod";
import { type Config, ConfigError } from "../config/index.js";
import type { Actor } from "../kernel/actor.js";

export type Secrets = { linkSigningSecret: string; apiTokens: Map<string, Actor> };

const Role = z.enum(["marketer", "approver", "analyst", "admin"]);

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

const StoredSecret = z.object({ linkSigningSecret: z.string().min(16), apiTokens: z.string().default("") });

let loading: Promise<Secrets> | undefined;

/** Read once per container: from Secrets Manager on AWS, from the environment locally. */
export function loadSecrets(config: Config): Promise<Secrets> {
  loading ??= (async () => {
    if (config.PLATFORM_SECRET_ARN) {
      const out = await new SecretsManagerClient({}).send(
        new GetSecretValueCommand({ SecretId: config.PLATFORM_SECRET_ARN }),
      );
      const stored = StoredSecret.parse(JSON.parse(out.SecretString ?? "{}"));
      return { linkSigningSecret: stored.linkSigningSecret, apiTokens: parseApiTokens(stored.apiTokens) };
    }
    return { linkSigningSecret: config.LINK_SIGNING_SECRET!, apiTokens: parseApiTokens(config.API_TOKENS) };
  })();
  return loading!;
}
