import { createHash, generateKeyPairSync, type JsonWebKey as JWK, randomBytes, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Adapter, AdapterPayload, Configuration, KoaContextWithOIDC } from "oidc-provider";
import { z } from "zod";
import { MACHINE_SCOPES, type MachineScope, ROLES, type Role } from "../../shared/kernel/actor.js";
import { LocalStartError } from "./emulators.js";

/**
 * A person who signs in at the local provider (DEV_USERS=username:role:password[:email],...).
 * `email`, when given, is their own address: in their tokens, where their test emails go.
 */
export type DevUser = { username: string; role: Role; password: string; email?: string };
/** A machine client with the client credentials grant (DEV_CLIENTS=clientId:secret:scope+scope,...). */
export type DevClient = { clientId: string; secret: string; scopes: MachineScope[] };

/**
 * The demo bank's staff: the same names as DEV_TOKENS' demo users, and a relationship manager of
 * the demo bank, each with an address at the demo bank (their test emails land in the local inbox).
 */
export const DEFAULT_DEV_USERS = [
  "mei:marketer:mei-demo-pass:mei.marketer@demo-bank.example",
  "li:approver:li-demo-pass:li.approver@demo-bank.example",
  "zhou:analyst:zhou-demo-pass:zhou.analyst@demo-bank.example",
  "admin:admin:admin-demo-pass:admin@demo-bank.example",
  "chen.rm:relationship_manager:chen-demo-pass:chen.rm@demo-bank.example",
].join(",");
/** Core banking: posts product openings and the nightly customer feed. */
export const DEFAULT_DEV_CLIENTS = "core-banking:core-banking-demo-secret:conversions.write+customers.import";

/** The console's app client: a public client (no secret) with authorization code and PKCE, as on Cognito. */
export const CONSOLE_CLIENT_ID = "console";
/** The API as a resource: the `aud` of every access token the local provider issues. */
export const API_AUDIENCE = "urn:cross-sell-campaigns:api";
/** How long an access token lives: Cognito's shortest default is an hour; 15 minutes here. */
export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;

const entries = (spec: string) =>
  spec
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);

/** DEV_USERS: `username:role:password[:email],...`; a wrong entry stops the start, saying what it must be. */
export function parseDevUsers(spec: string): DevUser[] {
  const users = entries(spec).map((entry) => {
    const [username, role, password, email, ...rest] = entry.split(":");
    if (!username || !password || rest.length > 0 || !(ROLES as readonly string[]).includes(role))
      throw new LocalStartError(
        `DEV_USERS entry '${username ?? ""}:${role ?? ""}:…' must be username:role:password or username:role:password:email with role one of ${ROLES.join(", ")}`,
      );
    if (password.length < 8) throw new LocalStartError(`DEV_USERS: the password of '${username}' is shorter than 8`);
    if (email !== undefined && !z.email().safeParse(email).success)
      throw new LocalStartError(`DEV_USERS: the email of '${username}' is not an address: '${email}'`);
    return { username, role: role as Role, password, ...(email ? { email } : {}) };
  });
  if (new Set(users.map((u) => u.username)).size !== users.length)
    throw new LocalStartError("DEV_USERS names a user twice");
  return users;
}

/** DEV_CLIENTS: `clientId:secret:scope+scope,...` with scopes among conversions.write and customers.import. */
export function parseDevClients(spec: string): DevClient[] {
  return entries(spec).map((entry) => {
    const [clientId, secret, scopeList, ...rest] = entry.split(":");
    const scopes = (scopeList ?? "").split("+").filter(Boolean);
    if (
      !clientId ||
      !secret ||
      rest.length > 0 ||
      scopes.length === 0 ||
      clientId === CONSOLE_CLIENT_ID ||
      !scopes.every((s) => (MACHINE_SCOPES as readonly string[]).includes(s))
    )
      throw new LocalStartError(
        `DEV_CLIENTS entry '${clientId ?? ""}:…' must be clientId:secret:scope+scope with scopes among ${MACHINE_SCOPES.join(", ")} (and not the id '${CONSOLE_CLIENT_ID}')`,
      );
    if (secret.length < 16) throw new LocalStartError(`DEV_CLIENTS: the secret of '${clientId}' is shorter than 16`);
    return { clientId, secret, scopes: scopes as MachineScope[] };
  });
}

