import { z } from "zod";
import { ProductCode } from "./product.js";
import { Tier, tierFor, type TierThresholds } from "./tier.js";
import { AumSnapshot, lifecycleStage, nextHistory, TierChange, type LifecycleStage } from "./customer-history.js";

export const CustomerId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, "customerId must be 1-64 letters, digits, '_' or '-'");

export const CustomerType = z.enum(["individual", "corporate"]);

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
  emailConsent: z.boolean(),
  /** The relationship manager (客户经理) who looks after the customer; sees their contact data in full. */
  relationshipManager: z.string().optional(),
  /** Every tier the customer was given, oldest first: a rule can ask who just moved up. */
  tierHistory: z.array(TierChange).default([]),
  /** The AUM each import reported when it changed, oldest first: the lifecycle stage's trend. */
  aumHistory: z.array(AumSnapshot).default([]),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type Customer = z.infer<typeof Customer>;

const YES_NO: Record<string, boolean> = { true: true, yes: true, "1": true, false: false, no: false, "0": false };

const booleanText = z.preprocess(
  (v) => (typeof v === "string" ? (YES_NO[v.trim().toLowerCase()] ?? v) : v),
  z.boolean({ error: "emailConsent must be true or false" }),
);

/** An empty cell is a missing value, never a zero balance. */
const blankAsMissing = (v: unknown) => (v === "" || v === null ? undefined : v);

const productList = z
  .union([z.array(z.string()), z.string()])
  .transform((v) =>
    (Array.isArray(v) ? v : v.split(";"))
      .map((code) => code.trim())
      .filter((code) => code.length > 0),
  )
  .pipe(z.array(ProductCode));

/** One imported row, from CSV (all strings) or NDJSON (typed values). */
export const CustomerRow = z.object({
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
  emailConsent: booleanText,
  relationshipManager: z.preprocess(blankAsMissing, z.string().trim().max(100).optional()),
});
export type CustomerRow = z.infer<typeof CustomerRow>;

/** What an import row becomes; timestamps are the store's business. */
export type CustomerProfile = Omit<Customer, "createdAt" | "updatedAt" | "tierHistory" | "aumHistory">;

export function profileFromRow(row: CustomerRow, thresholds?: TierThresholds): CustomerProfile {
  return {
    ...row,
    products: [...new Set(row.products)].sort(),
    tier: row.type === "individual" ? tierFor(row.aum, thresholds) : null,
  };
}

/** True when the import would change nothing a campaign or analyst can see. */
export function sameProfile(a: CustomerProfile, b: CustomerProfile): boolean {
  return (
    a.type === b.type &&
    a.name === b.name &&
    a.email === b.email &&
    a.aum === b.aum &&
    a.tier === b.tier &&
    a.region === b.region &&
    a.emailConsent === b.emailConsent &&
    a.phone === b.phone &&
    a.relationshipManager === b.relationshipManager &&
    a.products.join(";") === b.products.join(";")
  );
}

// --- use cases ------------------------------------------------------------------------------

import type { Actor, Platform } from "../ports/index.js";
import { customerView } from "./masking.js";
import { NotFoundError } from "./errors.js";
import { parseImport, type ImportFormat, type RejectedRow } from "./import-file.js";

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
    for (const { profile } of chunk) {
      const known = existing.get(profile.customerId);
      if (known && sameProfile(known, profile)) {
        summary.unchanged++;
        continue;
      }
      if (known) summary.updated++;
      else summary.imported++;
      toSave.push({ ...profile, ...nextHistory(known, profile, now), createdAt: known?.createdAt ?? now, updatedAt: now });
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
export async function viewCustomer(p: Platform, customerId: string, actor: Actor): Promise<ReturnType<typeof customerView<Customer>> & { lifecycle: LifecycleStage | null }> {
  const customer = await getCustomer(p, customerId);
  return { ...customerView(customer, actor), lifecycle: lifecycleStage(customer.aumHistory, p.now(), p.settings.lifecycle) };
}
