import { createRoute, z } from "@hono/zod-openapi";
import { campaignBreakdown } from "../../../shared/delivery/breakdown.js";
import { idNamed } from "../../../shared/kernel/ids.js";
import type { ApiPorts } from "../deps.js";
import { router } from "../router.js";

const FunnelRow = z.object({
  key: z.string().describe("The tier (or region) at the offer; `unknown` for deliveries older than the kept profile"),
  targeted: z.number(),
  control: z.number(),
  suppressed: z.number(),
  sent: z.number(),
  clicked: z.number(),
  responded: z.number(),
  converted: z.number(),
  controlConverted: z.number(),
});
const DayRow = z.object({
  day: z.string().describe("YYYY-MM-DD in `timeZone`"),
  sent: z.number(),
  clicked: z.number(),
  responded: z.number(),
  converted: z.number(),
  controlConverted: z.number(),
});
const Breakdown = z.object({
  campaignId: z.string(),
  timeZone: z.string(),
  deliveries: z
    .number()
    .describe("Deliveries read: targeted + control + suppressed, so each table adds up to the stats"),
  byTier: z.array(FunnelRow),
  byRegion: z.array(FunnelRow),
  byDay: z.array(DayRow),
  unknownProfile: z.number().describe("Deliveries recorded before tier and region were kept on them"),
});

export const campaignBreakdownRoutes = (ports: ApiPorts) =>
  router().openapi(
    createRoute({
      method: "get",
      path: "/{campaignId}/breakdown",
      summary:
        "The campaign's results by tier and region at the offer, treated and control, and sends, clicks, answers and conversions by day",
      request: { params: z.object({ campaignId: idNamed("campaignId") }) },
      responses: {
        200: {
          description: "Each table adds up to the funnel of /stats",
          content: { "application/json": { schema: Breakdown } },
        },
      },
    }),
    async (c) => c.json(await campaignBreakdown(ports, c.req.valid("param").campaignId), 200),
  );
