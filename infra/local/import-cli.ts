/**
 * `npm run import -- FILE [--api URL] [--token TOKEN | --client-id ID --client-secret SECRET [--scope SCOPE]] [--rejects FILE] [--chunk ROWS] [--format csv|ndjson] [--json]`
 *
 * Streams a CSV or NDJSON customer file of any size, UTF-8 or GBK, to a running platform
 * (`npm start`) in chunks through POST /api/customers/import, with a progress line, and prints
 * what happened to every row. The logic is shared/domain/import-stream.ts; this file is the
 * terminal and HTTP around it. It signs in as a machine client by client credentials at the
 * issuer the platform names in GET /health (Cognito deployed, the local provider under
 * `npm start`), or takes a bearer token as it is.
 */
import { createReadStream, createWriteStream, statSync, type WriteStream } from "node:fs";
import { basename, extname } from "node:path";
import { parseArgs } from "node:util";
import type { ImportFormat, RejectedRow } from "../../shared/customers/import/import-file.js";
import {
  balances,
  ChunkSummary,
  DEFAULT_CHUNK_ROWS,
  DEFAULT_LIST_REJECTED,
  type ImportProgress,
  REJECTS_CSV_HEADER,
  rejectsCsvRow,
  type StreamImportSummary,
  streamImport,
} from "../../shared/customers/import/import-stream.js";
import { DomainError } from "../../shared/kernel/errors.js";

const USAGE =
  "Usage: npm run import -- FILE [--api URL] [--token TOKEN | --client-id ID --client-secret SECRET [--scope SCOPE]] [--rejects FILE] [--chunk ROWS] [--format csv|ndjson] [--json]";
/** The scope a client asks for; on Cognito it carries the resource server's prefix (`--scope cross-sell-api/customers.import`). */
const DEFAULT_IMPORT_SCOPE = "customers.import";
const DEMO_MARKETER_TOKEN = "demo-marketer-token";
const RETRIES = 3;

/** A failure the user can act on: printed as one line, never a stack trace. */
class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

type Options = {
  file: string;
  size: number;
  format: ImportFormat;
  api: string;
  /** A bearer token as given, or the client credentials to get one with. */
  credentials: { token: string } | { clientId: string; clientSecret: string; scope: string };
  rejects?: string;
  chunk: number;
  json: boolean;
};

const ARGS = {
  api: { type: "string" },
  token: { type: "string" },
  "client-id": { type: "string" },
  "client-secret": { type: "string" },
  scope: { type: "string" },
  rejects: { type: "string" },
  chunk: { type: "string" },
  format: { type: "string" },
  json: { type: "boolean", default: false },
} as const;

function parsedArgs(argv: string[]) {
  try {
    return parseArgs({ args: argv, allowPositionals: true, options: ARGS });
  } catch (error) {
    throw new CliError(`${(error as Error).message}\n${USAGE}`, 2);
  }
}

