import type { MiddlewareHandler } from "hono";
import { isMachine, type Role } from "../../shared/kernel/actor.js";
import { ForbiddenError, UnauthenticatedError } from "../../shared/kernel/errors.js";
import { accessFor } from "./access.js";
import type { ApiDeps } from "./deps.js";
import type { ApiEnv } from "./router.js";

/** Far above any token the platform issues; a longer header is refused before it is read further. */
export const MAX_AUTHORIZATION_LENGTH = 4096;

/**
 * Resolves `Authorization: Bearer <token>` to its caller, or replies 401, whatever the header
 * holds: a person (`actor` and `caller`) or a machine client (`caller` only).
 */
export function authenticate(callerFor: ApiDeps["actorFor"]): MiddlewareHandler<ApiEnv> {
  return async function authenticateBearer(c, next) {
    const header = c.req.header("authorization") ?? "";
    if (header.length > MAX_AUTHORIZATION_LENGTH) throw new UnauthenticatedError("The bearer token is not valid");
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match)
      throw new UnauthenticatedError(
        "Send 'Authorization: Bearer <access token>', signed in at the issuer GET /health names (locally, npm start prints the users)",
      );
    const caller = await callerFor(match[1]);
    if (!caller) throw new UnauthenticatedError("The bearer token is not valid");
    c.set("caller", caller);
    if (!isMachine(caller)) c.set("actor", caller);
    await next();
  };
}

/**
 * Holds every /api request to the role matrix (access.ts) before any route runs: a role the
 * route does not list is a 403, and a machine client reaches only the routes its scopes name.
 * A path no route serves goes on to its 404, except for a machine client, which may only do
 * what a scope opens.
 */
export function authorize(): MiddlewareHandler<ApiEnv> {
  return async function authorizeByMatrix(c, next) {
    const caller = c.get("caller");
    const access = accessFor(c.req.method, c.req.path);
    if (isMachine(caller)) {
      if (!access?.scope) throw new ForbiddenError("A machine client may only post conversions or imports");
      if (!caller.scopes.includes(access.scope))
        throw new ForbiddenError(`This client's token lacks the scope '${access.scope}' this needs`);
    } else if (access && caller.role !== "admin" && !access.roles.includes(caller.role)) {
      throw new ForbiddenError(`Role '${caller.role}' may not do this; it needs ${rolesInWords(access.roles)}`);
    }
    await next();
  };
}

/** "admin", "marketer or admin", "marketer, analyst or admin": each role once, admin last. */
export const rolesInWords = (roles: readonly Role[]) => {
  const named = [...new Set([...roles.filter((role) => role !== "admin"), "admin"])];
  return named.length === 1 ? named[0] : `${named.slice(0, -1).join(", ")} or ${named.at(-1)}`;
};

/**
 * Admins may do everything; other roles only what they are listed for. The routes keep it as
 * their own statement of the matrix; a machine client got here only through authorize, by the
 * scope the route's entry names.
 */
export function requireRole(...roles: Role[]): MiddlewareHandler<ApiEnv> {
  const needed = rolesInWords(roles);
  return async function requireRoleMiddleware(c, next) {
    const caller = c.get("caller") ?? c.get("actor");
    if (isMachine(caller)) {
      if (!accessFor(c.req.method, c.req.path)?.scope) throw new ForbiddenError("A machine client may not do this");
    } else if (caller.role !== "admin" && !roles.includes(caller.role)) {
      throw new ForbiddenError(`Role '${caller.role}' may not do this; it needs ${needed}`);
    }
    await next();
  };
}
