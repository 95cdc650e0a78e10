/**
 * `npm run bench [-- NAME [ARGS]]`: runs one benchmark (default: campaign). Each prints its
 * figures next to a baseline measured in the same run.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const BENCHES = ["campaign", "rate", "import", "segments", "counts"];
const [name = "campaign", ...args] = process.argv.slice(2);
const resolved = /^\d+$/.test(name) ? { bench: "campaign", args: [name, ...args] } : { bench: name, args };
const file = join(here, `${resolved.bench}.ts`);
if (!BENCHES.includes(resolved.bench) || !existsSync(file)) {
  console.error(
    `Unknown benchmark '${resolved.bench}'. Available: ${BENCHES.filter((b) => existsSync(join(here, `${b}.ts`))).join(", ")}`,
  );
  process.exit(2);
}
const run = spawnSync(process.execPath, ["--import", "tsx", file, ...resolved.args], { stdio: "inherit" });
process.exit(run.status ?? 1);
