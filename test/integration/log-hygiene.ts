import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, paginateScan } from "@aws-sdk/lib-dynamodb";
import { CONFIDENTIAL_FIELDS } from "../../shared/customers/masking.js";

/**
 * Log hygiene for a whole integration run: the platform runs in the vitest process
 * (global-setup.ts), so everything its loggers write goes through this process's stdout and
 * stderr. The structured JSON log lines are kept here and, at the end of the run, searched for
 * anything a log must never carry (README, "Security").
 */

/** A value no log line may contain, and what it is, for the report. */
export type Secret = { kind: string; value: string };
export type Leak = { kind: string; value: string; line: string };

type Write = typeof process.stdout.write;

/** A line a logger wrote: one JSON object with a level (Powertools Logger, and the local runtime's errors). */
function logLine(line: string): boolean {
  if (!line.startsWith("{")) return false;
  try {
    const parsed = JSON.parse(line) as unknown;
    return typeof parsed === "object" && parsed !== null && typeof (parsed as { level?: unknown }).level === "string";
  } catch {
    return false;
  }
}

const QUIET_LEVELS = new Set(["DEBUG", "INFO", "TRACE"]);

/**
 * Keeps every JSON log line written to stdout or stderr from now on. Warnings and errors still
 * reach the terminal as before; info lines are only kept (the run logs at INFO, as deployed, and
 * would otherwise flood the test output). Anything else (vitest's own output) passes untouched.
 */
export function captureLogs(): { lines: string[]; restore: () => void } {
  const lines: string[] = [];
  const patch = (stream: NodeJS.WriteStream) => {
    const original = stream.write;
    stream.write = function write(this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]) {
      const text = typeof chunk === "string" ? chunk : Buffer.isBuffer(chunk) ? chunk.toString("utf8") : undefined;
      const written = text?.split("\n").filter((l) => l.trim() !== "") ?? [];
      if (written.length === 0 || !written.every(logLine))
        return (original as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
      lines.push(...written);
      const loud = written.filter((l) => !QUIET_LEVELS.has((JSON.parse(l) as { level: string }).level));
      if (loud.length) return (original as (...args: unknown[]) => boolean).call(this, `${loud.join("\n")}\n`);
      const callback = rest.find((r) => typeof r === "function") as (() => void) | undefined;
      callback?.();
      return true;
    } as Write;
    return () => {
      stream.write = original;
    };
  };
  const restores = [patch(process.stdout), patch(process.stderr)];
  return {
    lines,
    restore: () => {
      for (const restore of restores) restore();
    },
  };
}

/** Every string in a parsed log line, keys included, unescaped (a name with quotes or CJK reads as written). */
function stringsOf(value: unknown, into: string[] = []): string[] {
  if (typeof value === "string") into.push(value);
  else if (typeof value === "number") into.push(String(value));
  else if (Array.isArray(value)) for (const v of value) stringsOf(v, into);
  else if (value && typeof value === "object")
    for (const [k, v] of Object.entries(value)) {
      into.push(k);
      stringsOf(v, into);
    }
  return into;
}

/** Any email address at all: no log has a reason to carry one. */
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/;

/** The log lines that carry a secret or any email address, each with what it carries. */
export function findLeaks(lines: readonly string[], secrets: readonly Secret[]): Leak[] {
  const leaks: Leak[] = [];
  for (const line of lines) {
    let strings: string[];
    try {
      strings = [line, ...stringsOf(JSON.parse(line))];
    } catch {
      strings = [line];
    }
    const lower = strings.map((s) => s.toLowerCase());
    for (const secret of secrets) {
      // Email addresses in any case; everything else exactly as issued or stored.
      const email = secret.kind.includes("email");
      const needle = email ? secret.value.toLowerCase() : secret.value;
      if ((email ? lower : strings).some((s) => s.includes(needle)))
        leaks.push({ kind: secret.kind, value: secret.value, line });
    }
    const email = strings.map((s) => EMAIL.exec(s)?.[0]).find(Boolean);
    if (email && !leaks.some((l) => l.line === line)) leaks.push({ kind: "an email address", value: email, line });
  }
  return leaks;
}