/** A user's subject: stable across runs, and not their name, as Cognito's `sub` is a UUID. */
export function subjectOf(username: string): string {
  const h = createHash("sha256").update(`local-user:${username}`).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

const samePassword = (given: string, expected: string) => {
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
};

export type LocalOidcProvider = {
  issuer: string;
  jwksUri: string;
  /** Every client whose tokens the API is to accept: the console and the machine clients. */
  clientIds: string[];
  audience: string;
  stop: () => Promise<void>;
};

export type OidcOptions = {
  /** 0: any free port (the tests). */
  port: number;
  users: DevUser[];
  clients: DevClient[];
  /** Where the console's sign-in may return to (authorization code). */
  redirectUris: string[];
  /** Where the console's sign-out may return to (RP-initiated logout); the redirect URIs when absent. */
  postLogoutRedirectUris?: string[];
  accessTokenTtlSeconds?: number;
  /** The key tokens are signed with (a private RSA JWK with its kid), kept across restarts by the caller; a new one when absent. */
  signingKey?: SigningKey;
};

/**
 * A real OpenID Connect provider (panva's oidc-provider, certified by the OpenID Foundation) in
 * the `npm start` process, standing in for the Cognito user pool: authorization code with PKCE
 * and its own login page for people, client credentials for machine clients, JWT access tokens
 * signed with the key it is given (npm start keeps one in its data folder, so a token outlives a
 * restart) or one made at start. Its access tokens carry Cognito's claims (`token_use`,
 * `username`, `cognito:groups`, `client_id`, `scope`), so the API verifies both the same way.
 * Its state (sessions, codes) is in memory: a restart signs everyone out.
 */
/** A private RSA key as a JWK, with its key id. */
export type SigningKey = JWK & { kid: string };

/** A new RSA signing key as a private JWK, with a key id of its own. */
export function newSigningKey(): SigningKey {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return { ...privateKey.export({ format: "jwk" }), kid: `local-${randomBytes(6).toString("hex")}` };
}

export async function startOidcProvider(options: OidcOptions): Promise<LocalOidcProvider> {
  const { default: Provider } = await importQuietly();
  // Listening first, on the port asked or any free one (port 0), so that the issuer names the real port.
  let handle: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.writeHead(503).end();
  const server: Server = createServer((req, res) => handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const issuer = `http://localhost:${port}`;
  const ttl = options.accessTokenTtlSeconds ?? ACCESS_TOKEN_TTL_SECONDS;
  const users = new Map(options.users.map((u) => [subjectOf(u.username), u]));
  const jwk = { ...(options.signingKey ?? newSigningKey()), use: "sig" };
  // Unlike Cognito's, these access tokens name the person's address too: the API's test send reads it.
  const personClaims = (user: DevUser) => ({
    username: user.username,
    "cognito:groups": [user.role],
    ...(user.email ? { email: user.email } : {}),
  });

  const configuration: Configuration = {
    adapter: memoryAdapter(),
    clients: [
      {
        client_id: CONSOLE_CLIENT_ID,
        token_endpoint_auth_method: "none",
        grant_types: ["authorization_code"],
        response_types: ["code"],
        redirect_uris: options.redirectUris,
        post_logout_redirect_uris: options.postLogoutRedirectUris ?? options.redirectUris,
      },
      ...options.clients.map((client) => ({
        client_id: client.clientId,
        client_secret: client.secret,
        grant_types: ["client_credentials"],
        response_types: [],
        redirect_uris: [],
        scope: client.scopes.join(" "),
      })),
    ],
    jwks: { keys: [jwk as never] },
    cookies: { keys: [randomBytes(32).toString("hex")] },
    claims: {
      openid: ["sub"],
      profile: ["name", "preferred_username", "cognito:groups"],
      email: ["email", "email_verified"],
    },
    scopes: ["openid", "profile", "email", ...MACHINE_SCOPES],
    pkce: { required: () => true },
    findAccount: async (_ctx, id) => {
      const user = users.get(id);
      return (
        user && {
          accountId: id,
          claims: async () => ({
            sub: id,
            name: user.username,
            preferred_username: user.username,
            ...personClaims(user),
            ...(user.email ? { email_verified: true } : {}),
          }),
        }
      );
    },
    features: {
      devInteractions: { enabled: false },
      // The console's sign-out ends the session here at once, as Cognito's /logout does: no "are you sure?" page.
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx, form) => {
          ctx.type = "html";
          ctx.body = signOutPage(form);
        },
      },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => API_AUDIENCE,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, resource) => ({
          // A person's token carries no machine scope: only the client credentials grant may ask for one.
          scope: resource === API_AUDIENCE ? MACHINE_SCOPES.join(" ") : "",
          audience: API_AUDIENCE,
          accessTokenFormat: "jwt",
          accessTokenTTL: ttl,
        }),
      },
    },
    // Cognito's access token claims, so that one verifier serves both (shared/adapters/identity).
    extraTokenClaims: async (_ctx, token) => {
      const user = "accountId" in token && token.accountId ? users.get(token.accountId) : undefined;
      return { token_use: "access", ...(user ? personClaims(user) : {}) };
    },
    // The console is the bank's own: signing in is consent enough, as on Cognito's managed login.
    loadExistingGrant: async (ctx) => {
      const { client, session } = ctx.oidc;
      if (!client || !session?.accountId) return undefined;
      const existing = session.grantIdFor(client.clientId);
      if (existing) return ctx.oidc.provider.Grant.find(existing);
      const grant = new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
      grant.addOIDCScope("openid profile email");
      grant.addResourceScope(API_AUDIENCE, "");
      await grant.save();
      return grant;
    },
    ttl: {
      AccessToken: ttl,
      ClientCredentials: ttl,
      IdToken: ttl,
      AuthorizationCode: 60,
      Interaction: 600,
      Session: 3600,
      Grant: 3600,
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    renderError: async (ctx: KoaContextWithOIDC, out) => {
      ctx.type = "html";
      ctx.body = page("Sign-in failed", `<p>${escapeHtml(String(out.error_description ?? out.error))}</p>`);
    },
  };
  const provider = new Provider(issuer, configuration);
  const callback = provider.callback();

  const returnTo = [...new Set(options.redirectUris.map((uri) => new URL(uri).origin))];
  const interactions = async (req: IncomingMessage, res: ServerResponse) => {
    const details = await provider.interactionDetails(req, res);
    if (req.method === "POST" && req.url?.endsWith("/login")) {
      const form = new URLSearchParams(await bodyOf(req));
      const username = form.get("username") ?? "";
      const user = options.users.find((u) => u.username === username);
      if (!user || !samePassword(form.get("password") ?? "", user.password)) {
        return send(res, 401, loginPage(details.uid, username, "The user name or password is not right."), returnTo);
      }
      return provider.interactionFinished(
        req,
        res,
        { login: { accountId: subjectOf(user.username) } },
        { mergeWithLastSubmission: false },
      );
    }
    if (details.prompt.name === "login") return send(res, 200, loginPage(details.uid, "", ""), returnTo);
    // Consent is granted by loadExistingGrant; any other prompt is not one this provider asks.
    return send(res, 400, page("Sign-in failed", "<p>This sign-in cannot go on; start again.</p>"));
  };

  handle = (req, res) => {
    if (req.url?.startsWith("/interaction/")) {
      interactions(req, res).catch(() => {
        if (!res.headersSent) send(res, 400, page("Sign-in failed", "<p>The sign-in expired; start again.</p>"));
      });
      return;
    }
    callback(req, res);
  };
  return {
    issuer,
    jwksUri: `http://localhost:${port}/jwks`,
    clientIds: [CONSOLE_CLIENT_ID, ...options.clients.map((c) => c.clientId)],
    audience: API_AUDIENCE,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * oidc-provider warns on import that it wants Node 22's LTS; it runs and is tested on Node 20
 * too (the Lambda runtime is Node 22 and never loads it), so that one line is not printed.
 */
async function importQuietly() {
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (!String(args[0]).includes("Unsupported runtime")) warn(...args);
  };
  try {
    return await import("oidc-provider");
  } finally {
    console.warn = warn;
  }
}

