import { z } from "zod";
import { CustomerRowFields } from "./import/customer-row.js";

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
  relationshipManagerName: true,
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
  /** consent: the customer's own choice in the preference centre, a channel or category turned on or off. */
  action: z.enum(["edit", "delete", "restore", "export", "consent"]),
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

/** What applying a change does to the customer record. */
export type ChangeEffect =
  | { kind: "edit"; fields: Record<string, { before: string | null; after: string | null }> }
  | { kind: "delete"; deletedAt: string; purgeAt: number }
  | { kind: "restore" };

// --- reading: contact values masked like the customer view -------------------------------------
