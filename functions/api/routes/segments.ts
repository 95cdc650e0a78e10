import { createRoute, z } from "@hono/zod-openapi";
import { campaignsUsingSegment } from "../../../shared/campaigns/segment-use.js";
import { idNamed } from "../../../shared/kernel/ids.js";
import { logger } from "../../../shared/observability/logger.js";
import { archiveSegment, unarchiveSegment } from "../../../shared/segments/archive.js";
import { EXPORT_COLUMNS, ExportRecord, ExportRequest, type SegmentExport } from "../../../shared/segments/export.js";
import { exportSegment, exportsOf } from "../../../shared/segments/export-segment.js";
import { previewProgress, startPreview, startRulePreview } from "../../../shared/segments/preview-jobs.js";
import { previewRule, previewSegment } from "../../../shared/segments/preview-rule.js";
import { UNSAVED_RULE } from "../../../shared/segments/preview-run.js";
import { SegmentRuleInput } from "../../../shared/segments/rule.js";
import { NewSegment, Segment } from "../../../shared/segments/segment.js";
import { createSegment, getSegment, listSegments, reviseSegment } from "../../../shared/segments/versions.js";
import { requireRole } from "../auth.js";
import type { ApiPorts } from "../deps.js";
import { router } from "../router.js";

const SegmentId = z.object({ segmentId: idNamed("segmentId") });
/** Versions count up from 1; the store's sort key pads them to six digits, so 999,999 is the last. */
const MAX_SEGMENT_VERSION = 999_999;
const SegmentVersion = z.coerce
  .number({ error: `version must be a whole number from 1 to ${MAX_SEGMENT_VERSION}` })
  .int(`version must be a whole number from 1 to ${MAX_SEGMENT_VERSION}`)
  .min(1, `version must be a whole number from 1 to ${MAX_SEGMENT_VERSION}`)
  .max(MAX_SEGMENT_VERSION, `version must be a whole number from 1 to ${MAX_SEGMENT_VERSION}`);
const SavedVersion = z.object({ segmentId: z.string(), version: z.number() });
const Preview = z.object({
  count: z.number(),
  byTier: z.record(z.string(), z.number()),
  byRegion: z.record(z.string(), z.number()),
  sample: z.array(
    z.object({
      customerId: z.string(),
      type: z.string(),
      tier: z.string().nullable(),
      region: z.string(),
      products: z.array(z.string()),
      name: z.string(),
      email: z.string().optional(),
    }),
  ),
});

/** Whether the figures are exact, and the share of the customers they rest on (SYNC_COUNT_MAX_CUSTOMERS). */
const Exactness = {
  exact: z
    .boolean()
    .describe(
      "False when the bank has more customers than one request reads (SYNC_COUNT_MAX_CUSTOMERS): every number is then an estimate, scaled from basedOn's share; the exact count is a preview run's",
    ),
  basedOn: z.object({
    customersRead: z.number(),
    customersInBase: z.number().describe("About how many customers there are (the table's own item count)"),
    share: z.number().describe("customersRead / customersInBase, 0 to 1"),
  }),
};

const Counted = z.array(z.object({ value: z.string(), count: z.number(), name: z.string().optional() }));
/** A rule sized before it is saved: the preview, and what a builder needs beside it. */
const RulePreviewReply = Preview.extend({
  ...Exactness,
  byLanguage: z.record(z.string(), z.number()),
  heldBack: z
    .object({
      total: z.number(),
      noEmailConsent: z.number(),
      unsubscribed: z.number(),
      noEmailAddress: z.number(),
      addressBounced: z.number(),
      refusedCategory: z.record(z.string(), z.number()),
    })
    .describe(
      "Members no campaign email could reach (no consent, no address, an address on the bounce list: the launch's address_bounced), and per category those who refused it",
    ),
  warnings: z
    .array(
      z.object({
        path: z.array(z.union([z.string(), z.number()])),
        attr: z.string(),
        value: z.string(),
        suggestion: z.object({ value: z.string(), count: z.number() }).optional(),
        message: z.string(),
      }),
    )
    .describe("Every value the rule names that no customer has, with a near match by case, spacing or accents"),
  values: z
    .object({ regions: Counted, relationshipManagers: Counted, products: Counted })
    .describe("The regions, relationship managers and products customers have, with counts"),
});

