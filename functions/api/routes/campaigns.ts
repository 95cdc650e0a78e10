import { createRoute, z } from "@hono/zod-openapi";
import { Campaign, NewCampaign } from "../../../shared/campaigns/campaign.js";
import { getCampaign } from "../../../shared/campaigns/get-campaign.js";
import { campaignHistoryOf } from "../../../shared/campaigns/history.js";
import { CampaignHistoryEntry, CampaignStatus } from "../../../shared/campaigns/lifecycle.js";
import {
  approveCampaign,
  createCampaign,
  SEND_BACK_REASON_MAX,
  sendBackCampaign,
  submitCampaign,
  updateDraft,
} from "../../../shared/campaigns/maker-checker.js";
import { listCampaigns, MAX_CAMPAIGN_PAGE } from "../../../shared/delivery/campaign-list.js";
import { cancelCampaign, pauseCampaign, resumeCampaign } from "../../../shared/delivery/control.js";
import { launchCampaign } from "../../../shared/delivery/launch.js";
import { previewCampaignMessage, sendTestEmail } from "../../../shared/delivery/preview.js";
import { campaignStats } from "../../../shared/delivery/stats.js";
import { DomainError } from "../../../shared/kernel/errors.js";
import { idNamed } from "../../../shared/kernel/ids.js";
import { Language } from "../../../shared/kernel/language.js";
import { logger } from "../../../shared/observability/logger.js";
import { requireRole } from "../auth.js";
import type { ApiPorts } from "../deps.js";
import { router } from "../router.js";

const CampaignId = z.object({ campaignId: idNamed("campaignId") });
/** The HTTP reply to a create, approve, launch, pause, resume or cancel: the campaign and its new status. */
const StatusReply = z.object({ campaignId: z.string(), status: CampaignStatus });
const Rate = z.number().nullable();
const CampaignStats = z.object({
  status: CampaignStatus,
  targeted: z.number(),
  control: z.number(),
  suppressed: z.record(z.string(), z.number()),
  queued: z.number(),
  sending: z.number().describe("Claimed by a sender, its result not recorded yet"),
  stuck: z.number().describe("Their send message is in the dead-letter queue: redrive it once the cause is fixed"),
  unconfirmed: z.number().describe("Claimed, and no word from the sender or SES in time: never sent again"),
  sent: z.number(),
  failed: z.number(),
  delivered: z.number().describe("Emails SES reported delivered"),
  bounced: z.number().describe("Hard bounces: the address is on the suppression list since"),
  softBounced: z.number().describe("Soft bounces: counted, not suppressed"),
  delayed: z.number().describe("Emails SES reported delayed"),
  complained: z.number().describe("Emails marked as spam: the customer's email consent is withdrawn"),
  rejected: z.number().describe("Emails SES took, then refused to send"),
  renewed: z
    .number()
    .describe("Emails sent again at the customer's request from an expired link: not counted in sent or its rates"),
  clicked: z.number(),
  responded: z.number(),
  responses: z.object({ interested: z.number(), call_me: z.number(), not_now: z.number(), unsubscribe: z.number() }),
  converted: z.number(),
  controlConverted: z.number(),
  rates: z.object({
    deliveryRate: Rate,
    deliveredRate: Rate.describe("delivered / sent"),
    bounceRate: Rate.describe("bounced / sent: SES reviews an account at 5%"),
    complaintRate: Rate.describe("complained / sent: SES reviews an account at 0.1%"),
    clickRate: Rate,
    responseRate: Rate,
    conversionRate: Rate,
    controlConversionRate: Rate,
    lift: Rate,
  }),
});

const ListQuery = z.object({
  status: CampaignStatus.describe("Only the campaigns in this status"),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_CAMPAIGN_PAGE)
    .default(20)
    .describe(`At most this many (1-${MAX_CAMPAIGN_PAGE})`),
  cursor: z
    .string()
    .max(1024)
    .regex(/^[A-Za-z0-9_-]+$/, "cursor is the `cursor` of the previous page, as it was given")
    .optional()
    .describe("The previous page's `cursor`: the next page"),
});
const CampaignSummary = z.object({
  campaignId: z.string(),
  name: z.string(),
  status: CampaignStatus,
  productCode: z.string(),
  controlGroupPercent: z.number(),
  createdBy: z.string(),
  createdAt: z.string(),
  launchedAt: z.string().optional(),
  completedAt: z.string().optional(),
  stats: z
    .object({
      targeted: z.number(),
      control: z.number(),
      sent: z.number(),
      clicked: z.number(),
      responded: z.number(),
      converted: z.number(),
    })
    .describe("The funnel's latest counters, as GET /api/campaigns/{campaignId}/stats counts them"),
});

const SendBack = z.object({
  reason: z
    .string({ error: `reason is required: 1 to ${SEND_BACK_REASON_MAX} characters telling the author what to change` })
    .describe(`Why, for the campaign's author: 1-${SEND_BACK_REASON_MAX} characters once trimmed`),
});

