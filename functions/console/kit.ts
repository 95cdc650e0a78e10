import type { Context, MiddlewareHandler } from "hono";
import type { ConsoleSession } from "../../shared/console/session.js";
import type { Role } from "../../shared/kernel/actor.js";
import type { Language } from "../../shared/kernel/language.js";
import type { ConsoleDeps, ConsolePorts } from "./deps.js";
import type { View } from "./pages.js";

export type ConsoleEnv = { Variables: { session: ConsoleSession } };

/**
 * What every area of the console (campaigns, segments, the wizard, the inbox) is built with:
 * the ports, where the console lives, and the middleware that signs a person in and checks a
 * form's CSRF token. app.tsx makes one and hands it to each area's routes.
 */
export type ConsoleKit = {
  ports: ConsolePorts;
  deps: ConsoleDeps;
  /** The console's path, e.g. "/console": every link and form action starts with it. */
  base: string;
  /** The signed-in person's session, or a redirect to sign in; `touch: false` for polls that are not the person's doing. */
  signedIn: (options: { touch: boolean }) => MiddlewareHandler<ConsoleEnv>;
  /** Every state-changing request: from a page of this site, with the session's own CSRF token (form field `csrf`). */
  csrfChecked: MiddlewareHandler<ConsoleEnv>;
  viewOf: (c: Context<ConsoleEnv>) => View;
  /** A path inside the console to return to; anything else is the campaign list. */
  safeReturn: (to: string | undefined) => string;
  /**
   * A page saying what went wrong, with the status the API would answer, and a link back: to
   * the campaign list unless `back` names another page.
   */
  problemPage: (
    c: Context<ConsoleEnv>,
    status: 400 | 403 | 404 | 409,
    message: string,
    back?: { href: string; text: string },
  ) => Response | Promise<Response>;
  /** Only the roles given may go on; anyone else gets a 403 page saying `refusal` in their language. */
  onlyRoles: (
    roles: readonly Role[],
    refusal: (language: Language, role: Role) => string,
  ) => MiddlewareHandler<ConsoleEnv>;
};
