import { GetCommand, PutCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import type { PreviewStore } from "../../segments/ports.js";
import { type PageTally, PreviewRun } from "../../segments/preview-run.js";
import { documentClient, itemsWithPrefix, transactionConditionFailed } from "./client.js";
import { keys } from "./keys.js";

/**
 * A run is one item under the segment's partition, its counters added to page by page; each
 * counted page leaves a marker (with its sample candidates) under the run's own partition,
 * written in the same transaction, so a redelivered page is counted once.
 */
export class DynamoDbPreviewStore implements PreviewStore {
  constructor(private readonly table: string) {}

  async create(run: PreviewRun) {
    await documentClient.send(
      new PutCommand({
        TableName: this.table,
        Item: { ...keys.previewRun(run.segmentId, run.previewId), ...run },
        ConditionExpression: "attribute_not_exists(pk)",
      }),
    );
  }

  async get(segmentId: string, previewId: string) {
    const { Item } = await documentClient.send(
      new GetCommand({ TableName: this.table, Key: keys.previewRun(segmentId, previewId), ConsistentRead: true }),
    );
    return Item ? PreviewRun.parse(Item) : null;
  }

  async countPage(run: PreviewRun, shard: number, cursor: string | undefined, tally: PageTally, lastOfShard: boolean) {
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {
      ":zero": 0,
      ":one": 1,
      ":n": tally.count,
      ":shardDone": lastOfShard ? 1 : 0,
    };
    const sets = [
      "#count = if_not_exists(#count, :zero) + :n",
      "pagesCounted = if_not_exists(pagesCounted, :zero) + :one",
      "shardsDone = if_not_exists(shardsDone, :zero) + :shardDone",
    ];
    names["#count"] = "count";
    const add = (map: "byTier" | "byRegion", counts: Record<string, number>) =>
      Object.entries(counts).forEach(([key, n], i) => {
        const name = `#${map}${i}`;
        names[name] = key;
        values[`:${map}${i}`] = n;
        sets.push(`${map}.${name} = if_not_exists(${map}.${name}, :zero) + :${map}${i}`);
      });
    add("byTier", tally.byTier);
    add("byRegion", tally.byRegion);
    try {
      await documentClient.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.table,
                Item: {
                  ...keys.previewPage(run.previewId, shard, cursor),
                  shard,
                  sampleIds: tally.sampleIds,
                  matched: tally.count,
                },
                ConditionExpression: "attribute_not_exists(pk)",
              },
            },
            {
              Update: {
                TableName: this.table,
                Key: keys.previewRun(run.segmentId, run.previewId),
                UpdateExpression: `SET ${sets.join(", ")}`,
                ExpressionAttributeNames: names,
                ExpressionAttributeValues: values,
              },
            },
          ],
        }),
      );
      return true;
    } catch (error) {
      if (transactionConditionFailed(error, 0)) return false; // counted by an earlier delivery of this job
      throw error;
    }
  }

  async sampleIds(_segmentId: string, previewId: string) {
    const ids: string[] = [];
    for await (const items of itemsWithPrefix(this.table, keys.previewPages(previewId), keys.previewPagePrefix, {
      ConsistentRead: true,
    })) {
      for (const item of items) ids.push(...((item.sampleIds as string[] | undefined) ?? []));
    }
    return ids;
  }

  async runsOf(segmentId: string) {
    const runs: PreviewRun[] = [];
    const { pk } = keys.previewRun(segmentId, "");
    for await (const items of itemsWithPrefix(this.table, pk, "PREVIEW#", { ConsistentRead: true }))
      for (const item of items) runs.push(PreviewRun.parse(item));
    return runs;
  }
}
