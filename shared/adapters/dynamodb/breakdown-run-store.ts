import { GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { BreakdownRun, type BreakdownRunStore } from "../../delivery/breakdown-run.js";
import { cancellationCodes, documentClient, transactionConditionFailed } from "./client.js";
import { keys } from "./keys.js";

/**
 * A run is one item under the campaign's partition, replaced page by page on condition of its
 * version; each counted page leaves a marker under the run's own partition, written in the same
 * transaction, so a redelivered page is counted once. The campaign's hold (one item) names the
 * run counting it, so two runs of a campaign never count at once.
 */
export class DynamoDbBreakdownRunStore implements BreakdownRunStore {
  constructor(private readonly table: string) {}

  async start(run: BreakdownRun, staleBefore: string): Promise<BreakdownRun> {
    try {
      await documentClient.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.table,
                Item: { ...keys.breakdownRun(run.campaignId, run.runId), ...run },
                ConditionExpression: "attribute_not_exists(pk)",
              },
            },
            {
              // Held by nobody, by a run that finished, or by one silent since staleBefore.
              Put: {
                TableName: this.table,
                Item: { ...keys.breakdownHold(run.campaignId), runId: run.runId, heardAt: run.updatedAt },
                ConditionExpression: "attribute_not_exists(pk) OR attribute_exists(releasedAt) OR heardAt < :stale",
                ExpressionAttributeValues: { ":stale": staleBefore },
              },
            },
          ],
        }),
      );
      return run;
    } catch (error) {
      // Held already, or another start's transaction on the same hold won the race: that run is the one counting.
      const codes = cancellationCodes(error);
      if (!transactionConditionFailed(error, 1) && !codes?.includes("TransactionConflict")) throw error;
      const { Item } = await documentClient.send(
        new GetCommand({ TableName: this.table, Key: keys.breakdownHold(run.campaignId), ConsistentRead: true }),
      );
      const holder = Item && (await this.get(run.campaignId, String(Item.runId)));
      if (!holder) throw error;
      return holder;
    }
  }

  async get(campaignId: string, runId: string) {
    const { Item } = await documentClient.send(
      new GetCommand({ TableName: this.table, Key: keys.breakdownRun(campaignId, runId), ConsistentRead: true }),
    );
    return Item ? BreakdownRun.parse(Item) : null;
  }

  async countPage(run: BreakdownRun, cursor: string | undefined, next: BreakdownRun) {
    try {
      await documentClient.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.table,
                Item: {
                  ...keys.breakdownPage(run.runId, cursor),
                  read: next.tally.deliveries - run.tally.deliveries,
                },
                ConditionExpression: "attribute_not_exists(pk)",
              },
            },
            {
              Put: {
                TableName: this.table,
                Item: { ...keys.breakdownRun(run.campaignId, run.runId), ...next },
                ConditionExpression: "version = :version",
                ExpressionAttributeValues: { ":version": run.version },
              },
            },
          ],
        }),
      );
    } catch (error) {
      if (transactionConditionFailed(error, 0)) return "already"; // counted by an earlier delivery of this job
      if (transactionConditionFailed(error, 1)) return "changed";
      throw error;
    }
    // The hold hears from the run, so it is not taken as stalled; best effort: a lost word costs nothing but a stall's wait.
    await documentClient
      .send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.breakdownHold(run.campaignId),
          UpdateExpression: "SET heardAt = :at",
          ConditionExpression: "runId = :run",
          ExpressionAttributeValues: { ":at": next.updatedAt, ":run": run.runId },
        }),
      )
      .catch(() => undefined);
    return "counted" as const;
  }

  async release(campaignId: string, runId: string) {
    await documentClient
      .send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.breakdownHold(campaignId),
          UpdateExpression: "SET releasedAt = :at",
          ConditionExpression: "runId = :run",
          ExpressionAttributeValues: { ":at": new Date().toISOString(), ":run": runId },
        }),
      )
      .catch((error: unknown) => {
        // Held by another run already (this one was taken as stalled): theirs to release.
        if ((error as { name?: string }).name !== "ConditionalCheckFailedException") throw error;
      });
  }

  async recent(campaignId: string, limit: number) {
    const out = await documentClient.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
        ExpressionAttributeValues: { ":pk": keys.breakdownRun(campaignId, "").pk, ":prefix": keys.breakdownRunPrefix },
        ScanIndexForward: false,
        Limit: limit,
        ConsistentRead: true,
      }),
    );
    return (out.Items ?? []).map((item) => BreakdownRun.parse(item));
  }
}
