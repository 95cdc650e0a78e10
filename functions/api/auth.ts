import type { MiddlewareHandler } from "hono";
import type { Actor } from "../../shared/kernel/actor.js";
import { ForbiddenError, UnauthenticatedError } from "../../shared/kernel/errors.js";
import type { ApiDeps } from "./deps.js";
import type { ApiEnv } from "./router.js";

/** Far above any token the platform issues; a longer header is refused before it is read further. */
export const MAX_AUTHORIZATION_LENGTH = 4096;

/** Resolves `Authorization: Bearer <token>` to an actor, or replies 401, whatever the header holds. */
export function authenticate(actorFor: ApiDeps["actorFor"]): MiddlewareHandler<ApiEnv> {
  return async function authenticateBearer(c, next) {
    const header = c.req.header("authorization") ?? "";
    if (header.length > MAX_AUTHORIZATION_LENGTH) throw new UnauthenticatedError("The bearer token is not valid");
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match)
      throw new UnauthenticatedError("Send 'Authorization: Bearer <token>'; the tokens are printed by npm start");
    const actor = await actorFor(match[1]);
    if (!actor) throw new UnauthenticatedError("The bearer token is not valid");
    c.set("actor", actor);
    await next();
  };
}

/** "admin", "marketer or admin", "marketer, analyst or admin": each role once, admin last. */
export const rolesInWords = (roles: readonly Actor["role"][]) => {
  const named = [...new Set([...roles.filter((role) => role !== "admin"), "admin"])];
  return named.length === 1 ? named[0] : `${named.slice(0, -1).join(", ")} or ${named.at(-1)}`;
};

/** Admins may do everything; other roles only what they are listed for. */
export function requireRole(...roles: Actor["role"][]): MiddlewareHandler<ApiEnv> {
  const needed = rolesInWords(roles);
  return async function requireRoleMiddleware(c, next) {
    const actor = c.get("actor");
    if (actor.role !== "admin" && !roles.includes(actor.role)) {
      throw new ForbiddenError(`Role '${actor.role}' may not do this; it needs ${needed}`);
    }
    await next();
  };
}
