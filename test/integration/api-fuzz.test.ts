/**
 * "No 5xx from any input" (issue #8), checked against the running local platform: real DynamoDB
 * Local, SQS and SES emulators, because the 500s come from what DynamoDB refuses. The cases are
 * generated from GET /openapi.json: every operation, as every role and with no token, with odd
 * path parameters, malformed and wrong-typed bodies, odd query strings and odd headers. The list
 * is deterministic (no randomness), so a failure names a case that can be sent again by hand.
 *
 * Every request must get a reply (no dropped connection), below 500, and free of internals
 * (stack frames, source or dependency paths). Under /api, a request without a valid token is a
 * 401; an id that breaks the id rule is refused at the edge (400, or 403 for a role that may
 * not), never looked up (404) nor sent to DynamoDB (500).
 *
 * Nothing here can write: every body and every id is invalid or unknown. The run prints its
 * coverage and statuses; FUZZ_REPORT=file writes every failure to that file.
 */
import { Agent, request } from "node:http";
import { describe, expect, inject, it } from "vitest";
import { signLink } from "../../shared/delivery/links.js";
import { internalsIn } from "../functions/internals.js";
import { type Role, TOKENS } from "./client.js";

type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  format?: string;
  example?: unknown;
};
type Parameter = { name: string; in: "path" | "query" | "header"; schema?: Schema };
type Operation = {
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema?: Schema }> };
  security?: unknown[];
};
type OpenApi = { paths: Record<string, Record<string, Operation>> };

type Identity = Role | "anonymous";
const IDENTITIES: Identity[] = ["marketer", "approver", "analyst", "admin", "anonymous"];

type Case = {
  /** "GET /api/segments/{segmentId}", or the path alone for a method the document does not list. */
  operation: string;
  identity: Identity;
  what: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  /** Sent in one piece (with Content-Length), or in several (chunked) when an array. */
  body?: Buffer | Buffer[];
  /** Statuses the case must get beyond "below 500" (the edge checks), if any. */
  expected?: number[];
};

type Outcome = { status?: number; text: string; error?: string; ms: number };

const CONCURRENCY = 4;
/** An id that has the right shape and names nothing. */
const UNKNOWN_ID = "fuzz-unknown-0";

/**
 * Odd values for a path parameter, as sent on the wire (already percent-encoded where meant).
 * `invalid`: breaks the id rule (1-64 letters, digits, '_' or '-') and still reaches the route,
 * so it must be refused at the edge.
 */
const ODD_IDS: { what: string; raw: string; invalid: boolean }[] = [
  { what: "3,000 characters", raw: "a".repeat(3000), invalid: true },
  { what: "65 characters", raw: "b".repeat(65), invalid: true },
  { what: "1,100 two-byte characters", raw: encodeURIComponent("é".repeat(1100)), invalid: true },
  { what: "unicode", raw: encodeURIComponent("客户-ü-😀"), invalid: true },
  { what: "an encoded path traversal", raw: encodeURIComponent("../../etc/passwd"), invalid: true },
  // A URL parser reads an encoded dot as a dot segment: these change the route, like the raw ones below.
  { what: "an encoded dot-dot", raw: "%2e%2e", invalid: false },
  { what: "a NUL", raw: "%00", invalid: true },
  { what: "a NUL inside", raw: "a%00b", invalid: true },
  { what: "a space", raw: "%20", invalid: true },
  { what: "a tab and a line break", raw: "%09%0A", invalid: true },
  { what: "invalid UTF-8", raw: "%FF%FE", invalid: true },
  { what: "broken percent-encoding", raw: "%E0%A4%A", invalid: true },
  { what: "markup and quotes", raw: encodeURIComponent(`x'"><script>1</script>`), invalid: true },
  { what: "an encoded dot", raw: "%2E", invalid: false },
  { what: "__proto__", raw: "__proto__", invalid: false },
  { what: "constructor", raw: "constructor", invalid: false },
  { what: "a dash", raw: "-", invalid: false },
  { what: "zero", raw: "0", invalid: false },
  // These change the route itself (no normalisation on the way): anything below 500 will do.
  { what: "a raw path traversal", raw: "../../../etc/passwd", invalid: false },
  { what: "a raw dot-dot", raw: "..", invalid: false },
  { what: "nothing", raw: "", invalid: false },
];

