import { isDeepStrictEqual } from "node:util";
import type { WithSettings } from "../../kernel/settings.js";
import type { Clock } from "../../kernel/time.js";
import { importedConsent } from "../consent.js";
import type { Customer } from "../customer.js";
import { nextHistory } from "../history.js";
import type { CustomerStore } from "../ports.js";
import { sameProfile } from "./customer-row.js";
import { type ImportFormat, parseImport, type RejectedRow } from "./import-file.js";

export type ImportDeps = { customers: Pick<CustomerStore, "getMany" | "save"> } & Clock &
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
    const chunk = profiles.slice(i, i + IMPORT_CHUNK);
    const existing = await p.customers.getMany(chunk.map((c) => c.profile.customerId));
    const toSave: Customer[] = [];
    for (const { line, profile } of chunk) {
      const known = existing.get(profile.customerId);
      if (known?.deletedAt) {
        // An import must not bring back a customer the bank deleted: that takes an approver's restore.
        summary.rejected.push({
          line,
          reason: `customer '${profile.customerId}' was deleted on ${known.deletedAt}; an approver must restore it before it can be imported`,
        });
        continue;
      }
      const { statedConsent, ...row } = profile;
      // A row without consentAt dates its answers to the import; only its own proof can undo the customer's withdrawal.
      const { consent, kept } = importedConsent(known?.consent, { ...statedConsent, at: statedConsent.at ?? now });
      if (kept.length > 0) summary.consentKept++;
      // The flag every send checks follows the email answer in force, which may be the customer's withdrawal.
      const fields = { ...row, emailConsent: consent.channels.email?.granted ?? row.emailConsent };
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
      toSave.push({
        ...fields,
        consent,
        ...nextHistory(known, fields, now),
        ...touches,
        createdAt: known?.createdAt ?? now,
        updatedAt: now,
      });
    }
    if (toSave.length > 0) await p.customers.save(toSave);
  }
  summary.rejected.sort((a, b) => a.line - b.line);
  return summary;
}
