import { GetCommand, PutCommand, TransactWriteCommand, type TransactWriteCommandInput } from "@aws-sdk/lib-dynamodb";
import { type ChangeEvent, trailEntriesOfAudit, trailEntriesOfChange } from "../../customers/change-trail.js";
import { AuditEntry, type ChangeEffect, CustomerChange, RESTORE_DAYS } from "../../customers/changes.js";
import type { CustomerChangeStore } from "../../customers/ports.js";
import { CustomerChangeConflictError } from "../../kernel/errors.js";
import type { Period } from "../../kernel/trail.js";
import { documentClient, itemsWithPrefix, transactionConditionFailed } from "./client.js";
import { trailPage } from "./day-index.js";
import { keys } from "./keys.js";

type TransactItem = NonNullable<TransactWriteCommandInput["TransactItems"]>[number];

/**
 * Changes and audit entries live in the campaigns table under the customer's partition (the
 * customer record itself is in the customers table, purged by TTL; its trail is not). A
 * pending change also has a copy under PENDING_CHANGES, removed when it is decided, so the
 * approvers' queue is one small query.
 */
export class DynamoDbCustomerChangeStore implements CustomerChangeStore {
  constructor(
    private readonly campaignsTable: string,
    private readonly customersTable: string,
  ) {}

  async request(change: CustomerChange) {
    await documentClient.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: this.campaignsTable,
              // The request is an event of the bank-wide trail, at its asking, whatever becomes of it.
              Item: {
                ...keys.customerChange(change.customerId, change.changeId),
                ...keys.changesByDay(change.requestedAt, change.changeId, change.requestedBy, "requested"),
                ...change,
              },
              ConditionExpression: "attribute_not_exists(pk)",
            },
          },
          {
            Put: {
              TableName: this.campaignsTable,
              Item: { ...keys.pendingChange(change.requestedAt, change.changeId), ...change },
            },
          },
        ],
      }),
    );
  }

  async get(customerId: string, changeId: string) {
    const { Item } = await documentClient.send(
      new GetCommand({
        TableName: this.campaignsTable,
        Key: keys.customerChange(customerId, changeId),
        ConsistentRead: true,
      }),
    );
    return Item ? CustomerChange.parse(Item) : null;
  }

  async pending() {
    return (await this.queryAll(keys.pendingChanges, "CHANGE#")).map((item) => CustomerChange.parse(item));
  }

  async of(customerId: string) {
    const changes = (await this.queryAll(keys.customerPartition(customerId), "CHANGE#")).map((item) =>
      CustomerChange.parse(item),
    );
    return changes.sort((a, b) => b.requestedAt.localeCompare(a.requestedAt));
  }

  async apply(change: CustomerChange, audit: AuditEntry[], effect: ChangeEffect, options: { requestedNow: boolean }) {
    const decision: TransactItem[] = options.requestedNow
      ? [
          {
            Put: {
              TableName: this.campaignsTable,
              Item: { ...keys.customerChange(change.customerId, change.changeId), ...change },
              ConditionExpression: "attribute_not_exists(pk)",
            },
          },
        ]
      : [
          {
            Update: {
              TableName: this.campaignsTable,
              Key: keys.customerChange(change.customerId, change.changeId),
              UpdateExpression: "SET #status = :applied, decidedBy = :by, decidedAt = :at",
              ConditionExpression: "#status = :pending",
              ExpressionAttributeNames: { "#status": "status" },
              ExpressionAttributeValues: {
                ":applied": "applied",
                ":pending": "pending",
                ":by": change.decidedBy,
                ":at": change.decidedAt,
              },
            },
          },
          { Delete: { TableName: this.campaignsTable, Key: keys.pendingChange(change.requestedAt, change.changeId) } },
        ];
    const customer: TransactItem = {
      Update: {
        TableName: this.customersTable,
        Key: { customerId: change.customerId },
        ...customerUpdate(effect, change.decidedAt!),
      },
    };
    const entries: TransactItem[] = audit.map((entry, n) => ({
      Put: {
        TableName: this.campaignsTable,
        Item: {
          ...keys.auditEntry(entry.customerId, entry.at, `${change.changeId}#${n}`),
          ...keys.changesByDay(entry.at, `${change.changeId}#${n}`, entry.actor, "applied"),
          ...entry,
        },
        ConditionExpression: "attribute_not_exists(pk)",
      },
    }));
    try {
      await documentClient.send(new TransactWriteCommand({ TransactItems: [...decision, customer, ...entries] }));
    } catch (error) {
      if (transactionConditionFailed(error, 0))
        throw new CustomerChangeConflictError(
          `Change '${change.changeId}' was decided by someone else at the same time`,
        );
      if (transactionConditionFailed(error, decision.length))
        throw new CustomerChangeConflictError(conflictMessage(change, effect));
      throw error;
    }
  }

  async reject(change: CustomerChange) {
    try {
      await documentClient.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.campaignsTable,
                Key: keys.customerChange(change.customerId, change.changeId),
                UpdateExpression: "SET #status = :rejected, decidedBy = :by, decidedAt = :at, rejectionReason = :why",
                ConditionExpression: "#status = :pending",
                ExpressionAttributeNames: { "#status": "status" },
                ExpressionAttributeValues: {
                  ":rejected": "rejected",
                  ":pending": "pending",
                  ":by": change.decidedBy,
                  ":at": change.decidedAt,
                  ":why": change.rejectionReason,
                },
              },
            },
            {
              Delete: { TableName: this.campaignsTable, Key: keys.pendingChange(change.requestedAt, change.changeId) },
            },
            {
              // The rejection is an event of the bank-wide trail, at its decision; the customer's own view reads the change.
              Put: {
                TableName: this.campaignsTable,
                Item: {
                  ...keys.rejectedChange(change.customerId, change.decidedAt!, change.changeId),
                  ...keys.changesByDay(change.decidedAt!, change.changeId, change.decidedBy!, "rejected"),
                  ...change,
                },
              },
            },
          ],
        }),
      );
    } catch (error) {
      if (transactionConditionFailed(error, 0))
        throw new CustomerChangeConflictError(
          `Change '${change.changeId}' was decided by someone else at the same time`,
        );
      throw error;
    }
  }

  async appendAudit(entries: AuditEntry[]) {
    await Promise.all(
      entries.map((entry, n) =>
        documentClient.send(
          new PutCommand({
            TableName: this.campaignsTable,
            Item: {
              ...keys.auditEntry(entry.customerId, entry.at, `${n}`),
              ...keys.changesByDay(
                entry.at,
                `${entry.customerId}#${n}`,
                entry.actor,
                entry.action === "consent" ? "consent" : "applied",
              ),
              ...entry,
            },
            ConditionExpression: "attribute_not_exists(pk)",
          }),
        ),
      ),
    );
  }

  async auditTrail(customerId: string) {
    return (await this.queryAll(keys.customerPartition(customerId), "AUDIT#", false)).map((item) =>
      AuditEntry.parse(item),
    );
  }

  /** Every customer's change events in the period, from the byDay index (events since it was added). */
  async bankWide(query: { period: Period; limit: number; cursor?: string; actor?: string; kind?: ChangeEvent }) {
    const conditions: string[] = [];
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    if (query.actor) {
      conditions.push("#actor = :actor");
      names["#actor"] = "trailActor";
      values[":actor"] = query.actor;
    }
    if (query.kind) {
      conditions.push("#kind = :kind");
      names["#kind"] = "trailKind";
      values[":kind"] = query.kind;
    }
    return trailPage(this.campaignsTable, {
      partitionOf: keys.changesDay,
      period: query.period,
      limit: query.limit,
      cursor: query.cursor,
      ...(conditions.length ? { filter: { expression: conditions.join(" AND "), names, values } } : {}),
      entriesOf: (item) => {
        const sk = String(item.sk);
        if (sk.startsWith("AUDIT#")) return trailEntriesOfAudit(AuditEntry.parse(item));
        if (sk.startsWith("REJECTED#")) return trailEntriesOfChange(CustomerChange.parse(item), "rejected");
        return trailEntriesOfChange(CustomerChange.parse(item), "requested");
      },
    });
  }

  private async queryAll(pk: string, prefix: string, forward = true) {
    const all: Record<string, unknown>[] = [];
    for await (const items of itemsWithPrefix(this.campaignsTable, pk, prefix, {
      ScanIndexForward: forward,
      ConsistentRead: true,
    }))
      all.push(...items);
    return all;
  }
}

