import { createRoute, z } from "@hono/zod-openapi";
import { ROLES } from "../../shared/kernel/actor.js";
import { router } from "./router.js";

const Me = z.object({
  id: z.string().nullable().describe("The identity provider's subject for this user; null for a local static token"),
  name: z.string().describe("The sign-in name: what approvals, changes, the audit trail and exports record"),
  role: z.enum(ROLES).describe("From the user's group"),
  email: z
    .string()
    .optional()
    .describe("The person's own address, when the token names one: where their test emails go (README, Signing in)"),
});

/** GET /api/me: who the API takes the caller for, so a console (or a person) can check their sign-in. */
export const meRoutes = () =>
  router().openapi(
    createRoute({
      method: "get",
      path: "/",
      summary: "The signed-in person: id, name and role, as the API records them",
      responses: { 200: { description: "The signed-in person", content: { "application/json": { schema: Me } } } },
    }),
    (c) => {
      const { id, name, role, email } = c.get("actor");
      return c.json({ id: id ?? null, name, role, ...(email ? { email } : {}) }, 200);
    },
  );
