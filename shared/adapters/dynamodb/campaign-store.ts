import { GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { Campaign } from "../../campaigns/campaign.js";
import { CAMPAIGN_TRANSITIONS, type CampaignTransition } from "../../campaigns/lifecycle.js";
import type { CampaignStore } from "../../campaigns/ports.js";
import { CampaignStateConflictError, NotFoundError } from "../../kernel/errors.js";
import { documentClient, isConditionFailure } from "./client.js";
import { keys } from "./keys.js";

export class DynamoDbCampaignStore implements CampaignStore {
  constructor(private readonly table: string) {}

  async create(campaign: Campaign) {
    await documentClient.send(
      new PutCommand({
        TableName: this.table,
        Item: { ...keys.campaign(campaign.campaignId), ...campaign },
        ConditionExpression: "attribute_not_exists(pk)",
      }),
    );
  }

  async get(campaignId: string) {
    const { Item } = await documentClient.send(
      new GetCommand({ TableName: this.table, Key: keys.campaign(campaignId), ConsistentRead: true }),
    );
    return Item ? Campaign.parse(Item) : null;
  }

  /** The status condition makes the lifecycle table binding even under concurrent requests. */
  async transition(campaignId: string, transition: CampaignTransition, patch: Partial<Campaign>) {
    const { from, to } = CAMPAIGN_TRANSITIONS[transition];
    const fields = Object.entries({ ...patch, status: to }).filter(([, v]) => v !== undefined);
    const names = Object.fromEntries(fields.map(([k], i) => [`#f${i}`, k]));
    const values = Object.fromEntries(fields.map(([, v], i) => [`:v${i}`, v]));
    const allowed = Object.fromEntries(from.map((s, i) => [`:from${i}`, s]));
    try {
      const out = await documentClient.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.campaign(campaignId),
          UpdateExpression: `SET ${fields.map((_, i) => `#f${i} = :v${i}`).join(", ")}`,
          ConditionExpression: `attribute_exists(pk) AND #status IN (${Object.keys(allowed).join(", ")})`,
          ExpressionAttributeNames: { ...names, "#status": "status" },
          ExpressionAttributeValues: { ...values, ...allowed },
          ReturnValues: "ALL_NEW",
        }),
      );
      return Campaign.parse(out.Attributes);
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const current = await this.get(campaignId);
      if (!current) throw new NotFoundError("Campaign", campaignId);
      throw new CampaignStateConflictError(campaignId, transition, current.status, from);
    }
  }
}
