/**
 * `npm run redrive -- [--api URL] [--token TOKEN] [--queue fanout|send|feedback] [--max N] [--dry-run] [--json]`
 *
 * For an admin, once the cause of the failures is fixed: shows what waits in each dead-letter
 * queue of a running platform (`npm start`, or AWS with --api) and puts it back on its queue,
 * through the admin API (GET /api/admin/dead-letters, POST /api/admin/dead-letters/redrive).
 * Nothing is sent twice by a redrive: every consumer is idempotent (shared/delivery/redrive.ts).
 *
 * Exit codes, so that a script can loop: 0 nothing is left (in the queues asked about), 1 some is
 * left (more than --max, or what the queue refused: run it again), 2 a usage error, 3 the
 * platform could not be asked (not running, wrong token or role, an error answer).
 */
import { parseArgs } from "node:util";
import { QUEUE_NAMES, type QueueName } from "../../shared/delivery/ports.js";
import { DEFAULT_DEV_TOKENS } from "./demo-bank.js";

const USAGE =
  "Usage: npm run redrive -- [--api URL] [--token TOKEN] [--queue fanout|send|feedback] [--max N] [--dry-run] [--json]";
/** The API's own limit on messages moved per queue in one call. */
const MAX_PER_QUEUE = 10_000;
const DEMO_ADMIN_TOKEN = DEFAULT_DEV_TOKENS.split(",")
  .map((entry) => entry.split(":"))
  .find(([, role]) => role === "admin")![2];

const EXIT = { empty: 0, left: 1, usage: 2, unreachable: 3 } as const;

/** A failure the user can act on: printed as one line, never a stack trace. */
class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.unreachable,
  ) {
    super(message);
  }
}

type Depths = Record<QueueName, number>;
type Options = {
  api: string;
  token: string;
  queues: readonly QueueName[];
  max?: number;
  dryRun: boolean;
  json: boolean;
};

const ARGS = {
  api: { type: "string" },
  token: { type: "string" },
  queue: { type: "string" },
  max: { type: "string" },
  "dry-run": { type: "boolean", default: false },
  json: { type: "boolean", default: false },
  help: { type: "boolean", short: "h", default: false },
} as const;

function parsedArgs(argv: string[]) {
  try {
    return parseArgs({ args: argv, allowPositionals: true, options: ARGS });
  } catch (error) {
    throw new CliError(`${(error as Error).message}\n${USAGE}`, EXIT.usage);
  }
}

function options(argv: string[]): Options {
  const { values, positionals } = parsedArgs(argv);
  if (values.help) throw new CliError(USAGE, EXIT.usage);
  if (positionals.length > 0) throw new CliError(`Unexpected argument: ${positionals[0]}\n${USAGE}`, EXIT.usage);
  const queue = values.queue;
  if (queue !== undefined && !(QUEUE_NAMES as readonly string[]).includes(queue))
    throw new CliError(`--queue takes ${QUEUE_NAMES.join(", ")}, not '${queue}'`, EXIT.usage);
  let max: number | undefined;
  if (values.max !== undefined) {
    max = Number(values.max);
    if (!Number.isInteger(max) || max < 1 || max > MAX_PER_QUEUE)
      throw new CliError(`--max takes a whole number of messages per queue from 1 to ${MAX_PER_QUEUE}`, EXIT.usage);
  }
  const api = values.api ?? process.env.API_URL ?? `http://localhost:${process.env.PORT ?? 3000}`;
  if (!/^https?:\/\/[^\s/]+/.test(api)) throw new CliError(`--api takes the platform's URL, not '${api}'`, EXIT.usage);
  return {
    api: api.replace(/\/+$/, ""),
    token: values.token ?? process.env.API_TOKEN ?? DEMO_ADMIN_TOKEN,
    queues: queue ? [queue as QueueName] : QUEUE_NAMES,
    max,
    dryRun: values["dry-run"],
    json: values.json,
  };
}

