/** @jsxImportSource hono/jsx */
import { type Context, Hono } from "hono";
import type { Campaign } from "../../../shared/campaigns/campaign.js";
import { clientGapsOf } from "../../../shared/campaigns/email-clients.js";
import { getCampaign } from "../../../shared/campaigns/get-campaign.js";
import { createCampaign, submitCampaign, updateDraft } from "../../../shared/campaigns/maker-checker.js";
import { previewCampaignMessage, sendTestEmail } from "../../../shared/delivery/preview.js";
import type { Actor, Role } from "../../../shared/kernel/actor.js";
import {
  CampaignStateConflictError,
  DomainError,
  NotFoundError,
  NotInSegmentError,
  ValidationError,
} from "../../../shared/kernel/errors.js";
import { idNamed } from "../../../shared/kernel/ids.js";
import { Language } from "../../../shared/kernel/language.js";
import { forSampleOfMembers, ruleContextOf } from "../../../shared/segments/preview.js";
import { t } from "../copy/say.js";
import type { ConsoleEnv, ConsoleKit } from "../kit.js";
import { DraftPage, type MessagePreview, type Notice } from "./draft-page.js";
import { EditorPage, productOutlookText, segmentCountText } from "./editor-page.js";
import {
  contentOf,
  type FormErrors,
  type FormValues,
  NEW_FORM,
  parsed,
  templateError,
  valuesOf,
  valuesOfCampaign,
} from "./form.js";
import { segmentOutlook } from "./outlook.js";

const CampaignId = idNamed("campaignId");

/** Who builds campaigns: the wizard, its edits, the test email and the submission are theirs. */
const MAKERS: readonly Role[] = ["marketer", "admin"];
/** Who may read a draft and its preview: its makers, and the approvers who will sign it off. */
const READERS: readonly Role[] = ["marketer", "approver", "admin"];

/**
 * The email preview's own policy: it is the finished email, MJML's inline styles and all, so it
 * may carry inline style (and nothing else: no script, no request but images), and be framed by
 * the console only. The page that frames it keeps its strict policy; the frame is sandboxed too.
 */
const PREVIEW_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data: https:; frame-ancestors 'self'";

const actorOf = (c: Context<ConsoleEnv>): Actor => {
  const { id, name, role, email } = c.get("session").user;
  return { kind: "person", id, name, role, ...(email ? { email } : {}) };
};

/** The person's own address, where their test email goes: from their sign-in, when it carries one. */
/** The marketer's own HTML of one language's version, out of the finished email; the English is the campaign's message. */
const contentIn = (campaign: Campaign, language: Language) =>
  contentOf(campaign.translations?.[language]?.html ?? campaign.message.html);

const emailOf = (c: Context<ConsoleEnv>): string | undefined => c.get("session").user.email || undefined;

