import type { MiddlewareHandler } from "hono";
import type { Actor } from "../../shared/kernel/actor.js";
import { ForbiddenError, UnauthenticatedError } from "../../shared/kernel/errors.js";
import type { ApiDeps } from "./deps.js";
import type { ApiEnv } from "./router.js";

/** Resolves `Authorization: Bearer <token>` to an actor, or answers 401. */
export function authenticate(actorFor: ApiDeps["actorFor"]): MiddlewareHandler<ApiEnv> {
  return async function authenticateBearer(c, next) {
    const header = c.req.header("authorization") ?? "";
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match)
      throw new UnauthenticatedError("Send 'Authorization: Bearer <token>'; the tokens are printed by npm start");
    const actor = await actorFor(match[1]);
    if (!actor) throw new UnauthenticatedError("The bearer token is not valid");
    c.set("actor", actor);
    await next();
  };
}

/** Admins may do everything; other roles only what they are listed for. */
export function requireRole(...roles: Actor["role"][]): MiddlewareHandler<ApiEnv> {
  return async function requireRoleMiddleware(c, next) {
    const actor = c.get("actor");
    if (actor.role !== "admin" && !roles.includes(actor.role)) {
      throw new ForbiddenError(`Role '${actor.role}' may not do this; it needs ${[...roles, "admin"].join(" or ")}`);
    }
    await next();
  };
}