/** One call to the admin API; every way it can go wrong becomes a one-line CliError. */
async function call<T>(o: Options, method: "GET" | "POST", path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`${o.api}/api/admin/dead-letters${path}`, {
      method,
      headers: {
        authorization: `Bearer ${o.token}`,
        accept: "application/json",
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(60_000),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string; errors?: { code?: string }[] } }).cause;
    const code = cause?.code ?? cause?.errors?.[0]?.code ?? cause?.message ?? (error as Error).message;
    if (code === "ECONNREFUSED" || code === "ENOTFOUND" || code === "EAI_AGAIN")
      throw new CliError(
        `No platform answers at ${o.api} (${code}). Is \`npm start\` running? Start it in another terminal, or pass --api URL`,
      );
    throw new CliError(`The platform at ${o.api} did not answer (${code})`);
  }
  const text = await response.text();
  const said = () => {
    try {
      return String((JSON.parse(text) as { message?: unknown }).message ?? text).slice(0, 200);
    } catch {
      return text.slice(0, 200);
    }
  };
  if (response.status === 401)
    throw new CliError(
      `The API does not know this token (401: ${said()}). The dead-letter queues need an admin's token: pass --token or set API_TOKEN (npm start lists the tokens; the demo admin's is ${DEMO_ADMIN_TOKEN})`,
    );
  if (response.status === 403)
    throw new CliError(
      `This token's role may not see or redrive the dead-letter queues (403: ${said()}). It needs the admin role: pass an admin's token with --token or API_TOKEN`,
    );
  if (response.status === 404)
    throw new CliError(`${o.api} has no dead-letter API (404): is --api the URL of this platform's API?`);
  if (!response.ok) throw new CliError(`The API answered ${response.status}: ${said()}`);
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new CliError(`The API at ${o.api} answered ${response.status} with something that is not JSON`);
  }
}

const n = (value: number) => value.toLocaleString("en");
const messages = (count: number) => `${n(count)} ${count === 1 ? "message" : "messages"}`;
const listed = (depths: Partial<Depths>, queues: readonly QueueName[]) =>
  queues.map((q) => `${q} ${n(depths[q] ?? 0)}`).join(", ");
const total = (depths: Partial<Depths>, queues: readonly QueueName[]) =>
  queues.reduce((sum, q) => sum + (depths[q] ?? 0), 0);

async function main() {
  const o = options(process.argv.slice(2));
  const before = (await call<{ queues: Depths }>(o, "GET", "")).queues;
  const waiting = total(before, o.queues);
  const lines = [`Waiting in the dead-letter queues of ${o.api}: ${listed(before, QUEUE_NAMES)}`];
  let moved: Partial<Depths> = {};
  let left = before;
  if (o.dryRun) {
    lines.push(
      waiting === 0
        ? "Nothing to redrive (--dry-run: nothing moved)"
        : `--dry-run: nothing moved; without it, ${messages(waiting)} would be put back on their queues`,
    );
  } else if (waiting === 0) {
    lines.push("Nothing to redrive");
  } else {
    const body = { ...(o.queues.length === 1 ? { queue: o.queues[0] } : {}), ...(o.max ? { max: o.max } : {}) };
    ({ moved, left } = await call<{ moved: Partial<Depths>; left: Depths }>(o, "POST", "/redrive", body));
    lines.push(`Moved back to their queues: ${listed(moved, o.queues)} (${messages(total(moved, o.queues))})`);
    lines.push(`Left in the dead-letter queues: ${listed(left, QUEUE_NAMES)}`);
  }
  const remaining = total(left, o.queues);
  if (!o.dryRun && remaining > 0)
    lines.push(
      `${messages(remaining)} left: more than --max${o.max ? ` (${n(o.max)})` : ""} a queue, or refused by the queue; run it again`,
    );
  if (o.json)
    console.log(JSON.stringify({ api: o.api, dryRun: o.dryRun, queues: o.queues, waiting: before, moved, left }));
  else console.log(lines.join("\n"));
  process.exitCode = remaining > 0 ? EXIT.left : EXIT.empty;
}

main().catch((error) => {
  if (error instanceof CliError) {
    console.error(error.message);
    process.exit(error.exitCode);
  }
  console.error(error);
  process.exit(EXIT.unreachable);
});
