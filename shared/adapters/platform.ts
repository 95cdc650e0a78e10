import { randomUUID } from "node:crypto";
import { CachedBrandKits } from "../campaigns/brand-kit.js";
import type { BrandKitStore, CampaignStore } from "../campaigns/ports.js";
import { config } from "../config/index.js";
import type { CustomerChangeStore, CustomerStore } from "../customers/ports.js";
import type { BreakdownQueue, BreakdownRunStore } from "../delivery/breakdown-run.js";
import type { DeadLetterQueues, DeliveryStore, JobQueue, Mailer, SuppressionList } from "../delivery/ports.js";
import { SendRate } from "../delivery/send-rate.js";
import { DeadLettersUnavailableError } from "../kernel/errors.js";
import type { Settings } from "../kernel/settings.js";
import type { Clock, IdSource } from "../kernel/time.js";
import type { ResponseStore } from "../responses/ports.js";
import type { PreviewQueue, PreviewStore, SegmentExportStore, SegmentStore } from "../segments/ports.js";
import { DynamoDbBrandKitStore } from "./dynamodb/brand-kit-store.js";
import { DynamoDbBreakdownRunStore } from "./dynamodb/breakdown-run-store.js";
import { DynamoDbCampaignStore } from "./dynamodb/campaign-store.js";
import { DynamoDbCustomerChangeStore } from "./dynamodb/customer-change-store.js";
import { DynamoDbCustomerStore } from "./dynamodb/customer-store.js";
import { DynamoDbDeliveryStore } from "./dynamodb/delivery-store.js";
import { DynamoDbPreviewStore } from "./dynamodb/preview-store.js";
import { DynamoDbSegmentExportStore } from "./dynamodb/segment-export-store.js";
import { DynamoDbSegmentStore } from "./dynamodb/segment-store.js";
import { DynamoDbSendRateLimiter } from "./dynamodb/send-rate-limiter.js";
import { DynamoDbSuppressionList } from "./dynamodb/suppression-store.js";
import { loadSecrets } from "./secrets.js";
import { SesMailer } from "./ses/mailer.js";
import { SesSendQuota } from "./ses/send-quota.js";
import { SqsDeadLetterQueues } from "./sqs/dead-letters.js";
import { SqsJobQueue } from "./sqs/job-queue.js";

/**
 * Every port, built once per Lambda container. Only the composition root and the entry points
 * see the whole set; each use case names the few ports it needs, and the whole satisfies them.
 */
export type Platform = {
  customers: CustomerStore;
  customerChanges: CustomerChangeStore;
  segments: SegmentStore;
  segmentExports: SegmentExportStore;
  previews: PreviewStore;
  /** A large campaign's breakdown, counted as jobs (delivery/breakdown-run.ts). */
  breakdownRuns: BreakdownRunStore;
  campaigns: CampaignStore;
  /** The brand kit an admin set, kept a minute per container (CachedBrandKits). */
  brandKits: BrandKitStore;
  deliveries: DeliveryStore & ResponseStore;
  suppressions: SuppressionList;
  queue: JobQueue & PreviewQueue & BreakdownQueue;
  mailer: Mailer;
  /** Each queue's dead-letter queue, for the admin's redrive. */
  deadLetters: DeadLetterQueues;
  /** The send rate shared by every sender, held to SES's quota (one per container: it keeps the quota it read). */
  sendRate: Pick<SendRate, "acquire">;
  settings: Settings;
} & Clock &
  IdSource;

let building: Promise<Platform> | undefined;

