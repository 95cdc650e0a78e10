import { describe, expect, it } from "vitest";
import { api, messageTitled } from "./client.js";

/** Archiving through the API: a segment no campaign uses may be archived; a new campaign for it is refused until it is back. */
const rule = { attr: "region", op: "eq", value: "ArchiveTown" };
const campaignFor = (segmentId: string, name: string) => ({
  name,
  segmentId,
  offer: { productCode: "CREDIT_CARD" },
  message: messageTitled(name),
  controlGroupPercent: 10,
});

describe("archiving a segment through the API", () => {
  it("refuses a segment a campaign uses, naming the campaign", async () => {
    // prepare
    const { body: segment } = await api("POST", "/api/segments", "marketer", { name: "Used", rule });
    await api("POST", "/api/campaigns", "marketer", campaignFor(segment.segmentId, "Cards for ArchiveTown"));
    // act
    const refused = await api("POST", `/api/segments/${segment.segmentId}/archive`, "marketer");
    // assess
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe("segment_in_use");
    expect(refused.body.message).toContain("Cards for ArchiveTown");
  });

  it("archives an unused segment, refuses it a new campaign, and unarchives it", async () => {
    // prepare
    const { body: segment } = await api("POST", "/api/segments", "marketer", { name: "Unused", rule });
    // act
    const archived = await api("POST", `/api/segments/${segment.segmentId}/archive`, "marketer");
    const campaign = await api("POST", "/api/campaigns", "marketer", campaignFor(segment.segmentId, "Too late"));
    const analyst = await api("DELETE", `/api/segments/${segment.segmentId}/archive`, "analyst");
    const back = await api("DELETE", `/api/segments/${segment.segmentId}/archive`, "marketer");
    const again = await api("POST", "/api/campaigns", "marketer", campaignFor(segment.segmentId, "In time"));
    // assess
    expect(archived.status).toBe(200);
    expect(archived.body).toMatchObject({ segmentId: segment.segmentId, version: 1, archivedBy: "mei" });
    expect(campaign.status).toBe(409);
    expect(campaign.body.code).toBe("segment_archived");
    expect(analyst.status).toBe(403);
    expect(back.status).toBe(200);
    expect(back.body.archivedAt).toBeUndefined();
    expect(again.status).toBe(201);
  });
});
