import { GetCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { BrandKitConflictError } from "../../campaigns/brand-kit.js";
import type { BrandKitChange, BrandKitStore, StoredBrandKit } from "../../campaigns/ports.js";
import type { BrandLogo } from "../../kernel/brand.js";
import { documentClient, itemsWithPrefix, transactionConditionFailed } from "./client.js";
import { keys } from "./keys.js";

/** The brand kit in the campaigns table: the current kit, its history, and each logo's bytes (base64). */
export class DynamoDbBrandKitStore implements BrandKitStore {
  constructor(private readonly table: string) {}

  async current(): Promise<StoredBrandKit | null> {
    const { Item } = await documentClient.send(
      new GetCommand({ TableName: this.table, Key: keys.brandKit, ConsistentRead: true }),
    );
    if (!Item) return null;
    const { kit, logo, version, updatedAt, updatedBy } = Item as StoredBrandKit;
    return { ...(kit ? { kit } : {}), ...(logo ? { logo } : {}), version, updatedAt, updatedBy };
  }

  async save(next: StoredBrandKit, change: BrandKitChange, logoBytes?: Uint8Array) {
    const expected = next.version - 1;
    try {
      await documentClient.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.table,
                Item: { ...keys.brandKit, ...next },
                ...(expected === 0
                  ? { ConditionExpression: "attribute_not_exists(pk)" }
                  : {
                      ConditionExpression: "version = :expected",
                      ExpressionAttributeValues: { ":expected": expected },
                    }),
              },
            },
            { Put: { TableName: this.table, Item: { ...keys.brandKitChange(change.version), ...change } } },
            ...(logoBytes && next.logo
              ? [
                  {
                    Put: {
                      TableName: this.table,
                      Item: {
                        ...keys.brandLogo(next.logo.sha256.slice(0, 16)),
                        contentType: next.logo.contentType,
                        sha256: next.logo.sha256,
                        bytes: Buffer.from(logoBytes).toString("base64"),
                      },
                    },
                  },
                ]
              : []),
          ],
        }),
      );
    } catch (error) {
      if (transactionConditionFailed(error, 0)) {
        throw new BrandKitConflictError(expected, (await this.current())?.version ?? 0);
      }
      throw error;
    }
  }

  async logo(sha256Prefix: string) {
    const { Item } = await documentClient.send(
      new GetCommand({ TableName: this.table, Key: keys.brandLogo(sha256Prefix) }),
    );
    if (!Item) return null;
    return {
      contentType: Item.contentType as BrandLogo["contentType"],
      bytes: new Uint8Array(Buffer.from(Item.bytes as string, "base64")),
    };
  }

  async history(): Promise<BrandKitChange[]> {
    const entries: BrandKitChange[] = [];
    for await (const items of itemsWithPrefix(this.table, keys.brandKitPartition, keys.brandKitHistoryPrefix, {
      ScanIndexForward: false,
    })) {
      for (const { version, at, by, changes } of items as BrandKitChange[]) entries.push({ version, at, by, changes });
    }
    return entries;
  }
}