/** Odd values for a query parameter (percent-encoded). */
const ODD_QUERY_VALUES: { what: string; raw: string }[] = [
  { what: "empty", raw: "" },
  { what: "negative", raw: "-1" },
  { what: "zero", raw: "0" },
  { what: "a fraction", raw: "1.5" },
  { what: "beyond a double", raw: "1e309" },
  { what: "NaN", raw: "NaN" },
  { what: "a word", raw: "abc" },
  { what: "400 digits", raw: "9".repeat(400) },
  { what: "3,000 characters", raw: "r".repeat(3000) },
  { what: "a NUL", raw: "%00" },
  { what: "invalid UTF-8", raw: "%FF" },
  { what: "unicode", raw: encodeURIComponent("原因😀") },
];

/** Odd Authorization headers: each must be a 401 under /api (431 for the one over Node's header limit). */
const ODD_AUTHORIZATIONS: { what: string; value: string; status: number }[] = [
  { what: "a bearer of 8,000 characters", value: `Bearer ${"x".repeat(8000)}`, status: 401 },
  { what: "a header beyond 16 KB", value: `Bearer ${"x".repeat(20_000)}`, status: 431 },
  { what: "Bearer alone", value: "Bearer", status: 401 },
  { what: "two words", value: "Bearer it-admin-token extra", status: 401 },
  { what: "Basic", value: "Basic Zm9vOmJhcg==", status: 401 },
  { what: "Latin-1 bytes", value: "Bearer \u00ff\u00fe\u00e9", status: 401 },
  { what: "a valid token and more", value: `Bearer ${TOKENS.admin}${"y".repeat(1000)}`, status: 401 },
  { what: "only spaces", value: `Bearer ${" ".repeat(500)}`, status: 401 },
];

/** JSON bodies that are no object at all, or not JSON. */
const ODD_JSON_BODIES: { what: string; text: string }[] = [
  { what: "not JSON", text: '{"name": "x", rule' },
  { what: "JSON null", text: "null" },
  { what: "an array", text: "[]" },
  { what: "an array of objects", text: '[{"a":1}]' },
  { what: "a string", text: '"text"' },
  { what: "a number", text: "123" },
  { what: "true", text: "true" },
  { what: "an empty object", text: "{}" },
  { what: "prototype keys", text: '{"__proto__":{"role":"admin"},"constructor":{"prototype":{"x":1}}}' },
  { what: "a NUL", text: '{"a":"\\u0000"}' },
  { what: "a lone surrogate", text: '{"a":"\\ud800"}' },
  { what: "5,000 nested arrays", text: `${"[".repeat(5000)}${"]".repeat(5000)}` },
  { what: "a UTF-16 byte order mark", text: "\ufeff{}" },
];

/** Bodies for the customer import (text/csv or application/x-ndjson): none of them holds a valid row. */
const ODD_IMPORTS: { what: string; contentType: string; body: Buffer }[] = [
  { what: "an empty CSV", contentType: "text/csv", body: Buffer.alloc(0) },
  { what: "an empty NDJSON", contentType: "application/x-ndjson", body: Buffer.alloc(0) },
  { what: "UTF-16", contentType: "text/csv", body: Buffer.from("\ufeffcustomerId,type\n", "utf16le") },
  { what: "binary", contentType: "text/csv", body: Buffer.from([0xff, 0xfe, 0x00, 0x81, 0x30, 0x89, 0x38, 0x00]) },
  { what: "an unclosed quote", contentType: "text/csv", body: Buffer.from('customerId,type\n"C-1,individual\n') },
  {
    what: "a 3,000-character id",
    contentType: "text/csv",
    body: Buffer.from(`customerId,type\n${"c".repeat(3000)},x\n`),
  },
  { what: "only a header line", contentType: "text/csv", body: Buffer.from("customerId,type,name\n") },
  { what: "NDJSON null and an array", contentType: "application/x-ndjson", body: Buffer.from("null\n[]\n1\n") },
  {
    what: "NDJSON of wrong types",
    contentType: "application/x-ndjson",
    body: Buffer.from('{"customerId":123,"type":[],"aum":"x","emailConsent":"yes","__proto__":{"a":1}}\n'),
  },
  { what: "NDJSON nested 5,000 deep", contentType: "application/x-ndjson", body: Buffer.from("[".repeat(5000)) },
];

/** Content types a JSON operation does not take; several carry a JSON body. */
const ODD_CONTENT_TYPES = [
  "text/plain",
  "application/json; charset=utf-16",
  "multipart/form-data",
  "multipart/form-data; boundary=x",
  "application/x-www-form-urlencoded",
  "application/xml",
];

