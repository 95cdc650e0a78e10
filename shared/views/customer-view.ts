import type { Actor, Platform } from "../ports/index.js";
import { changeHistory, type AuditEntry, type CustomerChange } from "../customers/changes.js";
import { lifecycleStage, type LifecycleStage } from "../customers/history.js";
import { campaignHistory, type CampaignHistory } from "../customers/answers.js";
import { getCustomer, type Customer } from "../customers/customer.js";
import { customerView } from "../customers/masking.js";

/**
 * The single customer view: the record (contact data masked by role), the lifecycle stage as
 * of now, the campaign touches and conversions, the changes waiting for an approver and the
 * audit trail.
 */
export async function viewCustomer(
  p: Platform,
  customerId: string,
  actor: Actor,
): Promise<ReturnType<typeof customerView<Customer>> & { lifecycle: LifecycleStage | null } & CampaignHistory & { pendingChanges: CustomerChange[]; auditTrail: AuditEntry[] }> {
  const customer = await getCustomer(p, customerId);
  const [campaigns, { changes, auditTrail }] = await Promise.all([campaignHistory(p, customerId), changeHistory(p, customerId, actor, customer)]);
  return {
    ...customerView(customer, actor),
    lifecycle: lifecycleStage(customer.aumHistory, p.now(), p.settings.lifecycle),
    ...campaigns,
    pendingChanges: changes.filter((change) => change.status === "pending"),
    auditTrail: auditTrail.slice(0, VIEW_AUDIT_LIMIT),
  };
}

/** The view shows the latest entries; GET /api/customers/{id}/changes has them all. */
export const VIEW_AUDIT_LIMIT = 100;
