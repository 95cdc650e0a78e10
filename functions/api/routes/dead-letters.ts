import { createRoute, z } from "@hono/zod-openapi";
import { QUEUE_NAMES } from "../../../shared/delivery/ports.js";
import { redriveDeadLetters } from "../../../shared/delivery/redrive.js";
import { requireRole } from "../auth.js";
import type { ApiPorts } from "../deps.js";
import { router } from "../router.js";

const QueueName = z.enum(QUEUE_NAMES);
const Depths = z.object({ fanout: z.number(), send: z.number(), feedback: z.number() });
const RedriveRequest = z
  .object({
    queue: QueueName.optional().describe("One queue's dead-letter queue; every one when absent"),
    max: z.number().int().min(1).max(10_000).default(1_000).describe("Messages moved per queue, at most"),
  })
  .strict();
const RedriveReply = z.object({
  moved: z.record(z.string(), z.number()).describe("Messages put back on each queue"),
  left: Depths.describe("Messages still in each dead-letter queue: call again while any are left"),
});

/** An admin's view of the dead-letter queues, and the redrive once the cause is fixed. */
export const deadLetterRoutes = (ports: Pick<ApiPorts, "deadLetters">) =>
  router()
    .openapi(
      createRoute({
        method: "get",
        path: "/",
        summary: "How many messages wait in each dead-letter queue (fan-out, send, feedback)",
        middleware: [requireRole("admin")] as const,
        responses: {
          200: {
            description: "Messages per dead-letter queue",
            content: { "application/json": { schema: z.object({ queues: Depths }) } },
          },
        },
      }),
      async (c) => c.json({ queues: await ports.deadLetters.depths() }, 200),
    )
    .openapi(
      createRoute({
        method: "post",
        path: "/redrive",
        summary:
          "Puts dead-lettered messages back on their queues, once the cause is fixed; a stuck delivery is then sent",
        middleware: [requireRole("admin")] as const,
        request: { body: { content: { "application/json": { schema: RedriveRequest } }, required: false } },
        responses: {
          200: {
            description: "What moved and what is left",
            content: { "application/json": { schema: RedriveReply } },
          },
        },
      }),
      async (c) => {
        const body = c.req.valid("json") ?? { max: 1_000 };
        const queues = body.queue ? [body.queue] : QUEUE_NAMES;
        return c.json(await redriveDeadLetters(ports, queues, body.max), 200);
      },
    );
