/** @jsxImportSource hono/jsx */
import { type Context, Hono, type MiddlewareHandler } from "hono";
import { z } from "zod";
import { CampaignStatus } from "../../../shared/campaigns/lifecycle.js";
import { campaignsUsingSegment } from "../../../shared/campaigns/segment-use.js";
import { sameCsrfToken } from "../../../shared/console/session.js";
import { DEFAULT_SYNC_COUNT_MAX_CUSTOMERS } from "../../../shared/customers/scan.js";
import type { Actor, Role } from "../../../shared/kernel/actor.js";
import { NotFoundError, SegmentVersionConflictError } from "../../../shared/kernel/errors.js";
import { idNamed } from "../../../shared/kernel/ids.js";
import type { Language } from "../../../shared/kernel/language.js";
import { archiveSegment, isArchived, SegmentInUseError, unarchiveSegment } from "../../../shared/segments/archive.js";
import {
  type PreviewProgress,
  previewProgress,
  startPreview,
  startRulePreview,
} from "../../../shared/segments/preview-jobs.js";
import { previewRule } from "../../../shared/segments/preview-rule.js";
import { UNSAVED_RULE } from "../../../shared/segments/preview-run.js";
import { type SegmentRule, SegmentRuleInput } from "../../../shared/segments/rule.js";
import { NewSegment, type Segment } from "../../../shared/segments/segment.js";
import {
  createSegment,
  getSegment,
  listSegments,
  reviseSegment,
  segmentVersions,
} from "../../../shared/segments/versions.js";
import { isCrossSite } from "../../api/security.js";
import { t } from "../copy/say.js";
import { formatsFor } from "../format.js";
import type { ConsoleEnv, ConsoleKit } from "../kit.js";
import { builderData, ExactCountPage, SegmentBuilderPage, SegmentListPage } from "./pages.js";

const SegmentId = idNamed("segmentId");
const PreviewId = idNamed("previewId");

/** Where an exact count is, in the person's words: the script shows this as it polls, the page without script too. */
export function exactCountText(language: Language, progress: PreviewProgress): string {
  const f = formatsFor(language);
  return progress.status === "done"
    ? t(language, "segments.exact.done", { count: f.integer(progress.count), at: f.dateTime(progress.at) })
    : t(language, "segments.exact.running", {
        done: f.integer(progress.shardsDone),
        total: f.integer(progress.totalShards),
        count: f.integer(progress.count),
      });
}
const Version = z.coerce.number().int().min(1).max(999_999);
/** Who builds segments: the API lets a marketer (and an admin) create and revise them. */
const BUILDERS: readonly Role[] = ["marketer", "admin"];
/** Who may count a saved segment exactly: whoever may size one through the API (the wizard's makers, the review's approvers). */
const COUNTERS: readonly Role[] = ["marketer", "approver", "analyst", "admin"];
/** How many of each status's newest campaigns the "answered campaign" condition suggests. */
const RECENT_CAMPAIGNS = 20;
/** Everyone: the builder's choices are the values that exist, and a rule that matches everyone finds them all. */
const EVERYONE: SegmentRule = { attr: "customerId", op: "exists", value: true };

/**
 * The segment builder: segments listed, built visually with a live count, saved as versions.
 *
 * The technique: server-rendered pages whose builder is one small vanilla script
 * (assets.ts, SEGMENTS_SCRIPT). A rule tree of a few dozen nodes needs no framework, and a
 * framework would need a build step and a bundle the strict CSP must allow; the script only
 * draws the tree into a plain form (the rule as JSON in a hidden field), so saving is an
 * ordinary POST checked by the same zod schema as the API, and without JavaScript a textarea
 * of the rule's JSON still saves. The preview is a JSON POST with the CSRF token in a header.
 */
