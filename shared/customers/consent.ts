import { z } from "zod";
import { isInvestment, PRODUCT_CATALOGUE, ProductCategory, type ProductCode } from "../kernel/products.js";

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
 * The product categories consent is kept for. The bank's file answers for its own three
 * (ProductCategory: liability, asset, intermediary). A customer tells apart what the bank books
 * alike: deposits and savings from wealth and investment products, both liabilities to the
 * bank. The preference centre keeps an answer for each of those two, and the narrower answer,
 * where there is one, wins over the broader `liability` (answerFor).
 */
export const ConsentCategory = z.enum([...ProductCategory.options, "deposits", "wealth"]);
export type ConsentCategory = z.infer<typeof ConsentCategory>;

const BROADER: Partial<Record<ConsentCategory, ProductCategory>> = { deposits: "liability", wealth: "liability" };

/**
 * Whether a product falls under a category, as the bank books it (liability, asset,
 * intermediary) or as a customer tells it apart (deposits, wealth): a wealth fund is in both
 * `liability` and `wealth`, a time deposit in `liability` and `deposits`.
 */
export const isInCategory = (code: ProductCode, category: ConsentCategory): boolean =>
  PRODUCT_CATALOGUE[code].category === category || consentCategoryOf(code) === category;

/** The narrowest category an offer of `code` falls under: an investment is "wealth", a deposit "deposits". */
export function consentCategoryOf(code: ProductCode): ConsentCategory {
  if (isInvestment(code)) return "wealth";
  if (PRODUCT_CATALOGUE[code].kind === "deposit") return "deposits";
  return PRODUCT_CATALOGUE[code].category;
}

/**
 * Who gave an answer: the customer themself (the unsubscribe link, an "unsubscribe" answer on
 * the offer page, a complaint, the preference centre), or the bank's own records (an import). A customer's own
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
  categories: z.partialRecord(ConsentCategory, ConsentRecord).default({}),
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
export type KeptWithdrawal = { answer: Channel | ConsentCategory; withdrawal: ConsentRecord };

/** The customer's own withdrawal stands unless the row proves a later consent of its own. */
const keepsWithdrawal = (before: ConsentRecord | undefined, stated: StatedConsent): before is ConsentRecord =>
  before !== undefined &&
  before.by === "customer" &&
  !before.granted &&
  !(stated.ownProof && Date.parse(stated.at) > Date.parse(before.at));

function merge<K extends Channel | ConsentCategory>(
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
 * The answer in force for a category: its own record, else its broader category's (a customer
 * who turned wealth products on in the preference centre gets them even if the bank's file says
 * no to every liability product, and one who turned them off does not, whatever the file says).
 */
export function answerFor(consent: Consent, category: ConsentCategory): ConsentRecord | undefined {
  const broader = BROADER[category];
  return consent.categories[category] ?? (broader ? consent.categories[broader] : undefined);
}

/**
 * A category is open to offers unless the customer refused it: the channel consent is the
 * consent to marketing, and a category refusal narrows it.
 */
export const refusedCategory = (consent: Consent, category: ConsentCategory) =>
  answerFor(consent, category)?.granted === false;

/** Whether the customer said yes to this channel or category (no answer is no). */
export function consented(consent: Consent, to: Channel | ConsentCategory): boolean {
  const record = Channel.safeParse(to).success
    ? consent.channels[to as Channel]
    : answerFor(consent, to as ConsentCategory);
  return record?.granted === true;
}

/**
 * What the preference centre asks about, in the order it asks: the channels, and the
 * categories in a customer's words (deposits and savings, wealth and investment, loans and
 * credit, cards, payments and insurance).
 */
export const PREFERENCE_CATEGORIES = [
  "deposits",
  "wealth",
  "asset",
  "intermediary",
] as const satisfies readonly ConsentCategory[];
export type PreferenceCategory = (typeof PREFERENCE_CATEGORIES)[number];

/** Yes or no for each channel and category, as the preference centre shows and posts them. */
export type Preferences = {
  channels: Record<Channel, boolean>;
  categories: Record<PreferenceCategory, boolean>;
};

/** What a customer's consent is in force, as the preference centre shows it. */
type ConsentHolder = { emailConsent: boolean; consent: Consent };

/**
 * The customer's preferences as they stand: a channel is on only with a yes (no answer is no;
 * email is the flag every send checks), a category is on unless refused (refusedCategory).
 */
export function preferencesOf({ emailConsent, consent }: ConsentHolder): Preferences {
  return {
    channels: {
      email: emailConsent,
      sms: consent.channels.sms?.granted === true,
      phone: consent.channels.phone?.granted === true,
    },
    categories: Object.fromEntries(
      PREFERENCE_CATEGORIES.map((category) => [category, !refusedCategory(consent, category)]),
    ) as Record<PreferenceCategory, boolean>,
  };
}

/**
 * The consent after the customer's own choices in the preference centre, and what they
 * changed. Each answer that changes gets a record of the customer's own (`by: "customer"`),
 * with where and when as its proof, so an import undoes none of its withdrawals without a later
 * proof of its own (importedConsent); an answer restated keeps its record and proof. Email
 * stays equal to the `emailConsent` flag.
 */
export function chosenConsent(
  before: ConsentHolder,
  chosen: Preferences,
  source: string,
  at: string,
): { emailConsent: boolean; consent: Consent; changed: (Channel | PreferenceCategory)[] } {
  const shown = preferencesOf(before);
  const record = (granted: boolean): ConsentRecord => ({ granted, source, at, by: "customer" });
  const channels = { ...before.consent.channels };
  const categories = { ...before.consent.categories };
  const changed: (Channel | PreferenceCategory)[] = [];
  for (const channel of Channel.options) {
    if (chosen.channels[channel] === shown.channels[channel]) continue;
    channels[channel] = record(chosen.channels[channel]);
    changed.push(channel);
  }
  for (const category of PREFERENCE_CATEGORIES) {
    if (chosen.categories[category] === shown.categories[category]) continue;
    categories[category] = record(chosen.categories[category]);
    changed.push(category);
  }
  return { emailConsent: chosen.channels.email, consent: { channels, categories }, changed };
}
