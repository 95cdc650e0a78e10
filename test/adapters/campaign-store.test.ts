import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { DynamoDbCampaignStore } from "../../shared/adapters/dynamodb/campaign-store.js";
import { CAMPAIGN_TRANSITIONS, type CampaignTransition } from "../../shared/campaigns/lifecycle.js";
import { CampaignStateConflictError, NotFoundError } from "../../shared/kernel/errors.js";
import { conditionOf, setsOf } from "./dynamodb-expressions.js";
import { aCampaign, CAMPAIGNS_TABLE, conditionFailed } from "./fixtures.js";

process.env.AWS_REGION ??= "us-east-1";

const ddb = mockClient(DynamoDBDocumentClient);
const store = new DynamoDbCampaignStore(CAMPAIGNS_TABLE);
const CAMPAIGN_KEY = { pk: "CAMPAIGN#cmp-1", sk: "CAMPAIGN" };

/** The statuses listed in `... status IN ("a", "b")` of a resolved condition, or null when there is none. */
function allowedStatuses(condition: string): string[] | null {
  const list = /\bstatus IN \(([^)]*)\)/.exec(condition)?.[1];
  return list === undefined ? null : list.split(",").map((s) => JSON.parse(s.trim()) as string);
}

describe("DynamoDbCampaignStore", () => {
  beforeEach(() => {
    ddb.reset();
  });

  afterAll(() => {
    ddb.restore();
  });

  describe("transition", () => {
    it("approves with one conditional update: only from the statuses the lifecycle allows, setting the new status and the patch", async () => {
      // prepare
      const approved = aCampaign({ status: "approved", approvedBy: "li", approvedAt: "2024-05-01T09:00:00.000Z" });
      ddb.on(UpdateCommand).resolves({ Attributes: { ...CAMPAIGN_KEY, ...approved } });

      // act
      const result = await store.transition("cmp-1", "approve", {
        approvedBy: "li",
        approvedAt: "2024-05-01T09:00:00.000Z",
      });

      // assess
      expect(result).toEqual(approved);
      const updates = ddb.commandCalls(UpdateCommand).map((c) => c.args[0].input);
      expect(updates).toHaveLength(1);
      expect(updates[0].TableName).toBe(CAMPAIGNS_TABLE);
      expect(updates[0].Key).toEqual(CAMPAIGN_KEY);
      const condition = conditionOf(updates[0]);
      expect(allowedStatuses(condition)).toEqual([...CAMPAIGN_TRANSITIONS.approve.from]);
      expect(allowedStatuses(condition)).toEqual(["draft"]);
      expect(condition).toContain("attribute_exists(pk)");
      expect(setsOf(updates[0])).toEqual({
        status: "approved",
        approvedBy: "li",
        approvedAt: "2024-05-01T09:00:00.000Z",
      });
    });

    it.each(Object.keys(CAMPAIGN_TRANSITIONS) as CampaignTransition[])(
      "'%s' is conditioned on exactly its allowed from-statuses and sets its to-status",
      async (transition) => {
        // prepare
        const { from, to } = CAMPAIGN_TRANSITIONS[transition];
        ddb.on(UpdateCommand).resolves({ Attributes: { ...CAMPAIGN_KEY, ...aCampaign({ status: to }) } });

        // act
        const result = await store.transition("cmp-1", transition, {});

        // assess
        expect(result.status).toBe(to);
        const input = ddb.commandCalls(UpdateCommand)[0].args[0].input;
        expect(new Set(allowedStatuses(conditionOf(input)))).toEqual(new Set(from));
        expect(allowedStatuses(conditionOf(input))).toHaveLength(from.length);
        expect(setsOf(input).status).toBe(to);
      },
    );

    it("reads the campaign after a failed condition and names its current status in a CampaignStateConflictError", async () => {
      // prepare
      ddb.on(UpdateCommand).rejects(conditionFailed());
      ddb.on(GetCommand).resolves({ Item: { ...CAMPAIGN_KEY, ...aCampaign({ status: "sending" }) } });

      // act
      const thrown = await store
        .transition("cmp-1", "approve", { approvedBy: "li", approvedAt: "2024-05-01T09:00:00.000Z" })
        .catch((e: unknown) => e);

      // assess
      expect(thrown).toBeInstanceOf(CampaignStateConflictError);
      expect((thrown as Error).message).toContain("'sending'");
      expect((thrown as Error).message).toContain("'draft'");
      const gets = ddb.commandCalls(GetCommand).map((c) => c.args[0].input);
      expect(gets).toHaveLength(1);
      expect(gets[0]).toMatchObject({ TableName: CAMPAIGNS_TABLE, Key: CAMPAIGN_KEY, ConsistentRead: true });
    });

    it("throws NotFoundError when the campaign does not exist", async () => {
      // prepare
      ddb.on(UpdateCommand).rejects(conditionFailed());
      ddb.on(GetCommand).resolves({});

      // act
      const thrown = await store.transition("cmp-404", "approve", {}).catch((e: unknown) => e);

      // assess
      expect(thrown).toBeInstanceOf(NotFoundError);
      expect((thrown as Error).message).toContain("cmp-404");
    });

    it("lets a failure that is not the condition propagate unchanged, without reading the campaign", async () => {
      // prepare
      const error = Object.assign(new Error("Rate exceeded"), { name: "ProvisionedThroughputExceededException" });
      ddb.on(UpdateCommand).rejects(error);

      // act
      const thrown = await store.transition("cmp-1", "launch", {}).catch((e: unknown) => e);

      // assess
      expect(thrown).toBe(error);
      expect(ddb.commandCalls(GetCommand)).toHaveLength(0);
    });
  });

  describe("create and get", () => {
    it("creates a campaign only once (conditional put under the campaign key)", async () => {
      // prepare
      ddb.on(PutCommand).resolves({});
      const campaign = aCampaign({ status: "draft" });

      // act
      await store.create(campaign);

      // assess
      const put = ddb.commandCalls(PutCommand)[0].args[0].input;
      expect(put.Item).toEqual({ ...CAMPAIGN_KEY, ...campaign });
      expect(conditionOf(put)).toBe("attribute_not_exists(pk)");
    });

    it("returns null for an unknown campaign and the parsed campaign, without its keys, for a known one", async () => {
      // prepare
      ddb.on(GetCommand, { Key: CAMPAIGN_KEY }).resolves({ Item: { ...CAMPAIGN_KEY, ...aCampaign() } });
      ddb.on(GetCommand, { Key: { pk: "CAMPAIGN#nope", sk: "CAMPAIGN" } }).resolves({});

      // act
      const known = await store.get("cmp-1");
      const unknown = await store.get("nope");

      // assess
      expect(known).toEqual(aCampaign());
      expect(unknown).toBeNull();
    });
  });
});
