import { type OpenAPIHono, z } from "@hono/zod-openapi";
import { Answer, CallTime } from "../../shared/customers/answers.js";
import { Channel, PREFERENCE_CATEGORIES } from "../../shared/customers/consent.js";
import { idNamed } from "../../shared/kernel/ids.js";
import { LinkToken } from "./link-token.js";

type Registry = OpenAPIHono["openAPIRegistry"];

const Token = z.object({ token: LinkToken });
const AnswerBody = z.object({
  answer: Answer,
  callTime: CallTime.optional().describe("With call_me only: the time of day the customer would like the call"),
});
const Page = { "text/html": { schema: z.string() } };
const yesOrAbsent = z.literal("yes").optional();
/** The preference centre's form: `form=preferences`, and `yes` for each box ticked; a box left out is "no". */
const PreferenceForm = z.object({
  form: z.literal("preferences"),
  ...Object.fromEntries([...Channel.options, ...PREFERENCE_CATEGORIES].map((name) => [name, yesOrAbsent])),
});
const ChosenPreferences = z.object({
  channels: z.record(Channel, z.boolean()),
  categories: z.record(z.enum(PREFERENCE_CATEGORIES), z.boolean()),
});
const Problem = { "application/json": { schema: z.object({ code: z.string(), message: z.string() }) }, ...Page };
const linkErrors = {
  400: { description: "The link is not valid (tampered, malformed or too long)", content: Problem },
  410: { description: "The link has expired", content: Problem },
};

/**
 * The routes outside /api: health and the customer pages reached from an email. They are plain
 * Hono routes (HTML, form posts), so they are described here for /openapi.json.
 */
