/** @jsxImportSource hono/jsx */
import { type Context, Hono } from "hono";
import { ChangeEvent, changeTrail } from "../../../shared/customers/change-trail.js";
import type { Actor, Role } from "../../../shared/kernel/actor.js";
import { ValidationError } from "../../../shared/kernel/errors.js";
import { DAY_MS } from "../../../shared/kernel/time.js";
import { bankDayOf, DEFAULT_PERIOD_DAYS, MAX_PERIOD_DAYS } from "../../../shared/kernel/trail.js";
import { toCsv } from "../../../shared/segments/export.js";
import { exportTrail } from "../../../shared/segments/export-segment.js";
import { t } from "../copy/say.js";
import type { ConsoleEnv, ConsoleKit } from "../kit.js";
import { AdminPage, ChangesTrailPage, ExportsTrailPage, type TrailFilters, type TrailPageData } from "./pages.js";
import { changesTable, csvTableOf, exportsTable, type TrailTable } from "./tables.js";

/** The console's page size for a trail: a screenful an admin reads, and its CSV. */
const PAGE_SIZE = 50;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const isDay = (text: string) => DAY.test(text) && new Date(`${text}T00:00:00Z`).toISOString().startsWith(text);
const dayNumber = (day: string) => Date.parse(`${day}T00:00:00Z`) / DAY_MS;

const actorOf = (c: Context<ConsoleEnv>): Actor => {
  const { id, name, role } = c.get("session").user;
  return { kind: "person", id, name, role: role as Role };
};

/**
 * A trail's page as CSV, the columns and rows the page shows. Through the segment export's
 * toCsv rather than the results' csvOf: a trail holds what people typed (reasons, names, email
 * addresses), so a cell that starts like a formula is defused before a spreadsheet opens it.
 */
function trailCsv(c: Context<ConsoleEnv>, table: TrailTable, filename: string) {
  const { columns, rows } = csvTableOf(table);
  return c.body(
    toCsv(
      columns,
      rows.map((row) => row.map((cell) => cell.raw)),
    ),
    200,
    {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${filename.replace(/[^\w.-]/g, "_")}"`,
    },
  );
}

/**
 * The administrator's pages: a landing page, the exports trail and the audit trail of customer
 * changes, each read through the same use case as GET /api/exports and GET
 * /api/audit/customer-changes, a page at a time, with its CSV. The brand kit is its own area.
 */
export function adminPages(kit: ConsoleKit) {
  const { ports, signedIn, viewOf, base } = kit;
  const admins = kit.onlyRoles(["admin"], (language) => t(language, "admin.forbidden"));

  /**
   * The filters as typed, with the default period filled in; a problem in the reader's words for
   * a date that is not one, a period backwards or longer than the API reads at once.
   */
  const filtersOf = (c: Context<ConsoleEnv>, kinds: boolean): Omit<TrailPageData, "table"> => {
    const language = viewOf(c).language;
    const typed = (name: string) => (c.req.query(name) ?? "").trim();
    const today = bankDayOf(ports.now());
    let to = typed("to");
    let from = typed("from");
    const kind = ChangeEvent.safeParse(typed("kind"));
    const filters = (): TrailFilters => ({
      from,
      to,
      actor: typed("actor").slice(0, 200),
      ...(kinds && kind.success ? { kind: kind.data } : {}),
    });
    for (const [field, value] of [
      ["from", from],
      ["to", to],
    ] as const)
      if (value && !isDay(value))
        return {
          filters: filters(),
          problem: {
            field,
            text: t(language, "admin.filter.badDate", { field: t(language, `admin.filter.${field}`) }),
          },
        };
    to ||= today;
    from ||= new Date((dayNumber(to) - (DEFAULT_PERIOD_DAYS - 1)) * DAY_MS).toISOString().slice(0, 10);
    if (from > to)
      return { filters: filters(), problem: { field: "from", text: t(language, "admin.filter.order", { from, to }) } };
    const days = dayNumber(to) - dayNumber(from) + 1;
    if (days > MAX_PERIOD_DAYS)
      return { filters: filters(), problem: { field: "from", text: t(language, "admin.filter.tooLong", { days }) } };
    const cursor = c.req.query("cursor");
    return { filters: filters(), ...(cursor ? { cursor } : {}) };
  };

  /** The page's data read, or the filters' problem; a cursor that is not a page's own starts again from the newest. */
  const readTrail = async (c: Context<ConsoleEnv>, kinds: boolean): Promise<TrailPageData> => {
    const view = viewOf(c);
    const asked = filtersOf(c, kinds);
    if (asked.problem) return asked;
    const { from, to, actor, kind } = asked.filters;
    const read = async (cursor: string | undefined) => {
      const query = { from, to, limit: PAGE_SIZE, ...(cursor ? { cursor } : {}), ...(actor ? { actor } : {}) };
      if (kinds) {
        const page = await changeTrail(ports, { ...query, ...(kind ? { kind: kind as ChangeEvent } : {}) }, actorOf(c));
        return { table: changesTable(view.language, page.entries, base), next: page.cursor };
      }
      const page = await exportTrail(ports, query, actorOf(c));
      return { table: exportsTable(view.language, page.entries, base), next: page.cursor };
    };
    try {
      return { ...asked, ...(await read(asked.cursor)) };
    } catch (error) {
      if (!(error instanceof ValidationError) || !asked.cursor) throw error;
      const { cursor: _, ...fresh } = asked;
      return {
        ...fresh,
        problem: { text: t(view.language, "admin.filter.badCursor") },
        ...(await read(undefined)),
      };
    }
  };

  const status = (data: TrailPageData) => (data.problem && !data.table ? 400 : 200);

  return new Hono<ConsoleEnv>()
    .get("/admin", signedIn({ touch: true }), admins, (c) => c.html(<AdminPage view={viewOf(c)} />))
    .get("/admin/exports", signedIn({ touch: true }), admins, async (c) => {
      const data = await readTrail(c, false);
      return c.html(<ExportsTrailPage view={viewOf(c)} data={data} />, status(data));
    })
    .get("/admin/exports.csv", signedIn({ touch: true }), admins, async (c) => {
      const data = await readTrail(c, false);
      if (!data.table) return c.html(<ExportsTrailPage view={viewOf(c)} data={data} />, 400);
      return trailCsv(c, data.table, `exports-${data.filters.from}-${data.filters.to}.csv`);
    })
    .get("/admin/audit", signedIn({ touch: true }), admins, async (c) => {
      const data = await readTrail(c, true);
      return c.html(<ChangesTrailPage view={viewOf(c)} data={data} />, status(data));
    })
    .get("/admin/audit.csv", signedIn({ touch: true }), admins, async (c) => {
      const data = await readTrail(c, true);
      if (!data.table) return c.html(<ChangesTrailPage view={viewOf(c)} data={data} />, 400);
      return trailCsv(c, data.table, `customer-changes-${data.filters.from}-${data.filters.to}.csv`);
    });
}
