import { z } from "zod";
import type { Actor } from "../kernel/actor.js";
import {
  CustomerChangeConflictError,
  ForbiddenError,
  NotFoundError,
  SelfApprovalError,
  ValidationError,
} from "../kernel/errors.js";
import { type Clock, DAY_MS, type IdSource } from "../kernel/time.js";
import { type Customer, type CustomerReader, getCustomer } from "./customer.js";
import { CustomerRowFields } from "./import/customer-row.js";
import { CONFIDENTIAL_FIELDS, isConfidential, seesContactData } from "./masking.js";
import type { CustomerChangeStore, CustomerStore } from "./ports.js";

/**
 * The bank's rule: a change to a customer record needs a manager's approval and is logged with
 * who, when, what changed and why; a deletion needs approval too and is held for one month
 * before it is purged, so nothing useful is lost by mistake. A change by a marketer or analyst waits as a pending change; an approver (or
 * admin) applies or rejects it, or makes their own change at once. Every applied change
 * writes one audit entry per field, in the same transaction as the change itself.
 */

/** The fields staff may correct by hand; balances, holdings and consent come from the bank's systems. */
const Editable = CustomerRowFields.pick({
  name: true,
  email: true,
  phone: true,
  region: true,
  relationshipManager: true,
  language: true,
  timeZone: true,
  riskTolerance: true,
  address: true,
  occupation: true,
  employer: true,
});
export const EDITABLE_FIELDS = Object.keys(Editable.shape) as (keyof typeof Editable.shape)[];
export type EditableField = (typeof EDITABLE_FIELDS)[number];

const Reason = z.string().trim().min(5, "reason must say why, in at least 5 characters").max(500);

/** A requested edit: the new values (null clears an optional field) and why. */
export const EditRequest = z.object({
  changes: z
    .record(z.string(), z.unknown())
    .superRefine((raw, ctx) => {
      for (const field of Object.keys(raw)) {
        if (!EDITABLE_FIELDS.includes(field as EditableField)) {
          ctx.addIssue({
            code: "custom",
            path: [field],
            message: `${field} cannot be edited by hand; editable fields are ${EDITABLE_FIELDS.join(", ")}`,
          });
        }
      }
      if (Object.keys(raw).length === 0)
        ctx.addIssue({ code: "custom", message: "changes must name at least one field" });
    })
    .transform((raw, ctx) => {
      const values: Partial<Record<EditableField, string | null>> = {};
      for (const [field, value] of Object.entries(raw) as [EditableField, unknown][]) {
        if (value === null) {
          if (field === "name" || field === "region" || field === "language" || field === "timeZone") {
            ctx.addIssue({ code: "custom", path: [field], message: `${field} cannot be cleared` });
          } else values[field] = null;
          continue;
        }
        const parsed = Editable.shape[field].safeParse(value);
        if (!parsed.success)
          for (const issue of parsed.error.issues)
            ctx.addIssue({ code: "custom", path: [field], message: issue.message });
        else values[field] = parsed.data as string;
      }
      return values;
    }),
  reason: Reason,
});
export type EditRequest = z.output<typeof EditRequest>;

export const DeletionRequest = z.object({ reason: Reason });

export const ChangeKind = z.enum(["edit", "delete", "restore"]);
export const ChangeStatus = z.enum(["pending", "applied", "rejected"]);
export type ChangeStatus = z.infer<typeof ChangeStatus>;

const FieldValue = z.string().nullable();

export const CustomerChange = z.object({
  changeId: z.string(),
  customerId: z.string(),
  kind: ChangeKind,
  /** For an edit: each field's value when requested (before) and the value asked for (after). */
  fields: z.record(z.string(), z.object({ before: FieldValue, after: FieldValue })).default({}),
  reason: z.string(),
  requestedBy: z.string(),
  requestedAt: z.iso.datetime(),
  status: ChangeStatus,
  decidedBy: z.string().optional(),
  decidedAt: z.iso.datetime().optional(),
  rejectionReason: z.string().optional(),
});
export type CustomerChange = z.infer<typeof CustomerChange>;

