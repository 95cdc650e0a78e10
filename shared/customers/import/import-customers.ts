import { isDeepStrictEqual } from "node:util";
import type { WithSettings } from "../../kernel/settings.js";
import type { Clock } from "../../kernel/time.js";
import { importedConsent } from "../consent.js";
import type { Customer } from "../customer.js";
import { nextHistory } from "../history.js";
import type { CustomerStore } from "../ports.js";
import { type CustomerProfile, sameProfile } from "./customer-row.js";
import { type ImportFormat, parseImport, type RejectedRow } from "./import-file.js";

export type ImportDeps = { customers: Pick<CustomerStore, "getMany" | "save" | "replaceIfUnchanged"> } & Clock &
  WithSettings<"tierThresholds">;

export type ImportSummary = {
  rowsRead: number;
  imported: number;
  updated: number;
  unchanged: number;
  rejected: RejectedRow[];
  /**
   * Rows whose consent answer was not applied because the customer withdrew it themself and
   * the row has no later proof of its own. Not an outcome of its own: such a row is still
   * imported, updated or unchanged for its other fields.
   */
  consentKept: number;
};

const IMPORT_CHUNK = 100;
/** Rounds of re-reading the rows whose customer changed between the import's read and its write. */
const IMPORT_ATTEMPTS = 5;

type ImportRow = { line: number; profile: CustomerProfile };

/** What one row does to the stored customer, as of the record read just before. */
type RowOutcome =
  | { kind: "rejected"; reason: string }
  | { kind: "unchanged"; consentKept: boolean }
  | { kind: "imported" | "updated"; customer: Customer; readAt?: string; consentKept: boolean };

function outcomeOf(known: Customer | undefined, profile: CustomerProfile, now: string): RowOutcome {
  if (known?.deletedAt) {
    // An import must not bring back a customer the bank deleted: that takes an approver's restore.
    return {
      kind: "rejected",
      reason: `customer '${profile.customerId}' was deleted on ${known.deletedAt}; an approver must restore it before it can be imported`,
    };
  }
  const { statedConsent, ...row } = profile;
  // A row without consentAt dates its answers to the import; only its own proof can undo the customer's withdrawal.
  const { consent, kept } = importedConsent(known?.consent, { ...statedConsent, at: statedConsent.at ?? now });
  const consentKept = kept.length > 0;
  // The flag every send checks follows the email answer in force, which may be the customer's withdrawal.
  const fields = { ...row, emailConsent: consent.channels.email?.granted ?? row.emailConsent };
  if (known && sameProfile(known, fields) && isDeepStrictEqual(known.consent, consent)) {
    return { kind: "unchanged", consentKept };
  }
  // The import writes whole items, so it carries over what the sender and the offer page wrote.
  // An import racing a send to the same customer can still lose that one lastContactedAt; the
  // delivery keeps the send, and the customer's next send sets it again.
  const touches = { lastContactedAt: known?.lastContactedAt, answers: known?.answers };
  const customer: Customer = {
    ...fields,
    consent,
    ...nextHistory(known, fields, now),
    ...touches,
    createdAt: known?.createdAt ?? now,
    updatedAt: now,
  };
  return known
    ? { kind: "updated", customer, readAt: known.updatedAt, consentKept }
    : { kind: "imported", customer, consentKept };
}

/**
 * Imports one chunk of rows. A known customer is replaced only if nothing changed it since it
 * was read; the rows of those that did (an unsubscribe, an approved edit, a deletion, landing
 * between the read and the write) are judged again on a fresh read, so the customer's own
 * choice is never overwritten by a stale copy.
 */
async function importChunk(p: ImportDeps, rows: ImportRow[], now: string, summary: ImportSummary): Promise<void> {
  let pending = rows;
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt >= IMPORT_ATTEMPTS) {
      throw new Error(`${pending.length} customers kept changing while they were imported; import the file again`);
    }
    const existing = await p.customers.getMany(pending.map((row) => row.profile.customerId));
    const outcomes = pending.map((row) => ({
      row,
      outcome: outcomeOf(existing.get(row.profile.customerId), row.profile, now),
    }));
    const fresh = outcomes.flatMap(({ outcome }) => (outcome.kind === "imported" ? [outcome.customer] : []));
    const updates = outcomes.flatMap(({ outcome }) =>
      outcome.kind === "updated" && outcome.readAt ? [{ customer: outcome.customer, readAt: outcome.readAt }] : [],
    );
    if (fresh.length > 0) await p.customers.save(fresh);
    const changed = new Set(updates.length > 0 ? await p.customers.replaceIfUnchanged(updates) : []);
    for (const { row, outcome } of outcomes) {
      if (changed.has(row.profile.customerId)) continue;
      if (outcome.kind === "rejected") {
        summary.rejected.push({ line: row.line, reason: outcome.reason });
        continue;
      }
      summary[outcome.kind]++;
      if (outcome.consentKept) summary.consentKept++;
    }
    pending = outcomes.filter(({ row }) => changed.has(row.profile.customerId)).map(({ row }) => row);
  }
}

/** Upserts by customerId; importing the same file twice reports everything unchanged. */
export async function importCustomers(p: ImportDeps, text: string, format: ImportFormat): Promise<ImportSummary> {
  const { profiles, rejected } = parseImport(text, format, p.settings.tierThresholds);
  const summary: ImportSummary = {
    rowsRead: profiles.length + rejected.length,
    imported: 0,
    updated: 0,
    unchanged: 0,
    rejected,
    consentKept: 0,
  };
  const now = p.now().toISOString();
  for (let i = 0; i < profiles.length; i += IMPORT_CHUNK) {
    await importChunk(p, profiles.slice(i, i + IMPORT_CHUNK), now, summary);
  }
  summary.rejected.sort((a, b) => a.line - b.line);
  return summary;
}
