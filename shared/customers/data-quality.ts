import { z } from "zod";
import { type Clock, daysBefore } from "../kernel/time.js";
import { type Customer, CustomerType } from "./customer.js";
import { maskEmail, maskPhone } from "./masking.js";
import { forEachCustomer, type ScanDeps } from "./scan.js";

/**
 * The bank checks its customer data for completeness, accuracy, consistency and freshness:
 * scattered, incomplete, unverified data is what broke its earlier CRM. This report answers those four questions over the
 * whole Customers table, for analysts: it names customers by id and never shows a full
 * contact address.
 */

export const DEFAULT_STALE_DAYS = 365;
const MAX_STALE_DAYS = 36_500;
/** Each list in the report holds at most this many entries; its `count` is always the full number. */
export const REPORT_LIST_LIMIT = 100;

/** The query string of the report. Strict digits: "", "1e3", "-1" and "abc" are refused, not coerced. */
export const DataQualityQuery = z.object({
  staleDays: z
    .string()
    .regex(/^\d+$/, "staleDays must be a whole number of days (0 or more)")
    .transform(Number)
    .pipe(z.number().max(MAX_STALE_DAYS, `staleDays must be at most ${MAX_STALE_DAYS}`))
    .default(DEFAULT_STALE_DAYS)
    .describe(`A record not updated for more than this many days is stale (default ${DEFAULT_STALE_DAYS})`),
});
export type DataQualityOptions = z.output<typeof DataQualityQuery>;

const Count = z.number().int().nonnegative();

const FieldCompleteness = z.object({
  present: Count,
  missing: Count,
  /** present / customers, rounded down to one decimal: 100 only when nothing is missing (and for an empty table). */
  percent: z.number(),
});

/** Why an email fails the report's check, which is stricter than the import's. */
export const ContactIssueReason = z.enum(["malformed", "placeholder", "consecutive_dots", "domain_without_dot"]);
export type ContactIssueReason = z.infer<typeof ContactIssueReason>;

export const DataQualityReport = z.object({
  customers: z.object({ total: Count, byType: z.record(CustomerType, Count) }),
  completeness: z.object({
    name: FieldCompleteness,
    email: FieldCompleteness,
    phone: FieldCompleteness,
    region: FieldCompleteness,
    aum: FieldCompleteness,
    products: FieldCompleteness.describe("present when the customer holds at least one product"),
    emailConsent: FieldCompleteness,
  }),
  invalidContacts: z.object({
    count: Count,
    list: z.array(z.object({ customerId: z.string(), field: z.literal("email"), reason: ContactIssueReason })),
  }),
  duplicateContacts: z.object({
    count: Count.describe("how many email addresses and phone numbers are shared by two or more customers"),
    list: z.array(
      z.object({
        channel: z.enum(["email", "phone"]),
        contact: z.string().describe("masked: z***@bank.cn, 138****5678"),
        customerIds: z.array(z.string()),
      }),
    ),
  }),
  stale: z.object({
    staleDays: Count,
    updatedBefore: z.iso.datetime(),
    count: Count,
    customerIds: z.array(z.string()),
  }),
  generatedAt: z.iso.datetime(),
});
export type DataQualityReport = z.infer<typeof DataQualityReport>;

type CompletenessField = keyof DataQualityReport["completeness"];

const hasText = (value: unknown) => typeof value === "string" && value.trim().length > 0;

/**
 * What "present" means per field. Most of these cannot be missing from a record the import
 * wrote today; they can in rows written before it validated, and the checks cost nothing.
 */
const PRESENT: Record<CompletenessField, (c: Customer) => boolean> = {
  name: (c) => hasText(c.name),
  email: (c) => hasText(c.email),
  phone: (c) => hasText(c.phone),
  region: (c) => hasText(c.region),
  aum: (c) => typeof c.aum === "number" && Number.isFinite(c.aum),
  products: (c) => Array.isArray(c.products) && c.products.length > 0,
  emailConsent: (c) => typeof c.emailConsent === "boolean",
};

/** Addresses staff type in when the customer gave none. */
const PLACEHOLDER_LOCAL_PARTS = new Set([
  "noemail",
  "no-email",
  "no_email",
  "nomail",
  "none",
  "null",
  "na",
  "unknown",
  "test",
  "dummy",
  "xxx",
]);
/** Reserved (RFC 2606) or well-known throwaway domains: no customer receives mail there. */
const PLACEHOLDER_DOMAINS = new Set(["test.com", "example.com", "example.org", "example.net"]);

const normalizeEmail = (email: string) => email.trim().toLowerCase();
/** "+86 138-1234-5678" and "13812345678" are the same mobile. */
const normalizePhone = (phone: string) => {
  const digits = phone.replace(/\D/g, "");
  return digits.length === 13 && digits.startsWith("86") ? digits.slice(2) : digits;
};