/** JSON values of every type; a property gets those its schema does not allow. */
const VALUES_BY_TYPE: Record<string, unknown> = {
  string: "fuzz",
  number: 1.5,
  integer: 12345,
  boolean: true,
  null: null,
  array: [1, "a", null],
  object: { $: { $: [] } },
};

/** The JSON types a schema allows, or undefined when it says nothing about them (any value). */
function allowedTypes(schema: Schema): Set<string> | undefined {
  if (schema.enum || schema.const !== undefined) return undefined; // judged by value, below
  const union = schema.anyOf ?? schema.oneOf;
  if (union) {
    const types = new Set<string>();
    for (const member of union) {
      const memberTypes = allowedTypes(member);
      if (!memberTypes) return undefined;
      for (const t of memberTypes) types.add(t);
    }
    return types;
  }
  if (schema.allOf?.length) return allowedTypes(schema.allOf[0]);
  if (!schema.type) return undefined;
  const types = new Set(Array.isArray(schema.type) ? schema.type : [schema.type]);
  if (types.has("integer")) types.add("number");
  if (types.has("number")) types.add("integer");
  return types;
}

/** Values a property must refuse: the other JSON types, and whatever breaks its own limits. */
function wrongValues(schema: Schema): { what: string; value: unknown }[] {
  const wrong: { what: string; value: unknown }[] = [];
  if (schema.enum || schema.const !== undefined)
    wrong.push({ what: "a value outside its enum", value: "not-one-of-them" });
  const allowed = allowedTypes(schema);
  if (allowed) {
    for (const [type, value] of Object.entries(VALUES_BY_TYPE)) {
      if (!allowed.has(type)) wrong.push({ what: `a ${type}`, value });
    }
  }
  if (schema.maxLength !== undefined) wrong.push({ what: "too long", value: "x".repeat(schema.maxLength + 1) });
  if (schema.format === "date-time") wrong.push({ what: "not a date-time", value: "2026-13-45T99:00:00Z" });
  if (schema.minimum !== undefined) wrong.push({ what: "below its minimum", value: schema.minimum - 1 });
  if (schema.maximum !== undefined) wrong.push({ what: "above its maximum", value: schema.maximum + 1 });
  // An own toString or valueOf that is no function breaks any code that turns the value into a string.
  wrong.push({ what: "an object with its own toString", value: { toString: 1, valueOf: 1 } });
  if (allowed?.has("object") || allowed?.has("array"))
    wrong.push({ what: "nested 3,000 deep", value: JSON.parse(`${'{"not":'.repeat(3000)}{}${"}".repeat(3000)}`) });
  return wrong;
}

/** Values a leaf of a documented example is swapped for: other types, and an object that breaks String(). */
const LEAF_SWAPS: { what: string; value: unknown }[] = [
  { what: "an object with its own toString", value: { toString: 1, valueOf: 1 } },
  { what: "a number", value: 12345 },
  { what: "a string", value: "fuzz" },
  { what: "null", value: null },
  { what: "an array", value: [] },
];

/**
 * A documented example (an opaque schema, like a segment rule's, documents its shape by one)
 * with each leaf in turn swapped for each LEAF_SWAPS value: the shape's parts get wrong values
 * where the schema itself names none.
 */
function exampleMutations(example: unknown): { what: string; value: unknown }[] {
  if (example === null || typeof example !== "object") return [];
  const leaves: (string | number)[][] = [];
  const walk = (node: unknown, at: (string | number)[]) => {
    if (node !== null && typeof node === "object") {
      for (const [key, child] of Object.entries(node)) walk(child, [...at, Array.isArray(node) ? Number(key) : key]);
    } else leaves.push(at);
  };
  walk(example, []);
  return leaves.flatMap((at) =>
    LEAF_SWAPS.map(({ what, value }) => {
      const copy = structuredClone(example) as Record<string | number, unknown>;
      let node = copy;
      for (const key of at.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
      node[at[at.length - 1]] = value;
      return { what: `${at.join(".")}: ${what}`, value: copy };
    }),
  );
}

/**
 * One body per wrong value of each property, down to properties of properties, those of each
 * shape a union allows included (a segment rule's `holds`, `attr`, `op`...).
 */
function wrongBodies(schema: Schema | undefined, depth = 0): { what: string; value: unknown }[] {
  const bodies: { what: string; value: unknown }[] = [];
  for (const [name, property] of Object.entries(schema?.properties ?? {})) {
    for (const { what, value } of wrongValues(property))
      bodies.push({ what: `${name}: ${what}`, value: { [name]: value } });
    for (const { what, value } of exampleMutations(property.example))
      bodies.push({ what: `${name} (its example) ${what}`, value: { [name]: value } });
    if (depth >= 1) continue;
    for (const shape of [property, ...(property.anyOf ?? property.oneOf ?? [])]) {
      if (!shape.properties) continue;
      for (const inner of wrongBodies(shape, depth + 1))
        bodies.push({ what: `${name}.${inner.what}`, value: { [name]: inner.value } });
    }
  }
  return bodies;
}

const fill = (template: string, values: Record<string, string>) =>
  template.replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? UNKNOWN_ID);

