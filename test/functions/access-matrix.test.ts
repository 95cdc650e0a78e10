import { describe, expect, it } from "vitest";
import { ACCESS, type Access } from "../../functions/api/access.js";
import { createApp } from "../../functions/api/app.js";
import { type Caller, MACHINE_SCOPES, type MachineScope, ROLES, type Role } from "../../shared/kernel/actor.js";
import { platformWith } from "../unit/platform.js";

/** One token per role and per machine scope, and a machine client with no scope at all. */
const PEOPLE = new Map<string, Caller>(
  ROLES.map((role) => [`${role}-token`, { kind: "person", id: `sub-${role}`, name: `${role}-user`, role }]),
);
const MACHINES = new Map<string, Caller>([
  ...MACHINE_SCOPES.map((scope): [string, Caller] => [
    `machine-${scope}`,
    { kind: "machine", clientId: `client-${scope}`, scopes: [scope] },
  ]),
  ["machine-none", { kind: "machine", clientId: "client-none", scopes: [] }],
]);
const CALLERS = new Map([...PEOPLE, ...MACHINES]);

/**
 * The app on ports that refuse every call: a request the matrix lets through fails later (404,
 * 400 or 500 here), one it stops is a 401 or a 403 `forbidden` before any port is touched.
 */
const app = createApp({
  ports: platformWith({}),
  actorFor: async (token) => CALLERS.get(token),
  checkServices: async () => ({ dynamodb: "ok", sqs: "ok" }),
});

const concretePath = (path: string) => path.replace(/\{[^}]+\}/g, "x1");

async function call(access: Access, token?: string) {
  const response = await app.request(concretePath(access.path), {
    method: access.method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      "content-type": access.path.endsWith("/import") ? "text/csv" : "application/json",
    },
    body: access.method === "GET" ? undefined : access.path.endsWith("/import") ? "customerId\n" : "{}",
  });
  const text = await response.text();
  return { status: response.status, code: text.startsWith("{") ? (JSON.parse(text) as { code?: string }).code : "" };
}

const mayPerson = (access: Access, role: Role) => role === "admin" || access.roles.includes(role);
const mayMachine = (access: Access, scopes: MachineScope[]) => !!access.scope && scopes.includes(access.scope);

describe("the role matrix (functions/api/access.ts), route by route", () => {
  it("names every /api route of /openapi.json, and no route that does not exist", () => {
    // prepare
    const doc = app.getOpenAPI31Document({ openapi: "3.1.0", info: { title: "t", version: "1" } });
    const documented = Object.entries(doc.paths ?? {}).flatMap(([path, operations]) =>
      Object.keys(operations as object).map((method) => `${method.toUpperCase()} ${path}`),
    );
    // act
    const apiRoutes = documented.filter((route) => route.split(" ")[1].startsWith("/api/")).sort();
    // assess
    expect(ACCESS.map((a) => `${a.method} ${a.path}`).sort()).toEqual(apiRoutes);
  });

  it("gives only conversions.write and customers.import to machine clients, and never a deciding route", () => {
    // prepare / act
    const machineRoutes = ACCESS.filter((a) => a.scope).map((a) => `${a.method} ${a.path} ${a.scope}`);
    // assess
    expect(machineRoutes).toEqual([
      "POST /api/customers/import customers.import",
      "POST /api/conversions conversions.write",
    ]);
  });

  for (const access of ACCESS) {
    describe(`${access.method} ${access.path}`, () => {
      it("is a 401 without a token, with a malformed one and with an unknown one", async () => {
        // prepare / act
        const replies = await Promise.all([call(access), call(access, "not a token"), call(access, "unknown-token")]);
        // assess
        expect(replies.map((r) => r.status)).toEqual([401, 401, 401]);
      });

      for (const [token, caller] of CALLERS) {
        const allowed = caller.kind === "machine" ? mayMachine(access, caller.scopes) : mayPerson(access, caller.role);
        it(`${allowed ? "lets" : "refuses"} ${token.replace("-token", "")} ${allowed ? "through" : "with a 403"}`, async () => {
          // prepare / act
          const reply = await call(access, token);
          // assess
          if (allowed) {
            expect(reply.status).not.toBe(401);
            expect(reply.code).not.toBe("forbidden");
          } else {
            expect(reply).toEqual({ status: 403, code: "forbidden" });
          }
        });
      }
    });
  }

  it("refuses a machine client a path no route serves, which a person gets as a 404", async () => {
    // prepare / act
    const machine = await app.request("/api/nowhere", {
      headers: { authorization: "Bearer machine-conversions.write" },
    });
    const person = await app.request("/api/nowhere", { headers: { authorization: "Bearer admin-token" } });
    // assess
    expect([machine.status, person.status]).toEqual([403, 404]);
  });

  it("answers GET /api/me with the person's id, name and role", async () => {
    // prepare / act
    const reply = await app.request("/api/me", { headers: { authorization: "Bearer relationship_manager-token" } });
    // assess
    expect(await reply.json()).toEqual({
      id: "sub-relationship_manager",
      name: "relationship_manager-user",
      role: "relationship_manager",
    });
  });
});
