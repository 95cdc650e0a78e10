import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "../../infra/local/emulators.js";

/**
 * `npm start` (and the other local scripts) as a developer runs them: in a child process group
 * of its own, on free ports, so that a test can stop it as Ctrl-C does or kill it outright and
 * start it again on the same data folder. startLocalPlatform cannot do that in the test's own
 * process: it is one per process, and the handlers read process.env once.
 */
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const TSX = join(ROOT, "node_modules", "tsx", "dist", "cli.mjs");

export type Child = { child: ChildProcess; output: () => string };
export type ChildPlatform = Child & { apiUrl: string; dynamodbPort: number; dynamodbUrl: string };

const children = new Set<ChildProcess>();

/** Only what the platform needs from this environment: the test worker's carries the shared platform's settings. */
const baseEnv = () =>
  Object.fromEntries(
    ["PATH", "HOME", "JAVA_HOME", "TMPDIR", "LANG"].flatMap((k) => (process.env[k] ? [[k, process.env[k]!]] : [])),
  );

/** The child's process group goes, the JVM with it: a killed tsx would leave DynamoDB Local running. */
export function killGroup(child: ChildProcess, signal: NodeJS.Signals) {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // already gone
  }
}

/** Whether any process of the child's group is still alive. */
export function groupAlive(child: ChildProcess): boolean {
  try {
    process.kill(-child.pid!, 0);
    return true;
  } catch {
    return false;
  }
}

export const exited = (child: ChildProcess) =>
  new Promise<void>((done) => {
    if (child.exitCode !== null || child.signalCode !== null) return done();
    child.once("exit", () => done());
  });

/** A local script (`infra/local/….ts`) run by tsx, its output collected. */
export function launch(script: string, args: string[], env: Record<string, string>): Child {
  const child = spawn(process.execPath, [TSX, script, ...args], {
    cwd: ROOT,
    env: { ...baseEnv(), AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true", ...env },
    detached: true, // its own process group, killed as one
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.add(child);
  child.once("exit", () => children.delete(child));
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  return { child, output: () => output };
}

/** `npm start [args]` with these settings, until it prints its Ready line. */
export async function startChildPlatform(env: Record<string, string>, args: string[] = []): Promise<ChildPlatform> {
  const [port, dynamodbPort, sqsPort, sesPort] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  const run = launch("infra/local/start.ts", args, {
    PORT: String(port),
    DYNAMODB_PORT: String(dynamodbPort),
    SQS_PORT: String(sqsPort),
    SES_PORT: String(sesPort),
    ...env,
  });
  const deadline = Date.now() + 40_000;
  while (!/Ready in/.test(run.output())) {
    if (run.child.exitCode !== null || Date.now() > deadline) {
      killGroup(run.child, "SIGKILL");
      throw new Error(`npm start did not get ready:\n${run.output()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    ...run,
    apiUrl: `http://127.0.0.1:${port}`,
    dynamodbPort,
    dynamodbUrl: `http://127.0.0.1:${dynamodbPort}`,
  };
}

/** Every child still running, killed with its group: for afterAll, whatever happened. */
export async function killChildren(): Promise<void> {
  for (const child of children) killGroup(child, "SIGKILL");
  await Promise.all([...children].map(exited));
}
