import { OpenAPIHono } from "@hono/zod-openapi";
import type { ZodError } from "zod";
import type { Actor, Caller } from "../../shared/kernel/actor.js";
import type { Brand } from "../../shared/kernel/brand.js";

/**
 * `caller`: whoever the token stands for; `actor`: the same, when a person (a machine client has
 * none). `brand`: the brand kit a customer page is built with, read when a page first asks for it
 * and the same for the rest of the request, so the page's CSP allows the style it was built with.
 */
export type ApiEnv = { Variables: { actor: Actor; caller: Caller; brand: () => Promise<Brand> } };

/** Names each bad field, so a 400 says what to fix. */
export function describeIssues(error: ZodError) {
  return error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message }));
}

/** `path: message`, or the message alone when it names its field already (`segmentId must be ...`). */
const describeIssue = ({ path, message }: { path: string; message: string }) =>
  path && !message.startsWith(`${path} `) ? `${path}: ${message}` : message;

/** Every sub-app replies the same to a request that fails validation: 400 with the fields that are wrong. */
export const router = () =>
  new OpenAPIHono<ApiEnv>({
    defaultHook: (result, c) => {
      if (result.success) return;
      const issues = describeIssues(result.error as unknown as ZodError);
      return c.json(
        {
          code: "invalid_request",
          message: issues.map(describeIssue).join("; "),
          issues,
        },
        400,
      );
    },
  });