const PreviewQuery = z.object({
  customerId: idNamed("customerId")
    .optional()
    .describe("A member of the campaign's segment; the first member found in `language` when absent"),
  language: Language.optional().describe("The version to render; the customer's own language when absent"),
});
const MessagePreview = z.object({
  customerId: z.string().describe("The segment member it is rendered for"),
  language: Language.describe("The language the email is written in"),
  subject: z.string(),
  html: z.string().describe("The finished email; its name is masked as your role sees customers, its links are inert"),
  text: z.string(),
  languages: z.array(Language).describe("The languages the campaign has a version in"),
});

/** Strict: a test email goes to the signed-in person's own address, never to one a request names. */
const TestSend = z.strictObject(
  {
    language: Language.optional().describe("The version to send; the customer's own language when absent"),
    customerId: idNamed("customerId").optional().describe("A member of the segment to render it for"),
  },
  {
    error: (issue) =>
      issue.code === "unrecognized_keys"
        ? `the body takes only language and customerId: a test email goes to your own address, as your sign-in names it (${(issue as { keys?: string[] }).keys?.join(", ")} is not taken)`
        : undefined,
  },
);
const TestSent = z.object({
  messageId: z.string(),
  to: z.string().describe("Your own address, where it went"),
  language: Language,
});

/** The signed-in person's token names no address: there is nowhere to send their test email. */
class NoOwnAddressError extends DomainError {
  readonly code = "no_email_address";
  readonly status = 422;
  constructor() {
    super(
      "The signed-in account has no email address, so a test email has nowhere to go: give the account an email at the identity provider (README, Signing in)",
    );
  }
}

const action = (path: string, summary: string, ...roles: Parameters<typeof requireRole>) =>
  createRoute({
    method: "post",
    path,
    summary,
    middleware: [requireRole(...roles)] as const,
    request: { params: CampaignId },
    responses: {
      200: { description: "The campaign's new status", content: { "application/json": { schema: StatusReply } } },
    },
  });