function bodyOf(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => {
      body += chunk;
      if (body.length > 10_000) req.destroy();
    });
    req.on("end", () => resolve(body));
    req.on("error", reject);
  });
}

/**
 * A page of the sign-in. Its form posts to the provider, which redirects to the console:
 * Chromium holds that redirect to form-action too, so the console's origins are allowed.
 */
function send(res: ServerResponse, status: number, html: string, returnTo: readonly string[] = []) {
  res.writeHead(status, {
    "content-type": "text/html; charset=utf-8",
    "cache-control": "no-store",
    "content-security-policy": `default-src 'none'; style-src 'unsafe-inline'; form-action 'self' ${returnTo.join(" ")}; frame-ancestors 'none'`,
    "x-frame-options": "DENY",
  });
  res.end(html);
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

const page = (title: string, body: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:24rem;margin:4rem auto;padding:0 1rem}
label{display:block;margin-top:1rem}input{width:100%;padding:.5rem;font-size:1rem;box-sizing:border-box}
button{margin-top:1.5rem;padding:.6rem 1.2rem;font-size:1rem}.error{color:#a00}</style></head>
<body><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`;

/**
 * The provider's sign-out step: its form (with the provider's own CSRF token) submitted at once
 * by a line of script, as Cognito's /logout ends a session without asking; a button without script.
 */
const signOutPage = (form: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Signing out</title></head>
<body><main>${form.replace("</form>", '<input type="hidden" name="logout" value="yes"><noscript><button type="submit">Sign out</button></noscript></form>')}
<script>document.forms[0].submit()</script></main></body></html>`;

const loginPage = (uid: string, username: string, error: string) =>
  page(
    "Sign in to Cross-sell campaigns",
    `<p>Local identity provider: the users are printed by <code>npm start</code>.</p>
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ""}
<form method="post" action="/interaction/${escapeHtml(uid)}/login" autocomplete="off">
<label for="username">User name</label><input id="username" name="username" required value="${escapeHtml(username)}">
<label for="password">Password</label><input id="password" name="password" type="password" required>
<button type="submit">Sign in</button>
</form>`,
  );

/**
 * oidc-provider's state in memory (sessions, codes, grants), expiring as it asks, as its own
 * development adapter does; one store per provider, so that two in one process keep apart.
 */
function memoryAdapter() {
  const store = new Map<string, { payload: AdapterPayload; expiresAt?: number }>();
  const read = (key: string) => {
    const entry = store.get(key);
    if (entry?.expiresAt && entry.expiresAt < Date.now()) {
      store.delete(key);
      return undefined;
    }
    return entry?.payload;
  };
  return class MemoryAdapter implements Adapter {
    constructor(private readonly name: string) {}
    private key = (id: string) => `${this.name}:${id}`;
    async upsert(id: string, payload: AdapterPayload, expiresIn: number) {
      const expiresAt = expiresIn ? Date.now() + expiresIn * 1000 : undefined;
      store.set(this.key(id), { payload, expiresAt });
      if (payload.grantId) store.set(`grant:${payload.grantId}:${this.key(id)}`, { payload, expiresAt });
      if (payload.uid) store.set(`uid:${this.name}:${payload.uid}`, { payload: { id } as AdapterPayload, expiresAt });
      if (payload.userCode) store.set(`userCode:${payload.userCode}`, { payload: { id } as AdapterPayload, expiresAt });
    }
    async find(id: string) {
      return read(this.key(id));
    }
    async findByUid(uid: string) {
      const found = read(`uid:${this.name}:${uid}`) as { id?: string } | undefined;
      return found?.id ? this.find(found.id) : undefined;
    }
    async findByUserCode(userCode: string) {
      const found = read(`userCode:${userCode}`) as { id?: string } | undefined;
      return found?.id ? this.find(found.id) : undefined;
    }
    async consume(id: string) {
      const payload = read(this.key(id));
      if (payload) payload.consumed = Math.floor(Date.now() / 1000);
    }
    async destroy(id: string) {
      store.delete(this.key(id));
    }
    async revokeByGrantId(grantId: string) {
      const prefix = `grant:${grantId}:`;
      for (const key of [...store.keys()]) {
        if (!key.startsWith(prefix)) continue;
        store.delete(key.slice(prefix.length));
        store.delete(key);
      }
    }
  };
}
