import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  DEFAULT_DEV_CLIENTS,
  DEFAULT_DEV_USERS,
  parseDevClients,
  parseDevUsers,
} from "../../infra/local/oidc-provider.js";
import { clientCredentialsToken, exchangeCode, signInWithPassword } from "../support/oidc-client.js";
import { runScript } from "../support/run-script.js";
import { api } from "./client.js";

/**
 * Signing in on the local platform, as `npm start` runs it: the issuer GET /health names, the
 * demo core-banking client by client credentials, a demo person by code and PKCE (the browser
 * does the same in test/e2e/sign-in.test.ts), and tokens the API must refuse.
 */
const [coreBanking] = parseDevClients(DEFAULT_DEV_CLIENTS);
const users = parseDevUsers(DEFAULT_DEV_USERS);
const passwordOf = (username: string) => users.find((u) => u.username === username)!.password;

let issuer: string;
const redirect = () => `${inject("apiUrl")}/console/callback`;

async function call(method: string, path: string, token: string, body?: string, contentType = "application/json") {
  const response = await fetch(`${inject("apiUrl")}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": contentType } : {}) },
    body,
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

async function signIn(username: string) {
  const { code, verifier } = await signInWithPassword(issuer, redirect(), username, passwordOf(username));
  const { body } = await exchangeCode(issuer, code!, redirect(), verifier);
  return body.access_token!;
}

beforeAll(async () => {
  issuer = (await api("GET", "/health", null)).body.issuer;
});

describe("signing in on the local platform", () => {
  it("names the issuer in /health, whose discovery document is where OpenID Connect puts it", async () => {
    // prepare / act
    const discovery = await (await fetch(`${issuer}/.well-known/openid-configuration`)).json();
    // assess
    expect(discovery).toMatchObject({ issuer, token_endpoint: `${issuer}/token` });
  });

  it("lets core banking, by client credentials, import a customer and post a conversion, and approve nothing", async () => {
    // prepare
    const token = await clientCredentialsToken(
      issuer,
      coreBanking.clientId,
      coreBanking.secret,
      "conversions.write customers.import",
    );
    const csv = [
      "customerId,type,name,email,aum,products,region,emailConsent",
      "SIGNIN-1,individual,Qian Wei,qian.wei@signin.test,120000,DEPOSIT_CURRENT,SignIn,true",
    ].join("\n");
    // act
    const imported = await call("POST", "/api/customers/import", token, csv, "text/csv");
    const conversion = await call(
      "POST",
      "/api/conversions",
      token,
      JSON.stringify({ customerId: "SIGNIN-1", productCode: "CREDIT_CARD", amount: 1, occurredAt: new Date() }),
    );
    const approve = await call("POST", "/api/campaigns/any-campaign/approve", token);
    const read = await call("GET", "/api/customers/SIGNIN-1", token);
    // assess
    expect(imported).toMatchObject({ status: 200, body: { imported: 1 } });
    expect(conversion).toEqual({ status: 200, body: { attributedTo: null, group: null } });
    expect([approve.status, read.status]).toEqual([403, 403]);
  });

  it("gives a client only the scopes it asked for", async () => {
    // prepare
    const token = await clientCredentialsToken(issuer, coreBanking.clientId, coreBanking.secret, "conversions.write");
    // act
    const imported = await call("POST", "/api/customers/import", token, "customerId\n", "text/csv");
    // assess
    expect(imported).toMatchObject({ status: 403, body: { code: "forbidden" } });
  });

  it("answers a signed-in person by name and role, and records their name on what they do", async () => {
    // prepare
    const li = await signIn("li");
    await call(
      "POST",
      "/api/customers/import",
      await clientCredentialsToken(issuer, coreBanking.clientId, coreBanking.secret, "customers.import"),
      "customerId,type,name,email,aum,products,region,emailConsent\nSIGNIN-2,individual,Kong Li,kong@signin.test,60000,DEPOSIT_CURRENT,SignIn,true",
      "text/csv",
    );
    // act
    const me = await call("GET", "/api/me", li);
    const changed = await call(
      "PATCH",
      "/api/customers/SIGNIN-2",
      li,
      JSON.stringify({ changes: { region: "Jilin" }, reason: "moved, said at the branch" }),
    );
    const trail = await call("GET", "/api/customers/SIGNIN-2/changes", li);
    // assess
    expect(me.body).toMatchObject({ name: "li", role: "approver" });
    expect(me.body.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(changed.status).toBe(200);
    expect(trail.body.auditTrail[0]).toMatchObject({ actor: "li", field: "region", after: "Jilin" });
  });

  it("refuses a tampered token, a foreign issuer's, and one signed by a key of its own making under the issuer's name", async () => {
    // prepare
    const genuine = await signIn("zhou");
    const [header, payload, signature] = genuine.split(".");
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString());
    const tampered = `${header}.${Buffer.from(JSON.stringify({ ...claims, "cognito:groups": ["admin"] })).toString("base64url")}.${signature}`;
    const { privateKey, publicKey } = await generateKeyPair("RS256");
    const kid = JSON.parse(Buffer.from(header, "base64url").toString()).kid;
    const forge = (iss: string) =>
      new SignJWT({ ...claims, iss, "cognito:groups": ["admin"] })
        .setProtectedHeader({ alg: "RS256", kid })
        .setExpirationTime("5m")
        .sign(privateKey);
    await exportJWK(publicKey); // the foreign issuer's own key: published nowhere the API looks
    // act
    const replies = await Promise.all(
      [genuine, tampered, await forge("https://idp.elsewhere.example"), await forge(issuer)].map((token) =>
        call("GET", "/api/me", token),
      ),
    );
    // assess
    expect(replies.map((r) => r.status)).toEqual([200, 401, 401, 401]);
  });
});

describe("npm run import, signed in by client credentials", () => {
  const dir = mkdtempSync(join(tmpdir(), "import-signin-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** The real CLI in a child process, with the environment it is given and no IMPORT_TOKEN. */
  const cli = (args: string[], env: Record<string, string> = {}) => {
    const { IMPORT_TOKEN: _, ...inherited } = process.env;
    return runScript("infra/local/import-cli.ts", args, { ...inherited, ...env });
  };
  const csv = () => {
    const path = join(dir, "feed.csv");
    writeFileSync(
      path,
      "customerId,type,name,email,aum,products,region,emailConsent\nSIGNIN-CLI-1,individual,Lu Yan,lu@signin.test,90000,DEPOSIT_CURRENT,SignIn,true\n",
    );
    return path;
  };

  it("gets its token at the issuer /health names, from --client-id and --client-secret", async () => {
    // prepare
    const path = csv();
    // act
    const run = await cli([
      path,
      "--api",
      inject("apiUrl"),
      "--client-id",
      coreBanking.clientId,
      "--client-secret",
      coreBanking.secret,
      "--json",
    ]);
    // assess
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout.trim())).toMatchObject({ rowsRead: 1, rejected: 0 });
  });

  it("takes the client from the environment too, and says in one line when the issuer refuses it", async () => {
    // prepare
    const path = csv();
    // act
    const fromEnv = await cli([path, "--api", inject("apiUrl"), "--json"], {
      IMPORT_CLIENT_ID: coreBanking.clientId,
      IMPORT_CLIENT_SECRET: coreBanking.secret,
    });
    const refused = await cli([
      path,
      "--api",
      inject("apiUrl"),
      "--client-id",
      coreBanking.clientId,
      "--client-secret",
      "wrong-secret-0123456789",
    ]);
    // assess
    expect(fromEnv.code).toBe(0);
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim()).toMatch(/^The issuer refused client 'core-banking' \(invalid_client/);
  });
});
