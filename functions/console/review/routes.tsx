/** @jsxImportSource hono/jsx */
import { type Context, Hono } from "hono";
import { z } from "zod";
import type { Campaign } from "../../../shared/campaigns/campaign.js";
import { getCampaign } from "../../../shared/campaigns/get-campaign.js";
import { approveCampaign, sendBackCampaign } from "../../../shared/campaigns/maker-checker.js";
import { DeletionRequest } from "../../../shared/customers/changes.js";
import { applyChange, pendingChanges, rejectChange } from "../../../shared/customers/maker-checker.js";
import { cancelCampaign, pauseCampaign, resumeCampaign } from "../../../shared/delivery/control.js";
import { launchCampaign } from "../../../shared/delivery/launch.js";
import type { Actor, Role } from "../../../shared/kernel/actor.js";
import {
  CampaignChangedSinceApprovalError,
  CampaignStateConflictError,
  CustomerChangeConflictError,
  ForbiddenError,
  NotFoundError,
  SelfApprovalError,
  ValidationError,
} from "../../../shared/kernel/errors.js";
import { idNamed } from "../../../shared/kernel/ids.js";
import { t } from "../copy/say.js";
import type { ConsoleEnv, ConsoleKit } from "../kit.js";
import { CancelPage, InboxPage, type WaitingCampaign } from "./inbox-page.js";
import { CAMPAIGN_STAFF, DECIDERS, type Done, type Problem } from "./panel.js";

const CampaignId = idNamed("campaignId");
const CustomerId = idNamed("customerId");
const ChangeId = idNamed("changeId");

/**
 * The inbox reads every submitted campaign, page by page: the store lists newest first, and a
 * cut-off would drop the ones that have waited longest. A queue waiting for approval is short.
 */
const PAGE = 50;

const actorOf = (c: Context<ConsoleEnv>): Actor => {
  const { id, name, role } = c.get("session").user;
  return { kind: "person", id, name, role: role as Role };
};

/** A pause's reason is read in the campaign's page and history: a sentence, not a report. */
const PAUSE_REASON_MAX = 200;

/**
 * The forms this area's pages post, parsed as every input is (the CSRF token was checked before).
 * A send-back's reason is the domain's to judge (sendBackCampaign names what it must be).
 */
const SendBackForm = z.object({ reason: z.string().default("") });
const PauseForm = z.object({ reason: z.string().trim().max(PAUSE_REASON_MAX).optional() });
const CancelForm = z.object({ confirm: z.literal("yes") });
const formOf = async <T extends z.ZodType>(c: Context<ConsoleEnv>, schema: T) =>
  schema.safeParse(await c.req.parseBody());

/** What went wrong, as the campaign page's ?problem= says it; anything else is not the person's to fix here. */
function problemOf(error: unknown, invalid: Problem): Problem | undefined {
  if (error instanceof SelfApprovalError) return "selfApproval";
  if (error instanceof CampaignChangedSinceApprovalError) return "changedSinceApproval";
  if (error instanceof CampaignStateConflictError) return "state";
  if (error instanceof ForbiddenError) return "forbidden";
  if (error instanceof ValidationError) return invalid;
  return undefined;
}

