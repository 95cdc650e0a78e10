/** @jsxImportSource hono/jsx */
import { type Context, Hono, type MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { CookieOptions } from "hono/utils/cookie";
import { getCampaign } from "../../shared/campaigns/get-campaign.js";
import { CampaignStatus } from "../../shared/campaigns/lifecycle.js";
import {
  type ConsoleSession,
  expiryOf,
  hasExpired,
  keyOf,
  LOGIN_TIMEOUT_SECONDS,
  needsTouch,
  randomToken,
  sameCsrfToken,
} from "../../shared/console/session.js";
import { listCampaigns } from "../../shared/delivery/campaign-list.js";
import { liftOf } from "../../shared/delivery/lift.js";
import { campaignStats } from "../../shared/delivery/stats.js";
import { isMachine, type Role } from "../../shared/kernel/actor.js";
import { NotFoundError } from "../../shared/kernel/errors.js";
import { idNamed } from "../../shared/kernel/ids.js";
import { Language, languageOfBrowser } from "../../shared/kernel/language.js";
import { isCrossSite } from "../api/security.js";
import { adminPages } from "./admin/routes.js";
import { analysisPages } from "./analysis/routes.js";
import { ASSETS } from "./assets.js";
import { brandKitPages } from "./brand-kit/routes.js";
import { campaignEditorPages } from "./campaign-editor/routes.js";
import { t } from "./copy/say.js";
import { customerPages } from "./customers/routes.js";
import type { ConsoleDeps, ConsolePorts } from "./deps.js";
import type { ConsoleEnv, ConsoleKit } from "./kit.js";
import { authorizationUrl, discovery, emailOfIdToken, endSessionUrl, exchangeCode, SignInError } from "./oidc.js";
import { CampaignListPage, CampaignResultsPage, MessagePage, type View } from "./pages.js";
import { resultPages, resultsOf } from "./results/routes.js";
import { campaignReviewOf } from "./review/panel.js";
import { reviewPages } from "./review/routes.js";
import { segmentPages } from "./segments/routes.js";

const CampaignId = idNamed("campaignId");

const SESSION_COOKIE = "console_session";
const LOGIN_COOKIE = "console_login";
/**
 * The language chosen, kept on this browser for the pages before sign-in; once signed in, the
 * person's own choice (kept by their user id, ConsoleSessionStore.languageOf) wins.
 */
const LANGUAGE_COOKIE = "console_language";
const PAGE_SIZE = 20;
/** The list opens at the first status with a campaign in it, in this order. */
const FIRST_LOOKED_AT: readonly CampaignStatus[] = [
  "sending",
  "launching",
  "paused",
  "submitted",
  "approved",
  "draft",
  "completed",
  "cancelled",
];

/**
 * The console: server-rendered pages under /console on the API's own origin, and the
 * backend-for-frontend that signs people in. The browser holds an httpOnly, Secure, SameSite=Lax
 * cookie naming a session kept on the server; no token reaches a page's script. Every POST
 * carries the session's CSRF token and is refused from another site. README, "The console".
 */
export function consoleRoutes(ports: ConsolePorts, deps: ConsoleDeps) {
  const publicBase = ports.settings.publicBaseUrl.replace(/\/$/, "");
  const base = `${new URL(publicBase).pathname.replace(/\/$/, "")}/console`;
  const redirectUri = `${publicBase}/console/callback`;
  const signedOutUri = `${publicBase}/console/signed-out`;
  const endpoints = discovery(deps.issuer, deps.fetch);
  const cookie = (maxAge?: number): CookieOptions => ({
    path: base,
    httpOnly: true,
    secure: true,
    sameSite: "Lax",
    ...(maxAge ? { maxAge } : {}),
  });
  const now = () => ports.now();

  const viewOf = (c: Context<ConsoleEnv>): View => {
    const session = c.get("session") as ConsoleSession | undefined;
    const url = new URL(c.req.url);
    return {
      language: session?.language ?? chosenLanguage(c),
      base,
      session,
      path: `${base}${url.pathname.slice(url.pathname.indexOf("/console") + "/console".length)}${url.search}`,
    };
  };
  const chosenLanguage = (c: Context) => {
    const kept = Language.safeParse(getCookie(c, LANGUAGE_COOKIE));
    return kept.success ? kept.data : languageOfBrowser(c.req.header("accept-language"));
  };
  /** A path inside the console to return to; anything else is the campaign list. */
  const safeReturn = (to: string | undefined) =>
    to?.startsWith(`${base}/`) && !to.startsWith("//") && !/[\\\s]/.test(to) ? to : `${base}/campaigns`;

  /**
   * The signed-in person's session, or a new sign-in: a page redirects to /console/login, the
   * progress JSON answers 401. A session idle for 15 minutes, or older than a working day, is
   * deleted. `touch: false` for the progress poll, which is not the person's doing and must not
   * keep an unattended page's session alive.
   */
  const signedIn =
    ({ touch }: { touch: boolean }): MiddlewareHandler<ConsoleEnv> =>
    async (c, next) => {
      const id = getCookie(c, SESSION_COOKIE);
      const session = id ? await deps.sessions.get(keyOf(id)) : null;
      if (!session || hasExpired(session, now())) {
        if (session) await deps.sessions.delete(session.sessionKey);
        if (id) deleteCookie(c, SESSION_COOKIE, cookie());
        if (!touch) return c.json({ code: "unauthenticated", message: "Sign in again at the console" }, 401);
        const returnTo = c.req.method === "GET" ? viewOf(c).path : `${base}/campaigns`;
        return c.redirect(`${base}/login?returnTo=${encodeURIComponent(returnTo)}`, 302);
      }
      let current = session;
      if (touch && needsTouch(session, now())) {
        current = { ...session, lastSeenAt: now().toISOString() };
        await deps.sessions.save(current, expiryOf(current));
      }
      c.set("session", current);
      c.header("Cache-Control", "no-store");
      await next();
    };

  const problemPage: ConsoleKit["problemPage"] = (c, status, message, back) => {
    const view = viewOf(c);
    return c.html(
      <MessagePage
        view={view}
        title={t(view.language, "error.title")}
        message={message}
        link={back ?? { href: `${base}/campaigns`, text: t(view.language, "list.title") }}
      />,
      status,
    );
  };
  const onlyRoles: ConsoleKit["onlyRoles"] = (roles, refusal) => async (c, next) => {
    const role = c.get("session").user.role as Role;
    if (!roles.includes(role)) return problemPage(c, 403, refusal(viewOf(c).language, role));
    await next();
  };

  /** Every state-changing request: from a page of this site, with the session's own CSRF token. */
  const csrfChecked: MiddlewareHandler<ConsoleEnv> = async (c, next) => {
    const form = await c.req.parseBody();
    const headers = { secFetchSite: c.req.header("sec-fetch-site"), origin: c.req.header("origin") };
    const crossSite = isCrossSite(headers, [new URL(publicBase).origin, new URL(c.req.url).origin]);
    const token = typeof form.csrf === "string" ? form.csrf : undefined;
    if (crossSite || !sameCsrfToken(token, c.get("session").csrfToken))
      return problemPage(c, 403, t(viewOf(c).language, "error.forbidden"));
    await next();
  };

  const signInFailed = (c: Context<ConsoleEnv>, reason: string) => {
    const { language } = viewOf(c);
    return problemPage(c, 400, t(language, "error.signIn", { reason }), {
      href: `${base}/login`,
      text: t(language, "error.signInAgain"),
    });
  };

  const kit: ConsoleKit = { ports, deps, base, signedIn, csrfChecked, viewOf, safeReturn, problemPage, onlyRoles };

  return new Hono<ConsoleEnv>()
    .route("/", segmentPages(kit))
    .route("/", campaignEditorPages(kit))
    .route("/", reviewPages(kit))
    .route("/", resultPages(kit))
    .route("/", customerPages(kit))
    .route("/", analysisPages(kit))
    .route("/", brandKitPages(kit))
    .route("/", adminPages(kit))
    .get("/assets/:name", (c) => {
      const asset = Object.values(ASSETS).find((a) => a.name === c.req.param("name"));
      if (!asset) return c.notFound();
      return c.body(asset.body, 200, {
        "content-type": asset.type,
        "cache-control": "public, max-age=31536000, immutable",
      });
    })
    .get("/login", async (c) => {
      // The sign-in returns to the public address: start there, so that its cookies are the ones the callback reads.
      if (new URL(c.req.url).host !== new URL(publicBase).host) return c.redirect(`${publicBase}/console/login`, 302);
      const state = randomToken();
      const verifier = randomToken();
      await deps.sessions.savePendingLogin(
        {
          stateKey: keyOf(state),
          verifier,
          returnTo: safeReturn(c.req.query("returnTo")),
          createdAt: now().toISOString(),
        },
        new Date(now().getTime() + LOGIN_TIMEOUT_SECONDS * 1000),
      );
      // The state is bound to this browser too: a callback that another browser started is refused.
      setCookie(c, LOGIN_COOKIE, state, cookie(LOGIN_TIMEOUT_SECONDS));
      c.header("Cache-Control", "no-store");
      const url = authorizationUrl(await endpoints(), {
        clientId: deps.clientId,
        redirectUri,
        state,
        verifier,
        language: chosenLanguage(c),
      });
      return c.redirect(url, 302);
    })
    .get("/callback", async (c) => {
      c.header("Cache-Control", "no-store");
      const { code, state, error, error_description } = c.req.query();
      if (error) return signInFailed(c, error_description ?? error);
      const expected = getCookie(c, LOGIN_COOKIE);
      deleteCookie(c, LOGIN_COOKIE, cookie());
      if (!code || !state || !expected || !sameCsrfToken(state, expected))
        return signInFailed(c, "the sign-in was not started from this browser");
      const login = await deps.sessions.takePendingLogin(keyOf(state));
      if (!login) return signInFailed(c, "the sign-in took too long or was already used");
      try {
        const tokens = await exchangeCode(
          await endpoints(),
          { clientId: deps.clientId, redirectUri, code, verifier: login.verifier },
          deps.fetch,
        );
        const caller = await deps.verifyAccessToken(tokens.access_token);
        if (!caller || isMachine(caller) || !caller.id)
          return signInFailed(c, "the account has no role on this platform");
        const email = caller.email ?? emailOfIdToken(tokens.id_token, caller.id);
        const id = randomToken();
        const at = now().toISOString();
        // The person's own choice, made on any browser, over this browser's cookie or its language.
        const language = (await deps.sessions.languageOf(caller.id)) ?? chosenLanguage(c);
        const session: ConsoleSession = {
          sessionKey: keyOf(id),
          csrfToken: randomToken(),
          user: { id: caller.id, name: caller.name, role: caller.role, ...(email ? { email } : {}) },
          language,
          ...(tokens.id_token ? { idToken: tokens.id_token } : {}),
          createdAt: at,
          lastSeenAt: at,
        };
        await deps.sessions.save(session, expiryOf(session));
        setCookie(c, SESSION_COOKIE, id, cookie());
        return c.redirect(login.returnTo, 302);
      } catch (e) {
        if (e instanceof SignInError) return signInFailed(c, e.message);
        throw e;
      }
    })
    .get("/signed-out", (c) => {
      const view = viewOf(c);
      return c.html(
        <MessagePage
          view={view}
          title={t(view.language, "signedOut.title")}
          message={t(view.language, "signedOut.body")}
          link={{ href: `${base}/login`, text: t(view.language, "signedOut.again") }}
        />,
      );
    })
    .post("/logout", signedIn({ touch: false }), csrfChecked, async (c) => {
      const session = c.get("session");
      await deps.sessions.delete(session.sessionKey);
      deleteCookie(c, SESSION_COOKIE, cookie());
      const url = endSessionUrl(await endpoints().catch(() => ({ end_session_endpoint: undefined }) as never), {
        clientId: deps.clientId,
        signedOutUri,
        idToken: session.idToken,
        logoutUrl: deps.logoutUrl,
      });
      return c.redirect(url, 303);
    })
    .post("/language", signedIn({ touch: true }), csrfChecked, async (c) => {
      const form = await c.req.parseBody();
      const language = Language.safeParse(form.language);
      if (language.success) {
        const session = { ...c.get("session"), language: language.data };
        await deps.sessions.save(session, expiryOf(session));
        await deps.sessions.rememberLanguage(session.user.id, language.data);
        setCookie(c, LANGUAGE_COOKIE, language.data, cookie(365 * 24 * 3600));
      }
      return c.redirect(safeReturn(typeof form.returnTo === "string" ? form.returnTo : undefined), 303);
    })
    .get("/", signedIn({ touch: true }), (c) => c.redirect(`${base}/campaigns`, 302))
    .get("/campaigns", signedIn({ touch: true }), async (c) => {
      const asked = CampaignStatus.safeParse(c.req.query("status"));
      const cursor = asked.success ? c.req.query("cursor") : undefined;
      let status: CampaignStatus = asked.success ? asked.data : "draft";
      if (!asked.success) {
        for (const candidate of FIRST_LOOKED_AT) {
          if ((await ports.campaigns.listByStatus(candidate, 1)).campaigns.length > 0) {
            status = candidate;
            break;
          }
        }
      }
      const page = await listCampaigns(ports, { status, limit: PAGE_SIZE, cursor });
      return c.html(
        <CampaignListPage
          view={viewOf(c)}
          status={status}
          page={page.campaigns}
          nextCursor={page.cursor}
          first={!cursor}
        />,
      );
    })
    .get("/campaigns/:campaignId", signedIn({ touch: true }), async (c) => {
      const view = viewOf(c);
      try {
        const id = CampaignId.safeParse(c.req.param("campaignId"));
        if (!id.success) throw new NotFoundError("Campaign", "");
        const campaign = await getCampaign(ports, id.data);
        const stats = await campaignStats(ports, campaign.campaignId);
        const lift = liftOf(
          { size: stats.targeted, converted: stats.converted },
          { size: stats.control, converted: stats.controlConverted },
        );
        // Only a launched campaign has deliveries to break down.
        // Past SYNC_BREAKDOWN_MAX_DELIVERIES it is a breakdown run's, never read in this request.
        const breakdown = campaign.launchedAt
          ? await resultsOf(ports, view.language, stats, campaign.campaignId)
          : undefined;
        return c.html(
          <CampaignResultsPage
            view={view}
            campaign={campaign}
            stats={stats}
            lift={lift}
            review={await campaignReviewOf(ports, campaign, view.session?.user)}
            breakdown={breakdown}
          />,
        );
      } catch (error) {
        if (!(error instanceof NotFoundError)) throw error;
        return problemPage(c, 404, t(view.language, "error.notFound"));
      }
    })
    .get("/campaigns/:campaignId/progress", signedIn({ touch: false }), async (c) => {
      const id = CampaignId.safeParse(c.req.param("campaignId"));
      if (!id.success) throw new NotFoundError("Campaign", "");
      const stats = await campaignStats(ports, id.data);
      const done = stats.sent + stats.failed + stats.unconfirmed;
      const { status, targeted, sent, clicked, responded, converted } = stats;
      return c.json({ status, targeted, done, sent, clicked, responded, converted });
    });
}

/** The console when the platform has no issuer or console client configured: one page that says so. */
export function consoleNotConfigured() {
  return new Hono().all("*", (c) => {
    const language = languageOfBrowser(c.req.header("accept-language"));
    return c.html(
      <MessagePage
        view={{ language, base: "/console", path: "/console" }}
        title={t(language, "error.title")}
        message={t(language, "error.notConfigured")}
      />,
      503,
    );
  });
}