/** The dead-letter queues, when this function was given their URLs (the API and the reconciler are). */
function deadLettersOf(c: ReturnType<typeof config>): DeadLetterQueues {
  const { FANOUT_QUEUE_URL, SEND_QUEUE_URL, FEEDBACK_QUEUE_URL } = c;
  const { FANOUT_QUEUE_DLQ_URL, SEND_QUEUE_DLQ_URL, FEEDBACK_QUEUE_DLQ_URL } = c;
  if (!FEEDBACK_QUEUE_URL || !FANOUT_QUEUE_DLQ_URL || !SEND_QUEUE_DLQ_URL || !FEEDBACK_QUEUE_DLQ_URL) {
    const missing = async (): Promise<never> => {
      throw new DeadLettersUnavailableError();
    };
    return { depths: missing, redrive: missing };
  }
  return new SqsDeadLetterQueues({
    fanout: { queueUrl: FANOUT_QUEUE_URL, deadLetterQueueUrl: FANOUT_QUEUE_DLQ_URL },
    send: { queueUrl: SEND_QUEUE_URL, deadLetterQueueUrl: SEND_QUEUE_DLQ_URL },
    feedback: { queueUrl: FEEDBACK_QUEUE_URL, deadLetterQueueUrl: FEEDBACK_QUEUE_DLQ_URL },
  });
}

/** The composition root: adapters wired to the ports once per container. */
export function platform(): Promise<Platform> {
  building ??= (async () => {
    const c = config();
    const secrets = await loadSecrets(c);
    return {
      customers: new DynamoDbCustomerStore(c.CUSTOMERS_TABLE),
      customerChanges: new DynamoDbCustomerChangeStore(c.CAMPAIGNS_TABLE, c.CUSTOMERS_TABLE),
      segments: new DynamoDbSegmentStore(c.CAMPAIGNS_TABLE),
      segmentExports: new DynamoDbSegmentExportStore(c.CAMPAIGNS_TABLE),
      previews: new DynamoDbPreviewStore(c.CAMPAIGNS_TABLE),
      breakdownRuns: new DynamoDbBreakdownRunStore(c.CAMPAIGNS_TABLE),
      campaigns: new DynamoDbCampaignStore(c.CAMPAIGNS_TABLE),
      brandKits: new CachedBrandKits(new DynamoDbBrandKitStore(c.CAMPAIGNS_TABLE), () => new Date()),
      deliveries: new DynamoDbDeliveryStore(c.DELIVERIES_TABLE, c.CAMPAIGNS_TABLE),
      suppressions: new DynamoDbSuppressionList(c.CAMPAIGNS_TABLE),
      queue: new SqsJobQueue(c.FANOUT_QUEUE_URL, c.SEND_QUEUE_URL),
      mailer: new SesMailer(c.MAIL_FROM, c.SES_CONFIGURATION_SET),
      deadLetters: deadLettersOf(c),
      sendRate: new SendRate({
        limiter: new DynamoDbSendRateLimiter(c.CAMPAIGNS_TABLE),
        quota: new SesSendQuota(),
        cap: c.SES_MAX_SEND_RATE,
        now: () => new Date(),
      }),
      settings: {
        fanoutShards: c.FANOUT_SHARDS,
        fanoutPageSize: c.FANOUT_PAGE_SIZE,
        attributionWindowDays: c.ATTRIBUTION_WINDOW_DAYS,
        linkTtlDays: c.LINK_TTL_DAYS,
        linkSigningSecret: secrets.linkSigningSecret,
        publicBaseUrl: c.PUBLIC_BASE_URL,
        tierThresholds: c.TIER_THRESHOLDS_CNY,
        syncCountMaxCustomers: c.SYNC_COUNT_MAX_CUSTOMERS,
        syncBreakdownMaxDeliveries: c.SYNC_BREAKDOWN_MAX_DELIVERIES,
        lifecycle: { windowDays: c.LIFECYCLE_WINDOW_DAYS, changePercent: c.LIFECYCLE_CHANGE_PERCENT },
        quietHours: c.QUIET_HOURS,
        pauseRecheckSeconds: c.PAUSE_RECHECK_SECONDS,
        pauseThresholds: {
          bounceRate: c.PAUSE_BOUNCE_RATE,
          complaintRate: c.PAUSE_COMPLAINT_RATE,
          minSent: c.PAUSE_MIN_SENT,
        },
        ...(c.BRAND_KIT ? { brand: c.BRAND_KIT } : {}),
      },
      now: () => new Date(),
      newId: () => randomUUID(),
    };
  })();
  return building!;
}