/** The approver's inbox and review, and what a campaign's page lets each role do: approve, send back, launch, pause, resume, cancel. */
export function reviewPages(kit: ConsoleKit) {
  const { ports, base, signedIn, csrfChecked, viewOf } = kit;
  const campaignUrl = (campaignId: string, query = "") =>
    `${base}/campaigns/${encodeURIComponent(campaignId)}${query ? `?${query}` : ""}`;

  const notFound = (c: Context<ConsoleEnv>) => kit.problemPage(c, 404, t(viewOf(c).language, "error.notFound"));

  /** Only the roles the API's role matrix gives the action; anyone else is told so on a page of its own. */
  const allowed = (roles: readonly Role[]) =>
    kit.onlyRoles(roles, (language, role) =>
      t(language, "review.error.forbidden", { role: t(language, `role.${role}`) }),
    );

  /**
   * One campaign action, as every one of them goes: the campaign named in the path, the use case
   * called as the signed-in person, then back to the campaign's page saying what happened, or
   * what stood in the way (a 303 either way, so a reload does not post again).
   */
  const campaignAction =
    (
      done: Done,
      act: (c: Context<ConsoleEnv>, campaignId: string, actor: Actor) => Promise<unknown>,
      /** What a form the domain or its schema refuses is told: a send-back's missing reason, unless said otherwise. */
      invalid: Problem = "reasonRequired",
    ) =>
    async (c: Context<ConsoleEnv>) => {
      const id = CampaignId.safeParse(c.req.param("campaignId"));
      if (!id.success) return notFound(c);
      try {
        await act(c, id.data, actorOf(c));
        return c.redirect(campaignUrl(id.data, `done=${done}`), 303);
      } catch (error) {
        if (error instanceof NotFoundError) return notFound(c);
        const problem = problemOf(error, invalid);
        if (!problem) throw error;
        return c.redirect(campaignUrl(id.data, `problem=${problem}`), 303);
      }
    };

  const changeDecision =
    (
      done: "applied" | "rejected",
      act: (c: Context<ConsoleEnv>, ids: [string, string], actor: Actor) => Promise<unknown>,
    ) =>
    async (c: Context<ConsoleEnv>) => {
      const customerId = CustomerId.safeParse(c.req.param("customerId"));
      const changeId = ChangeId.safeParse(c.req.param("changeId"));
      if (!customerId.success || !changeId.success) return notFound(c);
      try {
        await act(c, [customerId.data, changeId.data], actorOf(c));
        return c.redirect(`${base}/inbox?done=${done}`, 303);
      } catch (error) {
        if (error instanceof NotFoundError) return notFound(c);
        if (error instanceof SelfApprovalError) return c.redirect(`${base}/inbox?problem=ownChange`, 303);
        if (error instanceof CustomerChangeConflictError) return c.redirect(`${base}/inbox?problem=decided`, 303);
        if (error instanceof ValidationError) return c.redirect(`${base}/inbox?problem=reason`, 303);
        throw error;
      }
    };

  /** The submitted campaigns, oldest submission first: the one that has waited longest comes first. */
  const waitingCampaigns = async (): Promise<WaitingCampaign[]> => {
    const campaigns: Campaign[] = [];
    let cursor: string | undefined;
    do {
      const page = await ports.campaigns.listByStatus("submitted", PAGE, cursor);
      campaigns.push(...page.campaigns);
      cursor = page.cursor;
    } while (cursor);
    const since = (c: Campaign) => c.submittedAt ?? c.createdAt;
    campaigns.sort((a, b) => since(a).localeCompare(since(b)));
    const names = new Map<string, Promise<string | undefined>>();
    const nameOf = (c: Campaign) => {
      const key = `${c.segmentId}#${c.segmentVersion}`;
      if (!names.has(key))
        names.set(
          key,
          ports.segments.get(c.segmentId, c.segmentVersion).then((s) => s?.name),
        );
      return names.get(key) as Promise<string | undefined>;
    };
    return Promise.all(campaigns.map(async (campaign) => ({ campaign, segmentName: await nameOf(campaign) })));
  };

  return new Hono<ConsoleEnv>()
    .get("/inbox", signedIn({ touch: true }), allowed(DECIDERS), async (c) => {
      const [campaigns, changes] = await Promise.all([waitingCampaigns(), pendingChanges(ports, actorOf(c))]);
      return c.html(<InboxPage view={viewOf(c)} campaigns={campaigns} changes={changes} />);
    })
    .post(
      "/inbox/changes/:customerId/:changeId/apply",
      signedIn({ touch: true }),
      csrfChecked,
      allowed(DECIDERS),
      changeDecision("applied", (_c, [customerId, changeId], actor) => applyChange(ports, customerId, changeId, actor)),
    )
    .post(
      "/inbox/changes/:customerId/:changeId/reject",
      signedIn({ touch: true }),
      csrfChecked,
      allowed(DECIDERS),
      changeDecision("rejected", async (c, [customerId, changeId], actor) => {
        const reason = await formOf(c, DeletionRequest);
        if (!reason.success) throw new ValidationError(reason.error.issues[0].message);
        return rejectChange(ports, customerId, changeId, reason.data.reason, actor);
      }),
    )
    .post(
      "/campaigns/:campaignId/approve",
      signedIn({ touch: true }),
      csrfChecked,
      allowed(DECIDERS),
      campaignAction("approved", (_c, id, actor) => approveCampaign(ports, id, actor)),
    )
    .post(
      "/campaigns/:campaignId/send-back",
      signedIn({ touch: true }),
      csrfChecked,
      allowed(DECIDERS),
      campaignAction("sentBack", async (c, id, actor) =>
        sendBackCampaign(ports, id, actor, (await formOf(c, SendBackForm)).data?.reason ?? ""),
      ),
    )
    .post(
      "/campaigns/:campaignId/launch",
      signedIn({ touch: true }),
      csrfChecked,
      allowed(CAMPAIGN_STAFF),
      campaignAction("launched", (_c, id, actor) => launchCampaign(ports, id, actor)),
    )
    .post(
      "/campaigns/:campaignId/pause",
      signedIn({ touch: true }),
      csrfChecked,
      allowed(CAMPAIGN_STAFF),
      campaignAction(
        "paused",
        async (c, id, actor) => {
          const form = await formOf(c, PauseForm);
          if (!form.success) throw new ValidationError(`a pause's reason is at most ${PAUSE_REASON_MAX} characters`);
          const reason = form.data.reason;
          return pauseCampaign(ports, id, { name: actor.name, ...(reason ? { reason } : {}) });
        },
        "pauseReasonTooLong",
      ),
    )
    .post(
      "/campaigns/:campaignId/resume",
      signedIn({ touch: true }),
      csrfChecked,
      allowed(CAMPAIGN_STAFF),
      campaignAction("resumed", (_c, id, actor) => resumeCampaign(ports, id, actor)),
    )
    .get("/campaigns/:campaignId/cancel", signedIn({ touch: true }), allowed(CAMPAIGN_STAFF), async (c) => {
      const id = CampaignId.safeParse(c.req.param("campaignId"));
      try {
        if (!id.success) return notFound(c);
        return c.html(<CancelPage view={viewOf(c)} campaign={await getCampaign(ports, id.data)} />);
      } catch (error) {
        if (error instanceof NotFoundError) return notFound(c);
        throw error;
      }
    })
    .post(
      "/campaigns/:campaignId/cancel",
      signedIn({ touch: true }),
      csrfChecked,
      allowed(CAMPAIGN_STAFF),
      async (c, next) => {
        // The box must be ticked: without it, back to the step that asks (a browser without `required`).
        if (!(await formOf(c, CancelForm)).success)
          return c.redirect(`${campaignUrl(c.req.param("campaignId") ?? "")}/cancel`, 303);
        await next();
      },
      campaignAction("cancelled", (_c, id, actor) => cancelCampaign(ports, id, actor)),
    );
}
