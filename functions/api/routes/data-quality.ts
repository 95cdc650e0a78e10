import { createRoute } from "@hono/zod-openapi";
import { DataQualityQuery, DataQualityReport, dataQualityReport } from "../../../shared/customers/data-quality.js";
import { requireRole } from "../auth.js";
import type { ApiPorts } from "../deps.js";
import { router } from "../router.js";

export const dataQualityRoutes = (ports: ApiPorts) =>
  router().openapi(
    createRoute({
      method: "get",
      path: "/",
      summary:
        "Customer data quality: completeness per field, invalid and shared email addresses (masked), stale records",
      middleware: [requireRole("analyst", "approver")] as const,
      request: { query: DataQualityQuery },
      responses: { 200: { description: "The report", content: { "application/json": { schema: DataQualityReport } } } },
    }),
    async (c) => c.json(await dataQualityReport(ports, c.req.valid("query")), 200),
  );
