import { DeleteItemCommand, DynamoDBClient, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "./client.js";
import { approvedCampaignFor, type Call, type OwnPlatform, startOwnPlatform, townCustomer } from "./own-platform.js";

/**
 * A send that keeps failing before it reaches SES is visible, and an admin brings it back once
 * the cause is fixed (issue #11). A platform of its own (in this file's process), whose send
 * queue hides a failed message for 1 s instead of 180 s, so the five receives before the
 * dead-letter queue take seconds. The cause is bad data, as in a bank: an entry of the
 * suppression list written by hand without its proof, which the sender cannot read. Everyone
 * else is sent; that one delivery fails on each receive, is counted `stuck` on its last, and
 * its message lands in the dead-letter queue; the campaign stays `sending`, not completed.
 * The entry is removed, the admin redrives, and the delivery is sent, once.
 */
const CUSTOMERS = 12;
const ADMIN = "dl-admin-token-1";
const APPROVER = "dl-approver-token-1";
const MARKETER = "dl-marketer-token-1";

let own: OwnPlatform;
let dynamodb: DynamoDBClient;
const ok: Call = (...args) => own.call(...args);

const addressOf = (i: number) => `dl${i}@customers.test`;
const brokenEntry = () => ({
  pk: { S: `SUPPRESSED#${addressOf(7)}` },
  sk: { S: "SUPPRESSED" },
  note: { S: "added by hand, without the bounce that would be its proof" },
});

beforeAll(async () => {
  own = await startOwnPlatform(
    {
      devTokens: `root:admin:${ADMIN},li:approver:${APPROVER},mei:marketer:${MARKETER}`,
      settings: { FANOUT_SHARDS: "2", POWERTOOLS_LOG_LEVEL: "ERROR" },
      visibilityTimeouts: { send: 1 },
    },
    ADMIN,
  );
  dynamodb = new DynamoDBClient({
    endpoint: own.platform.env.AWS_ENDPOINT_URL_DYNAMODB,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
}, 120_000);

afterAll(async () => {
  dynamodb?.destroy();
  await own?.stop();
});

describe("dead letters", () => {
  it("counts a delivery stuck when its send message dead-letters, and sends it once after the admin's redrive", async () => {
    // prepare: the broken entry is there before the campaign: the fan-out reads only addresses, the send the whole entry
    const rows = Array.from({ length: CUSTOMERS }, (_, i) => townCustomer("DeadLetterTown", i, addressOf(i)));
    await dynamodb.send(new PutItemCommand({ TableName: own.platform.env.CAMPAIGNS_TABLE, Item: brokenEntry() }));
    const campaignId = await approvedCampaignFor(ok, "DeadLetterTown", rows, { maker: ADMIN, approver: APPROVER });
    const stats = () => ok("GET", `/api/campaigns/${campaignId}/stats`);
    const deadLetters = () => ok("GET", "/api/admin/dead-letters");
    const emailsTo = async (address: string) => {
      const { emails } = (await (await fetch(`${own.platform.inboxUrl}/store`)).json()) as {
        emails: { destination: { to: string[] } }[];
      };
      return emails.filter((e) => e.destination.to.some((to) => to.includes(address))).length;
    };

    // act: the campaign runs into the broken entry
    await ok("POST", `/api/campaigns/${campaignId}/launch`);
    const stuck = await waitFor("the broken delivery to be counted stuck", stats, (s) => s.stuck === 1);
    const waiting = await waitFor("its message in the dead-letter queue", deadLetters, (d) => d.queues.send === 1);

    // assess: visible, not silent; the campaign does not claim to be complete
    expect(stuck).toMatchObject({ targeted: CUSTOMERS, sent: CUSTOMERS - 1, stuck: 1, queued: 0, unconfirmed: 0 });
    expect(stuck.status).toBe("sending");
    expect(waiting.queues).toEqual({ fanout: 0, send: 1, feedback: 0 });
    expect(await emailsTo(addressOf(7))).toBe(0);

    // act: only an admin redrives; the cause is fixed first
    const byMarketer = await own.request("POST", "/api/admin/dead-letters/redrive", {}, MARKETER);
    await dynamodb.send(
      new DeleteItemCommand({
        TableName: own.platform.env.CAMPAIGNS_TABLE,
        Key: { pk: brokenEntry().pk, sk: brokenEntry().sk },
      }),
    );
    const redriven = await ok("POST", "/api/admin/dead-letters/redrive", { queue: "send" });
    const final = await waitFor("the campaign to complete", stats, (s) => s.status === "completed");

    // assess
    expect(byMarketer.status).toBe(403);
    expect(redriven).toEqual({ moved: { send: 1 }, left: { fanout: 0, send: 0, feedback: 0 } });
    expect(final).toMatchObject({ targeted: CUSTOMERS, sent: CUSTOMERS, stuck: 0, queued: 0, sending: 0 });
    expect(await emailsTo(addressOf(7))).toBe(1);
    for (let i = 0; i < CUSTOMERS; i++) expect(await emailsTo(addressOf(i))).toBe(1);
  }, 120_000);
});
