import { z } from "zod";
import { ProductCode } from "../kernel/products.js";
import { Tier, tierFor, type TierThresholds } from "../kernel/tiers.js";
import { isDeepStrictEqual } from "node:util";
import { AumSnapshot, nextHistory, TierChange } from "./history.js";
import { Consent, NO_CONSENT_RECORDED, nextConsent, type StatedConsent } from "./consent.js";
import { blankAsMissing, CustomerDetails, CustomerDetailsRow, DETAIL_FIELDS, detailIssues } from "./details.js";
import { CampaignAnswers } from "./answers.js";

export const CustomerId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, "customerId must be 1-64 letters, digits, '_' or '-'");

export const CustomerType = z.enum(["individual", "corporate"]);

/** The languages offers are written in; zh-CN unless the customer chose otherwise. */
export const Language = z.enum(["zh-CN", "en"]);
export type Language = z.infer<typeof Language>;
export const DEFAULT_LANGUAGE = "zh-CN";
export const DEFAULT_TIME_ZONE = "Asia/Shanghai";

/** Risk tolerance from the suitability assessment, C1 (conservative) to C5 (aggressive). */
export const RiskTolerance = z.enum(["C1", "C2", "C3", "C4", "C5"]);

/** Building an Intl formatter costs ~100 µs and every scanned customer is checked: remember the answers. */
const knownTimeZones = new Map<string, boolean>();
const isTimeZone = (zone: string) => {
  let known = knownTimeZones.get(zone);
  if (known === undefined) {
    try {
      new Intl.DateTimeFormat("en", { timeZone: zone });
      known = true;
    } catch {
      known = false;
    }
    if (knownTimeZones.size < 1000) knownTimeZones.set(zone, known);
  }
  return known;
};
const TimeZone = z.string().refine(isTimeZone, { message: "timeZone must be an IANA time zone such as Asia/Shanghai" });

/** A customer as stored. Tiers are for individuals; a corporate client has no AUM tier. */
export const Customer = z.object({
  customerId: CustomerId,
  type: CustomerType,
  name: z.string().min(1),
  email: z.email().optional(),
  phone: z.string().optional(),
  aum: z.number().nonnegative(),
  tier: Tier.nullable(),
  products: z.array(ProductCode),
  region: z.string().min(1),
  /** The email channel's answer, kept equal to consent.channels.email: the flag every send checks. */
  emailConsent: z.boolean(),
  /** Every channel's and product category's answer, with its source and time. */
  consent: Consent.default(NO_CONSENT_RECORDED),
  language: Language.default(DEFAULT_LANGUAGE),
  timeZone: TimeZone.default(DEFAULT_TIME_ZONE),
  riskTolerance: RiskTolerance.optional(),
  /** The relationship manager (客户经理) who looks after the customer; sees their contact data in full. */
  relationshipManager: z.string().optional(),
  /** Every tier the customer was given, oldest first: a rule can ask who just moved up. */
  tierHistory: z.array(TierChange).default([]),
  /** The AUM each import reported when it changed, oldest first: the lifecycle stage's trend. */
  aumHistory: z.array(AumSnapshot).default([]),
  /** When a campaign email was last sent (customer-touches.ts): only moves forward; no import writes it. */
  lastContactedAt: z.iso.datetime().optional(),
  /** The latest answer per campaign, the latest ANSWERS_LIMIT (50) campaigns: no import writes it. */
  answers: CampaignAnswers.optional(),
  ...CustomerDetails.shape,
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  /** Soft deletion: out of every segment and campaign at once, restorable until purgeAt. */
  deletedAt: z.iso.datetime().optional(),
  /** Epoch seconds: DynamoDB's TTL attribute on the customers table purges the record then. */
  purgeAt: z.number().int().optional(),
});
export type Customer = z.infer<typeof Customer>;

const YES_NO: Record<string, boolean> = { true: true, yes: true, "1": true, false: false, no: false, "0": false };

const booleanText = (column: string) =>
  z.preprocess((v) => (typeof v === "string" ? (YES_NO[v.trim().toLowerCase()] ?? v) : v), z.boolean({ error: `${column} must be true or false` }));