/** Link tokens in an email body: `/o/<payload>.<signature>` and `/u/…`. */
const LINK = /\/[ou]\/([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)/g;

type Email = { destination: { to: string[] }; body: { text?: string; html?: string } };

export type RunSources = {
  /** DEV_TOKENS of the run: `name:role:token,...`. */
  devTokens: string;
  linkSigningSecret: string;
  inboxUrl: string;
  dynamodbEndpoint: string;
  customersTable: string;
  campaignsTable: string;
};

/**
 * What the run's logs must not carry, read from the running platform before it stops: the test
 * users' bearer tokens, the link-signing key, every link token the SES emulator delivered (whole,
 * payload and signature), and the contact data of every customer stored (name, email, phone, id
 * number, address), including the values a hand change held before and after.
 */
export async function secretsOfTheRun(sources: RunSources): Promise<{ secrets: Secret[]; emails: number }> {
  const secrets: Secret[] = [];
  const add = (kind: string, value: unknown) => {
    if (typeof value === "string" && value.trim().length >= 2) secrets.push({ kind, value: value.trim() });
  };

  for (const entry of sources.devTokens.split(",")) add("a bearer token", entry.split(":")[2]);
  add("the link-signing key", sources.linkSigningSecret);

  const { emails } = (await (await fetch(`${sources.inboxUrl}/store`)).json()) as { emails: Email[] };
  for (const email of emails) {
    for (const to of email.destination.to) add("a recipient's email address", /<([^>]+)>/.exec(to)?.[1] ?? to);
    for (const body of [email.body.text ?? "", email.body.html ?? ""])
      for (const [, payload, signature] of body.matchAll(LINK)) {
        add("a link token", `${payload}.${signature}`);
        add("a link token's payload", payload);
        add("a link signature", signature);
      }
  }

  const client = new DynamoDBClient({
    endpoint: sources.dynamodbEndpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  const documents = DynamoDBDocumentClient.from(client);
  const contactFields = Object.keys(CONFIDENTIAL_FIELDS);
  try {
    for await (const page of paginateScan({ client: documents }, { TableName: sources.customersTable }))
      for (const customer of page.Items ?? [])
        for (const field of contactFields) add(`a customer's ${field}`, customer[field]);
    // Hand changes and the audit trail keep a contact field's earlier values too.
    for await (const page of paginateScan({ client: documents }, { TableName: sources.campaignsTable }))
      for (const item of page.Items ?? []) {
        if (contactFields.includes(item.field)) {
          add(`a customer's former ${item.field}`, item.before);
          add(`a customer's ${item.field}`, item.after);
        }
        for (const [field, change] of Object.entries((item.fields ?? {}) as Record<string, unknown>))
          if (contactFields.includes(field) && change && typeof change === "object") {
            add(`a customer's former ${field}`, (change as { before?: unknown }).before);
            add(`a customer's ${field}`, (change as { after?: unknown }).after);
          }
      }
  } finally {
    client.destroy();
  }
  const phones = secrets.filter((s) => s.kind.endsWith("phone")).map((s) => s.value.replace(/[\s-]/g, ""));
  for (const phone of phones) add("a customer's phone", phone);
  return { secrets: dedupe(secrets), emails: emails.length };
}

const dedupe = (secrets: Secret[]) => [...new Map(secrets.map((s) => [s.value, s])).values()];

/** A short report: what leaked, and the line it leaked in (cut to 300 characters). */
export function describeLeaks(leaks: readonly Leak[]): string {
  const shown = leaks
    .slice(0, 20)
    .map((l) => `  - ${l.kind} (${l.value}) in: ${l.line.length > 300 ? `${l.line.slice(0, 300)}…` : l.line}`);
  return [...shown, ...(leaks.length > 20 ? [`  … and ${leaks.length - 20} more`] : [])].join("\n");
}
