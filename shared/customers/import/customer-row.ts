import { isDeepStrictEqual } from "node:util";
import { z } from "zod";
import { ProductCode } from "../../kernel/products.js";
import { type TierThresholds, tierFor } from "../../kernel/tiers.js";
import type { StatedConsent } from "../consent.js";
import {
  type Customer,
  CustomerId,
  CustomerType,
  DEFAULT_LANGUAGE,
  DEFAULT_TIME_ZONE,
  Language,
  RiskTolerance,
  TimeZone,
} from "../customer.js";
import { blankAsMissing, CustomerDetailsRow, DETAIL_FIELDS, detailIssues } from "../details.js";

const YES_NO: Record<string, boolean> = { true: true, yes: true, "1": true, false: false, no: false, "0": false };

const booleanText = (column: string) =>
  z.preprocess(
    (v) => (typeof v === "string" ? (YES_NO[v.trim().toLowerCase()] ?? v) : v),
    z.boolean({ error: `${column} must be true or false` }),
  );

/** An answer the file may leave out: an empty cell or a missing column says nothing. */
const optionalAnswer = (column: string) => z.preprocess(blankAsMissing, booleanText(column).optional());

const productList = z
  .union([z.array(z.string()), z.string()])
  .transform((v) => (Array.isArray(v) ? v : v.split(";")).map((code) => code.trim()).filter((code) => code.length > 0))
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
      .union([z.iso.datetime({ offset: true }), z.iso.date()], {
        error: "consentAt must be a date (2025-03-01) or an ISO date-time (2025-03-01T09:30:00+08:00)",
      })
      .transform((v) => new Date(v.length === 10 ? `${v}T00:00:00Z` : v).toISOString())
      .optional(),
  ),
  language: z.preprocess(
    blankAsMissing,
    z.enum(Language.options, { error: "language must be zh-CN or en" }).default(DEFAULT_LANGUAGE),
  ),
  timeZone: z.preprocess(blankAsMissing, TimeZone.default(DEFAULT_TIME_ZONE)),
  riskTolerance: z.preprocess(
    blankAsMissing,
    z.enum(RiskTolerance.options, { error: "riskTolerance must be one of C1, C2, C3, C4, C5" }).optional(),
  ),
  relationshipManager: z.preprocess(blankAsMissing, z.string().trim().max(100).optional()),
  relationshipManagerName: z.preprocess(
    blankAsMissing,
    z
      .string()
      .trim()
      .max(40)
      .regex(/^[^<>{}]*$/, "relationshipManagerName has no angle brackets or braces")
      .optional(),
  ),
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
export type CustomerProfile = Omit<
  Customer,
  "createdAt" | "updatedAt" | "tierHistory" | "aumHistory" | "consent" | "deletedAt" | "purgeAt"
> & {
  statedConsent: Omit<StatedConsent, "at"> & { at?: string };
};

export function profileFromRow(row: CustomerRow, thresholds?: TierThresholds): CustomerProfile {
  const {
    smsConsent,
    phoneConsent,
    liabilityConsent,
    assetConsent,
    intermediaryConsent,
    consentSource,
    consentAt,
    ...fields
  } = row;
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
      ownProof: consentSource !== undefined && consentAt !== undefined,
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
  "relationshipManagerName",
  ...DETAIL_FIELDS,
] as const satisfies readonly (keyof CustomerProfile & keyof Customer)[];

/** True when the import would change no field a campaign or analyst can see. */
export function sameProfile(
  a: Pick<CustomerProfile, (typeof PROFILE_FIELDS)[number]>,
  b: Pick<CustomerProfile, (typeof PROFILE_FIELDS)[number]>,
): boolean {
  return PROFILE_FIELDS.every((field) => isDeepStrictEqual(a[field], b[field]));
}
