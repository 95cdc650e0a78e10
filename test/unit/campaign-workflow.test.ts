import { beforeEach, describe, expect, it } from "vitest";
import type { NewCampaign } from "../../shared/campaigns/campaign.js";
import {
  approveCampaign,
  sendBackCampaign,
  submitCampaign,
  updateDraft,
} from "../../shared/campaigns/maker-checker.js";
import {
  CampaignStateConflictError,
  ForbiddenError,
  SelfApprovalError,
  ValidationError,
} from "../../shared/kernel/errors.js";
import { SegmentArchivedError } from "../../shared/segments/archive.js";
import type { SegmentStore } from "../../shared/segments/ports.js";
import type { Segment } from "../../shared/segments/segment.js";
import { aCampaign } from "../adapters/fixtures.js";
import { InMemoryCampaigns } from "./in-memory-campaigns.js";
import { partOf, platformWith } from "./platform.js";

const MEI = { name: "mei", role: "marketer" as const };
const LIN = { name: "lin", role: "marketer" as const };
const JUN = { name: "jun", role: "approver" as const };

const segmentV2: Segment = {
  segmentId: "seg-1",
  version: 2,
  name: "Current accounts",
  rule: { all: [{ holds: "DEPOSIT_CURRENT" }, { lacks: "WEALTH_FUND" }] },
  createdBy: "mei",
  createdAt: "2024-04-01T00:00:00.000Z",
};

const edit: NewCampaign = {
  name: "Wealth fund, second try",
  segmentId: "seg-1",
  offer: { productCode: "WEALTH_FUND" },
  message: { subject: "{{name}}, a fund", html: '<p><a href="{{offerUrl}}">See it</a></p>' },
  controlGroupPercent: 5,
};

let campaigns: InMemoryCampaigns;
const platform = () =>
  platformWith({
    campaigns,
    segments: partOf<SegmentStore>("segments", { get: async () => segmentV2 }),
  });

beforeEach(() => {
  campaigns = new InMemoryCampaigns(aCampaign({ status: "draft", createdBy: "mei" }));
});

describe("submitCampaign", () => {
  it("sends the draft to the approvers, naming who submitted it and when", async () => {
    // act
    const submitted = await submitCampaign(platform(), "cmp-1", LIN);
    // assess
    expect(submitted).toMatchObject({
      status: "submitted",
      submittedBy: "lin",
      submittedAt: "2026-06-01T12:00:00.000Z",
    });
    expect(campaigns.entries.map((e) => [e.event, e.by])).toEqual([["submitted", "lin"]]);
  });

  it("refuses a campaign that is not a draft with a 409 naming its status", async () => {
    // prepare
    await submitCampaign(platform(), "cmp-1", MEI);
    // act
    const again = submitCampaign(platform(), "cmp-1", MEI);
    // assess
    await expect(again).rejects.toBeInstanceOf(CampaignStateConflictError);
    await expect(again).rejects.toThrow("it is 'submitted'");
  });

  it("is not for an approver: they decide on what is submitted", async () => {
    // act / assess
    await expect(submitCampaign(platform(), "cmp-1", JUN)).rejects.toBeInstanceOf(ForbiddenError);
    expect(campaigns.rows.get("cmp-1")?.status).toBe("draft");
  });
});

describe("sendBackCampaign", () => {
  beforeEach(async () => {
    await submitCampaign(platform(), "cmp-1", MEI);
  });

  it("puts the campaign back to draft with the approver's reason, for its author to read", async () => {
    // act
    const back = await sendBackCampaign(platform(), "cmp-1", JUN, "  Say which fund, not 'a fund'.  ");
    // assess
    expect(back.status).toBe("draft");
    expect(back.sentBack).toEqual({
      by: "jun",
      at: "2026-06-01T12:00:00.000Z",
      reason: "Say which fund, not 'a fund'.",
    });
    expect(back.submittedBy).toBeUndefined();
    expect(campaigns.entries.at(-1)).toMatchObject({
      event: "sent_back",
      by: "jun",
      reason: "Say which fund, not 'a fund'.",
    });
  });

  it("keeps the reason through edits and clears it when the draft is submitted again", async () => {
    // prepare
    await sendBackCampaign(platform(), "cmp-1", JUN, "Name the fund");
    const edited = await updateDraft(platform(), "cmp-1", edit, MEI);
    // act
    const resubmitted = await submitCampaign(platform(), "cmp-1", MEI);
    // assess
    expect(edited.sentBack?.reason).toBe("Name the fund");
    expect(resubmitted.sentBack).toBeUndefined();
    expect(campaigns.entries.map((e) => e.event)).toEqual(["submitted", "sent_back", "edited", "submitted"]);
  });

  it("refuses the campaign's own author (maker-checker), and leaves it submitted", async () => {
    // act
    const result = sendBackCampaign(platform(), "cmp-1", { name: "mei", role: "approver" }, "mine");
    // assess
    await expect(result).rejects.toBeInstanceOf(SelfApprovalError);
    expect(campaigns.rows.get("cmp-1")?.status).toBe("submitted");
  });

  it.each(["", "   ", "x".repeat(501)])("refuses the reason %j with a 400 naming the rule", async (reason) => {
    // act
    const result = sendBackCampaign(platform(), "cmp-1", JUN, reason);
    // assess
    await expect(result).rejects.toBeInstanceOf(ValidationError);
    await expect(result).rejects.toThrow("1 to 500 characters");
  });

  it("refuses a draft: there is nothing submitted to send back", async () => {
    // prepare
    await sendBackCampaign(platform(), "cmp-1", JUN, "once");
    // act / assess
    await expect(sendBackCampaign(platform(), "cmp-1", JUN, "twice")).rejects.toBeInstanceOf(
      CampaignStateConflictError,
    );
  });
});