export function segmentPages(kit: ConsoleKit) {
  const { ports, base } = kit;
  const publicOrigin = new URL(ports.settings.publicBaseUrl).origin;

  const actorOf = (c: Context<ConsoleEnv>): Actor => {
    const { id, name, role } = c.get("session").user;
    return { kind: "person", id, name, role };
  };

  const refused = (
    c: Context<ConsoleEnv>,
    key: "segments.error.role" | "segments.error.notFound",
    status: 403 | 404,
  ) => {
    const { language } = kit.viewOf(c);
    return kit.problemPage(c, status, t(language, key), {
      href: `${base}/segments`,
      text: t(language, "segments.list.title"),
    });
  };

  const counters: MiddlewareHandler<ConsoleEnv> = async (c, next) => {
    if (!COUNTERS.includes(c.get("session").user.role as Role)) return refused(c, "segments.error.role", 403);
    await next();
  };

  /** A saved segment's exact count, started from the builder, the wizard or the review: its version, else the latest. */
  const startSegmentCount = async (c: Context<ConsoleEnv>, version: unknown) => {
    const id = SegmentId.safeParse(c.req.param("segmentId"));
    const asked = version === undefined || version === "" ? undefined : Version.safeParse(version);
    if (!id.success || (asked && !asked.success)) return null;
    try {
      return await startPreview(ports, id.data, actorOf(c), asked?.data);
    } catch (error) {
      if (error instanceof NotFoundError) return null;
      throw error;
    }
  };

  /** A count of a saved segment: anyone who may count one may follow it (the API's GET .../previews/{id} alike). */
  const segmentCount = async (c: Context<ConsoleEnv>) => {
    const id = SegmentId.safeParse(c.req.param("segmentId"));
    const previewId = PreviewId.safeParse(c.req.param("previewId"));
    if (!id.success || !previewId.success) return null;
    try {
      return await previewProgress(ports, id.data, previewId.data, actorOf(c));
    } catch (error) {
      if (error instanceof NotFoundError) return null;
      throw error;
    }
  };

  const statusJson = (c: Context<ConsoleEnv>, progress: PreviewProgress | null) => {
    if (!progress) return c.json({ code: "not_found", message: "No such count of yours" }, 404);
    const { status, shardsDone, totalShards, count, at } = progress;
    return c.json({
      status,
      shardsDone,
      totalShards,
      count,
      at,
      text: exactCountText(kit.viewOf(c).language, progress),
    });
  };

  const countPage = (c: Context<ConsoleEnv>, progress: PreviewProgress | null, here: string) => {
    const language = kit.viewOf(c).language;
    if (!progress)
      return kit.problemPage(c, 404, t(language, "segments.exact.notFound"), {
        href: `${base}/segments`,
        text: t(language, "segments.list.title"),
      });
    return c.html(
      <ExactCountPage view={kit.viewOf(c)} progress={progress} here={here} text={exactCountText(language, progress)} />,
    );
  };

  const builders: MiddlewareHandler<ConsoleEnv> = async (c, next) => {
    if (!BUILDERS.includes(c.get("session").user.role as Role)) return refused(c, "segments.error.role", 403);
    await next();
  };

  /** The preview's CSRF check: a JSON body has no form field, so the token comes in x-csrf-token. */
  const jsonCsrfChecked: MiddlewareHandler<ConsoleEnv> = async (c, next) => {
    const headers = { secFetchSite: c.req.header("sec-fetch-site"), origin: c.req.header("origin") };
    const crossSite = isCrossSite(headers, [publicOrigin, new URL(c.req.url).origin]);
    if (crossSite || !sameCsrfToken(c.req.header("x-csrf-token"), c.get("session").csrfToken))
      return c.json(
        { code: "forbidden", message: "Reload the page: the request did not carry this session's token" },
        403,
      );
    await next();
  };

  const campaignsUsing = (segmentId: string) => campaignsUsingSegment(ports, segmentId);

  /** The newest campaigns of each status (RECENT_CAMPAIGNS each), for the "answered campaign" condition's suggestions. */
  const recentCampaigns = async () =>
    (
      await Promise.all(
        CampaignStatus.options.map(
          async (status) => (await ports.campaigns.listByStatus(status, RECENT_CAMPAIGNS)).campaigns,
        ),
      )
    )
      .flat()
      .map(({ campaignId, name }) => ({ campaignId, name }));

  /** Archives or unarchives the segment, then shows its page saying so. */
  const archiving = (archive: boolean) => async (c: Context<ConsoleEnv>) => {
    try {
      const latest = await openSegment(c);
      if (archive)
        await archiveSegment(
          ports,
          latest.segmentId,
          (await campaignsUsing(latest.segmentId)).map((u) => u.name),
          actorOf(c),
        );
      else await unarchiveSegment(ports, latest.segmentId);
      return c.redirect(
        `${base}/segments/${encodeURIComponent(latest.segmentId)}?${archive ? "archived" : "unarchived"}=1`,
        303,
      );
    } catch (error) {
      if (error instanceof NotFoundError) return refused(c, "segments.error.notFound", 404);
      if (!(error instanceof SegmentInUseError)) throw error;
      // A campaign was made for it since the page opened: the page now lists it. (One made in
      // the instant between this check and the mark keeps its snapshot of the rule regardless.)
      return c.redirect(`${base}/segments/${encodeURIComponent(c.req.param("segmentId") ?? "")}`, 303);
    }
  };

  /** The builder page for a new segment, a segment's latest version, or (read only) an older one. */
  const builderPage = async (
    c: Context<ConsoleEnv>,
    options: {
      latest?: Segment;
      shown?: Segment;
      name: string;
      rule: SegmentRule | null;
      ruleText: string;
      problems?: string[];
      saved?: number;
      notice?: "segments.archive.done" | "segments.archive.undone";
    },
    status: 200 | 400 | 409 = 200,
  ) => {
    const view = kit.viewOf(c);
    const readOnly = options.shown !== undefined;
    // One scan gives the page its choices (the values that exist) and the first count. Like the
    // live preview, it reads at most SYNC_COUNT_MAX_CUSTOMERS customers: past that the page shows
    // an estimate, and "Count exactly" starts the queued preview run (routes /segments/counts).
    const preview = await previewRule(ports, options.rule ?? EVERYONE, actorOf(c));
    const versions = options.latest ? await segmentVersions(ports, options.latest.segmentId) : [];
    const usedBy = options.latest && !readOnly ? await campaignsUsing(options.latest.segmentId) : [];
    return c.html(
      <SegmentBuilderPage
        view={view}
        latest={options.latest}
        shown={options.shown}
        versions={versions}
        name={options.name}
        ruleText={options.ruleText}
        data={builderData(
          view,
          options.rule,
          options.rule ? preview : null,
          preview.values,
          readOnly,
          readOnly ? [] : await recentCampaigns(),
          readOnly ? undefined : options.latest?.segmentId,
        )}
        problems={options.problems ?? []}
        saved={options.saved}
        usedBy={usedBy}
        notice={options.notice}
        syncCountMax={ports.settings.syncCountMaxCustomers ?? DEFAULT_SYNC_COUNT_MAX_CUSTOMERS}
      />,
      status,
    );
  };

  /** What the form posted, checked by the API's own schema; each problem in the person's words where the console has them. */
  const readForm = async (c: Context<ConsoleEnv>) => {
    const form = await c.req.parseBody();
    const language = kit.viewOf(c).language;
    const name = typeof form.name === "string" ? form.name : "";
    const ruleText = typeof form.rule === "string" ? form.rule : "";
    let raw: unknown;
    try {
      raw = JSON.parse(ruleText);
    } catch (error) {
      const problem = ruleText.trim() === "" ? t(language, "segments.error.ruleMissing") : null;
      return {
        name,
        ruleText,
        rule: null,
        problems: [problem ?? t(language, "segments.error.json", { problem: (error as Error).message })],
      };
    }
    const parsed = NewSegment.safeParse({ name, rule: raw });
    if (parsed.success) return { name, ruleText, rule: parsed.data.rule, input: parsed.data, problems: [] };
    const ruleParsed = SegmentRuleInput.safeParse(raw);
    const problems = parsed.error.issues.map((issue) =>
      issue.path[0] === "name"
        ? t(language, "segments.error.name")
        : t(language, "segments.error.rule", {
            where: issue.path.slice(1).join(".") || "/",
            problem: issue.message,
          }),
    );
    return { name, ruleText, rule: ruleParsed.success ? ruleParsed.data : null, problems };
  };

  /** The person's own count of an unsaved rule, or null: another's rule is theirs to show. */
  const ownCount = async (c: Context<ConsoleEnv>) => {
    const id = PreviewId.safeParse(c.req.param("previewId"));
    if (!id.success) return null;
    const actor = actorOf(c);
    try {
      const progress = await previewProgress(ports, UNSAVED_RULE, id.data, actor);
      return progress.requestedBy === actor.name ? progress : null;
    } catch (error) {
      if (error instanceof NotFoundError) return null;
      throw error;
    }
  };

  const openSegment = async (c: Context<ConsoleEnv>) => {
    const id = SegmentId.safeParse(c.req.param("segmentId"));
    if (!id.success) throw new NotFoundError("Segment", "");
    return getSegment(ports, id.data);
  };

  // "Count exactly" (/segments/counts): the rule being built, counted as a preview run on the
  // fan-out queue, never in the request. The script posts JSON and polls the status; without it,
  // the form posts there and the count's page says how far it is, with a link to refresh.
  return new Hono<ConsoleEnv>()
    .get("/segments", kit.signedIn({ touch: true }), builders, async (c) => {
      const archived = c.req.query("show") === "archived";
      const segments = (await listSegments(ports))
        .filter((s) => isArchived(s) === archived)
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
      return c.html(<SegmentListPage view={kit.viewOf(c)} segments={segments} archived={archived} />);
    })
    .get("/segments/new", kit.signedIn({ touch: true }), builders, (c) =>
      builderPage(c, { name: "", rule: null, ruleText: "" }),
    )
    .post("/segments/preview", kit.signedIn({ touch: true }), builders, jsonCsrfChecked, async (c) => {
      const body = await c.req.json().catch(() => undefined);
      const parsed = z.object({ rule: SegmentRuleInput }).safeParse(body);
      if (!parsed.success)
        return c.json(
          {
            code: "invalid_rule",
            message: parsed.error.issues.map((i) => `${i.path.slice(1).join(".") || "rule"}: ${i.message}`).join("; "),
          },
          400,
        );
      return c.json(await previewRule(ports, parsed.data.rule, actorOf(c)));
    })
    .post("/segments/counts.json", kit.signedIn({ touch: true }), builders, jsonCsrfChecked, async (c) => {
      const parsed = z.object({ rule: SegmentRuleInput }).safeParse(await c.req.json().catch(() => undefined));
      if (!parsed.success)
        return c.json({ code: "invalid_rule", message: "Complete the rule before counting it exactly" }, 400);
      const run = await startRulePreview(ports, parsed.data.rule, actorOf(c));
      return c.json({ previewId: run.previewId, statusUrl: `${base}/segments/counts/${run.previewId}/status` }, 202);
    })
    .post("/segments/counts", kit.signedIn({ touch: true }), builders, kit.csrfChecked, async (c) => {
      const form = await c.req.parseBody();
      const language = kit.viewOf(c).language;
      let raw: unknown;
      try {
        raw = JSON.parse(typeof form.rule === "string" ? form.rule : "");
      } catch {
        raw = undefined;
      }
      const parsed = SegmentRuleInput.safeParse(raw);
      if (!parsed.success)
        return kit.problemPage(c, 400, t(language, "segments.error.ruleMissing"), {
          href: `${base}/segments/new`,
          text: t(language, "segments.builder.newTitle"),
        });
      const run = await startRulePreview(ports, parsed.data, actorOf(c));
      return c.redirect(`${base}/segments/counts/${run.previewId}`, 303);
    })
    .get("/segments/counts/:previewId/status", kit.signedIn({ touch: false }), builders, async (c) =>
      statusJson(c, await ownCount(c)),
    )
    .get("/segments/counts/:previewId", kit.signedIn({ touch: true }), builders, async (c) =>
      countPage(c, await ownCount(c), `${base}/segments/counts/${encodeURIComponent(c.req.param("previewId"))}`),
    )
    .post("/segments/:segmentId/counts.json", kit.signedIn({ touch: true }), counters, jsonCsrfChecked, async (c) => {
      const body = (await c.req.json().catch(() => ({}))) as { version?: unknown };
      const run = await startSegmentCount(c, body?.version);
      if (!run)
        return c.json({ code: "not_found", message: "There is no such segment, or no such version of it" }, 404);
      const here = `${base}/segments/${encodeURIComponent(run.segmentId)}/counts/${run.previewId}`;
      return c.json({ previewId: run.previewId, statusUrl: `${here}/status`, pageUrl: here }, 202);
    })
    .post("/segments/:segmentId/counts", kit.signedIn({ touch: true }), counters, kit.csrfChecked, async (c) => {
      const form = await c.req.parseBody();
      const run = await startSegmentCount(c, form.segmentVersion);
      if (!run) return refused(c, "segments.error.notFound", 404);
      return c.redirect(`${base}/segments/${encodeURIComponent(run.segmentId)}/counts/${run.previewId}`, 303);
    })
    .get("/segments/:segmentId/counts/:previewId/status", kit.signedIn({ touch: false }), counters, async (c) =>
      statusJson(c, await segmentCount(c)),
    )
    .get("/segments/:segmentId/counts/:previewId", kit.signedIn({ touch: true }), counters, async (c) =>
      countPage(
        c,
        await segmentCount(c),
        `${base}/segments/${encodeURIComponent(c.req.param("segmentId"))}/counts/${encodeURIComponent(c.req.param("previewId"))}`,
      ),
    )
    .post("/segments", kit.signedIn({ touch: true }), builders, kit.csrfChecked, async (c) => {
      const form = await readForm(c);
      if (!form.input) return builderPage(c, form, 400);
      const segment = await createSegment(ports, form.input, actorOf(c));
      return c.redirect(`${base}/segments/${encodeURIComponent(segment.segmentId)}?saved=${segment.version}`, 303);
    })
    .get("/segments/:segmentId", kit.signedIn({ touch: true }), builders, async (c) => {
      try {
        const latest = await openSegment(c);
        const asked = c.req.query("version");
        const version = asked === undefined ? undefined : Version.safeParse(asked);
        if (version && !version.success) return refused(c, "segments.error.notFound", 404);
        const shown =
          version?.success && version.data !== latest.version
            ? await getSegment(ports, latest.segmentId, version.data)
            : undefined;
        const saved = Version.safeParse(c.req.query("saved"));
        const segment = shown ?? latest;
        return builderPage(c, {
          latest,
          shown,
          name: segment.name,
          rule: segment.rule,
          ruleText: JSON.stringify(segment.rule, null, 2),
          saved: !shown && saved.success && saved.data === latest.version ? saved.data : undefined,
          notice:
            c.req.query("archived") && isArchived(latest)
              ? "segments.archive.done"
              : c.req.query("unarchived") && !isArchived(latest)
                ? "segments.archive.undone"
                : undefined,
        });
      } catch (error) {
        if (error instanceof NotFoundError) return refused(c, "segments.error.notFound", 404);
        throw error;
      }
    })
    .post("/segments/:segmentId/archive", kit.signedIn({ touch: true }), builders, kit.csrfChecked, archiving(true))
    .post("/segments/:segmentId/unarchive", kit.signedIn({ touch: true }), builders, kit.csrfChecked, archiving(false))
    .post("/segments/:segmentId", kit.signedIn({ touch: true }), builders, kit.csrfChecked, async (c) => {
      let latest: Segment;
      try {
        latest = await openSegment(c);
      } catch (error) {
        if (error instanceof NotFoundError) return refused(c, "segments.error.notFound", 404);
        throw error;
      }
      const form = await readForm(c);
      if (!form.input) return builderPage(c, { ...form, latest }, 400);
      try {
        const segment = await reviseSegment(ports, latest.segmentId, form.input, actorOf(c));
        return c.redirect(`${base}/segments/${encodeURIComponent(segment.segmentId)}?saved=${segment.version}`, 303);
      } catch (error) {
        if (!(error instanceof SegmentVersionConflictError)) throw error;
        const language = kit.viewOf(c).language;
        return builderPage(c, { ...form, latest, problems: [t(language, "segments.error.conflict")] }, 409);
      }
    });
}
