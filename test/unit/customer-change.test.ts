import { describe, expect, it } from "vitest";
import {
  type AuditEntry,
  auditEntriesOf,
  type ChangeEffect,
  type CustomerChange,
  EditRequest,
} from "../../shared/customers/changes.js";
import type { Customer } from "../../shared/customers/customer.js";
import {
  applyChange,
  changeHistory,
  requestDeletion,
  requestEdit,
  restoreCustomer,
} from "../../shared/customers/maker-checker.js";
import type { CustomerChangeStore, CustomerStore } from "../../shared/customers/ports.js";
import type { Actor } from "../../shared/kernel/actor.js";
import { aCustomer } from "./fixtures.js";
import { platformWith } from "./platform.js";

const mei: Actor = { name: "mei", role: "marketer" };
const zhou: Actor = { name: "zhou", role: "analyst" };
const li: Actor = { name: "li", role: "approver" };

/** Records what the domain asks of the store; the conditions themselves are the adapter's (see the integration tests). */
class RecordingChanges implements Partial<CustomerChangeStore> {
  requested: CustomerChange[] = [];
  applied: { change: CustomerChange; audit: AuditEntry[]; effect: ChangeEffect; requestedNow: boolean }[] = [];
  stored = new Map<string, CustomerChange>();
  trail: AuditEntry[] = [];
  async request(change: CustomerChange) {
    this.requested.push(change);
    this.stored.set(change.changeId, change);
  }
  async get(_: string, changeId: string) {
    return this.stored.get(changeId) ?? null;
  }
  async apply(change: CustomerChange, audit: AuditEntry[], effect: ChangeEffect, options: { requestedNow: boolean }) {
    this.applied.push({ change, audit, effect, requestedNow: options.requestedNow });
    this.stored.set(change.changeId, change);
  }
  async of() {
    return [...this.stored.values()];
  }
  async auditTrail() {
    return this.trail;
  }
}

function setup(
  customer: Customer = aCustomer({ customerId: "C1", name: "张伟", email: "zhangwei@bank.cn", phone: "13812345678" }),
) {
  const changes = new RecordingChanges();
  const customers = {
    get: async (id: string) => (id === customer.customerId ? customer : null),
  } as unknown as CustomerStore;
  const p = platformWith({ customers, customerChanges: changes as unknown as CustomerChangeStore });
  return { p, changes };
}

describe("EditRequest", () => {
  it("takes editable fields with a reason, and null to clear an optional one", () => {
    const request = EditRequest.parse({
      changes: { email: " new@bank.cn ", relationshipManager: null },
      reason: "customer called the branch",
    });

    expect(request.changes).toEqual({ email: "new@bank.cn", relationshipManager: null });
  });

  it("takes the relationship manager's name the offer page shows", () => {
    const request = EditRequest.parse({ changes: { relationshipManagerName: " 王经理 " }, reason: "new RM since May" });

    expect(request.changes).toEqual({ relationshipManagerName: "王经理" });
  });

  it.each([
    [{ changes: { aum: 5 }, reason: "a good reason" }, "changes.aum", "cannot be edited by hand"],
    [{ changes: { email: "not-an-email" }, reason: "a good reason" }, "changes.email", "email is not a valid address"],
    [{ changes: { name: null }, reason: "a good reason" }, "changes.name", "cannot be cleared"],
    [{ changes: {}, reason: "a good reason" }, "changes", "at least one field"],
    [
      { changes: { relationshipManagerName: "<b>王经理</b>" }, reason: "a good reason" },
      "changes.relationshipManagerName",
      "no angle brackets",
    ],
    [{ changes: { region: "Jilin" }, reason: "x" }, "reason", "say why"],
    [{ changes: { region: "Jilin" } }, "reason", ""],
  ])("rejects %j at %s", (body, path, message) => {
    const result = EditRequest.safeParse(body);

    expect(result.success).toBe(false);
    expect(result.error?.issues).toContainEqual(
      expect.objectContaining({ path: path.split("."), message: expect.stringContaining(message) }),
    );
  });
});