export const campaignRoutes = (ports: ApiPorts) =>
  router()
    .openapi(
      createRoute({
        method: "get",
        path: "/",
        summary: "The campaigns in one status, newest first, each with its latest numbers; paged",
        request: { query: ListQuery },
        responses: {
          200: {
            description: "A page of campaigns; `cursor` is there when there are more",
            content: {
              "application/json": {
                schema: z.object({ campaigns: z.array(CampaignSummary), cursor: z.string().optional() }),
              },
            },
          },
        },
      }),
      async (c) => c.json(await listCampaigns(ports, c.req.valid("query")), 200),
    )
    .openapi(
      createRoute({
        method: "post",
        path: "/",
        summary: "Create a draft campaign: segment, offered product, message and control group",
        middleware: [requireRole("marketer")] as const,
        request: { body: { required: true, content: { "application/json": { schema: NewCampaign } } } },
        responses: {
          201: { description: "Created as draft", content: { "application/json": { schema: StatusReply } } },
        },
      }),
      async (c) => {
        const campaign = await createCampaign(ports, c.req.valid("json"), c.get("actor"));
        return c.json({ campaignId: campaign.campaignId, status: campaign.status }, 201);
      },
    )
    .openapi(
      createRoute({
        method: "get",
        path: "/{campaignId}",
        summary: "A campaign",
        request: { params: CampaignId },
        responses: { 200: { description: "The campaign", content: { "application/json": { schema: Campaign } } } },
      }),
      async (c) => c.json(await getCampaign(ports, c.req.valid("param").campaignId), 200),
    )
    .openapi(
      createRoute({
        method: "put",
        path: "/{campaignId}",
        summary: "Edit a draft: the whole campaign again, its segment's current version and its emails prepared anew",
        middleware: [requireRole("marketer")] as const,
        request: {
          params: CampaignId,
          body: { required: true, content: { "application/json": { schema: NewCampaign } } },
        },
        responses: {
          200: { description: "Still a draft, as edited", content: { "application/json": { schema: StatusReply } } },
        },
      }),
      async (c) => {
        const { campaignId, status } = await updateDraft(
          ports,
          c.req.valid("param").campaignId,
          c.req.valid("json"),
          c.get("actor"),
        );
        return c.json({ campaignId, status }, 200);
      },
    )
    .openapi(action("/{campaignId}/submit", "Submit a draft for approval", "marketer"), async (c) => {
      const { campaignId, status } = await submitCampaign(ports, c.req.valid("param").campaignId, c.get("actor"));
      return c.json({ campaignId, status }, 200);
    })
    .openapi(
      createRoute({
        method: "post",
        path: "/{campaignId}/send-back",
        summary: "Send a submitted campaign back to draft, saying why (by an approver who did not create it)",
        middleware: [requireRole("approver")] as const,
        request: {
          params: CampaignId,
          body: { required: true, content: { "application/json": { schema: SendBack } } },
        },
        responses: {
          200: { description: "A draft again", content: { "application/json": { schema: StatusReply } } },
        },
      }),
      async (c) => {
        const { campaignId, status } = await sendBackCampaign(
          ports,
          c.req.valid("param").campaignId,
          c.get("actor"),
          c.req.valid("json").reason,
        );
        return c.json({ campaignId, status }, 200);
      },
    )
    .openapi(
      createRoute({
        method: "get",
        path: "/{campaignId}/preview",
        summary: "The campaign's email as a member of its segment gets it, in one of its languages",
        middleware: [requireRole("marketer", "approver")] as const,
        request: { params: CampaignId, query: PreviewQuery },
        responses: {
          200: { description: "The rendered email", content: { "application/json": { schema: MessagePreview } } },
        },
      }),
      async (c) =>
        c.json(
          await previewCampaignMessage(ports, c.req.valid("param").campaignId, c.req.valid("query"), c.get("actor")),
          200,
        ),
    )
    .openapi(
      createRoute({
        method: "post",
        path: "/{campaignId}/test-send",
        summary:
          "Send yourself the campaign's email as a test ([TEST] in its subject): never a delivery, never counted",
        middleware: [requireRole("marketer", "approver")] as const,
        request: {
          params: CampaignId,
          body: { required: false, content: { "application/json": { schema: TestSend } } },
        },
        responses: {
          200: { description: "Sent to your own address", content: { "application/json": { schema: TestSent } } },
        },
      }),
      async (c) => {
        const actor = c.get("actor");
        if (!actor.email) throw new NoOwnAddressError();
        const { campaignId } = c.req.valid("param");
        const sent = await sendTestEmail(ports, campaignId, { ...c.req.valid("json"), to: actor.email }, actor);
        // Who and which campaign, never the address.
        logger.info("test email sent", {
          campaignId,
          language: sent.language,
          messageId: sent.messageId,
          actor: actor.name,
        });
        return c.json(sent, 200);
      },
    )
    .openapi(
      action(
        "/{campaignId}/approve",
        "Approve a submitted campaign (by an approver who did not create it)",
        "approver",
      ),
      async (c) => {
        const { campaignId, status } = await approveCampaign(ports, c.req.valid("param").campaignId, c.get("actor"));
        return c.json({ campaignId, status }, 200);
      },
    )
    .openapi(
      action("/{campaignId}/launch", "Launch an approved campaign: fan-out starts", "marketer", "approver"),
      async (c) => {
        const { campaignId, status } = await launchCampaign(ports, c.req.valid("param").campaignId, c.get("actor"));
        return c.json({ campaignId, status }, 200);
      },
    )
    .openapi(
      action(
        "/{campaignId}/pause",
        "Pause a launching or sending campaign: no send goes out until it is resumed",
        "marketer",
        "approver",
      ),
      async (c) => {
        const actor = c.get("actor");
        const { campaignId, status } = await pauseCampaign(ports, c.req.valid("param").campaignId, {
          name: actor.name,
        });
        return c.json({ campaignId, status }, 200);
      },
    )
    .openapi(
      action(
        "/{campaignId}/resume",
        "Resume a paused campaign where it was: fanning out or sending",
        "marketer",
        "approver",
      ),
      async (c) => {
        const { campaignId, status } = await resumeCampaign(ports, c.req.valid("param").campaignId, c.get("actor"));
        return c.json({ campaignId, status }, 200);
      },
    )
    .openapi(
      action(
        "/{campaignId}/cancel",
        "Cancel a campaign for good: sends not yet made are withdrawn",
        "marketer",
        "approver",
      ),
      async (c) => {
        const { campaignId, status } = await cancelCampaign(ports, c.req.valid("param").campaignId, c.get("actor"));
        return c.json({ campaignId, status }, 200);
      },
    )
    .openapi(
      createRoute({
        method: "get",
        path: "/{campaignId}/history",
        summary:
          "The campaign's history, oldest first: created, edited, submitted, sent back, test emails sent, approved, launched, paused, resumed, cancelled, completed",
        request: { params: CampaignId },
        responses: {
          200: {
            description:
              "Every status change, edit and test email, with who and when (and why, when a reason was given)",
            content: { "application/json": { schema: z.object({ history: z.array(CampaignHistoryEntry) }) } },
          },
        },
      }),
      async (c) => c.json({ history: await campaignHistoryOf(ports, c.req.valid("param").campaignId) }, 200),
    )
    .openapi(
      createRoute({
        method: "get",
        path: "/{campaignId}/stats",
        summary: "The funnel, for treated and control",
        request: { params: CampaignId },
        responses: {
          200: { description: "Funnel and rates", content: { "application/json": { schema: CampaignStats } } },
        },
      }),
      async (c) => c.json(await campaignStats(ports, c.req.valid("param").campaignId), 200),
    );