/** An answer the file may leave out: an empty cell or a missing column says nothing. */
const optionalAnswer = (column: string) => z.preprocess(blankAsMissing, booleanText(column).optional());

const productList = z
  .union([z.array(z.string()), z.string()])
  .transform((v) =>
    (Array.isArray(v) ? v : v.split(";"))
      .map((code) => code.trim())
      .filter((code) => code.length > 0),
  )
  .pipe(z.array(ProductCode));

/** The columns of an imported row, from CSV (all strings) or NDJSON (typed values). */
export const CustomerRowFields = z.object({
  customerId: CustomerId,
  type: CustomerType,
  name: z.string().trim().min(1, "name is required"),
  email: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : undefined))
    .pipe(z.email("email is not a valid address").optional()),
  phone: z.preprocess(
    blankAsMissing,
    z
      .string()
      .trim()
      .regex(/^\+?[0-9][0-9 -]{5,19}$/, "phone must be 6-20 digits, optionally with a leading + and spaces or dashes")
      .optional(),
  ),
  aum: z.preprocess(
    blankAsMissing,
    z.coerce
      .number<unknown>({ error: (issue) => (issue.input === undefined ? "aum is required" : "aum must be a number") })
      .nonnegative("aum must not be negative")
      .finite("aum must be a finite number"),
  ),
  products: productList.default([]),
  region: z.string().trim().min(1, "region is required"),
  emailConsent: booleanText("emailConsent"),
  smsConsent: optionalAnswer("smsConsent"),
  phoneConsent: optionalAnswer("phoneConsent"),
  liabilityConsent: optionalAnswer("liabilityConsent"),
  assetConsent: optionalAnswer("assetConsent"),
  intermediaryConsent: optionalAnswer("intermediaryConsent"),
  /** Where the consent answers of this row were given; "import" when the file does not say. */
  consentSource: z.preprocess(blankAsMissing, z.string().trim().max(200).optional()),
  /** When they were given; the import's time when the file does not say. */
  consentAt: z.preprocess(
    blankAsMissing,
    z
      .union([z.iso.datetime({ offset: true }), z.iso.date()], { error: "consentAt must be a date (2025-03-01) or an ISO date-time (2025-03-01T09:30:00+08:00)" })
      .transform((v) => new Date(v.length === 10 ? `${v}T00:00:00Z` : v).toISOString())
      .optional(),
  ),
  language: z.preprocess(blankAsMissing, z.enum(Language.options, { error: "language must be zh-CN or en" }).default(DEFAULT_LANGUAGE)),
  timeZone: z.preprocess(blankAsMissing, TimeZone.default(DEFAULT_TIME_ZONE)),
  riskTolerance: z.preprocess(blankAsMissing, z.enum(RiskTolerance.options, { error: "riskTolerance must be one of C1, C2, C3, C4, C5" }).optional()),
  relationshipManager: z.preprocess(blankAsMissing, z.string().trim().max(100).optional()),
  ...CustomerDetailsRow.shape,
});

/** One imported row, with the checks that need the whole row. */
export const CustomerRow = CustomerRowFields.superRefine((row, ctx) => {
  for (const issue of detailIssues(row)) ctx.addIssue({ code: "custom", path: [issue.path], message: issue.message });
});
export type CustomerRow = z.infer<typeof CustomerRow>;

/**
 * What an import row becomes: the customer's fields, and the consent answers it states,
 * which are merged with the stored ones (a changed answer gets a new record). History and
 * timestamps are the import's business.
 */
export type CustomerProfile = Omit<Customer, "createdAt" | "updatedAt" | "tierHistory" | "aumHistory" | "consent" | "deletedAt" | "purgeAt"> & {
  statedConsent: Omit<StatedConsent, "at"> & { at?: string };
};

