import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { DynamoDbSuppressionList } from "../../shared/adapters/dynamodb/suppression-store.js";
import type { SuppressedAddress } from "../../shared/delivery/suppression.js";
import { conditionOf } from "./dynamodb-expressions.js";
import { CAMPAIGNS_TABLE, conditionFailed } from "./fixtures.js";

process.env.AWS_REGION ??= "us-east-1";

const ddb = mockClient(DynamoDBDocumentClient);
const list = new DynamoDbSuppressionList(CAMPAIGNS_TABLE);

const entry: SuppressedAddress = {
  address: "bounce@example.cn",
  reason: "hard_bounce",
  at: "2024-05-02T09:00:00.000Z",
  messageId: "ses-msg-1",
  feedbackId: "fb-1",
  bounceSubType: "General",
  campaignId: "cmp-1",
  customerId: "C-1",
  recordedAt: "2024-05-02T09:00:05.000Z",
};
const KEY = { pk: "SUPPRESSED#bounce@example.cn", sk: "SUPPRESSED" };

describe("DynamoDbSuppressionList", () => {
  beforeEach(() => {
    ddb.reset();
  });

  afterAll(() => {
    ddb.restore();
  });

  describe("suppress", () => {
    it("writes one item keyed by the address, with its proof, only if the address is not there yet", async () => {
      // prepare
      ddb.on(PutCommand).resolves({});

      // act
      await list.suppress(entry);

      // assess
      const put = ddb.commandCalls(PutCommand)[0].args[0].input;
      expect(put.TableName).toBe(CAMPAIGNS_TABLE);
      expect(put.Item).toEqual({ ...KEY, ...entry });
      expect(conditionOf(put)).toBe("attribute_not_exists(pk)");
    });

    it("keeps the first proof when the address bounces again, without failing", async () => {
      // prepare
      ddb.on(PutCommand).rejects(conditionFailed());

      // act
      const suppressed = list.suppress({ ...entry, messageId: "ses-msg-2" });

      // assess
      await expect(suppressed).resolves.toBeUndefined();
    });

    it("lets any other failure through, so that the event is delivered again", async () => {
      // prepare
      ddb.on(PutCommand).rejects(Object.assign(new Error("throttled"), { name: "ThrottlingException" }));

      // act
      const suppressed = list.suppress(entry);

      // assess
      await expect(suppressed).rejects.toThrow("throttled");
    });
  });

  describe("find", () => {
    it("reads the address's item consistently and returns its proof", async () => {
      // prepare
      ddb.on(GetCommand).resolves({ Item: { ...KEY, ...entry } });

      // act
      const found = await list.find("bounce@example.cn");

      // assess
      expect(found).toEqual(entry);
      expect(ddb.commandCalls(GetCommand)[0].args[0].input).toMatchObject({
        TableName: CAMPAIGNS_TABLE,
        Key: KEY,
        ConsistentRead: true,
      });
    });

    it("returns null for an address that never hard-bounced", async () => {
      // prepare
      ddb.on(GetCommand).resolves({});

      // act
      const found = await list.find("fine@example.cn");

      // assess
      expect(found).toBeNull();
    });
  });

  describe("suppressedAmong", () => {
    it("reads a page's addresses in batches of 100, once each, and retries the keys DynamoDB left unprocessed", async () => {
      // prepare
      const addresses = Array.from({ length: 150 }, (_, i) => `c${i}@example.cn`);
      let calls = 0;
      ddb.on(BatchGetCommand).callsFake((input) => {
        calls++;
        const keys = input.RequestItems[CAMPAIGNS_TABLE].Keys as { pk: string }[];
        const found = keys.filter((k) => k.pk === "SUPPRESSED#c7@example.cn" || k.pk === "SUPPRESSED#c120@example.cn");
        if (calls === 1) {
          // the first batch: one found, the other key left for a second round
          const left = keys.filter((k) => k.pk === "SUPPRESSED#c99@example.cn");
          return {
            Responses: { [CAMPAIGNS_TABLE]: found.map((k) => ({ address: k.pk.slice("SUPPRESSED#".length) })) },
            UnprocessedKeys: { [CAMPAIGNS_TABLE]: { ...input.RequestItems[CAMPAIGNS_TABLE], Keys: left } },
          };
        }
        return {
          Responses: { [CAMPAIGNS_TABLE]: found.map((k) => ({ address: k.pk.slice("SUPPRESSED#".length) })) },
        };
      });

      // act
      const suppressed = await list.suppressedAmong([...addresses, "c7@example.cn"]);

      // assess
      expect(suppressed).toEqual(new Set(["c7@example.cn", "c120@example.cn"]));
      const batches = ddb.commandCalls(BatchGetCommand).map((c) => c.args[0].input.RequestItems![CAMPAIGNS_TABLE]);
      expect(batches.map((b) => b.Keys!.length)).toEqual([100, 1, 50]);
      expect(batches[0].ProjectionExpression).toBe("address");
    });
  });
});
