import { type OpenAPIHono, z } from "@hono/zod-openapi";
import { Answer } from "../../shared/customers/answers.js";
import { LinkToken } from "./link-token.js";

type Registry = OpenAPIHono["openAPIRegistry"];

const Token = z.object({ token: LinkToken });
const Page = { "text/html": { schema: z.string() } };
const Problem = { "application/json": { schema: z.object({ code: z.string(), message: z.string() }) }, ...Page };
const linkErrors = {
  400: { description: "The link is not valid (tampered, malformed or too long)", content: Problem },
  410: { description: "The link has expired", content: Problem },
};

/**
 * The routes outside /api: health and the customer pages reached from an email. They are plain
 * Hono routes (HTML, form posts), so they are described here for /openapi.json.
 */
export function registerPublicPaths(registry: Registry) {
  registry.registerPath({
    method: "get",
    path: "/health",
    summary: "Whether the platform and the services it needs answer",
    security: [],
    responses: {
      200: {
        description: "Healthy",
        content: {
          "application/json": {
            schema: z.object({
              status: z.enum(["ok", "degraded"]),
              services: z.record(z.string(), z.enum(["ok", "unavailable"])),
              inbox: z.string().optional(),
            }),
          },
        },
      },
      503: { description: "A service does not answer" },
    },
  });
  registry.registerPath({
    method: "get",
    path: "/o/{token}",
    summary: "The offer page; opening it is the click",
    security: [],
    request: { params: Token },
    responses: { 200: { description: "The offer with its answer buttons", content: Page }, ...linkErrors },
  });
  registry.registerPath({
    method: "post",
    path: "/o/{token}",
    summary: "Answer the offer",
    security: [],
    request: {
      params: Token,
      body: {
        content: {
          "application/json": { schema: z.object({ answer: Answer }) },
          "application/x-www-form-urlencoded": { schema: z.object({ answer: Answer }) },
        },
      },
    },
    responses: {
      200: {
        description: "Recorded (JSON for a JSON request, else a page)",
        content: { "application/json": { schema: z.object({ recorded: Answer }) }, ...Page },
      },
      403: { description: "Posted by a browser from a page of another site: nothing is recorded", content: Page },
      ...linkErrors,
    },
  });
  registry.registerPath({
    method: "get",
    path: "/u/{token}",
    summary: "Unsubscribe confirmation page",
    security: [],
    request: { params: Token },
    responses: { 200: { description: "A page with one button", content: Page }, ...linkErrors },
  });
  registry.registerPath({
    method: "post",
    path: "/u/{token}",
    summary: "One-click unsubscribe (RFC 8058): email consent is withdrawn at once; no cookie or field needed",
    security: [],
    request: { params: Token },
    responses: {
      200: {
        description: "Unsubscribed",
        content: { "application/json": { schema: z.object({ unsubscribed: z.literal(true) }) }, ...Page },
      },
      ...linkErrors,
    },
  });
}
