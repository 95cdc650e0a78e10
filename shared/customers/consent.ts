import { z } from "zod";
import { ProductCategory } from "../kernel/products.js";

/**
 * Marketing consent per channel and per product category, each with its proof: what the
 * customer said, where the bank recorded it and when (PIPL and GDPR ask the bank to show
 * this). A record is replaced only when the answer changes, so the proof of the answer in
 * force is kept. A withdrawal the customer made themself wins over the bank's feed: only an
 * import row with its own proof of a later consent gives consent again.
 */
export const Channel = z.enum(["email", "sms", "phone"]);
export type Channel = z.infer<typeof Channel>;

/**
 * Who gave an answer: the customer themself (the unsubscribe link, an "unsubscribe" answer on
 * the offer page, later a complaint), or the bank's own records (an import). A customer's own
 * withdrawal is not undone by the bank's feed (`importedConsent`).
 */
export const ConsentGivenBy = z.enum(["customer", "bank"]);
export type ConsentGivenBy = z.infer<typeof ConsentGivenBy>;

/**
 * Records stored before `by` existed were the customer's own when the customer's pages wrote
 * them; these are the sources those pages record (shared/responses/respond.ts).
 */
const CUSTOMER_PAGE_SOURCE = /^(unsubscribe link|offer page)\b/;

const withGivenBy = (value: unknown) =>
  typeof value === "object" && value !== null && !("by" in value) && "source" in value
    ? { ...value, by: CUSTOMER_PAGE_SOURCE.test(String(value.source)) ? "customer" : "bank" }
    : value;

export const ConsentRecord = z.preprocess(
  withGivenBy,
  z.object({
    granted: z.boolean(),
    /** Where the answer was given: "import", "branch form", "unsubscribe link of campaign …", ... */
    source: z.string().min(1).max(200),
    at: z.iso.datetime(),
    by: ConsentGivenBy.describe(
      "Who gave the answer: the customer themself (unsubscribe link, offer page), or the bank's records (an import)",
    ),
  }),
);
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
  /**
   * The row gave both its own source and its own time (consentSource and consentAt), rather
   * than the import's defaults. Only such a row, and only when it is later, undoes a
   * withdrawal the customer made themself.
   */
  ownProof?: boolean;
};

/** A channel or category whose stated answer was not applied, and the customer's withdrawal that stood. */
export type KeptWithdrawal = { answer: Channel | ProductCategory; withdrawal: ConsentRecord };

/** The customer's own withdrawal stands unless the row proves a later consent of its own. */
const keepsWithdrawal = (before: ConsentRecord | undefined, stated: StatedConsent): before is ConsentRecord =>
  before !== undefined &&
  before.by === "customer" &&
  !before.granted &&
  !(stated.ownProof && Date.parse(stated.at) > Date.parse(before.at));

function merge<K extends Channel | ProductCategory>(
  before: Partial<Record<K, ConsentRecord>>,
  stated: Partial<Record<K, boolean>>,
  statement: StatedConsent,
  kept: KeptWithdrawal[],
) {
  const after = { ...before };
  for (const [key, granted] of Object.entries(stated) as [K, boolean | undefined][]) {
    const record = before[key];
    if (granted === undefined || record?.granted === granted) continue;
    if (keepsWithdrawal(record, statement)) {
      kept.push({ answer: key, withdrawal: record });
      continue;
    }
    after[key] = { granted, source: statement.source, at: statement.at, by: "bank" };
  }
  return after;
}

/**
 * The consent after an import row, and the answers it could not change. A changed answer gets
 * a new record with the row's source and time; a restated one keeps its proof. A withdrawal
 * the customer made themself is kept unless the row has its own proof (`ownProof`) of a
 * consent given after it.
 */
export function importedConsent(
  before: Consent | undefined,
  stated: StatedConsent,
): { consent: Consent; kept: KeptWithdrawal[] } {
  const current = before ?? NO_CONSENT_RECORDED;
  const kept: KeptWithdrawal[] = [];
  const consent = {
    channels: merge(current.channels, stated.channels, stated, kept),
    categories: merge(current.categories, stated.categories, stated, kept),
  };
  return { consent, kept };
}

/** The customer's own withdrawal of a channel, e.g. by the unsubscribe link, with where and when as its proof. */
export const customerWithdrawal = (source: string, at: string): ConsentRecord => ({
  granted: false,
  source,
  at,
  by: "customer",
});

/** The consent after the customer withdrew a channel themself, as the store writes it (withdrawEmailConsent). */
export function withdrawn(before: Consent | undefined, channel: Channel, source: string, at: string): Consent {
  const current = before ?? NO_CONSENT_RECORDED;
  return { ...current, channels: { ...current.channels, [channel]: customerWithdrawal(source, at) } };
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