const authorization = (identity: Identity): Record<string, string> =>
  identity === "anonymous" ? {} : { authorization: `Bearer ${TOKENS[identity]}` };

const json = (text: string) => Buffer.from(text, "utf8");

/** Every case for one documented operation, for one identity. */
function operationCases(
  path: string,
  method: string,
  op: Operation,
  identity: Identity,
  baseIds: Record<string, string>,
) {
  const operation = `${method.toUpperCase()} ${path}`;
  const isPage = path.startsWith("/o/") || path.startsWith("/u/");
  const cases: Case[] = [];
  let n = 0;
  const add = (what: string, c: Partial<Case> & { path: string }) => {
    // Customer pages reply to a browser with HTML: every other case asks for it.
    const accept = isPage && n++ % 2 === 1 ? "text/html" : "application/json";
    cases.push({
      operation,
      identity,
      what,
      method: method.toUpperCase(),
      ...c,
      headers: { accept, ...authorization(identity), ...c.headers },
    });
  };
  const params = op.parameters ?? [];
  const pathParams = params.filter((p) => p.in === "path").map((p) => p.name);
  const queryParams = params.filter((p) => p.in === "query");
  const basePath = fill(path, baseIds);
  const underApi = path.startsWith("/api/");

  add("the baseline (ids that name nothing)", { path: basePath });

  for (const name of pathParams) {
    for (const odd of ODD_IDS) {
      // Refused at the edge: a 400 ("invalid link" on a page), or a 403 first for a role that may not.
      const expected = !odd.invalid ? undefined : !underApi ? [400] : identity === "anonymous" ? undefined : [400, 403];
      add(`${name} ${odd.what}`, { path: fill(path, { ...baseIds, [name]: odd.raw }), expected });
    }
  }

  for (const q of queryParams) {
    for (const odd of ODD_QUERY_VALUES) add(`?${q.name}= ${odd.what}`, { path: `${basePath}?${q.name}=${odd.raw}` });
    add(`?${q.name} twice`, { path: `${basePath}?${q.name}=1&${q.name}=2` });
  }
  add("query noise", { path: `${basePath}?__proto__[x]=1&constructor=1&%00=%00&${"k".repeat(2000)}=v` });

  const content = op.requestBody?.content ?? {};
  const types = Object.keys(content);
  if (types.length > 0) {
    add("no body", { path: basePath });
    const jsonType = types.find((t) => t === "application/json");
    if (jsonType) {
      const body = (b: Buffer) => ({ path: basePath, headers: { "content-type": jsonType }, body: b });
      for (const odd of ODD_JSON_BODIES) add(`body ${odd.what}`, body(json(odd.text)));
      for (const wrong of wrongBodies(content[jsonType].schema))
        add(`body ${wrong.what}`, body(json(JSON.stringify(wrong.value))));
      add("body in two chunks", {
        path: basePath,
        headers: { "content-type": jsonType },
        body: [json('{"a":'), json("1}")],
      });
    }
    if (types.includes("application/x-www-form-urlencoded")) {
      const form = (text: string) => ({
        path: basePath,
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: json(text),
      });
      add("form without a field", form(""));
      add("form answer NUL", form("answer=%00"));
      add("form answer 3,000 characters", form(`answer=${"x".repeat(3000)}`));
      add("form answer twice", form("answer=interested&answer=not_now"));
      add("form answer as an array", form("answer[]=interested"));
      add("form broken percent-encoding", form("answer=%E0%A4%A"));
    }
    if (types.includes("text/csv")) {
      for (const odd of ODD_IMPORTS)
        add(`import ${odd.what}`, { path: basePath, headers: { "content-type": odd.contentType }, body: odd.body });
    }
    for (const type of ODD_CONTENT_TYPES.filter((t) => !types.includes(t)))
      add(`content-type ${type}`, { path: basePath, headers: { "content-type": type }, body: json('{"a":1}') });
    add("no content-type", { path: basePath, body: json('{"a":1}') });
    // Refused before it is read: the server must still reply, not drop the connection.
    for (const size of [1, 3]) {
      add(`${size} MB as text/plain`, {
        path: basePath,
        headers: { "content-type": "text/plain" },
        body: Buffer.alloc(size * 1024 * 1024, "a"),
      });
    }
  }

  if (identity === "admin") {
    for (const odd of ODD_AUTHORIZATIONS) {
      add(`Authorization: ${odd.what}`, {
        path: basePath,
        headers: { authorization: odd.value },
        expected: underApi ? [odd.status] : odd.status === 431 ? [431] : undefined,
      });
    }
  }
  // Without a token, anything still under /api once the URL is resolved (a raw ../ leaves it) is a 401.
  if (identity === "anonymous") {
    for (const c of cases) {
      if (new URL(c.path, "http://api.test").pathname.startsWith("/api/")) c.expected = c.expected ?? [401];
    }
  }
  return cases;
}