/** One line of the append-only audit trail. */
export const AuditEntry = z.object({
  customerId: z.string(),
  at: z.iso.datetime(),
  actor: z.string(),
  action: z.enum(["edit", "delete", "restore", "export"]),
  field: z.string().optional(),
  before: FieldValue.optional(),
  after: FieldValue.optional(),
  reason: z.string(),
  /** The change it applied, and who asked for it when that was someone else. */
  changeId: z.string().optional(),
  requestedBy: z.string().optional(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

/** How long a deleted customer can be restored before DynamoDB's TTL purges the record. */
export const RESTORE_DAYS = 30;

const mayDecide = (actor: Actor) => actor.role === "approver" || actor.role === "admin";

const recordedValue = (customer: Customer, field: EditableField): string | null =>
  (customer[field] as string | undefined) ?? null;

function notDeleted(customer: Customer): void {
  if (customer.deletedAt) {
    throw new CustomerChangeConflictError(
      `Customer '${customer.customerId}' was deleted on ${customer.deletedAt}: restore it before changing it`,
    );
  }
}

/** The audit entries an applied change writes: one per field for an edit, one for a deletion or restore. */
export function auditEntriesOf(change: CustomerChange, decidedBy: string, at: string): AuditEntry[] {
  const common = {
    customerId: change.customerId,
    at,
    actor: decidedBy,
    reason: change.reason,
    changeId: change.changeId,
    ...(change.requestedBy !== decidedBy ? { requestedBy: change.requestedBy } : {}),
  };
  if (change.kind !== "edit") return [{ ...common, action: change.kind }];
  return Object.entries(change.fields).map(([field, { before, after }]) => ({
    ...common,
    action: "edit" as const,
    field,
    before,
    after,
  }));
}

async function decideAtOnceOrWait(p: ChangeDeps, change: CustomerChange, actor: Actor): Promise<CustomerChange> {
  if (!mayDecide(actor)) {
    await p.customerChanges.request(change);
    return change;
  }
  const now = p.now().toISOString();
  const applied: CustomerChange = { ...change, status: "applied", decidedBy: actor.name, decidedAt: now };
  await p.customerChanges.apply(applied, auditEntriesOf(applied, actor.name, now), effectOf(applied, p.now()), {
    requestedNow: true,
  });
  return applied;
}

/** What applying a change does to the customer record. */
export type ChangeEffect =
  | { kind: "edit"; fields: Record<string, { before: string | null; after: string | null }> }
  | { kind: "delete"; deletedAt: string; purgeAt: number }
  | { kind: "restore" };

function effectOf(change: CustomerChange, now: Date): ChangeEffect {
  if (change.kind === "edit") return { kind: "edit", fields: change.fields };
  if (change.kind === "delete")
    return {
      kind: "delete",
      deletedAt: now.toISOString(),
      purgeAt: Math.floor((now.getTime() + RESTORE_DAYS * DAY_MS) / 1000),
    };
  return { kind: "restore" };
}

export type ChangeDeps = CustomerReader & { customerChanges: CustomerChangeStore } & Clock & IdSource;
/** What reading a customer's changes needs: the record decides who sees values unmasked. */
export type ChangeReaderDeps = {
  customers: Pick<CustomerStore, "get">;
  customerChanges: Pick<CustomerChangeStore, "of" | "auditTrail">;
};

export async function requestEdit(
  p: ChangeDeps,
  customerId: string,
  request: EditRequest,
  actor: Actor,
): Promise<CustomerChange> {
  const customer = await getCustomer(p, customerId);
  notDeleted(customer);
  const fields: CustomerChange["fields"] = {};
  for (const [field, after] of Object.entries(request.changes) as [EditableField, string | null][]) {
    const before = recordedValue(customer, field);
    if (before !== after) fields[field] = { before, after };
  }
  if (Object.keys(fields).length === 0)
    throw new ValidationError("Nothing would change: every value asked for is already on the record");
  const change: CustomerChange = {
    changeId: p.newId(),
    customerId,
    kind: "edit",
    fields,
    reason: request.reason,
    requestedBy: actor.name,
    requestedAt: p.now().toISOString(),
    status: "pending",
  };
  // The answer shows the record's current values: masked, like every other view of them.
  return maskedChange(await decideAtOnceOrWait(p, change, actor), seesValues(actor, customer));
}

export async function requestDeletion(
  p: ChangeDeps,
  customerId: string,
  reason: string,
  actor: Actor,
): Promise<CustomerChange> {
  const customer = await getCustomer(p, customerId);
  notDeleted(customer);
  const change: CustomerChange = {
    changeId: p.newId(),
    customerId,
    kind: "delete",
    fields: {},
    reason,
    requestedBy: actor.name,
    requestedAt: p.now().toISOString(),
    status: "pending",
  };
  return decideAtOnceOrWait(p, change, actor);
}

/** Only an approver or admin restores, and only before the purge. */
export async function restoreCustomer(
  p: ChangeDeps,
  customerId: string,
  reason: string,
  actor: Actor,
): Promise<CustomerChange> {
  if (!mayDecide(actor))
    throw new ForbiddenError(`Role '${actor.role}' may not restore a customer; it needs approver or admin`);
  const customer = await getCustomer(p, customerId);
  if (!customer.deletedAt)
    throw new CustomerChangeConflictError(`Customer '${customerId}' is not deleted: there is nothing to restore`);
  const change: CustomerChange = {
    changeId: p.newId(),
    customerId,
    kind: "restore",
    fields: {},
    reason,
    requestedBy: actor.name,
    requestedAt: p.now().toISOString(),
    status: "pending",
  };
  return decideAtOnceOrWait(p, change, actor);
}

async function pendingChange(p: ChangeDeps, customerId: string, changeId: string): Promise<CustomerChange> {
  const change = await p.customerChanges.get(customerId, changeId);
  if (!change) throw new NotFoundError("Change", changeId);
  if (change.status !== "pending") {
    throw new CustomerChangeConflictError(
      `Change '${changeId}' was already ${change.status} by ${change.decidedBy} at ${change.decidedAt}`,
    );
  }
  return change;
}

export async function applyChange(
  p: ChangeDeps,
  customerId: string,
  changeId: string,
  actor: Actor,
): Promise<CustomerChange> {
  const change = await pendingChange(p, customerId, changeId);
  if (change.requestedBy === actor.name)
    throw new SelfApprovalError("A change must be applied by someone other than who asked for it (maker-checker)");
  const now = p.now();
  const applied: CustomerChange = { ...change, status: "applied", decidedBy: actor.name, decidedAt: now.toISOString() };
  await p.customerChanges.apply(
    applied,
    auditEntriesOf(applied, actor.name, now.toISOString()),
    effectOf(applied, now),
    { requestedNow: false },
  );
  return applied;
}

export async function rejectChange(
  p: ChangeDeps,
  customerId: string,
  changeId: string,
  rejectionReason: string,
  actor: Actor,
): Promise<CustomerChange> {
  const change = await pendingChange(p, customerId, changeId);
  const rejected: CustomerChange = {
    ...change,
    status: "rejected",
    decidedBy: actor.name,
    decidedAt: p.now().toISOString(),
    rejectionReason,
  };
  await p.customerChanges.reject(rejected);
  return rejected;
}

// --- reading: contact values masked like the customer view -------------------------------------

const maskValue = (field: string | undefined, value: string | null | undefined) =>
  field && value && isConfidential(field) ? CONFIDENTIAL_FIELDS[field](value) : value;

/**
 * An approver sees a change's values in full (they cannot check an email correction they
 * cannot read), as do admins and the customer's relationship manager; others see them masked.
 */
const seesValues = (actor: Actor, customer: Pick<Customer, "relationshipManager"> | null) =>
  mayDecide(actor) || (customer !== null && seesContactData(actor, customer));

function maskedChange(change: CustomerChange, visible: boolean): CustomerChange {
  if (visible) return change;
  const fields = Object.fromEntries(
    Object.entries(change.fields).map(([field, { before, after }]) => [
      field,
      { before: maskValue(field, before) ?? null, after: maskValue(field, after) ?? null },
    ]),
  );
  return { ...change, fields };
}

function maskedEntry(entry: AuditEntry, visible: boolean): AuditEntry {
  return visible
    ? entry
    : { ...entry, before: maskValue(entry.field, entry.before), after: maskValue(entry.field, entry.after) };
}

/** The approvers' queue, oldest first. */
export async function pendingChanges(
  p: { customerChanges: Pick<CustomerChangeStore, "pending"> },
  actor: Actor,
): Promise<CustomerChange[]> {
  return (await p.customerChanges.pending()).map((change) => maskedChange(change, seesValues(actor, null)));
}

/**
 * A customer's changes and audit trail (newest first), as this actor may see them. The trail
 * outlives the record: after the purge it is still answered.
 */
export async function changeHistory(
  p: ChangeReaderDeps,
  customerId: string,
  actor: Actor,
  /** The record when the caller has read it already; else it is read here. */
  known?: Customer | null,
): Promise<{ changes: CustomerChange[]; auditTrail: AuditEntry[] }> {
  const [customer, changes, auditTrail] = await Promise.all([
    known !== undefined ? known : p.customers.get(customerId),
    p.customerChanges.of(customerId),
    p.customerChanges.auditTrail(customerId),
  ]);
  if (!customer && changes.length === 0 && auditTrail.length === 0) throw new NotFoundError("Customer", customerId);
  const visible = seesValues(actor, customer);
  return {
    changes: changes.map((c) => maskedChange(c, visible)),
    auditTrail: auditTrail.map((e) => maskedEntry(e, visible)),
  };
}