/** The customer update a change makes, conditional on the record being as the change expects. */
function customerUpdate(effect: ChangeEffect, at: string) {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = { ":at": at };
  if (effect.kind === "delete") {
    return {
      UpdateExpression: "SET deletedAt = :deletedAt, purgeAt = :purgeAt, updatedAt = :at",
      ConditionExpression: "attribute_exists(customerId) AND attribute_not_exists(deletedAt)",
      ExpressionAttributeValues: { ...values, ":deletedAt": effect.deletedAt, ":purgeAt": effect.purgeAt },
    };
  }
  if (effect.kind === "restore") {
    return {
      UpdateExpression: "REMOVE deletedAt, purgeAt SET updatedAt = :at",
      // An expired record may linger until TTL removes it (up to two days on AWS): it is gone all the same.
      ConditionExpression: "attribute_exists(deletedAt) AND purgeAt > :nowSeconds",
      ExpressionAttributeValues: { ...values, ":nowSeconds": Math.floor(Date.parse(at) / 1000) },
    };
  }
  const sets = ["updatedAt = :at"];
  const removes: string[] = [];
  const conditions = ["attribute_exists(customerId)", "attribute_not_exists(deletedAt)"];
  Object.entries(effect.fields).forEach(([field, { before, after }], i) => {
    names[`#f${i}`] = field;
    if (after === null) removes.push(`#f${i}`);
    else {
      sets.push(`#f${i} = :after${i}`);
      values[`:after${i}`] = after;
    }
    if (before === null) conditions.push(`attribute_not_exists(#f${i})`);
    else {
      conditions.push(`#f${i} = :before${i}`);
      values[`:before${i}`] = before;
    }
  });
  return {
    UpdateExpression: `SET ${sets.join(", ")}${removes.length ? ` REMOVE ${removes.join(", ")}` : ""}`,
    ConditionExpression: conditions.join(" AND "),
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

function conflictMessage(change: CustomerChange, effect: ChangeEffect): string {
  if (effect.kind === "delete") return `Customer '${change.customerId}' is already deleted, or no longer exists`;
  if (effect.kind === "restore")
    return `Customer '${change.customerId}' can no longer be restored: it is not deleted, or its ${RESTORE_DAYS}-day restore period is over`;
  return `Customer '${change.customerId}' changed since this change was asked for (or was deleted): reject it and ask again against the record as it is now`;
}
