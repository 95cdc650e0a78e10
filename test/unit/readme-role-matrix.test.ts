import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ACCESS } from "../../functions/api/access.js";
import { MACHINE_SCOPES, ROLES } from "../../shared/kernel/actor.js";

/**
 * The README's API table says who may call each route; the role matrix (functions/api/access.ts)
 * is what the API enforces. This keeps the two saying the same: every /api route in one row,
 * with the roles ("any role" is every one) and the machine scope the matrix gives it.
 */
const README = readFileSync(new URL("../../README.md", import.meta.url), "utf8");

/** `{customerId}` and `{id}` alike: the README names parameters shortly. */
const normalised = (route: string) => route.replace(/\{[^}]+\}/g, "{}");

type Row = { route: string; roles: string[]; scope?: string };

function rowsOfTheApiTable(): Row[] {
  const rows: Row[] = [];
  for (const line of README.split("\n")) {
    if (!line.startsWith("| `") || !line.includes(" /api/")) continue;
    const [routesCell, whoCell] = line.split(" | ").map((cell) => cell.replace(/^\| /, ""));
    const people = whoCell.split(";")[0];
    const roles = people.includes("any role") ? [...ROLES] : ROLES.filter((role) => people.includes(role));
    const scope = MACHINE_SCOPES.find((s) => whoCell.includes(`\`${s}\``));
    let previous: string[] = [];
    for (const [, code] of routesCell.matchAll(/`((?:GET|POST|PUT|PATCH|DELETE) [^`]+|\.\.\.[^`]+)`/g)) {
      const bare = code.replace(/[[?].*$/, "");
      // `.../reject` after `POST /api/.../apply`: the same route with its last part replaced.
      const [method, path] = bare.startsWith("...")
        ? [previous[0], previous[1].replace(/\/[^/]+$/, bare.slice(3))]
        : bare.split(" ");
      previous = [method, path];
      rows.push({ route: normalised(`${method} ${path}`), roles: [...roles].sort(), scope });
    }
  }
  return rows;
}

describe("the README's API table", () => {
  it("says of every /api route who may call it, as the role matrix does", () => {
    // prepare
    const matrix = ACCESS.map((a) => ({
      route: normalised(`${a.method} ${a.path}`),
      roles: [...new Set([...a.roles, "admin"])].sort(),
      scope: a.scope,
    }));
    // act
    const table = rowsOfTheApiTable();
    // assess
    const byRoute = (rows: Row[]) => [...rows].sort((a, b) => a.route.localeCompare(b.route));
    expect(byRoute(table)).toEqual(byRoute(matrix));
  });
});
