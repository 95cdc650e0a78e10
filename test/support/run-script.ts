import { spawn } from "node:child_process";

export type ScriptRun = { code: number | null; stdout: string; stderr: string };

/**
 * `node --import tsx <script> ARGS` to its exit, as `npm run` runs a local script: its exit code
 * and what it printed. `env` replaces the environment when given (leave out what the script must
 * not inherit); by default it inherits the test's.
 */
export function runScript(script: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<ScriptRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", script, ...args], {
      stdio: ["ignore", "pipe", "pipe"],
      env,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}
