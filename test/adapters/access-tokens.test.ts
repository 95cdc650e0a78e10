import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accessTokenVerifier, IdentityProviderUnavailableError } from "../../shared/adapters/identity/access-tokens.js";

/**
 * A Cognito-like issuer made in the test: a key pair, its JWKS served over HTTP, and access
 * tokens signed with it, shaped as Cognito issues them; a foreign issuer's key besides.
 */
let server: Server;
let issuer: string;
let sign: (
  claims: JWTPayload,
  options?: { key?: "own" | "foreign"; kid?: string; expiresIn?: string },
) => Promise<string>;

beforeAll(async () => {
  const own = await generateKeyPair("RS256");
  const foreign = await generateKeyPair("RS256");
  const jwks = JSON.stringify({
    keys: [{ ...(await exportJWK(own.publicKey)), kid: "own-key", alg: "RS256", use: "sig" }],
  });
  server = createServer((req, res) => {
    if (req.url === "/.well-known/jwks.json") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(jwks);
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  sign = (claims, { key = "own", kid = "own-key", expiresIn = "5m" } = {}) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: "RS256", kid })
      .setIssuedAt()
      .setExpirationTime(expiresIn)
      .sign(key === "own" ? own.privateKey : foreign.privateKey);
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const verifier = () =>
  accessTokenVerifier({ issuer, clientIds: ["console-client", "core-banking"], scopePrefix: "cross-sell-api/" });

/** A person's access token as Cognito issues it: no `aud`, `client_id`, `username`, groups. */
const personClaims = (groups: string[] = ["approver"]): JWTPayload => ({
  iss: issuer,
  sub: "9a1b-uuid",
  client_id: "console-client",
  token_use: "access",
  scope: "openid profile",
  username: "li",
  "cognito:groups": groups,
});
/** A client credentials token: `sub` is the client, scopes carry the resource server's prefix. */
const machineClaims = (scope: string): JWTPayload => ({
  iss: issuer,
  sub: "core-banking",
  client_id: "core-banking",
  token_use: "access",
  scope,
});

describe("access tokens (shared/adapters/identity/access-tokens.ts)", () => {
  it("takes a person's id and sign-in name from the token and the role from their group", async () => {
    // prepare
    const token = await sign(personClaims(["approver"]));
    // act
    const caller = await verifier()(token);
    // assess
    expect(caller).toEqual({ kind: "person", id: "9a1b-uuid", name: "li", role: "approver" });
  });

  it("takes the person's own address when the token carries one (the local provider's do), and ignores one that is no address", async () => {
    // prepare
    const verify = verifier();
    // act
    const withEmail = await verify(await sign({ ...personClaims(), email: "li@demo-bank.example" }));
    const withJunk = await verify(await sign({ ...personClaims(), email: "not an address" }));
    // assess
    expect(withEmail).toEqual({
      kind: "person",
      id: "9a1b-uuid",
      name: "li",
      role: "approver",
      email: "li@demo-bank.example",
    });
    expect(withJunk).toEqual({ kind: "person", id: "9a1b-uuid", name: "li", role: "approver" });
  });

  it("gives a person in several groups the most powerful role, and refuses one in none of the five", async () => {
    // prepare
    const verify = verifier();
    // act
    const both = await verify(await sign(personClaims(["analyst", "admin", "staff"])));
    const none = await verify(await sign(personClaims(["staff"])));
    // assess
    expect(both).toMatchObject({ role: "admin" });
    expect(none).toBeUndefined();
  });

  it("takes a machine client's scopes without the resource server's prefix, and drops any it does not know", async () => {
    // prepare
    const token = await sign(
      machineClaims("cross-sell-api/conversions.write other-api/customers.import cross-sell-api/x"),
    );
    // act
    const caller = await verifier()(token);
    // assess
    expect(caller).toEqual({ kind: "machine", clientId: "core-banking", scopes: ["conversions.write"] });
  });

  it.each([
    ["expired", async () => sign(personClaims(), { expiresIn: "-1m" })],
    ["signed by another key under the issuer's key id", async () => sign(personClaims(), { key: "foreign" })],
    [
      "signed by a key the issuer does not publish",
      async () => sign(personClaims(), { key: "foreign", kid: "theirs" }),
    ],
    ["from another issuer", async () => sign({ ...personClaims(), iss: "https://idp.elsewhere.example" })],
    ["issued to another app client", async () => sign({ ...personClaims(), client_id: "someone-else" })],
    ["an ID token, not an access token", async () => sign({ ...personClaims(), token_use: "id" })],
    ["for another audience", async () => sign({ ...personClaims(), aud: "https://other-api.example" })],
    [
      "tampered with (the group changed after signing)",
      async () => {
        const [header, , signature] = (await sign(personClaims(["analyst"]))).split(".");
        const forged = Buffer.from(JSON.stringify({ ...personClaims(["admin"]), exp: 9e9 })).toString("base64url");
        return `${header}.${forged}.${signature}`;
      },
    ],
    ["not a JWT at all", async () => "a.b.c"],
    ["unsigned (alg none)", async () => `${b64({ alg: "none", kid: "own-key" })}.${b64(personClaims())}.`],
  ])("refuses a token %s", async (_, token) => {
    // prepare
    const verify = verifier();
    // act
    const caller = await verify(await token());
    // assess
    expect(caller).toBeUndefined();
  });

  it("accepts `aud` only when it is the API's own audience", async () => {
    // prepare
    const verify = accessTokenVerifier({ issuer, clientIds: ["console-client"], audience: "urn:api" });
    // act
    const ours = await verify(await sign({ ...personClaims(), aud: "urn:api" }));
    const theirs = await verify(await sign({ ...personClaims(), aud: "urn:other" }));
    // assess
    expect(ours).toMatchObject({ name: "li" });
    expect(theirs).toBeUndefined();
  });

  it("answers 503, not 401, when the issuer's keys cannot be read", async () => {
    // prepare
    const verify = accessTokenVerifier({ issuer, jwksUri: `${issuer}/missing-jwks`, clientIds: ["console-client"] });
    // act
    const verifying = verify(await sign(personClaims()));
    // assess
    await expect(verifying).rejects.toBeInstanceOf(IdentityProviderUnavailableError);
  });
});

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
