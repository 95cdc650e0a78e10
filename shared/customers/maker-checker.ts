import type { Actor } from "../kernel/actor.js";
import {
  CustomerChangeConflictError,
  ForbiddenError,
  NotFoundError,
  SelfApprovalError,
  ValidationError,
} from "../kernel/errors.js";
import { type Clock, DAY_MS, type IdSource } from "../kernel/time.js";
import {
  type AuditEntry,
  auditEntriesOf,
  type ChangeEffect,
  type CustomerChange,
  type EditableField,
  type EditRequest,
  RESTORE_DAYS,
} from "./changes.js";
import type { Customer } from "./customer.js";
import { type CustomerReader, getCustomer } from "./get-customer.js";
import { CONFIDENTIAL_FIELDS, isConfidential, seesContactData } from "./masking.js";
import type { CustomerChangeStore, CustomerStore } from "./ports.js";

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

/** A change as asked for, waiting for an approver until decideAtOnceOrWait says otherwise. */
function pendingChangeOf(
  p: Clock & IdSource,
  asked: Pick<CustomerChange, "customerId" | "kind" | "fields" | "reason">,
  actor: Actor,
): CustomerChange {
  return {
    changeId: p.newId(),
    ...asked,
    requestedBy: actor.name,
    requestedAt: p.now().toISOString(),
    status: "pending",
  };
}

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
  const change = pendingChangeOf(p, { customerId, kind: "edit", fields, reason: request.reason }, actor);
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
  const change = pendingChangeOf(p, { customerId, kind: "delete", fields: {}, reason: reason }, actor);
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
  const change = pendingChangeOf(p, { customerId, kind: "restore", fields: {}, reason: reason }, actor);
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
