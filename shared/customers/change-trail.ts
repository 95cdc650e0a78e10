import { z } from "zod";
import type { Actor } from "../kernel/actor.js";
import { ForbiddenError } from "../kernel/errors.js";
import type { Clock } from "../kernel/time.js";
import { type Period, periodOf, type TrailPage, TrailQuery } from "../kernel/trail.js";
import { AuditEntry, ChangeStatus, type CustomerChange } from "./changes.js";
import { CONFIDENTIAL_FIELDS, isConfidential } from "./masking.js";

/**
 * The bank-wide audit trail of customer changes: every change staff asked for, applied or
 * rejected, and every consent choice a customer made in the preference centre, newest first.
 * What the admin reads to answer "who changed what, when and why" across all customers; each
 * customer's own trail (the customer view) is the same entries for one customer.
 */
export const ChangeEvent = z.enum(["requested", "applied", "rejected", "consent"]);
export type ChangeEvent = z.infer<typeof ChangeEvent>;

/** One line of the bank-wide trail: one event, one field of an edit. */
export const ChangeTrailEntry = z.object({
  at: z.iso.datetime(),
  event: ChangeEvent,
  action: AuditEntry.shape.action,
  customerId: z.string(),
  /** Who did it: the member of staff, or `customer` for their own consent choice. */
  actor: z.string(),
  field: z.string().optional(),
  before: z.string().nullable().optional(),
  after: z.string().nullable().optional(),
  reason: z.string(),
  changeId: z.string().optional(),
  /** For an applied or rejected change, who asked for it when that was someone else. */
  requestedBy: z.string().optional(),
  rejectionReason: z.string().optional(),
  /** For a requested change, where it stands now. */
  status: ChangeStatus.optional(),
});
export type ChangeTrailEntry = z.infer<typeof ChangeTrailEntry>;

export const ChangeTrailQuery = TrailQuery.extend({
  actor: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .optional()
    .describe("Only what this person did (their user name), or `customer` for the customers' own consent choices"),
  kind: ChangeEvent.optional().describe("Only this kind of event"),
});
export type ChangeTrailQuery = z.infer<typeof ChangeTrailQuery>;

/** The entries of an audit entry as the bank-wide trail shows it. */
export function trailEntriesOfAudit(entry: AuditEntry): ChangeTrailEntry[] {
  return [{ ...entry, event: entry.action === "consent" ? "consent" : "applied" }];
}

/** A change's request (at its asking) or rejection (at its decision): a line per field of an edit. */
export function trailEntriesOfChange(change: CustomerChange, event: "requested" | "rejected"): ChangeTrailEntry[] {
  const common =
    event === "requested"
      ? { at: change.requestedAt, actor: change.requestedBy, status: change.status }
      : {
          at: change.decidedAt ?? change.requestedAt,
          actor: change.decidedBy ?? change.requestedBy,
          ...(change.decidedBy !== change.requestedBy ? { requestedBy: change.requestedBy } : {}),
          ...(change.rejectionReason ? { rejectionReason: change.rejectionReason } : {}),
        };
  const line = {
    ...common,
    event,
    action: change.kind,
    customerId: change.customerId,
    reason: change.reason,
    changeId: change.changeId,
  };
  const fields = Object.entries(change.fields);
  if (change.kind !== "edit" || fields.length === 0) return [line];
  return fields.map(([field, { before, after }]) => ({ ...line, field, before, after }));
}

/**
 * Who sees a change's values in full: as for one customer's changes (maker-checker.ts), an
 * approver or admin; anyone else would see contact values masked. The trail is an admin's.
 */
const seesValues = (actor: Actor) => actor.role === "approver" || actor.role === "admin";

const masked = (field: string | undefined, value: string | null | undefined) =>
  field && value && isConfidential(field) ? CONFIDENTIAL_FIELDS[field](value) : value;

/** What the trail reads: CustomerChangeStore.bankWide (ports.ts imports this module's types, so it is named here). */
export type ChangeTrailReader = {
  bankWide(query: {
    period: Period;
    limit: number;
    cursor?: string;
    actor?: string;
    kind?: ChangeEvent;
  }): Promise<TrailPage<ChangeTrailEntry>>;
};

export async function changeTrail(
  p: { customerChanges: ChangeTrailReader } & Clock,
  query: ChangeTrailQuery,
  actor: Actor,
): Promise<TrailPage<ChangeTrailEntry> & { period: Period }> {
  if (actor.role !== "admin")
    throw new ForbiddenError(`Role '${actor.role}' may not read the bank-wide audit trail; only admin may`);
  const period = periodOf(query, p.now());
  const page = await p.customerChanges.bankWide({
    period,
    limit: query.limit,
    cursor: query.cursor,
    actor: query.actor,
    kind: query.kind,
  });
  const visible = seesValues(actor);
  return {
    ...page,
    entries: visible
      ? page.entries
      : page.entries.map((e) => ({ ...e, before: masked(e.field, e.before), after: masked(e.field, e.after) })),
    period,
  };
}