describe("approveCampaign after submission", () => {
  it("refuses a draft, telling the approver it must be submitted first", async () => {
    // act
    const result = approveCampaign(platform(), "cmp-1", JUN);
    // assess
    await expect(result).rejects.toBeInstanceOf(CampaignStateConflictError);
    await expect(result).rejects.toThrow("submit it first");
    expect(campaigns.rows.get("cmp-1")?.status).toBe("draft");
  });

  it("approves what was submitted, keeping who submitted it", async () => {
    // prepare
    await submitCampaign(platform(), "cmp-1", MEI);
    // act
    const approved = await approveCampaign(platform(), "cmp-1", JUN);
    // assess
    expect(approved).toMatchObject({ status: "approved", approvedBy: "jun", submittedBy: "mei" });
  });
});

describe("updateDraft", () => {
  it("builds the draft again from the input: the segment as it is now, the email finished, the author kept", async () => {
    // act
    const edited = await updateDraft(platform(), "cmp-1", edit, LIN);
    // assess
    expect(edited).toMatchObject({
      campaignId: "cmp-1",
      status: "draft",
      name: "Wealth fund, second try",
      controlGroupPercent: 5,
      segmentVersion: 2,
      segmentRule: segmentV2.rule,
      createdBy: "mei",
      createdAt: "2024-05-01T08:00:00.000Z",
    });
    // Finished as at creation: the layout around the marketer's content, and a text part read from it.
    expect(edited.message.html).toContain("See it");
    expect(edited.message.html).toContain("<html");
    expect(edited.message.text).toContain("{{offerUrl}}");
    expect(campaigns.entries).toEqual([
      { campaignId: "cmp-1", event: "edited", status: "draft", by: "lin", at: "2026-06-01T12:00:00.000Z" },
    ]);
  });

  it("drops what the new input leaves out, such as a translation", async () => {
    // prepare
    campaigns = new InMemoryCampaigns(
      aCampaign({ status: "draft", translations: { "zh-CN": { subject: "s", html: "h", text: "t" } } }),
    );
    // act
    const edited = await updateDraft(platform(), "cmp-1", edit, MEI);
    // assess
    expect(edited.translations).toBeUndefined();
  });

  it("refuses a submitted campaign with a 409 saying it must be sent back first", async () => {
    // prepare
    await submitCampaign(platform(), "cmp-1", MEI);
    // act
    const result = updateDraft(platform(), "cmp-1", edit, MEI);
    // assess
    await expect(result).rejects.toBeInstanceOf(CampaignStateConflictError);
    await expect(result).rejects.toThrow("sends it back to draft first");
  });

  it("refuses to move a draft to an archived segment (409), as creation does", async () => {
    // prepare
    const archived = { ...segmentV2, segmentId: "seg-old", archivedAt: "2026-05-01T00:00:00.000Z" };
    const p = platformWith({
      campaigns,
      segments: partOf<SegmentStore>("segments", { get: async (id) => (id === "seg-old" ? archived : segmentV2) }),
    });
    // act
    const result = updateDraft(p, "cmp-1", { ...edit, segmentId: "seg-old" }, MEI);
    // assess
    await expect(result).rejects.toBeInstanceOf(SegmentArchivedError);
    expect(campaigns.entries).toEqual([]);
  });

  it("refuses a template with an unknown field, as creation does", async () => {
    // act
    const result = updateDraft(
      platform(),
      "cmp-1",
      { ...edit, message: { ...edit.message, html: "{{balance}} {{offerUrl}}" } },
      MEI,
    );
    // assess
    await expect(result).rejects.toThrow("unknown field {{balance}}");
    expect(campaigns.entries).toEqual([]);
  });
});
