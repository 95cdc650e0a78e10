import { createRoute, z } from "@hono/zod-openapi";
import { ChangeTrailEntry, ChangeTrailQuery, changeTrail } from "../../../shared/customers/change-trail.js";
import { ExportRecord } from "../../../shared/segments/export.js";
import { ExportTrailQuery, exportTrail } from "../../../shared/segments/export-segment.js";
import { requireRole } from "../auth.js";
import type { ApiPorts } from "../deps.js";
import { router } from "../router.js";

const Period = z
  .object({ from: z.string(), to: z.string() })
  .describe("The bank's days read (YYYY-MM-DD, China Standard Time), both included");
const Cursor = z.string().optional().describe("Pass as `cursor` for the next page; absent on the last");

/** Every bank-wide trail an admin reviews, for scripts as for the console's admin pages. */
export const exportTrailRoutes = (ports: ApiPorts) =>
  router().openapi(
    createRoute({
      method: "get",
      path: "/",
      summary:
        "Every segment export bank-wide, newest first: who, when, which segment and version, how many rows and why (exports recorded since the trail's index was added)",
      middleware: [requireRole("admin")] as const,
      request: { query: ExportTrailQuery },
      responses: {
        200: {
          description: "A page of the exports trail",
          content: {
            "application/json": {
              schema: z.object({ period: Period, exports: z.array(ExportRecord), cursor: Cursor }),
            },
          },
        },
      },
    }),
    async (c) => {
      const page = await exportTrail(ports, c.req.valid("query"), c.get("actor"));
      return c.json(
        {
          period: { from: page.period.fromDay, to: page.period.toDay },
          exports: page.entries,
          ...(page.cursor ? { cursor: page.cursor } : {}),
        },
        200,
      );
    },
  );

export const changeTrailRoutes = (ports: ApiPorts) =>
  router().openapi(
    createRoute({
      method: "get",
      path: "/",
      summary:
        "Every customer change bank-wide, newest first: edits and deletions requested, applied and rejected, and customers' own consent choices (events recorded since the trail's index was added)",
      middleware: [requireRole("admin")] as const,
      request: { query: ChangeTrailQuery },
      responses: {
        200: {
          description: "A page of the audit trail, a line per field of an edit",
          content: {
            "application/json": {
              schema: z.object({ period: Period, changes: z.array(ChangeTrailEntry), cursor: Cursor }),
            },
          },
        },
      },
    }),
    async (c) => {
      const page = await changeTrail(ports, c.req.valid("query"), c.get("actor"));
      return c.json(
        {
          period: { from: page.period.fromDay, to: page.period.toDay },
          changes: page.entries,
          ...(page.cursor ? { cursor: page.cursor } : {}),
        },
        200,
      );
    },
  );