describe("maker-checker on customer records", () => {
  it("keeps a marketer's change pending, with each field's value before and after", async () => {
    const { p, changes } = setup();

    const change = await requestEdit(
      p,
      "C1",
      EditRequest.parse({
        changes: { email: "wei.zhang@bank.cn", region: "Jilin" },
        reason: "new address from the branch",
      }),
      mei,
    );

    expect(change.status).toBe("pending");
    expect(changes.requested).toHaveLength(1);
    expect(changes.applied).toHaveLength(0);
    expect(changes.requested[0].fields).toEqual({ email: { before: "zhangwei@bank.cn", after: "wei.zhang@bank.cn" } }); // region was Jilin already
    expect(change.fields).toEqual({ email: { before: "z***@bank.cn", after: "w***@bank.cn" } }); // what the marketer is shown
  });

  it("applies an approver's own change at once, with its audit entries", async () => {
    const { p, changes } = setup();

    const change = await requestEdit(
      p,
      "C1",
      EditRequest.parse({ changes: { phone: null }, reason: "number no longer in use" }),
      li,
    );

    expect(change).toMatchObject({ status: "applied", decidedBy: "li" });
    expect(changes.applied[0]).toMatchObject({
      requestedNow: true,
      audit: [
        {
          actor: "li",
          action: "edit",
          field: "phone",
          before: "13812345678",
          after: null,
          reason: "number no longer in use",
        },
      ],
    });
  });

  it("refuses a change that would change nothing", async () => {
    const { p } = setup();

    await expect(
      requestEdit(p, "C1", EditRequest.parse({ changes: { region: "Jilin" }, reason: "already right" }), mei),
    ).rejects.toThrow("Nothing would change");
  });

  it("lets someone else apply a pending change, and names who asked in the audit", async () => {
    const { p, changes } = setup();
    const pending = await requestEdit(
      p,
      "C1",
      EditRequest.parse({ changes: { name: "张伟伟" }, reason: "spelling on the id card" }),
      mei,
    );

    const selfApproved = applyChange(p, "C1", pending.changeId, { name: "mei", role: "admin" });
    const applied = await applyChange(p, "C1", pending.changeId, li);

    await expect(selfApproved).rejects.toMatchObject({ code: "self_approval" });
    expect(applied.status).toBe("applied");
    expect(changes.applied.at(-1)?.audit).toEqual([
      {
        customerId: "C1",
        at: applied.decidedAt,
        actor: "li",
        requestedBy: "mei",
        action: "edit",
        field: "name",
        before: "张伟",
        after: "张伟伟",
        reason: "spelling on the id card",
        changeId: pending.changeId,
      },
    ]);
  });

  it("refuses to decide a change twice", async () => {
    const { p } = setup();
    const pending = await requestEdit(
      p,
      "C1",
      EditRequest.parse({ changes: { name: "Wei" }, reason: "romanised name" }),
      mei,
    );
    await applyChange(p, "C1", pending.changeId, li);

    await expect(applyChange(p, "C1", pending.changeId, li)).rejects.toMatchObject({
      status: 409,
      message: expect.stringContaining("already applied by li"),
    });
  });

  it("deletes for 30 days before the purge, and restores only by an approver", async () => {
    const { p, changes } = setup();
    const deleted = await requestDeletion(p, "C1", "duplicate of C7", li);
    const effect = changes.applied[0].effect;

    expect(deleted.status).toBe("applied");
    expect(effect).toEqual({
      kind: "delete",
      deletedAt: p.now().toISOString(),
      purgeAt: Math.floor(p.now().getTime() / 1000) + 30 * 86_400,
    });
    await expect(restoreCustomer(p, "C1", "deleted by mistake", mei)).rejects.toMatchObject({ status: 403 });
  });
});

describe("reading changes and the audit trail", () => {
  it("masks contact values for a marketer, not for an approver", async () => {
    const { p, changes } = setup();
    await requestEdit(
      p,
      "C1",
      EditRequest.parse({ changes: { email: "wei.zhang@bank.cn" }, reason: "new address" }),
      mei,
    );
    changes.trail = auditEntriesOf({ ...changes.requested[0], status: "applied" }, "li", "2026-06-01T12:00:00.000Z");

    const asMarketer = await changeHistory(p, "C1", zhou);
    const asApprover = await changeHistory(p, "C1", li);

    expect(asMarketer.changes[0].fields.email).toEqual({ before: "z***@bank.cn", after: "w***@bank.cn" });
    expect(asMarketer.auditTrail[0]).toMatchObject({ field: "email", before: "z***@bank.cn", after: "w***@bank.cn" });
    expect(asApprover.changes[0].fields.email).toEqual({ before: "zhangwei@bank.cn", after: "wei.zhang@bank.cn" });
  });

  it("masks an address change too", async () => {
    const { p, changes } = setup();
    const change = await requestEdit(
      p,
      "C1",
      EditRequest.parse({ changes: { address: "吉林省长春市朝阳区人民大街 100 号" }, reason: "moved house" }),
      mei,
    );

    expect(change.fields.address).toEqual({ before: null, after: "吉林省长春市***" });
    expect(changes.requested[0].fields.address.after).toBe("吉林省长春市朝阳区人民大街 100 号");
  });
});