/** The report's stricter check of an address the import accepted (or that was stored before it checked); null when it passes. */
export function contactIssue(email: string): ContactIssueReason | null {
  const address = normalizeEmail(email);
  const parts = address.split("@");
  if (parts.length !== 2 || !parts[0] || !parts[1] || /\s/.test(address)) return "malformed";
  const [local, domain] = parts;
  if (PLACEHOLDER_LOCAL_PARTS.has(local) || PLACEHOLDER_DOMAINS.has(domain)) return "placeholder";
  if (address.includes("..")) return "consecutive_dots";
  if (!domain.includes(".")) return "domain_without_dot";
  return null;
}

/**
 * Inserts `item` into `list`, kept sorted by `key` and at most REPORT_LIST_LIMIT long: the
 * list holds the first entries by customer id, the same whatever order the shards answer in.
 */
function keepFirst<T>(list: T[], item: T, key: (item: T) => string): void {
  const k = key(item);
  if (list.length === REPORT_LIST_LIMIT && k >= key(list[list.length - 1])) return;
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (key(list[mid]) < k) lo = mid + 1;
    else hi = mid;
  }
  list.splice(lo, 0, item);
  if (list.length > REPORT_LIST_LIMIT) list.pop();
}

const percentOf = (present: number, total: number) => (total === 0 ? 100 : Math.floor((present * 1000) / total) / 10);

export type DataQualityDeps = ScanDeps & Clock;

/**
 * Walks every customer once with the same sharded parallel scan the segment preview and the
 * launch fan-out use, page by page, and keeps only counters and the bounded lists: no page
 * outlives its turn. The one thing that grows with the table is the Map from address to
 * customer ids that finds shared addresses: one entry per distinct valid address, about 120
 * bytes each (measured: 118 MB for a million), the price of an exact answer in one pass.
 * Beyond a few million customers this belongs in a job, not a request.
 */
export async function dataQualityReport(p: DataQualityDeps, options: DataQualityOptions): Promise<DataQualityReport> {
  const now = p.now();
  const updatedBefore = daysBefore(now, options.staleDays);
  const cutoff = updatedBefore.getTime();

  let total = 0;
  const byType = Object.fromEntries(CustomerType.options.map((type) => [type, 0])) as Record<Customer["type"], number>;
  const present = Object.fromEntries(Object.keys(PRESENT).map((field) => [field, 0])) as Record<
    CompletenessField,
    number
  >;
  const invalid: DataQualityReport["invalidContacts"] = { count: 0, list: [] };
  const stale: DataQualityReport["stale"] = {
    staleDays: options.staleDays,
    updatedBefore: updatedBefore.toISOString(),
    count: 0,
    customerIds: [],
  };
  /** "email:<address>" or "phone:<digits>" -> its customer(s); a lone id stays a string so the common case costs no array. */
  const idsByContact = new Map<string, string | string[]>();
  const share = (key: string, customerId: string) => {
    const known = idsByContact.get(key);
    if (known === undefined) idsByContact.set(key, customerId);
    else if (typeof known === "string") idsByContact.set(key, [known, customerId]);
    else known.push(customerId);
  };

  const inspect = (c: Customer) => {
    total++;
    byType[c.type] = (byType[c.type] ?? 0) + 1;
    for (const field of Object.keys(PRESENT) as CompletenessField[]) if (PRESENT[field](c)) present[field]++;

    if (hasText(c.email)) {
      const reason = contactIssue(c.email!);
      if (reason) {
        invalid.count++;
        keepFirst(invalid.list, { customerId: c.customerId, field: "email", reason }, (e) => e.customerId);
      } else {
        // Only valid addresses: a shared "noemail@" is already reported above and would drown the real duplicates.
        share(`email:${normalizeEmail(c.email!)}`, c.customerId);
      }
    }
    if (hasText(c.phone)) share(`phone:${normalizePhone(c.phone!)}`, c.customerId);

    // A missing or unreadable updatedAt cannot prove the record is fresh, so it counts as stale.
    if (!(Date.parse(c.updatedAt) >= cutoff)) {
      stale.count++;
      keepFirst(stale.customerIds, c.customerId, (id) => id);
    }
  };

  await forEachCustomer(p, inspect);

  const duplicates: DataQualityReport["duplicateContacts"] = { count: 0, list: [] };
  for (const [key, ids] of idsByContact) {
    if (typeof ids === "string") continue;
    duplicates.count++;
    const [channel, contact] = [key.slice(0, 5) as "email" | "phone", key.slice(6)];
    keepFirst(
      duplicates.list,
      { channel, contact: channel === "email" ? maskEmail(contact) : maskPhone(contact), customerIds: [...ids].sort() },
      (d) => d.customerIds[0],
    );
  }

  const completeness = Object.fromEntries(
    (Object.keys(PRESENT) as CompletenessField[]).map((field) => [
      field,
      { present: present[field], missing: total - present[field], percent: percentOf(present[field], total) },
    ]),
  ) as DataQualityReport["completeness"];

  return {
    customers: { total, byType },
    completeness,
    invalidContacts: invalid,
    duplicateContacts: duplicates,
    stale,
    generatedAt: now.toISOString(),
  };
}
