import { z } from "zod";
import { ProductCategory } from "../kernel/products.js";

/**
 * Marketing consent per channel and per product category, each with its proof: what the
 * customer said, where the bank recorded it and when (PIPL and GDPR ask the bank to show
 * this). A record is replaced only when the answer changes, so the proof of the answer in
 * force is kept.
 */
export const Channel = z.enum(["email", "sms", "phone"]);
export type Channel = z.infer<typeof Channel>;

export const ConsentRecord = z.object({
  granted: z.boolean(),
  /** Where the answer was given: "import", "branch form", "unsubscribe link", ... */
  source: z.string().min(1).max(200),
  at: z.iso.datetime(),
});
export type ConsentRecord = z.infer<typeof ConsentRecord>;

export const Consent = z.object({
  channels: z.partialRecord(Channel, ConsentRecord).default({}),
  categories: z.partialRecord(ProductCategory, ConsentRecord).default({}),
});
export type Consent = z.infer<typeof Consent>;

export const NO_CONSENT_RECORDED: Consent = { channels: {}, categories: {} };

/** What one import row says about consent; a missing answer leaves the stored record alone. */
export type StatedConsent = {
  channels: Partial<Record<Channel, boolean>>;
  categories: Partial<Record<ProductCategory, boolean>>;
  source: string;
  at: string;
};

function merge<K extends string>(
  before: Partial<Record<K, ConsentRecord>>,
  stated: Partial<Record<K, boolean>>,
  source: string,
  at: string,
) {
  const after = { ...before };
  for (const [key, granted] of Object.entries(stated) as [K, boolean | undefined][]) {
    if (granted === undefined || before[key]?.granted === granted) continue;
    after[key] = { granted, source, at };
  }
  return after;
}

/** The consent after an import row: changed answers get a new record with the row's source and time. */
export function nextConsent(before: Consent | undefined, stated: StatedConsent): Consent {
  const current = before ?? NO_CONSENT_RECORDED;
  return {
    channels: merge(current.channels, stated.channels, stated.source, stated.at),
    categories: merge(current.categories, stated.categories, stated.source, stated.at),
  };
}

/** The email channel withdrawn, e.g. by the unsubscribe link. */
export function withdrawn(before: Consent | undefined, channel: Channel, source: string, at: string): Consent {
  return nextConsent(before, { channels: { [channel]: false }, categories: {}, source, at });
}

/**
 * A category is open to offers unless the customer refused it: the channel consent is the
 * consent to marketing, and a category refusal narrows it.
 */
export const refusedCategory = (consent: Consent, category: ProductCategory) =>
  consent.categories[category]?.granted === false;

/** Whether the customer said yes to this channel or category (no answer is no). */
export function consented(consent: Consent, to: Channel | ProductCategory): boolean {
  const record = Channel.safeParse(to).success
    ? consent.channels[to as Channel]
    : consent.categories[to as ProductCategory];
  return record?.granted === true;
}