/** One request over HTTP/1.1 as sent, raw path included; an error is what the client would have seen. */
function send(agent: Agent, base: URL, c: Case): Promise<Outcome> {
  const started = performance.now();
  return new Promise((resolve) => {
    let status: number | undefined;
    let text = "";
    let error: string | undefined;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      resolve({ status, text, error, ms: performance.now() - started });
    };
    // Framed explicitly: Node's client sends a DELETE's body with neither header, as if it had none.
    const framing: Record<string, string> = Array.isArray(c.body)
      ? { "transfer-encoding": "chunked" }
      : c.body
        ? { "content-length": String(c.body.length) }
        : {};
    const req = request(
      {
        host: base.hostname,
        port: base.port,
        method: c.method,
        path: c.path,
        headers: { ...c.headers, ...framing },
        agent,
      },
      (res) => {
        status = res.statusCode;
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("error", (e) => (error ??= `${(e as NodeJS.ErrnoException).code ?? ""} ${e.message}`));
        res.on("end", () => (text = Buffer.concat(chunks).toString("utf8")));
      },
    );
    req.on("error", (e) => (error ??= `${(e as NodeJS.ErrnoException).code ?? ""} ${e.message}`));
    req.on("close", finish);
    req.setTimeout(30_000, () => req.destroy(new Error("no reply within 30 s")));
    if (Array.isArray(c.body)) {
      for (const part of c.body) req.write(part);
      req.end();
    } else req.end(c.body);
  });
}

/** What is wrong with an outcome; nothing is the only pass. */
function problemsOf(c: Case, o: Outcome): string[] {
  const problems: string[] = [];
  if (o.error) return [`dropped connection (${o.error.trim()})`];
  if (o.status === undefined) return ["no status"];
  if (o.status >= 500) problems.push(`status ${o.status}: ${o.text.slice(0, 200)}`);
  else if (c.expected && !c.expected.includes(o.status))
    problems.push(`status ${o.status}, expected ${c.expected.join(" or ")}: ${o.text.slice(0, 200)}`);
  const leaks = internalsIn(o.text);
  if (leaks.length > 0) problems.push(`leaks ${leaks.join(", ")}: ${o.text.slice(0, 300)}`);
  return problems;
}

async function runAll(cases: Case[], base: URL): Promise<Outcome[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const outcomes: Outcome[] = new Array(cases.length);
  let next = 0;
  const worker = async () => {
    while (next < cases.length) {
      const i = next++;
      outcomes[i] = await send(agent, base, cases[i]);
    }
  };
  try {
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  } finally {
    agent.destroy();
  }
  return outcomes;
}

