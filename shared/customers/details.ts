import { z } from "zod";

/**
 * A single customer view holds six kinds of information: basic, products held, addresses and
 * contacts, events, resources and relationships. These are the rest of them, beyond the contact data, AUM,
 * holdings and consent the campaign loop needs: basic (birth date, gender, occupation, id),
 * address, events, resources (deposits, loans, income band, credit rating) and relationships
 * (household, employer); for corporate clients their type, industry and size. All optional:
 * banks fill them in over time, and data quality reports what is missing.
 */
export const Gender = z.enum(["female", "male", "other"]);
export const IdType = z.enum(["resident_id", "passport", "business_license", "other"]);
/** Monthly income, CNY. */
export const IncomeBand = z.enum(["below_5k", "5k_10k", "10k_30k", "30k_50k", "above_50k"]);
export const CreditRating = z.enum(["AAA", "AA", "A", "BBB", "BB", "B", "CCC", "CC", "C", "D"]);
/** How the bank groups its corporate clients by type. */
export const CorporateType = z.enum([
  "government",
  "public_institution",
  "manufacturer",
  "trading",
  "sme",
  "agricultural",
]);
export const CompanySize = z.enum(["micro", "small", "medium", "large"]);

export const EventKind = z.enum(["life_event", "complaint", "service"]);
export const CustomerEvent = z.object({
  kind: EventKind,
  description: z.string().trim().min(1).max(500),
  at: z.iso.datetime({ offset: true }).transform((v) => new Date(v).toISOString()),
});
export type CustomerEvent = z.infer<typeof CustomerEvent>;
/** A record keeps the latest events; the full history belongs to the systems that raised them. */
export const EVENTS_LIMIT = 50;

/** The fields as stored. */
export const CustomerDetails = z.object({
  birthDate: z.iso.date().optional(),
  gender: Gender.optional(),
  occupation: z.string().optional(),
  idType: IdType.optional(),
  idNumber: z.string().optional(),
  address: z.string().optional(),
  events: z.array(CustomerEvent).default([]),
  deposits: z.number().nonnegative().optional(),
  loans: z.number().nonnegative().optional(),
  incomeBand: IncomeBand.optional(),
  creditRating: CreditRating.optional(),
  householdId: z.string().optional(),
  employer: z.string().optional(),
  corporateType: CorporateType.optional(),
  industry: z.string().optional(),
  companySize: CompanySize.optional(),
});
export type CustomerDetails = z.infer<typeof CustomerDetails>;
export const DETAIL_FIELDS = Object.keys(CustomerDetails.shape) as (keyof CustomerDetails)[];

// --- reading them from an import row --------------------------------------------------------

/** An empty cell is a missing value, never a zero balance. */
export const blankAsMissing = (v: unknown) => (v === "" || v === null ? undefined : v);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blankAsMissing, schema.optional());
const oneOf = <const T extends Readonly<Record<string, string>>>(column: string, values: T) =>
  optional(z.enum(values, { error: `${column} must be one of ${Object.values(values).join(", ")}` }));
const text = (max: number) => optional(z.string().trim().min(1).max(max));
const amount = (column: string) =>
  optional(
    z.coerce
      .number<unknown>({ error: `${column} must be a number` })
      .nonnegative(`${column} must not be negative`)
      .finite(`${column} must be a finite number`),
  );

/** In CSV the events cell holds a JSON array; in NDJSON it is the array itself. */
const eventList = z.preprocess((v) => {
  if (v === "" || v === null || v === undefined) return undefined;
  if (typeof v !== "string") return v;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    return v;
  }
}, z
  .array(CustomerEvent, { error: 'events must be a JSON array of {"kind","description","at"}' })
  .max(EVENTS_LIMIT, `events holds at most ${EVENTS_LIMIT} entries`)
  .optional());

export const CustomerDetailsRow = z.object({
  birthDate: optional(z.iso.date({ error: "birthDate must be a date such as 1985-04-12" })),
  gender: oneOf("gender", Gender.enum),
  occupation: text(100),
  idType: oneOf("idType", IdType.enum),
  idNumber: optional(
    z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9-]{5,30}$/, "idNumber must be 5-30 letters, digits or dashes"),
  ),
  address: text(300),
  events: eventList,
  deposits: amount("deposits"),
  loans: amount("loans"),
  incomeBand: oneOf("incomeBand", IncomeBand.enum),
  creditRating: oneOf("creditRating", CreditRating.enum),
  householdId: text(64),
  employer: text(200),
  corporateType: oneOf("corporateType", CorporateType.enum),
  industry: text(100),
  companySize: oneOf("companySize", CompanySize.enum),
});

const RESIDENT_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const RESIDENT_ID_CHECK = "10X98765432";

/** A mainland resident identity card number: 17 digits and an ISO 7064 MOD 11-2 check character. */
export function isResidentId(idNumber: string): boolean {
  if (!/^\d{17}[\dXx]$/.test(idNumber)) return false;
  const sum = RESIDENT_ID_WEIGHTS.reduce((total, weight, i) => total + weight * Number(idNumber[i]), 0);
  return RESIDENT_ID_CHECK[sum % 11] === idNumber[17].toUpperCase();
}

const INDIVIDUAL_ONLY = ["birthDate", "gender", "occupation", "employer", "householdId", "incomeBand"] as const;
const CORPORATE_ONLY = ["corporateType", "industry", "companySize"] as const;

/** Checks that need the whole row: fields that belong to the other kind of customer, the id's check digit. */
export function detailIssues(
  row: { type: "individual" | "corporate" } & z.infer<typeof CustomerDetailsRow>,
): { path: string; message: string }[] {
  const issues: { path: string; message: string }[] = [];
  const misplaced = row.type === "individual" ? CORPORATE_ONLY : INDIVIDUAL_ONLY;
  for (const field of misplaced) {
    if (row[field] !== undefined)
      issues.push({
        path: field,
        message: `${field} is for ${row.type === "individual" ? "corporate" : "individual"} customers only`,
      });
  }
  if (row.idNumber !== undefined && row.idType === undefined)
    issues.push({ path: "idType", message: "idType is required with idNumber" });
  if (row.idType === "resident_id" && row.idNumber !== undefined && !isResidentId(row.idNumber)) {
    issues.push({
      path: "idNumber",
      message: "idNumber is not a valid resident id: 17 digits and a check digit (0-9 or X) that matches them",
    });
  }
  return issues;
}