function options(argv: string[]): Options {
  const { values, positionals } = parsedArgs(argv);
  if (positionals.length !== 1) throw new CliError(USAGE, 2);
  const file = positionals[0];
  let size: number;
  try {
    const stat = statSync(file);
    if (!stat.isFile()) throw new CliError(`${file} is not a file`, 2);
    size = stat.size;
  } catch (error) {
    if (error instanceof CliError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(
      code === "ENOENT" ? `No such file: ${file}` : `Cannot read ${file}: ${code ?? (error as Error).message}`,
      2,
    );
  }
  const format =
    values.format ?? { ".csv": "csv", ".ndjson": "ndjson", ".jsonl": "ndjson" }[extname(file).toLowerCase()];
  if (format !== "csv" && format !== "ndjson") {
    throw new CliError(
      `Cannot tell whether ${basename(file)} is CSV or NDJSON: pass --format csv or --format ndjson`,
      2,
    );
  }
  const chunk = Number(values.chunk ?? DEFAULT_CHUNK_ROWS);
  if (!Number.isInteger(chunk) || chunk < 1 || chunk > 20_000)
    throw new CliError("--chunk takes a whole number of rows from 1 to 20000", 2);
  return {
    file,
    size,
    format,
    api: (values.api ?? `http://localhost:${process.env.PORT ?? 3000}`).replace(/\/+$/, ""),
    credentials: credentialsOf(values),
    rejects: values.rejects,
    chunk,
    json: values.json,
  };
}

/**
 * --token (or IMPORT_TOKEN) as given; else --client-id and --client-secret (or IMPORT_CLIENT_ID and
 * IMPORT_CLIENT_SECRET) for client credentials; else the demo marketer's static token (locally only).
 */
function credentialsOf(values: ReturnType<typeof parsedArgs>["values"]): Options["credentials"] {
  const token = values.token ?? process.env.IMPORT_TOKEN;
  if (token) return { token };
  const clientId = values["client-id"] ?? process.env.IMPORT_CLIENT_ID;
  const clientSecret = values["client-secret"] ?? process.env.IMPORT_CLIENT_SECRET;
  if (!clientId !== !clientSecret) throw new CliError("--client-id and --client-secret go together", 2);
  if (!clientId || !clientSecret) return { token: DEMO_MARKETER_TOKEN };
  return { clientId, clientSecret, scope: values.scope ?? process.env.IMPORT_SCOPE ?? DEFAULT_IMPORT_SCOPE };
}

/** Reads JSON from the platform or its issuer; one line naming the URL when it cannot. */
async function getJson(url: string, what: string, init?: RequestInit): Promise<Record<string, unknown>> {
  let response: Response;
  try {
    response = await fetch(url, init);
  } catch (error) {
    const code = (error as { cause?: { code?: string } }).cause?.code;
    throw new CliError(`Cannot reach ${what} at ${url} (${code ?? (error as Error).message})`);
  }
  try {
    return { status: response.status, ...((await response.json()) as Record<string, unknown>) };
  } catch {
    throw new CliError(`${what} at ${url} answered ${response.status} without JSON`);
  }
}

/**
 * An access token by client credentials, at the issuer the platform names in GET /health and
 * the token endpoint its discovery document names: the same steps against Cognito and locally.
 */
async function tokenOf(o: Options): Promise<string> {
  if ("token" in o.credentials) return o.credentials.token;
  const { clientId, clientSecret, scope } = o.credentials;
  const health = await getJson(`${o.api}/health`, "the platform");
  if (typeof health.issuer !== "string")
    throw new CliError(`The platform at ${o.api} names no issuer in /health: pass --token instead`);
  const discovery = await getJson(`${health.issuer}/.well-known/openid-configuration`, "the issuer");
  const tokenEndpoint = String(discovery.token_endpoint ?? "");
  if (!tokenEndpoint) throw new CliError(`The issuer ${health.issuer} names no token endpoint`);
  const answer = await getJson(tokenEndpoint, "the token endpoint", {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString("base64")}`,
    },
    body: new URLSearchParams({ grant_type: "client_credentials", scope }),
  });
  if (typeof answer.access_token !== "string")
    throw new CliError(
      `The issuer refused client '${clientId}' (${answer.error ?? answer.status}${answer.error_description ? `: ${answer.error_description}` : ""}): check --client-id, --client-secret and --scope`,
    );
  return answer.access_token;
}

/** Posts one chunk. Retries what may pass on a second try (5xx, a dropped connection): the import is an upsert. */
function sender(o: Options, token: string) {
  return async function send(ndjson: string): Promise<ChunkSummary> {
    for (let attempt = 1; ; attempt++) {
      let response: Response;
      try {
        response = await fetch(`${o.api}/api/customers/import`, {
          method: "POST",
          headers: {
            authorization: `Bearer ${token}`,
            "content-type": "application/x-ndjson",
            accept: "application/json",
          },
          body: ndjson,
        });
      } catch (error) {
        const code = (error as { cause?: { code?: string } }).cause?.code;
        if (code === "ECONNREFUSED" || code === "ENOTFOUND") {
          throw new CliError(
            `No platform answers at ${o.api}: start it with \`npm start\` (in another terminal), or pass --api URL`,
          );
        }
        if (attempt < RETRIES) {
          await sleep(attempt * 1000);
          continue;
        }
        throw new CliError(`The platform at ${o.api} stopped answering (${code ?? (error as Error).message})`);
      }
      const text = await response.text();
      const message = () => {
        try {
          return (JSON.parse(text) as { message?: string }).message ?? text;
        } catch {
          return text.slice(0, 200);
        }
      };
      if (response.status === 401) {
        throw new CliError(
          `The API does not know this token (401): pass --token or set IMPORT_TOKEN to a marketer's or admin's token (npm start lists them; the demo marketer's is ${DEMO_MARKETER_TOKEN})`,
        );
      }
      if (response.status === 403)
        throw new CliError(
          !("token" in o.credentials)
            ? `This client may not import (403): its token needs the scope customers.import`
            : `This token's role may not import (403): importing needs a marketer's or admin's token`,
        );
      if (response.status >= 500 && attempt < RETRIES) {
        await sleep(attempt * 1000);
        continue;
      }
      if (!response.ok) throw new CliError(`The API answered ${response.status}: ${message()}`);
      return ChunkSummary.parse(JSON.parse(text));
    }
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const n = (value: number) => value.toLocaleString("en");
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** One line rewritten in place on a terminal; a plain line every 5 s otherwise (CI logs, pipes). */
function progressDisplay(size: number, started: number) {
  const tty = process.stdout.isTTY === true;
  const every = tty ? 200 : 5000;
  let last: ImportProgress = { bytesRead: 0, rowsRead: 0, rowsDone: 0 };
  let shown = 0;
  const line = () => {
    const seconds = (performance.now() - started) / 1000;
    const percent = size > 0 ? (100 * last.bytesRead) / size : 100;
    return `${n(last.rowsDone)} rows done, ${n(Math.round(last.rowsDone / Math.max(seconds, 0.001)))} rows/s, ${percent.toFixed(1)}% of ${mb(size)} read, ${seconds.toFixed(0)} s`;
  };
  const render = () => {
    if (tty) process.stdout.write(`\r\x1b[2K${line()}`);
    else console.log(line());
  };
  const timer = setInterval(render, every);
  return {
    update(progress: ImportProgress) {
      last = progress;
      if (tty && performance.now() - shown > 100) {
        shown = performance.now();
        render();
      }
    },
    done() {
      clearInterval(timer);
      if (tty) {
        render();
        process.stdout.write("\n");
      }
    },
    get last() {
      return last;
    },
  };
}

