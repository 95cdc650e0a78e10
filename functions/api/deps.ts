import { checkServices } from "../../shared/adapters/health.js";
import { type Platform, platform } from "../../shared/adapters/platform.js";
import { loadSecrets } from "../../shared/adapters/secrets.js";
import { config } from "../../shared/config/index.js";
import type { Actor } from "../../shared/kernel/actor.js";

/** The ports the routes' use cases run on: every one but the mailer (the API sends no email). */
export type ApiPorts = Omit<Platform, "mailer">;

/** Everything the Hono app reads from outside itself; createApp is given it, never builds it. */
export type ApiDeps = {
  ports: ApiPorts;
  /** The staff member a bearer token stands for; undefined for a token that is not valid. */
  actorFor: (token: string) => Promise<Actor | undefined>;
  /** Whether each store and queue the API depends on answers: /health's `services`. */
  checkServices: () => Promise<Awaited<ReturnType<typeof checkServices>>>;
  /** Where the local SES emulator shows the emails sent; /health reports it. None on AWS. */
  inbox?: string;
};

/** The real dependencies: the composition root's adapters, the tokens from the secrets, the live probes. */
export async function liveApiDeps(): Promise<ApiDeps> {
  const c = config();
  const [ports, secrets] = await Promise.all([platform(), loadSecrets(c)]);
  return {
    ports,
    actorFor: async (token) => secrets.apiTokens.get(token),
    checkServices: () => checkServices(c),
  };
}