export function registerPublicPaths(registry: Registry) {
  registry.registerPath({
    method: "get",
    path: "/health",
    summary: "Whether the platform and the services it needs answer",
    security: [],
    responses: {
      200: {
        description: "Healthy",
        content: {
          "application/json": {
            schema: z.object({
              status: z.enum(["ok", "degraded"]),
              services: z.record(z.string(), z.enum(["ok", "unavailable"])),
              inbox: z.string().optional(),
              issuer: z
                .string()
                .optional()
                .describe(
                  "The OpenID Connect issuer to sign in at; its discovery document is under /.well-known/openid-configuration",
                ),
            }),
          },
        },
      },
      503: { description: "A service does not answer" },
    },
  });
  for (const [extension, type] of [
    ["png", "image/png"],
    ["jpg", "image/jpeg"],
  ] as const) {
    registry.registerPath({
      method: "get",
      path: `/brand/logo/{logoId}.${extension}`,
      summary:
        "The bank's logo as emails and customer pages show it, named by the first 16 hex digits of its SHA-256, so cached for a year (PUT /api/brand-kit/logo sets it)",
      security: [],
      request: { params: z.object({ logoId: idNamed("logoId") }) },
      responses: {
        200: { description: "The image", content: { [type]: { schema: z.string().openapi({ format: "binary" }) } } },
        400: { description: "Not a logo's address", content: Problem },
        404: { description: "No logo at this address", content: Problem },
      },
    });
  }
  registry.registerPath({
    method: "get",
    path: "/o/{token}",
    summary: "The offer page; opening it is the click",
    security: [],
    request: { params: Token },
    responses: {
      200: { description: "The offer with its answer buttons", content: Page },
      400: linkErrors[400],
      410: {
        description:
          "The link has expired (LINK_TTL_DAYS): a browser gets a page offering to email a current link (POST /o/{token}/renew)",
        content: Problem,
      },
    },
  });
  for (const [kind, what] of [
    ["o", "offer"],
    ["p", "preference centre"],
  ] as const) {
    registry.registerPath({
      method: "post",
      path: `/${kind}/{token}/renew`,
      summary: `Email me a current link: from an expired ${what} link, one fresh email of the same campaign with fresh links, to the address on file (never one given here), at most once a day per delivery; counted as renewed, not sent`,
      security: [],
      request: { params: Token },
      responses: {
        200: {
          description:
            "What was done (JSON when asked for, else a page): sent, already_sent (within the last day), ended (cancelled, or completed longer ago than the attribution window), paused, or not_allowed (the customer's consent, the product's category or the address forbid an email)",
          content: {
            "application/json": {
              schema: z.object({ renewal: z.enum(["sent", "already_sent", "ended", "paused", "not_allowed"]) }),
            },
            ...Page,
          },
        },
        400: linkErrors[400],
        403: { description: "Posted by a browser from a page of another site: nothing is sent", content: Page },
        409: { description: "The link has not expired: open it as it is", content: Problem },
      },
    });
  }
  registry.registerPath({
    method: "post",
    path: "/o/{token}",
    summary: "Answer the offer; the page that follows says what happens next",
    security: [],
    request: {
      params: Token,
      body: {
        content: {
          "application/json": { schema: AnswerBody },
          "application/x-www-form-urlencoded": { schema: AnswerBody },
        },
      },
    },
    responses: {
      200: {
        description: "Recorded (JSON for a JSON request, else a page)",
        content: {
          "application/json": { schema: z.object({ recorded: Answer, callTime: CallTime.optional() }) },
          ...Page,
        },
      },
      403: { description: "Posted by a browser from a page of another site: nothing is recorded", content: Page },
      ...linkErrors,
    },
  });
  registry.registerPath({
    method: "get",
    path: "/u/{token}",
    summary: "Unsubscribe confirmation page",
    security: [],
    request: { params: Token },
    // Never expires: a customer's choice to stop is never refused for the age of their email (links.ts NEVER_EXPIRES).
    responses: { 200: { description: "A page with one button", content: Page }, 400: linkErrors[400] },
  });
  registry.registerPath({
    method: "get",
    path: "/p/{token}",
    summary: "The customer's preference centre: consent per channel and per kind of product",
    security: [],
    request: { params: Token },
    responses: {
      200: {
        description:
          "A form with a box per channel and category; from an expired link, boxes to tick what to stop (no choice in force, no address shown) and the way to a new link",
        content: Page,
      },
      400: linkErrors[400],
    },
  });
  registry.registerPath({
    method: "post",
    path: "/p/{token}",
    summary:
      "Save the customer's choices: each one changed is recorded as the customer's own, with the preference centre and the time as its proof. An expired link may turn things off (this form, or form=opt-out with a `stop` per choice, or everything=yes), never on",
    security: [],
    request: {
      params: Token,
      body: {
        content: {
          "application/x-www-form-urlencoded": {
            schema: z.union([
              PreferenceForm,
              z.object({
                form: z.literal("opt-out"),
                stop: z.array(z.enum([...Channel.options, ...PREFERENCE_CATEGORIES])).optional(),
                everything: z.literal("yes").optional(),
              }),
            ]),
          },
        },
      },
    },
    responses: {
      200: {
        description: "Saved (JSON when asked for, else the page again, saying what it did)",
        content: {
          "application/json": {
            schema: z.object({
              preferences: ChosenPreferences.optional().describe(
                "Absent for an expired link: not an old email's to see",
              ),
              changed: z.array(z.enum([...Channel.options, ...PREFERENCE_CATEGORIES])),
            }),
          },
          ...Page,
        },
      },
      403: {
        description:
          "Posted by a browser from a page of another site, or an expired link asked to turn something on (expired_link_opt_in): nothing is recorded",
        content: Problem,
      },
      400: linkErrors[400],
    },
  });
  registry.registerPath({
    method: "post",
    path: "/u/{token}",
    summary: "One-click unsubscribe (RFC 8058): email consent is withdrawn at once; no cookie or field needed",
    security: [],
    request: { params: Token },
    responses: {
      200: {
        description: "Unsubscribed",
        content: { "application/json": { schema: z.object({ unsubscribed: z.literal(true) }) }, ...Page },
      },
      400: linkErrors[400],
    },
  });
}