function report(o: Options, s: StreamImportSummary, seconds: number): string {
  const lines = [
    `Imported ${basename(o.file)} (${o.format}, ${s.encoding}, ${mb(s.bytesRead)}) into ${o.api} in ${seconds.toFixed(1)} s: ${n(Math.round(s.rowsRead / Math.max(seconds, 0.001)))} rows/s`,
    `{ rowsRead: ${s.rowsRead}, imported: ${s.imported}, updated: ${s.updated}, unchanged: ${s.unchanged}, rejected: ${s.rejected} }`,
    `imported + updated + unchanged + rejected = ${n(s.imported)} + ${n(s.updated)} + ${n(s.unchanged)} + ${n(s.rejected)} = ${n(s.imported + s.updated + s.unchanged + s.rejected)}` +
      (balances(s) ? ` = rows read ✓` : `, but ${n(s.rowsRead)} rows were read ✗`),
  ];
  if (s.consentKept > 0)
    lines.push(
      `Consent kept withdrawn in ${n(s.consentKept)} ${s.consentKept === 1 ? "row" : "rows"}: the customer withdrew it themself, and the row has no later consentSource and consentAt of its own`,
    );
  if (s.rejected > 0) {
    lines.push(`Rejected rows (${n(s.rejected)}):`);
    for (const { line, reason } of s.rejectedLines) lines.push(`  line ${line}: ${reason}`);
    const more = s.rejected - s.rejectedLines.length;
    if (more > 0)
      lines.push(
        `  … and ${n(more)} more${o.rejects ? `: all ${n(s.rejected)} are in ${o.rejects}` : "; --rejects FILE writes them all as CSV"}`,
      );
    else if (o.rejects) lines.push(`  (also in ${o.rejects})`);
  }
  return lines.join("\n");
}

async function openRejects(path: string): Promise<WriteStream> {
  const out = createWriteStream(path);
  await new Promise<void>((resolve, reject) => {
    out.once("open", () => resolve());
    out.once("error", (error) =>
      reject(new CliError(`Cannot write ${path}: ${(error as NodeJS.ErrnoException).code ?? error.message}`, 2)),
    );
  });
  out.write(REJECTS_CSV_HEADER);
  return out;
}

async function main() {
  const o = options(process.argv.slice(2));
  const send = sender(o, await tokenOf(o));
  await send("\n"); // a blank line imports nothing (an empty file is refused): it checks the platform, the token and the role before any row goes
  const rejects = o.rejects ? await openRejects(o.rejects) : undefined;
  const started = performance.now();
  const progress = o.json ? undefined : progressDisplay(o.size, started);
  let summary: StreamImportSummary;
  try {
    summary = await streamImport(createReadStream(o.file, { highWaterMark: 64 * 1024 }), {
      format: o.format,
      send,
      chunkRows: o.chunk,
      listRejected: DEFAULT_LIST_REJECTED,
      onRejected: rejects ? (r: RejectedRow) => rejects.write(rejectsCsvRow(r)) : undefined,
      onProgress: progress ? (p) => progress.update(p) : undefined,
    });
  } catch (error) {
    progress?.done();
    const done = progress?.last.rowsDone ?? 0;
    const message = error instanceof CliError || error instanceof DomainError ? error.message : String(error);
    throw new CliError(
      done > 0
        ? `${message}\n(${n(done)} rows were done before this; importing the file again is safe: rows already imported come back unchanged)`
        : message,
    );
  } finally {
    if (rejects) await new Promise((resolve) => rejects.end(resolve));
  }
  progress?.done();
  const seconds = (performance.now() - started) / 1000;
  if (o.json) console.log(JSON.stringify({ ...summary, seconds: Number(seconds.toFixed(3)) }));
  else console.log(report(o, summary, seconds));
  if (!balances(summary)) process.exitCode = 1;
}

main().catch((error) => {
  if (error instanceof CliError) {
    console.error(error.message);
    process.exit(error.exitCode);
  }
  console.error(error);
  process.exit(1);
});