/** The campaign wizard: a new campaign step by step, editing a draft, preview and test send, submit. */
export function campaignEditorPages(kit: ConsoleKit) {
  const { ports, base, signedIn, csrfChecked, viewOf } = kit;
  const draftUrl = (campaignId: string, query = "") =>
    `${base}/campaigns/${encodeURIComponent(campaignId)}/draft${query ? `?${query}` : ""}`;

  /** A page of the console saying what went wrong, with the status the API would answer; `back` links to that page. */
  const problemPage = (c: Context<ConsoleEnv>, status: 400 | 403 | 404 | 409, message: string, back?: string) =>
    kit.problemPage(c, status, message, back ? { href: back, text: t(viewOf(c).language, "results.back") } : undefined);

  const allowed = (roles: readonly Role[]) =>
    kit.onlyRoles(roles, (language) => t(language, "campaignEditor.forbidden"));

  /**
   * What the domain refused, as a page: not found; moved on meanwhile (someone submitted or
   * approved it), said with the status it is in now, in the person's language; or its own words.
   */
  const refused = async (c: Context<ConsoleEnv>, error: unknown, back?: string) => {
    if (!(error instanceof DomainError)) throw error;
    const { language } = viewOf(c);
    if (error instanceof NotFoundError) return problemPage(c, 404, t(language, "error.notFound"));
    if (error instanceof CampaignStateConflictError) {
      const now = await Promise.resolve()
        .then(() => getCampaign(ports, campaignIdOf(c)))
        .catch(() => undefined);
      const status = now ? t(language, `status.${now.status}`) : "";
      return problemPage(c, 409, now ? t(language, "campaignEditor.moved", { status }) : error.message, back);
    }
    const status = error.status === 403 || error.status === 409 || error.status === 404 ? error.status : 400;
    return problemPage(c, status, t(language, "campaignEditor.failed", { reason: error.message }), back);
  };

  const campaignIdOf = (c: Context<ConsoleEnv>) => {
    const id = CampaignId.safeParse(c.req.param("campaignId"));
    if (!id.success) throw new NotFoundError("Campaign", "");
    return id.data;
  };

  /** The segment's outlook when one is chosen and still exists; the form is shown without it otherwise. */
  const outlookOf = async (segmentId: string) => {
    if (!segmentId) return undefined;
    try {
      return await segmentOutlook(ports, segmentId);
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
  };

  const editor = async (
    c: Context<ConsoleEnv>,
    page: { title: string; action: string; cancel: string; values: FormValues; errors: FormErrors },
    status: 200 | 400 = 200,
  ) => {
    const [segments, outlook] = await Promise.all([ports.segments.list(), outlookOf(page.values.segmentId)]);
    segments.sort((a, b) => a.name.localeCompare(b.name));
    return c.html(<EditorPage view={viewOf(c)} segments={segments} outlook={outlook} {...page} />, status);
  };

  /** Saves the form with `save`, or shows it again with what is wrong beside each field (400). */
  const saved = async (
    c: Context<ConsoleEnv>,
    page: { title: string; action: string; cancel: string },
    save: (input: Parameters<typeof createCampaign>[1]) => Promise<{ campaignId: string }>,
  ) => {
    const { language } = viewOf(c);
    const values = valuesOf(await c.req.parseBody());
    const result = parsed(values, language);
    if (!result.ok) return editor(c, { ...page, values, errors: result.errors }, 400);
    try {
      const campaign = await save(result.input);
      return c.redirect(draftUrl(campaign.campaignId, "notice=saved"), 303);
    } catch (error) {
      if (error instanceof ValidationError)
        return editor(c, { ...page, values, errors: templateError(error.message, language) }, 400);
      if (error instanceof NotFoundError && /^Segment /.test(error.message))
        return editor(
          c,
          { ...page, values, errors: { segmentId: t(language, "campaignEditor.error.segmentGone") } },
          400,
        );
      throw error;
    }
  };

  /** The next customer of the segment after `customerId`, in id order, round to the first: "another customer". */
  /**
   * "Another customer": the next member by id after this one, among the customers a request may
   * read (SYNC_COUNT_MAX_CUSTOMERS, the counts' own bound), so a bank of millions still gets its
   * draft page in a second; past the bound it cycles through the members of that sample.
   */
  const nextCustomer = async (campaignId: string, customerId: string) => {
    const campaign = await getCampaign(ports, campaignId);
    const ids: string[] = [];
    await forSampleOfMembers(ports, campaign.segmentRule, ruleContextOf(ports), (members) => {
      for (const m of members) ids.push(m.customerId);
    });
    ids.sort();
    if (ids.length < 2) return undefined;
    return ids.find((id) => id > customerId) ?? ids[0];
  };

  const newPage = (c: Context<ConsoleEnv>) => ({
    title: t(viewOf(c).language, "campaignEditor.newTitle"),
    action: `${base}/campaigns/new`,
    cancel: `${base}/campaigns`,
  });

  return new Hono<ConsoleEnv>()
    .get("/campaigns/new", signedIn({ touch: true }), allowed(MAKERS), (c) =>
      editor(c, { ...newPage(c), values: NEW_FORM, errors: {} }),
    )
    .post("/campaigns/new", signedIn({ touch: true }), csrfChecked, allowed(MAKERS), (c) =>
      saved(c, newPage(c), (input) => createCampaign(ports, input, actorOf(c))),
    )
    .get("/campaigns/new/outlook", signedIn({ touch: true }), allowed(MAKERS), async (c) => {
      const { language } = viewOf(c);
      const outlook = await outlookOf(c.req.query("segmentId") ?? "");
      if (!outlook)
        return c.json({ code: "not_found", message: "There is no such segment: choose one from the list" }, 404);
      return c.json({
        count: outlook.count,
        exact: outlook.exact,
        basedOn: outlook.basedOn,
        countText: segmentCountText(language, outlook),
        products: Object.fromEntries(
          Object.entries(outlook.products).map(([code, p]) => [
            code,
            { eligible: p.eligible, text: productOutlookText(language, outlook.count, p, outlook.exact) },
          ]),
        ),
      });
    })
    .get("/campaigns/:campaignId/edit", signedIn({ touch: true }), allowed(MAKERS), async (c) => {
      try {
        const campaign = await getCampaign(ports, campaignIdOf(c));
        const { language } = viewOf(c);
        if (campaign.status !== "draft")
          return problemPage(
            c,
            409,
            t(language, "campaignEditor.notDraft", { status: t(language, `status.${campaign.status}`) }),
            draftUrl(campaign.campaignId),
          );
        return editor(c, {
          title: t(language, "campaignEditor.editTitle", { name: campaign.name }),
          action: `${base}/campaigns/${encodeURIComponent(campaign.campaignId)}/edit`,
          cancel: draftUrl(campaign.campaignId),
          values: valuesOfCampaign(campaign),
          errors: {},
        });
      } catch (error) {
        return refused(c, error);
      }
    })
    .post("/campaigns/:campaignId/edit", signedIn({ touch: true }), csrfChecked, allowed(MAKERS), async (c) => {
      try {
        const campaign = await getCampaign(ports, campaignIdOf(c));
        return await saved(
          c,
          {
            title: t(viewOf(c).language, "campaignEditor.editTitle", { name: campaign.name }),
            action: `${base}/campaigns/${encodeURIComponent(campaign.campaignId)}/edit`,
            cancel: draftUrl(campaign.campaignId),
          },
          (input) => updateDraft(ports, campaign.campaignId, input, actorOf(c)),
        );
      } catch (error) {
        return refused(c, error, draftUrl(c.req.param("campaignId")));
      }
    })
    .get("/campaigns/:campaignId/draft", signedIn({ touch: true }), allowed(READERS), async (c) => {
      try {
        const campaign = await getCampaign(ports, campaignIdOf(c));
        // Once approved, a campaign is the review's and the results' (its own page), not a draft to work on.
        if (campaign.status !== "draft" && campaign.status !== "submitted")
          return c.redirect(`${base}/campaigns/${encodeURIComponent(campaign.campaignId)}`, 302);
        const query = c.req.query();
        const language = Language.safeParse(query.language);
        // Without a language asked for, the preview speaks the person's own when the campaign has a version in it.
        const own = viewOf(c).language;
        const hasOwn = own === "en" || campaign.translations?.[own] !== undefined;
        const asked = language.success ? { language: language.data } : hasOwn ? { language: own } : {};
        let preview: MessagePreview | undefined;
        try {
          preview = await previewCampaignMessage(
            ports,
            campaign.campaignId,
            { ...asked, ...(query.customerId ? { customerId: query.customerId } : {}) },
            actorOf(c),
          );
        } catch (error) {
          // A customer who has left the segment since the link was made: the preview takes another.
          // A segment with nobody in it has nothing to preview, which the page says.
          if (!(error instanceof NotInSegmentError || error instanceof NotFoundError)) throw error;
          if (query.customerId)
            preview = await previewCampaignMessage(ports, campaign.campaignId, asked, actorOf(c)).catch((again) => {
              if (again instanceof NotInSegmentError) return undefined;
              throw again;
            });
        }
        const next = preview && (await nextCustomer(campaign.campaignId, preview.customerId));
        const notice: Notice | undefined =
          query.notice === "saved" || query.notice === "submitted"
            ? { kind: query.notice }
            : query.notice === "noEmail"
              ? { kind: "noEmail" }
              : query.notice === "tested" && language.success && emailOf(c)
                ? { kind: "tested", language: language.data, to: emailOf(c) as string }
                : undefined;
        const segment = await ports.segments.get(campaign.segmentId, campaign.segmentVersion);
        return c.html(
          <DraftPage
            view={viewOf(c)}
            campaign={campaign}
            segmentName={segment?.name ?? campaign.segmentId}
            preview={preview}
            anotherCustomer={
              next && preview
                ? draftUrl(
                    campaign.campaignId,
                    `language=${encodeURIComponent(preview.language)}&customerId=${encodeURIComponent(next)}`,
                  )
                : undefined
            }
            notice={notice}
            clientGaps={preview && clientGapsOf(contentIn(campaign, preview.language))}
          />,
        );
      } catch (error) {
        return refused(c, error);
      }
    })
    .get("/campaigns/:campaignId/preview.html", signedIn({ touch: false }), allowed(READERS), async (c) => {
      const language = Language.safeParse(c.req.query("language"));
      const customerId = c.req.query("customerId");
      try {
        const preview = await previewCampaignMessage(
          ports,
          campaignIdOf(c),
          { ...(customerId ? { customerId } : {}), ...(language.success ? { language: language.data } : {}) },
          actorOf(c),
        );
        // Set here, and kept by the console's headers (they do not overwrite a policy a route set).
        return c.body(preview.html, 200, {
          "content-type": "text/html; charset=utf-8",
          "content-security-policy": PREVIEW_POLICY,
          "x-frame-options": "SAMEORIGIN",
        });
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        return c.text(error.message, error.status === 404 ? 404 : 400);
      }
    })
    .post("/campaigns/:campaignId/test", signedIn({ touch: true }), csrfChecked, allowed(MAKERS), async (c) => {
      const campaignId = c.req.param("campaignId");
      try {
        const id = campaignIdOf(c);
        const body = await c.req.parseBody();
        const language = Language.safeParse(body.language);
        const customerId = typeof body.customerId === "string" && body.customerId ? body.customerId : undefined;
        const back = `${language.success ? `language=${encodeURIComponent(language.data)}&` : ""}${customerId ? `customerId=${encodeURIComponent(customerId)}&` : ""}`;
        const to = emailOf(c);
        if (!to) return c.redirect(draftUrl(id, `${back}notice=noEmail`), 303);
        const sent = await sendTestEmail(
          ports,
          id,
          { to, ...(language.success ? { language: language.data } : {}), ...(customerId ? { customerId } : {}) },
          actorOf(c),
        );
        return c.redirect(
          draftUrl(
            id,
            `language=${encodeURIComponent(sent.language)}&${customerId ? `customerId=${encodeURIComponent(customerId)}&` : ""}notice=tested`,
          ),
          303,
        );
      } catch (error) {
        return refused(c, error, draftUrl(campaignId));
      }
    })
    .post("/campaigns/:campaignId/submit", signedIn({ touch: true }), csrfChecked, allowed(MAKERS), async (c) => {
      const campaignId = c.req.param("campaignId");
      try {
        const campaign = await submitCampaign(ports, campaignIdOf(c), actorOf(c));
        return c.redirect(draftUrl(campaign.campaignId, "notice=submitted"), 303);
      } catch (error) {
        return refused(c, error, draftUrl(campaignId));
      }
    });
}
