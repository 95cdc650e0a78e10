import { type BrandKit, DEMO_BRAND } from "./brand.js";
import type { TierThresholds } from "./tiers.js";

/** How the lifecycle stage is read from the AUM trend: the baseline window and the change that counts. */
export type LifecycleSettings = { windowDays: number; changePercent: number };

/** Local hours, from and to (whole hours, 0-23), in which no offer is sent. */
export type QuietHours = { from: number; to: number };

/** The bank's tunable numbers, parsed once from the environment by shared/config. */
export type Settings = {
  fanoutShards: number;
  fanoutPageSize: number;
  /**
   * The most customers one request reads to count a rule (the builder's live count, the wizard's
   * and the review's counts): past it, the request counts the customers read and scales the counts
   * to the base as an estimate, and the exact count is the asynchronous preview run's.
   * DEFAULT_SYNC_COUNT_MAX_CUSTOMERS when absent.
   */
  syncCountMaxCustomers?: number;
  /**
   * The most deliveries one request reads to break a campaign's results down (the results page,
   * its CSVs, GET .../breakdown): a larger campaign's breakdown is a breakdown run's, counted as
   * jobs. DEFAULT_SYNC_BREAKDOWN_MAX_DELIVERIES when absent.
   */
  syncBreakdownMaxDeliveries?: number;
  attributionWindowDays: number;
  linkTtlDays: number;
  linkSigningSecret: string;
  publicBaseUrl: string;
  tierThresholds: TierThresholds;
  /** Defaults to DEFAULT_LIFECYCLE. */
  lifecycle?: LifecycleSettings;
  /** Local hours no offer is sent in; none when absent. */
  quietHours?: QuietHours | null;
  /** How long a send held by a paused campaign waits before it looks at the campaign again. */
  pauseRecheckSeconds: number;
  /** A campaign pauses itself at these rates over sent, once `minSent` emails went out (SES's review thresholds). */
  pauseThresholds: { bounceRate: number; complaintRate: number; minSent: number };
  /** How the bank presents itself to customers; the demo bank's when absent (brandOf). */
  brand?: BrandKit;
};

/** The bank's brand kit: the configured one, else the demo bank's. */
export const brandOf = (settings: Partial<Pick<Settings, "brand">>): BrandKit => settings.brand ?? DEMO_BRAND;

/** What a use case that reads settings is given: the settings, and nothing else of the platform. */
export type WithSettings<K extends keyof Settings> = { settings: Pick<Settings, K> };