describe("fuzzing every operation of /openapi.json on the local platform", () => {
  it("replies to every case below 500, without dropping the connection or leaking internals", {
    timeout: 180_000,
  }, async () => {
    // prepare: the document as the platform serves it, and links signed with its own secret
    const base = new URL(inject("apiUrl"));
    const doc = (await (await fetch(new URL("/openapi.json", base))).json()) as OpenApi;
    const secret = inject("linkSigningSecret");
    const expiresAt = Math.floor(Date.now() / 1000) + 86_400;
    const signed = (deliveryId: string, action: "offer" | "unsubscribe") =>
      signLink(secret, { deliveryId, action, expiresAt });
    const documented = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({ path, method, op })),
    );
    const cases: Case[] = [];
    for (const { path, method, op } of documented) {
      // A genuine link to a delivery that does not exist: the body and the page get past the signature.
      const token = path.startsWith("/u/")
        ? signed("fuzz-cmp.fuzz-cust", "unsubscribe")
        : signed("fuzz-cmp.fuzz-cust", "offer");
      for (const identity of IDENTITIES) cases.push(...operationCases(path, method, op, identity, { token }));
      if (path.startsWith("/o/") || path.startsWith("/u/")) {
        const action = path.startsWith("/u/") ? "unsubscribe" : "offer";
        for (const [what, deliveryId] of [
          ["a signed link to an id of 3,000 characters", `${"c".repeat(1500)}.${"d".repeat(1500)}`],
          ["a signed link to a 100-character id", `${"c".repeat(100)}.${"d".repeat(100)}`],
          ["a signed link without a dot", "nodot"],
          ["a signed link to unicode ids", "客户.😀"],
          ["a signed link to a traversal", "../..//etc/passwd"],
        ] as const) {
          cases.push({
            operation: `${method.toUpperCase()} ${path}`,
            identity: "anonymous",
            what,
            method: method.toUpperCase(),
            path: fill(path, { token: signed(deliveryId, action) }),
            headers: { accept: "text/html" },
          });
        }
      }
    }
    // The methods the document does not list, once per path.
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const method of ["get", "post", "put", "patch", "delete", "options"].filter((m) => !(m in methods))) {
        cases.push({
          operation: path,
          identity: "admin",
          what: `an undocumented ${method.toUpperCase()}`,
          method: method.toUpperCase(),
          path: fill(path, {}),
          headers: { ...authorization("admin"), "content-type": "application/json", accept: "application/json" },
          body: method === "get" || method === "options" ? undefined : json("{}"),
        });
      }
    }

    // act
    const started = performance.now();
    const outcomes = await runAll(cases, base);
    const seconds = (performance.now() - started) / 1000;

    // assess: every operation of the document was covered, as every identity, and the tokens
    // worked: under /api, some case of each operation got past authentication
    const operations = documented.map(({ path, method }) => `${method.toUpperCase()} ${path}`);
    const casesOf = new Map<string, number[]>();
    for (const [i, c] of cases.entries()) casesOf.set(c.operation, [...(casesOf.get(c.operation) ?? []), i]);
    expect(operations.length).toBeGreaterThanOrEqual(30);
    expect(new Set(cases.map((c) => c.operation.replace(/^[A-Z]+ /, "")))).toEqual(new Set(Object.keys(doc.paths)));
    for (const operation of operations) {
      const mine = casesOf.get(operation) ?? [];
      expect(new Set(mine.map((i) => cases[i].identity)), operation).toEqual(new Set(IDENTITIES));
      if (operation.includes(" /api/")) {
        const authenticated = mine.filter((i) => cases[i].identity !== "anonymous" && outcomes[i].status !== 401);
        expect(authenticated.length, `${operation}: no case got past the token`).toBeGreaterThan(0);
      }
    }
    const statuses: Record<number | string, number> = {};
    for (const o of outcomes) statuses[o.status ?? "dropped"] = (statuses[o.status ?? "dropped"] ?? 0) + 1;
    const perOperation = operations.map((operation) => casesOf.get(operation)?.length ?? 0);
    const slowest = Math.max(...outcomes.map((o) => o.ms));
    console.info(
      `fuzz: ${operations.length} operations on ${Object.keys(doc.paths).length} paths x ${IDENTITIES.length} identities: ` +
        `${cases.length} requests (${Math.min(...perOperation)}-${Math.max(...perOperation)} per operation, ` +
        `${cases.length - perOperation.reduce((a, b) => a + b, 0)} with undocumented methods) in ${seconds.toFixed(1)} s ` +
        `(slowest ${slowest.toFixed(0)} ms); statuses ${JSON.stringify(statuses)}`,
    );

    // assess: the failures, each with the case that shows it
    const failures = cases.flatMap((c, i) =>
      problemsOf(c, outcomes[i]).map(
        (p) => `${c.identity} ${c.method} ${c.operation} [${c.what}] ${c.path.slice(0, 120)}: ${p}`,
      ),
    );
    if (process.env.FUZZ_REPORT) (await import("node:fs")).writeFileSync(process.env.FUZZ_REPORT, failures.join("\n"));
    expect(failures.slice(0, 40), `${failures.length} of ${cases.length} cases failed`).toEqual([]);
  });
});
