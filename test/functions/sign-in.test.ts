import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../functions/api/app.js";
import {
  DEFAULT_DEV_USERS,
  type LocalOidcProvider,
  parseDevUsers,
  startOidcProvider,
  subjectOf,
} from "../../infra/local/oidc-provider.js";
import { accessTokenVerifier } from "../../shared/adapters/identity/access-tokens.js";
import { clientCredentialsToken, exchangeCode, pkcePair, signInWithPassword } from "../support/oidc-client.js";
import { platformWith } from "../unit/platform.js";

/**
 * The local provider `npm start` runs, and the API verifying its tokens with the verifier the
 * Lambda uses, in memory: a person by authorization code with PKCE, a machine client by client
 * credentials, and tokens that have expired (the provider here issues them for two seconds).
 */
const REDIRECT = "http://localhost:3999/console/callback";
let provider: LocalOidcProvider;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  provider = await startOidcProvider({
    port: 0,
    users: [
      { username: "li", role: "approver", password: "li-test-password" },
      { username: "mei", role: "marketer", password: "mei-test-password", email: "mei.marketer@demo-bank.example" },
    ],
    clients: [{ clientId: "core-banking", secret: "core-banking-test-secret", scopes: ["conversions.write"] }],
    redirectUris: [REDIRECT],
    accessTokenTtlSeconds: 2,
  });
  app = createApp({
    ports: platformWith({}),
    actorFor: accessTokenVerifier({
      issuer: provider.issuer,
      jwksUri: provider.jwksUri,
      clientIds: provider.clientIds,
      audience: provider.audience,
    }),
    checkServices: async () => ({ dynamodb: "ok", sqs: "ok" }),
    issuer: provider.issuer,
  });
});
afterAll(() => provider.stop());

const me = (token: string) => app.request("/api/me", { headers: { authorization: `Bearer ${token}` } });

describe("signing in at the local provider, verified by the API", () => {
  it("names the issuer in /health, and the issuer serves its discovery document", async () => {
    // prepare / act
    const health = (await (await app.request("/health")).json()) as { issuer: string };
    const discovery = (await (await fetch(`${health.issuer}/.well-known/openid-configuration`)).json()) as Record<
      string,
      unknown
    >;
    // assess
    expect(discovery).toMatchObject({
      issuer: provider.issuer,
      code_challenge_methods_supported: ["S256"],
      grant_types_supported: expect.arrayContaining(["authorization_code", "client_credentials"]),
    });
  });

  it("answers a person signed in by code and PKCE by id, name and role, and refuses the token once it expires", async () => {
    // prepare
    const { code, verifier } = await signInWithPassword(provider.issuer, REDIRECT, "li", "li-test-password");
    const { body } = await exchangeCode(provider.issuer, code!, REDIRECT, verifier);
    // act
    const fresh = await me(body.access_token!);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const expired = await me(body.access_token!);
    // assess
    expect(await fresh.json()).toEqual({ id: subjectOf("li"), name: "li", role: "approver" });
    expect(expired.status).toBe(401);
  });

  it("names a person's own address in the access token and the ID token when DEV_USERS gives one", async () => {
    // prepare
    const { code, verifier } = await signInWithPassword(provider.issuer, REDIRECT, "mei", "mei-test-password");
    const { body } = await exchangeCode(provider.issuer, code!, REDIRECT, verifier);
    // act
    const who = await (await me(body.access_token!)).json();
    const idToken = JSON.parse(Buffer.from(body.id_token!.split(".")[1], "base64url").toString("utf8"));
    // assess
    expect(who).toEqual({
      id: subjectOf("mei"),
      name: "mei",
      role: "marketer",
      email: "mei.marketer@demo-bank.example",
    });
    expect(idToken).toMatchObject({
      sub: subjectOf("mei"),
      email: "mei.marketer@demo-bank.example",
      email_verified: true,
    });
  });

  it("reads DEV_USERS with or without an address, and refuses one that is no address", () => {
    // prepare / act
    const users = parseDevUsers("a:marketer:a-password,b:approver:b-password:b@bank.example");
    const wrong = () => parseDevUsers("c:marketer:c-password:not-an-address");
    // assess
    expect(users).toEqual([
      { username: "a", role: "marketer", password: "a-password" },
      { username: "b", role: "approver", password: "b-password", email: "b@bank.example" },
    ]);
    expect(wrong).toThrow("the email of 'c' is not an address");
    expect(parseDevUsers(DEFAULT_DEV_USERS).every((u) => u.email?.endsWith("@demo-bank.example"))).toBe(true);
  });

  it("refuses a wrong password on the login page, and a code exchanged without its PKCE verifier", async () => {
    // prepare / act
    const wrong = await signInWithPassword(provider.issuer, REDIRECT, "li", "not-the-password");
    const right = await signInWithPassword(provider.issuer, REDIRECT, "li", "li-test-password");
    const stolen = await exchangeCode(provider.issuer, right.code!, REDIRECT, pkcePair().verifier);
    // assess
    expect([wrong.loginStatus, wrong.code]).toEqual([401, null]);
    expect(stolen).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
  });

  it("refuses a machine client a person's route (403), and its token once it expires (401)", async () => {
    // prepare
    const token = await clientCredentialsToken(
      provider.issuer,
      "core-banking",
      "core-banking-test-secret",
      "conversions.write",
    );
    // act
    const asPerson = await me(token);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const expired = await me(token);
    // assess
    expect(asPerson.status).toBe(403);
    expect(expired.status).toBe(401);
  });
});
