import { z } from "zod";
import { DEFAULT_LIFECYCLE } from "../customers/history.js";
import { DEFAULT_SYNC_COUNT_MAX_CUSTOMERS } from "../customers/scan.js";
import { DEFAULT_SYNC_BREAKDOWN_MAX_DELIVERIES } from "../delivery/breakdown-run.js";
import { QuietHoursSetting } from "../delivery/quiet-hours.js";
import { RECONCILE_DEFAULTS } from "../delivery/reconcile.js";
import { BrandKit } from "../kernel/brand.js";
import { DEFAULT_TIER_THRESHOLDS, type TierThresholds } from "../kernel/tiers.js";

/** BRAND_KIT: the bank's brand kit as JSON (kernel/brand.ts); absent, the demo bank's. */
const brandKit = z
  .string()
  .optional()
  .transform((v, ctx): BrandKit | undefined => {
    if (!v) return undefined;
    let json: unknown;
    try {
      json = JSON.parse(v);
    } catch {
      ctx.addIssue({ code: "custom", message: "BRAND_KIT must be a JSON object (see shared/kernel/brand.ts)" });
      return z.NEVER;
    }
    const parsed = BrandKit.safeParse(json);
    if (!parsed.success) {
      ctx.addIssue({
        code: "custom",
        message: `BRAND_KIT: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
      });
      return z.NEVER;
    }
    return parsed.data;
  });

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const tierThresholds = z
  .string()
  .optional()
  .transform((v, ctx): TierThresholds => {
    if (!v) return DEFAULT_TIER_THRESHOLDS;
    const parts = v.split(",").map((x) => x.trim());
    const n = parts.map(Number);
    if (
      n.length !== 3 ||
      parts.some((x) => x === "") ||
      n.some((x) => !Number.isFinite(x)) ||
      !(n[0] < n[1] && n[1] < n[2])
    ) {
      ctx.addIssue({
        code: "custom",
        message: "TIER_THRESHOLDS_CNY must be three rising numbers, e.g. 50000,200000,3000000",
      });
      return z.NEVER;
    }
    return [n[0], n[1], n[2]];
  });

/** The environment every function reads, parsed once; a missing variable fails at cold start. */
export const Config = z
  .object({
    CUSTOMERS_TABLE: z.string().min(3),
    CAMPAIGNS_TABLE: z.string().min(3),
    DELIVERIES_TABLE: z.string().min(3),
    FANOUT_QUEUE_URL: z.url(),
    SEND_QUEUE_URL: z.url(),
    /** The feedback queue and each queue's dead-letter queue: only the API (redrive) and the reconciler need them. */
    FEEDBACK_QUEUE_URL: z.url().optional(),
    FANOUT_QUEUE_DLQ_URL: z.url().optional(),
    SEND_QUEUE_DLQ_URL: z.url().optional(),
    FEEDBACK_QUEUE_DLQ_URL: z.url().optional(),
    /** The reconciler (shared/delivery/reconcile.ts): a queued delivery this overdue, with no send backlog, lost its message... */
    RECONCILE_LOST_AFTER_SECONDS: positiveInt(RECONCILE_DEFAULTS.lostAfterSeconds),
    /** ...a claim this old with no result is settled unconfirmed... */
    RECONCILE_UNCONFIRMED_AFTER_SECONDS: positiveInt(RECONCILE_DEFAULTS.unconfirmedAfterSeconds),
    /** ...and a fan-out shard silent this long is resumed. */
    RECONCILE_FANOUT_SILENT_SECONDS: positiveInt(RECONCILE_DEFAULTS.fanoutSilentSeconds),
    MAIL_FROM: z.string().min(3),
    SES_CONFIGURATION_SET: z.string().optional(),
    PUBLIC_BASE_URL: z.url(),
    /** On AWS: a Secrets Manager secret holding { linkSigningSecret }. */
    PLATFORM_SECRET_ARN: z.string().optional(),
    /** Locally, the same two secrets straight from the environment. */
    LINK_SIGNING_SECRET: z.string().min(16).optional(),
    /** Static bearer tokens (`npm start`'s DEV_TOKENS), honoured locally only: never on Lambda or with PLATFORM_SECRET_ARN. */
    API_TOKENS: z.string().optional(),
    FANOUT_SHARDS: positiveInt(8),
    FANOUT_PAGE_SIZE: positiveInt(500),
    /**
     * The most customers one request reads to count a rule (builder, wizard, review); past it the
     * counts are estimates from the customers read, and the exact count is the queued preview run.
     */
    SYNC_COUNT_MAX_CUSTOMERS: positiveInt(DEFAULT_SYNC_COUNT_MAX_CUSTOMERS),
    /**
     * The most deliveries one request reads to break a campaign's results down; a larger
     * campaign's breakdown is counted by a breakdown run, as jobs on the fan-out queue.
     */
    SYNC_BREAKDOWN_MAX_DELIVERIES: positiveInt(DEFAULT_SYNC_BREAKDOWN_MAX_DELIVERIES),
    ATTRIBUTION_WINDOW_DAYS: positiveInt(30),
    LINK_TTL_DAYS: positiveInt(30),
    TIER_THRESHOLDS_CNY: tierThresholds,
    /** Lifecycle stage: the AUM trend over this many days (the bank's growth / mature / declining stages). */
    LIFECYCLE_WINDOW_DAYS: positiveInt(DEFAULT_LIFECYCLE.windowDays),
    /** ...and the change, in percent, that counts as rising or falling. */
    LIFECYCLE_CHANGE_PERCENT: positiveInt(DEFAULT_LIFECYCLE.changePercent),
    /** "21-8" holds sends from 21:00 to 08:00 in each customer's time zone; "off" (the default) sends at once. */
    QUIET_HOURS: QuietHoursSetting,
    /** A campaign pauses itself at this bounce rate (a fraction of sent; SES reviews an account at 5%)... */
    PAUSE_BOUNCE_RATE: z.coerce.number().positive().max(1).default(0.05),
    /** ...or at this complaint rate (SES reviews at 0.1%)... */
    PAUSE_COMPLAINT_RATE: z.coerce.number().positive().max(1).default(0.001),
    /** ...once at least this many of its emails went out. */
    PAUSE_MIN_SENT: positiveInt(500),
    /** How long a send held by a paused campaign waits before it looks again (SQS delays at most 900 s). */
    PAUSE_RECHECK_SECONDS: z.coerce.number().int().positive().max(900).default(60),
    /** Emails per second every sender together may send, when lower than SES's MaxSendRate; SES's rate alone when absent. */
    SES_MAX_SEND_RATE: z.coerce.number().positive().optional(),
    /** The bank's brand kit (name, colours, legal footer) as JSON; the demo bank's when absent. */
    BRAND_KIT: brandKit,
    /** The OpenID Connect issuer whose access tokens the API accepts (the Cognito user pool, or the local provider). */
    OIDC_ISSUER: z.url().optional(),
    /** Its signing keys; `<issuer>/.well-known/jwks.json` (Cognito's) when absent. */
    OIDC_JWKS_URI: z.url().optional(),
    /** The app clients whose tokens the API accepts (the console's and the machine clients'), comma-separated. */
    OIDC_CLIENT_IDS: z
      .string()
      .optional()
      .transform((v) =>
        v
          ?.split(",")
          .map((id) => id.trim())
          .filter(Boolean),
      ),
    /** The `aud` a token must carry when it carries one (the local provider's resource); Cognito's access tokens carry none. */
    OIDC_AUDIENCE: z.string().min(1).optional(),
    /** What precedes a machine scope in a token: on Cognito, the resource server's identifier and a slash. */
    OIDC_SCOPE_PREFIX: z.string().optional(),
    /** The console's app client at the issuer (authorization code with PKCE); without it, /console is not served. */
    CONSOLE_CLIENT_ID: z.string().min(1).optional(),
    /**
     * Where the console sends a person to end their session at the provider, when the discovery
     * document names no `end_session_endpoint`: Cognito's `<managed login domain>/logout`.
     */
    OIDC_LOGOUT_URL: z.url().optional(),
  })
  .refine((c) => c.PLATFORM_SECRET_ARN || c.LINK_SIGNING_SECRET, {
    message: "set PLATFORM_SECRET_ARN (AWS) or LINK_SIGNING_SECRET (local, 16+ characters)",
    path: ["LINK_SIGNING_SECRET"],
  })
  .refine((c) => !c.OIDC_ISSUER || (c.OIDC_CLIENT_IDS ?? []).length > 0, {
    message: "OIDC_ISSUER needs OIDC_CLIENT_IDS: the app clients whose tokens the API accepts",
    path: ["OIDC_CLIENT_IDS"],
  });
export type Config = z.infer<typeof Config>;

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

export function parseConfig(env: NodeJS.ProcessEnv): Config {
  const parsed = Config.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".") || "env"}: ${i.message}`).join("; ");
    throw new ConfigError(`Invalid configuration: ${problems}`);
  }
  return parsed.data;
}

let cached: Config | undefined;
export const config = (): Config => (cached ??= parseConfig(process.env));
