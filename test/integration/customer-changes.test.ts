import { DeleteItemCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { api } from "./client.js";

/**
 * Maker-checker on customer records against the real emulators: a marketer's change waits,
 * an approver applies or rejects it, every applied change is in the audit trail, and a
 * deleted customer leaves segments at once and can be restored.
 */
const REGION = "ChangeTown";
const header = "customerId,type,name,email,phone,aum,products,region,emailConsent";
const rows = [
  `CHG-1,individual,Zhang Wei,zhang.wei@bank.cn,13812345678,90000,DEPOSIT_CURRENT,${REGION},true`,
  `CHG-2,individual,Li Na,li.na@bank.cn,,90000,DEPOSIT_CURRENT,${REGION},true`,
  `CHG-3,individual,Sun Lei,sun.lei@bank.cn,,90000,DEPOSIT_CURRENT,${REGION},true`,
];

let segmentId: string;
const previewIds = async () =>
  ((await api("GET", `/api/segments/${segmentId}/preview`, "marketer")).body.sample as { customerId: string }[])
    .map((c) => c.customerId)
    .sort();

beforeAll(async () => {
  const imported = await api("POST", "/api/customers/import", "marketer", [header, ...rows].join("\n"), "text/csv");
  expect(imported.body.rejected).toEqual([]);
  segmentId = (
    await api("POST", "/api/segments", "marketer", {
      name: "ChangeTown",
      rule: { attr: "region", op: "eq", value: REGION },
    })
  ).body.segmentId;
});

describe("a change by a marketer waits for an approver", () => {
  let changeId: string;

  it("is pending, leaves the record as it was, and is in the approvers' queue", async () => {
    const requested = await api("PATCH", "/api/customers/CHG-1", "marketer", {
      changes: { email: "wei.zhang@bank.cn" },
      reason: "the customer gave a new address at the branch",
    });
    changeId = requested.body.changeId;
    const customer = await api("GET", "/api/customers/CHG-1", "admin");
    const queue = await api("GET", "/api/changes", "approver");
    const marketerQueue = await api("GET", "/api/changes", "marketer");

    expect(requested.status).toBe(202);
    expect(requested.body).toMatchObject({ status: "pending", requestedBy: "mei", kind: "edit" });
    expect(requested.body.fields.email).toEqual({ before: "z***@bank.cn", after: "w***@bank.cn" }); // the marketer's answer masks the record's address
    expect(customer.body.email).toBe("zhang.wei@bank.cn");
    expect(queue.body.changes).toContainEqual(
      expect.objectContaining({
        changeId,
        fields: { email: { before: "zhang.wei@bank.cn", after: "wei.zhang@bank.cn" } },
      }),
    );
    expect(marketerQueue.status).toBe(403);
  });

  it("is applied by an approver, writing the audit trail: who, when, field, before, after, why", async () => {
    const byMarketer = await api("POST", `/api/customers/CHG-1/changes/${changeId}/apply`, "marketer");
    const applied = await api("POST", `/api/customers/CHG-1/changes/${changeId}/apply`, "approver");
    const again = await api("POST", `/api/customers/CHG-1/changes/${changeId}/apply`, "approver");
    const customer = await api("GET", "/api/customers/CHG-1", "admin");
    const history = await api("GET", "/api/customers/CHG-1/changes", "admin");
    const queue = await api("GET", "/api/changes", "approver");

    expect(byMarketer.status).toBe(403);
    expect(applied.status).toBe(200);
    expect(again.status).toBe(409);
    expect(customer.body.email).toBe("wei.zhang@bank.cn");
    expect(history.body.auditTrail).toEqual([
      {
        customerId: "CHG-1",
        at: applied.body.decidedAt,
        actor: "li",
        requestedBy: "mei",
        action: "edit",
        field: "email",
        before: "zhang.wei@bank.cn",
        after: "wei.zhang@bank.cn",
        reason: "the customer gave a new address at the branch",
        changeId,
      },
    ]);
    expect(queue.body.changes.map((c: { changeId: string }) => c.changeId)).not.toContain(changeId);
  });

  it("masks the contact values of the trail for a marketer", async () => {
    const history = await api("GET", "/api/customers/CHG-1/changes", "marketer");

    expect(history.body.auditTrail[0]).toMatchObject({ before: "z***@bank.cn", after: "w***@bank.cn" });
  });

  it("offers no way to edit or delete an audit entry", async () => {
    for (const method of ["PUT", "PATCH", "DELETE"]) {
      const response = await api(method, "/api/customers/CHG-1/changes", "admin", {});
      expect(response.status, method).toBe(404);
    }
  });
});

describe("conflicts and rejections", () => {
  it("refuses to apply a change asked against a value someone has changed since", async () => {
    const stale = await api("PATCH", "/api/customers/CHG-2", "marketer", {
      changes: { name: "Li Nana" },
      reason: "nickname the customer prefers",
    });
    const direct = await api("PATCH", "/api/customers/CHG-2", "approver", {
      changes: { name: "Li Na (Lina)" },
      reason: "as on the id card",
    });
    const applied = await api("POST", `/api/customers/CHG-2/changes/${stale.body.changeId}/apply`, "approver");

    expect(direct.status).toBe(200); // an approver's own change applies at once
    expect(applied.status).toBe(409);
    expect(applied.body.message).toContain("changed since");
    expect((await api("GET", "/api/customers/CHG-2", "admin")).body.name).toBe("Li Na (Lina)");
  });

  it("rejects with a reason, writing nothing to the record or the trail", async () => {
    const requested = await api("PATCH", "/api/customers/CHG-3", "analyst", {
      changes: { relationshipManager: "zhou" },
      reason: "I look after this customer now",
    });
    const rejected = await api("POST", `/api/customers/CHG-3/changes/${requested.body.changeId}/reject`, "approver", {
      reason: "RM assignments come from the branch roster",
    });
    const history = await api("GET", "/api/customers/CHG-3/changes", "admin");

    expect(rejected.body).toMatchObject({
      status: "rejected",
      decidedBy: "li",
      rejectionReason: "RM assignments come from the branch roster",
    });
    expect(history.body.auditTrail).toEqual([]);
    expect((await api("GET", "/api/customers/CHG-3", "admin")).body.relationshipManager).toBeUndefined();
  });

  it("answers a client's mistakes with 400 or 404, naming what is wrong", async () => {
    const notEditable = await api("PATCH", "/api/customers/CHG-3", "marketer", {
      changes: { aum: 1 },
      reason: "a good reason",
    });
    const noReason = await api("PATCH", "/api/customers/CHG-3", "marketer", { changes: { region: "Jilin" } });
    const unknown = await api("PATCH", "/api/customers/NOPE-1", "marketer", {
      changes: { region: "Jilin" },
      reason: "a good reason",
    });
    const noChange = await api("POST", "/api/customers/CHG-3/changes/nope/apply", "approver");

    expect(notEditable.status).toBe(400);
    expect(notEditable.body.message).toContain("changes.aum: aum cannot be edited by hand");
    expect(noReason.status).toBe(400);
    expect(noReason.body.message).toContain("reason");
    expect(unknown.status).toBe(404);
    expect(noChange.status).toBe(404);
  });
});

describe("soft deletion", () => {
  it("takes a deleted customer out of segments at once, keeps imports from bringing it back, and restores it", async () => {
    const requested = await api("DELETE", "/api/customers/CHG-3", "marketer", { reason: "duplicate of CHG-2" });
    const stillThere = await previewIds();
    const applied = await api("POST", `/api/customers/CHG-3/changes/${requested.body.changeId}/apply`, "approver");
    const gone = await previewIds();
    const record = await api("GET", "/api/customers/CHG-3", "admin");
    const reimported = await api("POST", "/api/customers/import", "marketer", [header, rows[2]].join("\n"), "text/csv");
    const editDeleted = await api("PATCH", "/api/customers/CHG-3", "approver", {
      changes: { region: "Jilin" },
      reason: "a good reason",
    });
    const restoredByMarketer = await api("POST", "/api/customers/CHG-3/restore", "marketer", {
      reason: "deleted by mistake",
    });
    const restored = await api("POST", "/api/customers/CHG-3/restore", "approver", {
      reason: "not a duplicate after all",
    });
    const back = await previewIds();
    const restoreAgain = await api("POST", "/api/customers/CHG-3/restore", "approver", {
      reason: "not a duplicate after all",
    });
    const trail = (await api("GET", "/api/customers/CHG-3/changes", "admin")).body.auditTrail.map(
      (e: { action: string }) => e.action,
    );

    expect(requested.status).toBe(202);
    expect(stillThere).toContain("CHG-3");
    expect(applied.status).toBe(200);
    expect(gone).toEqual(["CHG-1", "CHG-2"]);
    expect(
      Date.parse(new Date(record.body.purgeAt * 1000).toISOString()) - Date.parse(record.body.deletedAt),
    ).toBeCloseTo(30 * 86_400_000, -4);
    expect(reimported.body.rejected).toEqual([{ line: 2, reason: expect.stringContaining("restore it") }]);
    expect(editDeleted.status).toBe(409);
    expect(restoredByMarketer.status).toBe(403);
    expect(restored.status).toBe(200);
    expect(back).toEqual(["CHG-1", "CHG-2", "CHG-3"]);
    expect(restoreAgain.status).toBe(409);
    expect(trail).toEqual(["restore", "delete"]);
  });

  it("keeps the audit trail after the record is purged", async () => {
    await api("DELETE", "/api/customers/CHG-2", "approver", { reason: "customer closed every account" });
    // What DynamoDB's TTL does after 30 days, done now: the record goes, the trail stays.
    const dynamodb = new DynamoDBClient({
      endpoint: inject("dynamodbEndpoint"),
      region: "us-east-1",
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    });
    await dynamodb.send(
      new DeleteItemCommand({ TableName: inject("customersTable"), Key: { customerId: { S: "CHG-2" } } }),
    );

    const record = await api("GET", "/api/customers/CHG-2", "admin");
    const history = await api("GET", "/api/customers/CHG-2/changes", "admin");

    expect(record.status).toBe(404);
    expect(history.body.auditTrail.map((e: { action: string }) => e.action)).toEqual(["delete", "edit"]);
  });
});

describe("the single customer view", () => {
  it("shows the record with its details masked by role, the pending changes and the audit trail", async () => {
    const file = [
      "customerId,type,name,email,aum,products,region,emailConsent,birthDate,idType,idNumber,address,incomeBand",
      `CHG-VIEW,individual,Zhou Min,zhou.min@bank.cn,250000,DEPOSIT_CURRENT,${REGION},true,1985-04-12,resident_id,11010519491231002X,吉林省长春市朝阳区人民大街 100 号,10k_30k`,
    ].join("\n");
    await api("POST", "/api/customers/import", "marketer", file, "text/csv");
    await api("PATCH", "/api/customers/CHG-VIEW", "approver", {
      changes: { occupation: "engineer" },
      reason: "told us at the branch",
    });
    const pending = await api("PATCH", "/api/customers/CHG-VIEW", "marketer", {
      changes: { region: "Jilin" },
      reason: "moved to Jilin city",
    });

    const asMarketer = (await api("GET", "/api/customers/CHG-VIEW", "marketer")).body;
    const asAdmin = (await api("GET", "/api/customers/CHG-VIEW", "admin")).body;

    expect(asMarketer).toMatchObject({
      idNumber: "110***********002X",
      address: "吉林省长春市***",
      incomeBand: "10k_30k",
      occupation: "engineer",
      masked: true,
    });
    expect(asAdmin).toMatchObject({ idNumber: "11010519491231002X", address: "吉林省长春市朝阳区人民大街 100 号" });
    expect(asMarketer.pendingChanges).toEqual([
      expect.objectContaining({
        changeId: pending.body.changeId,
        fields: { region: { before: REGION, after: "Jilin" } },
      }),
    ]);
    expect(asMarketer.auditTrail).toEqual([
      expect.objectContaining({ actor: "li", field: "occupation", before: null, after: "engineer" }),
    ]);
    expect(asMarketer).toHaveProperty("touches");
    expect(asMarketer).toHaveProperty("tierHistory");
    expect(asMarketer).toHaveProperty("consent");
  });
});
