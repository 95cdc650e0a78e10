import { createRoute, z } from "@hono/zod-openapi";
import { NewConversion } from "../../../shared/responses/conversions.js";
import { recordConversion } from "../../../shared/responses/record-conversion.js";
import { requireRole } from "../auth.js";
import type { ApiPorts } from "../deps.js";
import { router } from "../router.js";

export const conversionRoutes = (ports: ApiPorts) =>
  router().openapi(
    createRoute({
      method: "post",
      path: "/",
      summary: "Record a product opening, as core banking reports it; attributed to the latest offer within 30 days",
      middleware: [requireRole("admin")] as const,
      request: { body: { required: true, content: { "application/json": { schema: NewConversion } } } },
      responses: {
        200: {
          description: "The attribution",
          content: {
            "application/json": {
              schema: z.object({
                attributedTo: z.string().nullable(),
                group: z.enum(["treated", "control"]).nullable(),
              }),
            },
          },
        },
      },
    }),
    async (c) => c.json(await recordConversion(ports, c.req.valid("json")), 200),
  );