/** `attachment` with an ASCII filename for every client and the UTF-8 one (RFC 5987) for those that read it. */
function attachment({ ascii, utf8 }: SegmentExport["fileName"]): string {
  const encoded = encodeURIComponent(utf8).replace(
    /['()*]/g,
    (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** The HTTP reply to starting a preview run. */
const PreviewRunReply = z.object({
  previewId: z.string(),
  segmentId: z.string(),
  segmentVersion: z.number().optional().describe("The version counted; absent for an unsaved rule's run"),
  status: z.literal("running"),
  totalShards: z.number(),
});
/** The HTTP reply to polling a preview run. */
const PreviewProgressReply = Preview.extend({
  previewId: z.string(),
  segmentId: z.string(),
  segmentVersion: z.number().optional().describe("The version counted; absent for an unsaved rule's run"),
  at: z.string().describe("The moment the count is of: time-based conditions were judged then"),
  status: z.enum(["running", "done"]),
  shardsDone: z.number(),
  totalShards: z.number(),
  pagesCounted: z.number(),
});

/** Who may size a segment (an admin may too, as everywhere). */
const previewers = requireRole("marketer", "analyst", "approver");

export const segmentRoutes = (ports: ApiPorts) =>
  router()
    .openapi(
      createRoute({
        method: "post",
        path: "/",
        summary: "Define a segment by a rule over customer attributes (version 1)",
        middleware: [requireRole("marketer")] as const,
        request: { body: { required: true, content: { "application/json": { schema: NewSegment } } } },
        responses: { 201: { description: "Created", content: { "application/json": { schema: SavedVersion } } } },
      }),
      async (c) => {
        const segment = await createSegment(ports, c.req.valid("json"), c.get("actor"));
        return c.json({ segmentId: segment.segmentId, version: segment.version }, 201);
      },
    )
    .openapi(
      createRoute({
        method: "post",
        path: "/preview",
        summary:
          "Size a rule before saving it: count by tier, region and language, who no email could reach, a masked sample, values no customer has",
        description:
          "Reads at most SYNC_COUNT_MAX_CUSTOMERS customers (20,000 by default), the first pages of every shard: a bank within it is counted exactly (exact: true); a larger one gets estimates scaled from that share (exact: false, basedOn). The exact count of a large bank: POST /api/segments/previews (a rule) or POST /api/segments/{segmentId}/previews (a saved segment), which run as jobs.",
        middleware: [requireRole("marketer")] as const,
        request: {
          body: { required: true, content: { "application/json": { schema: z.object({ rule: SegmentRuleInput }) } } },
        },
        responses: {
          200: { description: "The rule's preview", content: { "application/json": { schema: RulePreviewReply } } },
        },
      }),
      async (c) => c.json(await previewRule(ports, c.req.valid("json").rule, c.get("actor")), 200),
    )
    .openapi(
      createRoute({
        method: "post",
        path: "/previews",
        summary: "Start an exact count of a rule not saved as a segment, as jobs on the fan-out queue",
        description:
          "The same run as POST /api/segments/{segmentId}/previews, of the rule given: poll the Location, GET /api/segments/unsaved-rule/previews/{previewId}.",
        middleware: [requireRole("marketer")] as const,
        request: {
          body: { required: true, content: { "application/json": { schema: z.object({ rule: SegmentRuleInput }) } } },
        },
        responses: {
          202: {
            description: `Started: poll GET /api/segments/${UNSAVED_RULE}/previews/{previewId}`,
            content: { "application/json": { schema: PreviewRunReply } },
          },
        },
      }),
      async (c) => {
        const run = await startRulePreview(ports, c.req.valid("json").rule, c.get("actor"));
        c.header("location", `/api/segments/${UNSAVED_RULE}/previews/${run.previewId}`);
        return c.json(
          {
            previewId: run.previewId,
            segmentId: UNSAVED_RULE,
            status: "running" as const,
            totalShards: run.totalShards,
          },
          202,
        );
      },
    )
    .openapi(
      createRoute({
        method: "get",
        path: "/",
        summary: "Every segment, at its latest version (the playbook's included)",
        responses: {
          200: {
            description: "Segments",
            content: { "application/json": { schema: z.object({ segments: z.array(Segment) }) } },
          },
        },
      }),
      async (c) => c.json({ segments: await listSegments(ports) }, 200),
    )
    .openapi(
      createRoute({
        method: "put",
        path: "/{segmentId}",
        summary: "Revise a segment: saves a new version; campaigns keep the version they used",
        middleware: [requireRole("marketer")] as const,
        request: {
          params: SegmentId,
          body: { required: true, content: { "application/json": { schema: NewSegment } } },
        },
        responses: {
          200: { description: "The new version", content: { "application/json": { schema: SavedVersion } } },
        },
      }),
      async (c) => {
        const segment = await reviseSegment(ports, c.req.valid("param").segmentId, c.req.valid("json"), c.get("actor"));
        return c.json({ segmentId: segment.segmentId, version: segment.version }, 200);
      },
    )
    .openapi(
      createRoute({
        method: "get",
        path: "/{segmentId}",
        summary: "A segment and its rule: the latest version, or ?version=N",
        request: { params: SegmentId, query: z.object({ version: SegmentVersion.optional() }) },
        responses: { 200: { description: "The segment", content: { "application/json": { schema: Segment } } } },
      }),
      async (c) => c.json(await getSegment(ports, c.req.valid("param").segmentId, c.req.valid("query").version), 200),
    )
    .openapi(
      createRoute({
        method: "post",
        path: "/{segmentId}/archive",
        summary: "Archive a segment no campaign uses: hidden from the console's list, refused for a new campaign",
        description:
          "409 segment_in_use, naming the campaigns, when a campaign uses it. Saving a new version or DELETE .../archive brings it back.",
        middleware: [requireRole("marketer")] as const,
        request: { params: SegmentId },
        responses: {
          200: { description: "The archived segment", content: { "application/json": { schema: Segment } } },
        },
      }),
      async (c) => {
        const segmentId = c.req.valid("param").segmentId;
        const usedBy = (await campaignsUsingSegment(ports, segmentId)).map((u) => u.name);
        return c.json(await archiveSegment(ports, segmentId, usedBy, c.get("actor")), 200);
      },
    )
    .openapi(
      createRoute({
        method: "delete",
        path: "/{segmentId}/archive",
        summary: "Unarchive a segment",
        middleware: [requireRole("marketer")] as const,
        request: { params: SegmentId },
        responses: {
          200: { description: "The segment, no longer archived", content: { "application/json": { schema: Segment } } },
        },
      }),
      async (c) => c.json(await unarchiveSegment(ports, c.req.valid("param").segmentId), 200),
    )
    .openapi(
      createRoute({
        method: "get",
        path: "/{segmentId}/preview",
        summary: "How many customers match, by tier and region, with a sample (contact data masked by role)",
        middleware: [previewers] as const,
        request: { params: SegmentId },
        responses: {
          200: {
            description: "Count, breakdown and sample",
            content: { "application/json": { schema: Preview.extend(Exactness) } },
          },
        },
      }),
      async (c) => c.json(await previewSegment(ports, c.req.valid("param").segmentId, c.get("actor")), 200),
    )
    .openapi(
      createRoute({
        method: "post",
        path: "/{segmentId}/previews",
        summary:
          "Start a preview that runs as jobs, one page of one shard at a time, for a segment too big for one request",
        middleware: [previewers] as const,
        request: { params: SegmentId },
        responses: {
          202: {
            description: "Started: poll GET .../previews/{previewId}",
            content: { "application/json": { schema: PreviewRunReply } },
          },
        },
      }),
      async (c) => {
        const segmentId = c.req.valid("param").segmentId;
        const run = await startPreview(ports, segmentId, c.get("actor"));
        c.header("location", `/api/segments/${segmentId}/previews/${run.previewId}`);
        return c.json(
          {
            previewId: run.previewId,
            segmentId,
            segmentVersion: run.segmentVersion,
            status: "running" as const,
            totalShards: run.totalShards,
          },
          202,
        );
      },
    )
    .openapi(
      createRoute({
        method: "get",
        path: "/{segmentId}/previews/{previewId}",
        summary:
          "A preview run's progress, and its count, breakdown and masked sample so far (final when status is done)",
        middleware: [previewers] as const,
        request: { params: SegmentId.extend({ previewId: idNamed("previewId") }) },
        responses: {
          200: {
            description: "Progress and figures",
            content: { "application/json": { schema: PreviewProgressReply } },
          },
        },
      }),
      async (c) => {
        const { segmentId, previewId } = c.req.valid("param");
        return c.json(await previewProgress(ports, segmentId, previewId, c.get("actor")), 200);
      },
    )
    .openapi(
      createRoute({
        method: "get",
        path: "/{segmentId}/export",
        summary: "Export the segment's members as CSV, contact data in full (admin only; recorded with the reason)",
        description:
          `Columns: ${EXPORT_COLUMNS.join(", ")} (products joined by ';'). UTF-8 with a BOM. A cell that would start a spreadsheet formula ` +
          "(=, +, -, @, tab, carriage return) starts with a single quote. The export is recorded before the file is answered; " +
          "a segment too big for one answer is a 422 that says how to split it.",
        middleware: [requireRole()] as const,
        request: { params: SegmentId, query: ExportRequest.extend({ version: SegmentVersion.optional() }) },
        responses: {
          200: {
            description: "The CSV file, as an attachment",
            headers: z.object({ "content-disposition": z.string() }),
            content: { "text/csv": { schema: z.string() } },
          },
        },
      }),
      async (c) => {
        const exported = await exportSegment(
          ports,
          c.req.valid("param").segmentId,
          c.req.valid("query"),
          c.get("actor"),
        );
        const { exportId, segmentId, segmentVersion, rows, actor } = exported.record;
        logger.info("segment exported", { exportId, segmentId, segmentVersion, rows, actor });
        return c.body(exported.csv, 200, {
          "content-type": "text/csv; charset=utf-8",
          "content-disposition": attachment(exported.fileName),
          "cache-control": "no-store",
        });
      },
    )
    .openapi(
      createRoute({
        method: "get",
        path: "/{segmentId}/exports",
        summary: "Who exported the segment, when, which version, how many rows and why; newest first",
        middleware: [requireRole("approver")] as const,
        request: { params: SegmentId },
        responses: {
          200: {
            description: "The export trail",
            content: { "application/json": { schema: z.object({ exports: z.array(ExportRecord) }) } },
          },
        },
      }),
      async (c) => c.json({ exports: await exportsOf(ports, c.req.valid("param").segmentId) }, 200),
    );
