import { GetCommand, QueryCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { Campaign } from "../../campaigns/campaign.js";
import {
  CAMPAIGN_TRANSITIONS,
  CampaignHistoryEntry,
  CampaignStatus,
  type CampaignTransition,
  type TransitionBy,
} from "../../campaigns/lifecycle.js";
import type { CampaignStore } from "../../campaigns/ports.js";
import { CampaignStateConflictError, NotFoundError, ValidationError } from "../../kernel/errors.js";
import { documentClient, itemsWithPrefix, transactionConditionFailed } from "./client.js";
import { decodeCursor, encodeCursor, keys } from "./keys.js";

export class DynamoDbCampaignStore implements CampaignStore {
  constructor(private readonly table: string) {}

  /** A history entry, written only once: the store never overwrites or deletes one. */
  private historyPut(entry: CampaignHistoryEntry) {
    return {
      Put: {
        TableName: this.table,
        Item: { ...keys.campaignHistoryEntry(entry.campaignId, entry.at, entry.event), ...entry },
        ConditionExpression: "attribute_not_exists(pk)",
      },
    };
  }

  async create(campaign: Campaign) {
    await documentClient.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: this.table,
              // campaignStatus mirrors status for the campaignsByStatus index, which only campaign items enter.
              Item: { ...keys.campaign(campaign.campaignId), ...campaign, campaignStatus: campaign.status },
              ConditionExpression: "attribute_not_exists(pk)",
            },
          },
          this.historyPut({
            campaignId: campaign.campaignId,
            event: "created",
            status: campaign.status,
            at: campaign.createdAt,
            by: campaign.createdBy,
          }),
        ],
      }),
    );
  }

  async get(campaignId: string) {
    const { Item } = await documentClient.send(
      new GetCommand({ TableName: this.table, Key: keys.campaign(campaignId), ConsistentRead: true }),
    );
    return Item ? Campaign.parse(Item) : null;
  }

  async status(campaignId: string) {
    const { Item } = await documentClient.send(
      new GetCommand({
        TableName: this.table,
        Key: keys.campaign(campaignId),
        ConsistentRead: true,
        ProjectionExpression: "#status",
        ExpressionAttributeNames: { "#status": "status" },
      }),
    );
    return Item ? CampaignStatus.parse(Item.status) : null;
  }

  /**
   * The status condition makes the lifecycle table binding even under concurrent requests; the
   * history entry goes in the same transaction, so no status changes without its entry.
   */
  async transition(campaignId: string, transition: CampaignTransition, patch: Partial<Campaign>, by: TransitionBy) {
    const definition = CAMPAIGN_TRANSITIONS[transition];
    const { from, to, event } = definition;
    const clears: readonly string[] = "clears" in definition ? definition.clears : [];
    const fields = Object.entries({ ...patch, status: to, campaignStatus: to }).filter(([, v]) => v !== undefined);
    const names = Object.fromEntries(fields.map(([k], i) => [`#f${i}`, k]));
    const values = Object.fromEntries(fields.map(([, v], i) => [`:v${i}`, v]));
    const removed = Object.fromEntries(clears.map((k, i) => [`#r${i}`, k]));
    const allowed = Object.fromEntries(from.map((s, i) => [`:from${i}`, s]));
    const remove = clears.length > 0 ? ` REMOVE ${Object.keys(removed).join(", ")}` : "";
    try {
      await documentClient.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.table,
                Key: keys.campaign(campaignId),
                UpdateExpression: `SET ${fields.map((_, i) => `#f${i} = :v${i}`).join(", ")}${remove}`,
                ConditionExpression: `attribute_exists(pk) AND #status IN (${Object.keys(allowed).join(", ")})`,
                ExpressionAttributeNames: { ...names, ...removed, "#status": "status" },
                ExpressionAttributeValues: { ...values, ...allowed },
              },
            },
            this.historyPut({ campaignId, event, status: to, ...by }),
          ],
        }),
      );
    } catch (error) {
      if (!transactionConditionFailed(error)) throw error;
      const current = await this.get(campaignId);
      if (!current) throw new NotFoundError("Campaign", campaignId);
      throw new CampaignStateConflictError(campaignId, transition, current.status, from);
    }
    const updated = await this.get(campaignId);
    if (!updated) throw new NotFoundError("Campaign", campaignId);
    return updated;
  }

  async replaceDraft(campaign: Campaign, by: TransitionBy) {
    const { campaignId } = campaign;
    try {
      await documentClient.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.table,
                Item: { ...keys.campaign(campaignId), ...campaign, status: "draft", campaignStatus: "draft" },
                ConditionExpression: "attribute_exists(pk) AND #status = :draft",
                ExpressionAttributeNames: { "#status": "status" },
                ExpressionAttributeValues: { ":draft": "draft" },
              },
            },
            this.historyPut({ campaignId, event: "edited", status: "draft", ...by }),
          ],
        }),
      );
    } catch (error) {
      if (!transactionConditionFailed(error)) throw error;
      const current = await this.get(campaignId);
      if (!current) throw new NotFoundError("Campaign", campaignId);
      throw new CampaignStateConflictError(campaignId, "edit", current.status, ["draft"]);
    }
    const updated = await this.get(campaignId);
    if (!updated) throw new NotFoundError("Campaign", campaignId);
    return updated;
  }

  async record(campaignId: string, event: "test_sent", by: TransitionBy) {
    const status = await this.status(campaignId);
    if (!status) throw new NotFoundError("Campaign", campaignId);
    await documentClient.send(
      new TransactWriteCommand({ TransactItems: [this.historyPut({ campaignId, event, status, ...by })] }),
    );
  }

  async listByStatus(status: CampaignStatus, limit: number, cursor?: string) {
    const out = await documentClient
      .send(
        new QueryCommand({
          TableName: this.table,
          IndexName: keys.campaignsByStatus,
          KeyConditionExpression: "campaignStatus = :status",
          ExpressionAttributeValues: { ":status": status },
          ScanIndexForward: false,
          Limit: limit,
          ExclusiveStartKey: startKeyOf(status, cursor),
        }),
      )
      .catch((error) => {
        // A cursor of the right shape that DynamoDB still refuses (edited by hand): the caller's mistake.
        if (cursor && (error as Error)?.name === "ValidationException") throw badCursor();
        throw error;
      });
    return {
      campaigns: (out.Items ?? []).map((item) => Campaign.parse(item)),
      cursor: encodeCursor(out.LastEvaluatedKey),
    };
  }

  async history(campaignId: string) {
    const entries: CampaignHistoryEntry[] = [];
    for await (const items of itemsWithPrefix(this.table, keys.campaign(campaignId).pk, keys.campaignHistoryPrefix, {
      ConsistentRead: true,
    })) {
      for (const item of items) entries.push(CampaignHistoryEntry.parse(item));
    }
    return entries;
  }
}

const badCursor = () => new ValidationError("cursor is not one this list gave; start again without it");

/** The page's start from a cursor this list gave for the same status; anything else is a 400, never a 500. */
function startKeyOf(status: CampaignStatus, cursor: string | undefined): Record<string, unknown> | undefined {
  if (!cursor) return undefined;
  let key: unknown;
  try {
    key = decodeCursor(cursor);
  } catch {
    throw badCursor();
  }
  const sound =
    typeof key === "object" &&
    key !== null &&
    !Array.isArray(key) &&
    (key as Record<string, unknown>).campaignStatus === status &&
    Object.values(key).every((v) => typeof v === "string" || typeof v === "number");
  if (!sound) throw badCursor();
  return key as Record<string, unknown>;
}
