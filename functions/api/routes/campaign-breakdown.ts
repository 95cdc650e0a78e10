import { createRoute, z } from "@hono/zod-openapi";
import {
  BreakdownNotCountedError,
  progressOf,
  resultsBreakdown,
  startBreakdownRun,
} from "../../../shared/delivery/breakdown-run.js";
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

const Progress = z.object({
  runId: z.string(),
  status: z.enum(["running", "done"]),
  startedAt: z.string(),
  requestedBy: z.string(),
  finishedAt: z.string().optional(),
  counted: z.number().describe("Deliveries counted so far"),
  expected: z.number().describe("Of about this many: the campaign's deliveries when the run started"),
  pagesCounted: z.number(),
});
const Answer = Breakdown.extend({
  source: z
    .enum(["live", "run"])
    .describe(
      "live: read from the deliveries in this request (a campaign within SYNC_BREAKDOWN_MAX_DELIVERIES); run: the latest finished breakdown run's",
    ),
  asOf: z.string().describe("When the numbers were counted: now for live, the run's finish for run"),
  running: Progress.optional().describe("A breakdown run counting now, if any (source run only)"),
});
const NotYet = z.object({
  source: z.literal("none"),
  deliveries: z.number(),
  max: z.number().describe("SYNC_BREAKDOWN_MAX_DELIVERIES"),
  running: Progress,
});
const Problem = { "application/json": { schema: z.object({ code: z.string(), message: z.string() }) } };
const CampaignId = z.object({ campaignId: idNamed("campaignId") });

export const campaignBreakdownRoutes = (ports: ApiPorts) =>
  router()
    .openapi(
      createRoute({
        method: "get",
        path: "/{campaignId}/breakdown",
        summary:
          "The campaign's results by tier and region at the offer, treated and control, and sends, clicks, answers and conversions by day",
        description:
          "A campaign of at most SYNC_BREAKDOWN_MAX_DELIVERIES deliveries (20,000 by default) is read in the request (source: live). A larger one is never read in a request: the answer is the latest finished breakdown run's (source: run, asOf its finish, and `running` when another is counting); 202 while the first run counts; 409 when none was started: POST /api/campaigns/{campaignId}/breakdown-runs.",
        request: { params: CampaignId },
        responses: {
          200: {
            description: "Each table adds up to the funnel of /stats (as of asOf)",
            content: { "application/json": { schema: Answer } },
          },
          202: {
            description: "A large campaign's first breakdown run is counting: poll again",
            content: { "application/json": { schema: NotYet } },
          },
          409: {
            description: "A large campaign with no breakdown run: start one with POST .../breakdown-runs",
            content: Problem,
          },
        },
      }),
      async (c) => {
        const { campaignId } = c.req.valid("param");
        const found = await resultsBreakdown(ports, campaignId);
        if (found.source === "live")
          return c.json({ ...found.breakdown, source: "live" as const, asOf: ports.now().toISOString() }, 200);
        if (found.source === "run") {
          const { breakdown, asOf, running } = found;
          return c.json({ ...breakdown, source: "run" as const, asOf, ...(running ? { running } : {}) }, 200);
        }
        if (found.running) {
          const { deliveries, max, running } = found;
          return c.json({ source: "none" as const, deliveries, max, running }, 202);
        }
        throw new BreakdownNotCountedError(campaignId, found.deliveries, found.max);
      },
    )
    .openapi(
      createRoute({
        method: "post",
        path: "/{campaignId}/breakdown-runs",
        summary:
          "Count the campaign's breakdown again as jobs, one page of its deliveries at a time: for a campaign too large for one request",
        description:
          "Starts a breakdown run, or returns the one already counting (a campaign has one at a time). Its result is what GET .../breakdown answers once it finishes.",
        request: { params: CampaignId },
        responses: {
          202: {
            description: "Started (or already running): poll GET .../breakdown, whose `running` shows the progress",
            content: { "application/json": { schema: Progress.extend({ started: z.boolean() }) } },
          },
        },
      }),
      async (c) => {
        const { campaignId } = c.req.valid("param");
        const { run, started } = await startBreakdownRun(ports, campaignId, c.get("actor"));
        c.header("location", `/api/campaigns/${campaignId}/breakdown`);
        return c.json({ ...progressOf(run), started }, 202);
      },
    );
