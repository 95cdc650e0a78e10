import type { AuditEntry, CustomerChange } from "../customers/changes.js";
import type { Customer } from "../customers/customer.js";
import { type CustomerReader, getCustomer } from "../customers/get-customer.js";
import { type LifecycleStage, lifecycleStage } from "../customers/history.js";
import { type ChangeReaderDeps, changeHistory } from "../customers/maker-checker.js";
import { customerView } from "../customers/masking.js";
import type { Actor } from "../kernel/actor.js";
import type { WithSettings } from "../kernel/settings.js";
import type { Clock } from "../kernel/time.js";
import { type CampaignHistory, type CampaignHistoryDeps, campaignHistory } from "./campaign-history.js";

export type CustomerViewDeps = CustomerReader &
  ChangeReaderDeps &
  CampaignHistoryDeps &
  Clock &
  WithSettings<"lifecycle">;

/**
 * The single customer view: the record (contact data masked by role), the lifecycle stage as
 * of now, the campaign touches and conversions, the changes waiting for an approver and the
 * audit trail.
 */
export async function viewCustomer(
  p: CustomerViewDeps,
  customerId: string,
  actor: Actor,
): Promise<
  ReturnType<typeof customerView<Customer>> & { lifecycle: LifecycleStage | null } & CampaignHistory & {
      pendingChanges: CustomerChange[];
      auditTrail: AuditEntry[];
    }
> {
  const customer = await getCustomer(p, customerId);
  const [campaigns, { changes, auditTrail }] = await Promise.all([
    campaignHistory(p, customerId),
    changeHistory(p, customerId, actor, customer),
  ]);
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