export function profileFromRow(row: CustomerRow, thresholds?: TierThresholds): CustomerProfile {
  const { smsConsent, phoneConsent, liabilityConsent, assetConsent, intermediaryConsent, consentSource, consentAt, ...fields } = row;
  return {
    ...fields,
    products: [...new Set(row.products)].sort(),
    tier: row.type === "individual" ? tierFor(row.aum, thresholds) : null,
    events: [...(row.events ?? [])].sort((a, b) => a.at.localeCompare(b.at)),
    statedConsent: {
      channels: { email: row.emailConsent, sms: smsConsent, phone: phoneConsent },
      categories: { liability: liabilityConsent, asset: assetConsent, intermediary: intermediaryConsent },
      source: consentSource ?? "import",
      at: consentAt,
    },
  };
}

/** The fields an import writes; consent is compared by its records. */
const PROFILE_FIELDS = [
  "type",
  "name",
  "email",
  "phone",
  "aum",
  "tier",
  "products",
  "region",
  "emailConsent",
  "language",
  "timeZone",
  "riskTolerance",
  "relationshipManager",
  ...DETAIL_FIELDS,
] as const satisfies readonly (keyof CustomerProfile & keyof Customer)[];

/** True when the import would change no field a campaign or analyst can see. */
export function sameProfile(a: Pick<CustomerProfile, (typeof PROFILE_FIELDS)[number]>, b: Pick<CustomerProfile, (typeof PROFILE_FIELDS)[number]>): boolean {
  return PROFILE_FIELDS.every((field) => isDeepStrictEqual(a[field], b[field]));
}

// --- use cases ------------------------------------------------------------------------------

import type { Platform } from "../ports/index.js";
import { NotFoundError } from "../kernel/errors.js";
import { parseImport, type ImportFormat, type RejectedRow } from "./import/import-file.js";

export type ImportSummary = { rowsRead: number; imported: number; updated: number; unchanged: number; rejected: RejectedRow[] };

const IMPORT_CHUNK = 100;

/** Upserts by customerId; importing the same file twice reports everything unchanged. */
export async function importCustomers(p: Platform, text: string, format: ImportFormat): Promise<ImportSummary> {
  const { profiles, rejected } = parseImport(text, format, p.settings.tierThresholds);
  const summary: ImportSummary = { rowsRead: profiles.length + rejected.length, imported: 0, updated: 0, unchanged: 0, rejected };
  const now = p.now().toISOString();
  for (let i = 0; i < profiles.length; i += IMPORT_CHUNK) {
    const chunk = profiles.slice(i, i + IMPORT_CHUNK);
    const existing = await p.customers.getMany(chunk.map((c) => c.profile.customerId));
    const toSave: Customer[] = [];
    for (const { line, profile } of chunk) {
      const known = existing.get(profile.customerId);
      if (known?.deletedAt) {
        // An import must not bring back a customer the bank deleted: that takes an approver's restore.
        summary.rejected.push({ line, reason: `customer '${profile.customerId}' was deleted on ${known.deletedAt}; an approver must restore it before it can be imported` });
        continue;
      }
      const { statedConsent, ...fields } = profile;
      const consent = nextConsent(known?.consent, { ...statedConsent, at: statedConsent.at ?? now });
      if (known && sameProfile(known, fields) && isDeepStrictEqual(known.consent, consent)) {
        summary.unchanged++;
        continue;
      }
      if (known) summary.updated++;
      else summary.imported++;
      // The import writes whole items, so it carries over what the sender and the offer page wrote.
      // An import racing a send to the same customer can still lose that one lastContactedAt; the
      // delivery keeps the send, and the customer's next send sets it again.
      const touches = { lastContactedAt: known?.lastContactedAt, answers: known?.answers };
      toSave.push({ ...fields, consent, ...nextHistory(known, fields, now), ...touches, createdAt: known?.createdAt ?? now, updatedAt: now });
    }
    if (toSave.length > 0) await p.customers.save(toSave);
  }
  summary.rejected.sort((a, b) => a.line - b.line);
  return summary;
}

export async function getCustomer(p: Platform, customerId: string): Promise<Customer> {
  const customer = await p.customers.get(customerId);
  if (!customer) throw new NotFoundError("Customer", customerId);
  return customer;
}

/** A customer as a member of staff sees them: contact data masked by role, lifecycle stage as of now. */

