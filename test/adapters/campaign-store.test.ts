import { DynamoDBDocumentClient, GetCommand, QueryCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { DynamoDbCampaignStore } from "../../shared/adapters/dynamodb/campaign-store.js";
import { CAMPAIGN_TRANSITIONS, type CampaignTransition } from "../../shared/campaigns/lifecycle.js";
import { CampaignStateConflictError, NotFoundError } from "../../shared/kernel/errors.js";
import { conditionOf, setsOf, updateOf } from "./dynamodb-expressions.js";
import { aCampaign, CAMPAIGNS_TABLE, transactionCancelled } from "./fixtures.js";

process.env.AWS_REGION ??= "us-east-1";

const ddb = mockClient(DynamoDBDocumentClient);
const store = new DynamoDbCampaignStore(CAMPAIGNS_TABLE);
const CAMPAIGN_KEY = { pk: "CAMPAIGN#cmp-1", sk: "CAMPAIGN" };
const BY_AT = "2024-05-01T09:00:00.000Z";

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
    const BY = { by: "li", at: "2024-05-01T09:00:00.000Z" };
    /** The transaction's two items: the campaign's conditional update and its history entry's put. */
    const transactionOf = () => {
      const calls = ddb.commandCalls(TransactWriteCommand).map((c) => c.args[0].input);
      expect(calls).toHaveLength(1);
      const [update, history] = calls[0].TransactItems!;
      return { update: update.Update!, history: history.Put! };
    };
    /** What the update sets, without a trailing REMOVE clause. */
    const setsOfUpdate = (update: ReturnType<typeof transactionOf>["update"]) =>
      setsOf({ ...update, UpdateExpression: update.UpdateExpression!.split(" REMOVE ")[0] });

    it("approves in one transaction: the update only from the statuses the lifecycle allows, and the history entry beside it", async () => {
      // prepare
      const approved = aCampaign({ status: "approved", approvedBy: "li", approvedAt: BY.at });
      ddb.on(TransactWriteCommand).resolves({});
      ddb.on(GetCommand).resolves({ Item: { ...CAMPAIGN_KEY, ...approved } });

      // act
      const result = await store.transition("cmp-1", "approve", { approvedBy: "li", approvedAt: BY.at }, BY);

      // assess
      expect(result).toEqual(approved);
      const { update, history } = transactionOf();
      expect(update.TableName).toBe(CAMPAIGNS_TABLE);
      expect(update.Key).toEqual(CAMPAIGN_KEY);
      const condition = conditionOf(update);
      expect(allowedStatuses(condition)).toEqual(["submitted"]);
      expect(condition).toContain("attribute_exists(pk)");
      // campaignStatus mirrors status for the campaignsByStatus index
      expect(setsOfUpdate(update)).toEqual({
        status: "approved",
        campaignStatus: "approved",
        approvedBy: "li",
        approvedAt: BY.at,
      });
      expect(history).toEqual({
        TableName: CAMPAIGNS_TABLE,
        Item: {
          pk: "CAMPAIGN#cmp-1",
          sk: `HISTORY#${BY.at}#approved`,
          campaignId: "cmp-1",
          event: "approved",
          status: "approved",
          by: "li",
          at: BY.at,
        },
        ConditionExpression: "attribute_not_exists(pk)",
      });
    });

    it.each(Object.keys(CAMPAIGN_TRANSITIONS) as CampaignTransition[])(
      "'%s' is conditioned on exactly its allowed from-statuses, sets its to-status and records its event",
      async (transition) => {
        // prepare
        const { from, to, event } = CAMPAIGN_TRANSITIONS[transition];
        ddb.on(TransactWriteCommand).resolves({});
        ddb.on(GetCommand).resolves({ Item: { ...CAMPAIGN_KEY, ...aCampaign({ status: to }) } });

        // act
        const result = await store.transition("cmp-1", transition, {}, BY);

        // assess
        expect(result.status).toBe(to);
        const { update, history } = transactionOf();
        expect(new Set(allowedStatuses(conditionOf(update)))).toEqual(new Set(from));
        expect(allowedStatuses(conditionOf(update))).toHaveLength(from.length);
        expect(setsOfUpdate(update).status).toBe(to);
        expect(history.Item).toMatchObject({ event, status: to, by: "li" });
      },
    );

    it("records a pause's reason on the campaign and in the history, and a resume removes it from the campaign", async () => {
      // prepare
      ddb.on(TransactWriteCommand).resolves({});
      ddb.on(GetCommand).resolves({ Item: { ...CAMPAIGN_KEY, ...aCampaign({ status: "sending" }) } });
      const reason = "automatic: bounce rate 5.2% over 520 sent";

      // act
      await store.transition("cmp-1", "pause", { pauseReason: reason }, { by: "system", at: BY.at, reason });
      const paused = transactionOf();
      ddb.resetHistory();
      await store.transition("cmp-1", "resumeSending", {}, BY);
      const resumed = transactionOf();

      // assess
      expect(setsOfUpdate(paused.update)).toEqual({ status: "paused", campaignStatus: "paused", pauseReason: reason });
      expect(paused.history.Item).toMatchObject({ event: "paused", by: "system", reason });
      expect(updateOf(resumed.update)).toBe(
        'SET status = "sending", campaignStatus = "sending" REMOVE pauseReason, pausedBy, pausedAt',
      );
    });

    it("reads the campaign after a failed condition and names its current status in a CampaignStateConflictError", async () => {
      // prepare
      ddb.on(TransactWriteCommand).rejects(transactionCancelled("ConditionalCheckFailed", "None"));
      ddb.on(GetCommand).resolves({ Item: { ...CAMPAIGN_KEY, ...aCampaign({ status: "sending" }) } });

      // act
      const thrown = await store
        .transition("cmp-1", "approve", { approvedBy: "li", approvedAt: BY.at }, BY)
        .catch((e: unknown) => e);

      // assess
      expect(thrown).toBeInstanceOf(CampaignStateConflictError);
      expect((thrown as Error).message).toContain("'sending'");
      expect((thrown as Error).message).toContain("'submitted'");
      const gets = ddb.commandCalls(GetCommand).map((c) => c.args[0].input);
      expect(gets).toHaveLength(1);
      expect(gets[0]).toMatchObject({ TableName: CAMPAIGNS_TABLE, Key: CAMPAIGN_KEY, ConsistentRead: true });
    });

    it("throws NotFoundError when the campaign does not exist", async () => {
      // prepare
      ddb.on(TransactWriteCommand).rejects(transactionCancelled("ConditionalCheckFailed", "None"));
      ddb.on(GetCommand).resolves({});

      // act
      const thrown = await store.transition("cmp-404", "approve", {}, BY).catch((e: unknown) => e);

      // assess
      expect(thrown).toBeInstanceOf(NotFoundError);
      expect((thrown as Error).message).toContain("cmp-404");
    });

    it("lets a failure that is not the condition propagate unchanged, without reading the campaign", async () => {
      // prepare
      const error = Object.assign(new Error("Rate exceeded"), { name: "ProvisionedThroughputExceededException" });
      ddb.on(TransactWriteCommand).rejects(error);

      // act
      const thrown = await store.transition("cmp-1", "launch", {}, BY).catch((e: unknown) => e);

      // assess
      expect(thrown).toBe(error);
      expect(ddb.commandCalls(GetCommand)).toHaveLength(0);
    });
  });

  describe("replaceDraft and record", () => {
    const BY = { by: "lin", at: BY_AT };

    it("writes the draft whole, only while it is still a draft, with an 'edited' history entry beside it", async () => {
      // prepare
      const edited = aCampaign({ status: "draft", name: "Second try" });
      ddb.on(TransactWriteCommand).resolves({});
      ddb.on(GetCommand).resolves({ Item: { ...CAMPAIGN_KEY, ...edited } });

      // act
      const result = await store.replaceDraft(edited, BY);

      // assess
      expect(result).toEqual(edited);
      const [put, history] = ddb.commandCalls(TransactWriteCommand)[0].args[0].input.TransactItems!;
      // A Put, not an update: a translation the author removed is gone from the record too.
      expect(put.Put!.Item).toEqual({ ...CAMPAIGN_KEY, ...edited, campaignStatus: "draft" });
      expect(conditionOf(put.Put)).toBe('attribute_exists(pk) AND status = "draft"');
      expect(history.Put!.Item).toMatchObject({
        sk: `HISTORY#${BY_AT}#edited`,
        event: "edited",
        status: "draft",
        by: "lin",
      });
    });

    it("names the status a draft moved on to (submitted meanwhile) in a CampaignStateConflictError", async () => {
      // prepare
      ddb.on(TransactWriteCommand).rejects(transactionCancelled("ConditionalCheckFailed", "None"));
      ddb.on(GetCommand).resolves({ Item: { ...CAMPAIGN_KEY, ...aCampaign({ status: "submitted" }) } });

      // act
      const thrown = await store.replaceDraft(aCampaign({ status: "draft" }), BY).catch((e: unknown) => e);

      // assess
      expect(thrown).toBeInstanceOf(CampaignStateConflictError);
      expect((thrown as Error).message).toContain("Cannot edit campaign 'cmp-1': it is 'submitted'");
    });

    it("records a test send in the history under the campaign's current status, changing nothing else", async () => {
      // prepare
      ddb.on(GetCommand).resolves({ Item: { status: "submitted" } });
      ddb.on(TransactWriteCommand).resolves({});

      // act
      await store.record("cmp-1", "test_sent", BY);

      // assess
      const items = ddb.commandCalls(TransactWriteCommand)[0].args[0].input.TransactItems!;
      expect(items).toHaveLength(1);
      expect(items[0].Put!.Item).toEqual({
        pk: "CAMPAIGN#cmp-1",
        sk: `HISTORY#${BY_AT}#test_sent`,
        campaignId: "cmp-1",
        event: "test_sent",
        status: "submitted",
        by: "lin",
        at: BY_AT,
      });
    });
  });

  describe("status and history", () => {
    it("reads the status alone, consistently, without the campaign's messages", async () => {
      // prepare
      ddb.on(GetCommand).resolves({ Item: { status: "paused" } });

      // act
      const status = await store.status("cmp-1");

      // assess
      const get = ddb.commandCalls(GetCommand)[0].args[0].input;
      expect(status).toBe("paused");
      expect(get).toMatchObject({ Key: CAMPAIGN_KEY, ConsistentRead: true, ProjectionExpression: "#status" });
    });

    it("reads the history under the campaign's partition, oldest first, without its keys", async () => {
      // prepare
      const entry = { campaignId: "cmp-1", event: "created", status: "draft", at: BY_AT, by: "mei" };
      ddb.on(QueryCommand).resolves({ Items: [{ pk: "CAMPAIGN#cmp-1", sk: `HISTORY#${BY_AT}#created`, ...entry }] });

      // act
      const history = await store.history("cmp-1");

      // assess
      expect(history).toEqual([entry]);
      const query = ddb.commandCalls(QueryCommand)[0].args[0].input;
      expect(query.ExpressionAttributeValues).toEqual({ ":pk": "CAMPAIGN#cmp-1", ":prefix": "HISTORY#" });
    });
  });

  describe("create and get", () => {
    it("creates a campaign only once (conditional put under the campaign key), with its history's first entry", async () => {
      // prepare
      ddb.on(TransactWriteCommand).resolves({});
      const campaign = aCampaign({ status: "draft" });

      // act
      await store.create(campaign);

      // assess
      const [put, history] = ddb.commandCalls(TransactWriteCommand)[0].args[0].input.TransactItems!;
      expect(put.Put!.Item).toEqual({ ...CAMPAIGN_KEY, ...campaign, campaignStatus: "draft" }); // listed by status
      expect(conditionOf(put.Put)).toBe("attribute_not_exists(pk)");
      expect(history.Put!.Item).toMatchObject({ event: "created", status: "draft", by: campaign.createdBy });
      expect(conditionOf(history.Put)).toBe("attribute_not_exists(pk)");
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
