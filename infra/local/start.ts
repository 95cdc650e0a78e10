import { resolve } from "node:path";
import { z } from "zod";
import { parseApiTokens } from "../../shared/adapters/secrets.js";
import { clearDataDir, DEFAULT_DATA_DIR } from "./data-dir.js";
import { DEFAULT_DEV_TOKENS } from "./demo-bank.js";
import { LocalStartError } from "./emulators.js";
import { DEFAULT_DEV_CLIENTS, DEFAULT_DEV_USERS } from "./oidc-provider.js";
import { startLocalPlatform } from "./runtime.js";

const port = (fallback: number) => z.coerce.number().int().min(1).max(65535).default(fallback);
const Env = z.object({
  PORT: port(3000),
  DYNAMODB_PORT: port(8000),
  SQS_PORT: port(9324),
  SES_PORT: port(8005),
  OIDC_PORT: port(3001),
  SEED_DEMO: z.enum(["true", "false"], { error: "SEED_DEMO must be true or false" }).default("true"),
  DEV_TOKENS: z.string().default(DEFAULT_DEV_TOKENS),
  /** The local identity provider's people (`username:role:password,...`) and machine clients (`clientId:secret:scope+scope,...`). */
  DEV_USERS: z.string().default(DEFAULT_DEV_USERS),
  DEV_CLIENTS: z.string().default(DEFAULT_DEV_CLIENTS),
  /** Where the data outlives the run (DynamoDB's tables, the link-signing secret, the sent-mail journal). */
  LOCAL_DATA_DIR: z.string().trim().min(1, { error: "LOCAL_DATA_DIR must name a folder" }).optional(),
});

/** `npm start -- --fresh`: the only argument. */
function parseArgs(args: string[]): { fresh: boolean } {
  const unknown = args.filter((a) => a !== "--fresh");
  if (unknown.length > 0)
    throw new LocalStartError(
      `Unknown argument ${unknown[0]}: the only one is --fresh (npm start -- --fresh starts empty)`,
    );
  return { fresh: args.includes("--fresh") };
}

// The lockfile pins the AWS SDK and Lambda runs Node 22; its notice about future releases
// needing Node 22 would only bury the start-up lines on a Node 20 machine.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

async function main() {
  const parsed = Env.safeParse(process.env);
  if (!parsed.success)
    throw new LocalStartError(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
  const env = parsed.data;
  const { fresh } = parseArgs(process.argv.slice(2));
  const dataDir = env.LOCAL_DATA_DIR ? resolve(env.LOCAL_DATA_DIR) : DEFAULT_DATA_DIR;
  if (fresh && clearDataDir(dataDir)) console.log(`--fresh: deleted the data kept in ${dataDir}.`);
  const users = [...parseApiTokens(env.DEV_TOKENS)].map(
    ([token, actor]) => `  ${actor.role.padEnd(9)} ${actor.name.padEnd(8)} Authorization: Bearer ${token}`,
  );
  const started = Date.now();
  console.log("Starting DynamoDB Local, the SQS and SES emulators, the identity provider and the API…");
  const platform = await startLocalPlatform({
    apiPort: env.PORT,
    dynamodbPort: env.DYNAMODB_PORT,
    sqsPort: env.SQS_PORT,
    sesPort: env.SES_PORT,
    oidcPort: env.OIDC_PORT,
    devTokens: env.DEV_TOKENS,
    devUsers: env.DEV_USERS,
    devClients: env.DEV_CLIENTS,
    seedDemo: env.SEED_DEMO === "true",
    dataDir,
  });
  const bank =
    platform.kept > 0
      ? [
          `  Kept from the last run: ${platform.kept} customers (the demo bank goes only into an empty bank).`,
          "  To start empty: npm start -- --fresh",
        ]
      : env.SEED_DEMO === "true"
        ? [
            `  Demo bank: ${platform.seeded} customers imported, ${platform.playbook} playbook segments saved (GET /api/segments).`,
          ]
        : ["  Empty bank (SEED_DEMO=false)."];
  console.log(
    [
      `Ready in ${((Date.now() - started) / 1000).toFixed(1)} s.`,
      `  Console  ${platform.consoleUrl}   (sign in as one of the people below)`,
      `  API      ${platform.apiUrl}   (health: ${platform.apiUrl}/health, OpenAPI: ${platform.apiUrl}/openapi.json)`,
      `  Inbox    ${platform.inboxUrl}   (every email sent in this run, as SES would have delivered it)`,
      `  Data     ${dataDir}   (kept between runs; every email of every run: ses/sent.ndjson)`,
      `  Sign-in  ${platform.identity.issuer}   (OpenID Connect; discovery: ${platform.identity.issuer}/.well-known/openid-configuration)`,
      ...bank,
      "People (sign in at the provider's login page; DEV_USERS replaces them):",
      ...platform.identity.users.map(
        (u) =>
          `  ${u.role.padEnd(20)} ${u.username.padEnd(8)} password ${u.password.padEnd(16)}${u.email ? ` email ${u.email}` : ""}`,
      ),
      "Machine clients (client credentials at the issuer's /token; DEV_CLIENTS replaces them):",
      ...platform.identity.clients.map(
        (c) => `  ${c.clientId.padEnd(14)} secret ${c.secret}   scopes ${c.scopes.join(" ")}`,
      ),
      "Static tokens, locally only, for scripts (DEV_TOKENS replaces them):",
      ...users,
      "Next: npm run demo (in another terminal). Ctrl-C stops everything.",
    ].join("\n"),
  );
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping…`);
    await platform.stop();
    console.log("Stopped.");
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((error) => {
  console.error(
    error instanceof LocalStartError || error?.name === "ConfigError" ? `Cannot start: ${error.message}` : error,
  );
  process.exit(1);
});
