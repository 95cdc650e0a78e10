import { createRoute, z } from "@hono/zod-openapi";
import { platform } from "../../../shared/adapters/platform.js";
import { NewSegment, Segment, createSegment, getSegment, previewSegment } from "../../../shared/domain/segment.js";
import { requireRole } from "../auth.js";
import { router } from "../router.js";

const SegmentId = z.object({ segmentId: z.string() });
const SampleCustomer = z.object({ customerId: z.string(), type: z.string(), tier: z.string().nullable(), region: z.string(), products: z.array(z.string()) });

export const segments = router()
  .openapi(
    createRoute({
      method: "post",
      path: "/",
      summary: "Define a segment by a rule over customer attributes",
      middleware: [requireRole("marketer")] as const,
      request: { body: { required: true, content: { "application/json": { schema: NewSegment } } } },
      responses: { 201: { description: "Created", content: { "application/json": { schema: SegmentId } } } },
    }),
    async (c) => {
      const segment = await createSegment(await platform(), c.req.valid("json"), c.get("actor"));
      return c.json({ segmentId: segment.segmentId }, 201);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/{segmentId}",
      summary: "A segment and its rule",
      request: { params: SegmentId },
      responses: { 200: { description: "The segment", content: { "application/json": { schema: Segment } } } },
    }),
    async (c) => c.json(await getSegment(await platform(), c.req.valid("param").segmentId), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/{segmentId}/preview",
      summary: "How many customers match, with a sample (ids and attributes, no contact data)",
      middleware: [requireRole("marketer", "analyst", "approver")] as const,
      request: { params: SegmentId },
      responses: {
        200: { description: "Count and sample", content: { "application/json": { schema: z.object({ count: z.number(), sample: z.array(SampleCustomer) }) } } },
      },
    }),
    async (c) => {
      const { count, sample } = await previewSegment(await platform(), c.req.valid("param").segmentId);
      return c.json({ count, sample: sample.map(({ customerId, type, tier, region, products }) => ({ customerId, type, tier, region, products })) }, 200);
    },
  );
