import { describe, expect, it } from "vitest";
import type { Platform } from "../../shared/adapters/platform.js";
import { approvalDigest, changedSinceApproval } from "../../shared/campaigns/approval.js";
import { type Campaign, NewCampaign } from "../../shared/campaigns/campaign.js";
import {
  CAMPAIGN_TRANSITIONS,
  type CampaignStatus,
  type CampaignTransition,
  type TransitionBy,
} from "../../shared/campaigns/lifecycle.js";
import { approveCampaign } from "../../shared/campaigns/maker-checker.js";
import type { CampaignStore } from "../../shared/campaigns/ports.js";
import { SelfApprovalError } from "../../shared/kernel/errors.js";

/** Which actions the table allows from a status. */
const allowedFrom = (status: CampaignStatus) =>
  (Object.keys(CAMPAIGN_TRANSITIONS) as CampaignTransition[]).filter((t) =>
    (CAMPAIGN_TRANSITIONS[t].from as readonly CampaignStatus[]).includes(status),
  );

describe("CAMPAIGN_TRANSITIONS", () => {
  it.each<[CampaignStatus, CampaignTransition[]]>([
    ["draft", ["submit", "cancel"]],
    ["submitted", ["sendBack", "approve", "cancel"]],
    ["approved", ["launch", "cancel"]],
    ["launching", ["finishFanout", "pause", "cancel"]],
    ["sending", ["complete", "pause", "cancel"]],
    ["paused", ["resumeFanout", "resumeSending", "cancel"]],
    ["completed", []],
    ["cancelled", []],
  ])("from %s allows exactly %j", (status, expected) => {
    // prepare / act
    const actions = allowedFrom(status);
    // assess
    expect(actions).toEqual(expected);
  });

  it.each<[CampaignTransition, CampaignStatus]>([
    ["submit", "submitted"],
    ["sendBack", "draft"],
    ["approve", "approved"],
    ["launch", "launching"],
    ["finishFanout", "sending"],
    ["complete", "completed"],
    ["pause", "paused"],
    ["resumeFanout", "launching"],
    ["resumeSending", "sending"],
    ["cancel", "cancelled"],
  ])("%s moves the campaign to %s", (transition, expected) => {
    // prepare / act
    const to = CAMPAIGN_TRANSITIONS[transition].to;
    // assess
    expect(to).toBe(expected);
  });

  it("cannot launch a draft: launch needs an approval first", () => {
    // prepare / act
    const launchFrom = CAMPAIGN_TRANSITIONS.launch.from as readonly CampaignStatus[];
    // assess
    expect(launchFrom).not.toContain("draft");
  });

  it("goes back to draft only when an approver sends a submitted campaign back, and never out of completed or cancelled", () => {
    // prepare
    const toDraft = Object.entries(CAMPAIGN_TRANSITIONS).filter(([, t]) => t.to === "draft");
    // act / assess
    expect(toDraft.map(([name, t]) => [name, t.from])).toEqual([["sendBack", ["submitted"]]]);
    expect(allowedFrom("completed")).toEqual([]);
    expect(allowedFrom("cancelled")).toEqual([]);
  });

  it("resumes only a paused campaign, and only to where a pause can come from", () => {
    // prepare
    const resumes = [CAMPAIGN_TRANSITIONS.resumeFanout, CAMPAIGN_TRANSITIONS.resumeSending];
    // act / assess
    for (const resume of resumes) expect(resume.from).toEqual(["paused"]);
    expect(resumes.map((r) => r.to)).toEqual(CAMPAIGN_TRANSITIONS.pause.from);
  });

  it("names a history event for every transition, and a resume clears the pause's reason", () => {
    // prepare / act
    const events = Object.values(CAMPAIGN_TRANSITIONS).map((t) => t.event);
    // assess
    expect(new Set(events)).toEqual(
      new Set([
        "submitted",
        "sent_back",
        "approved",
        "launched",
        "fanned_out",
        "completed",
        "paused",
        "resumed",
        "cancelled",
      ]),
    );
    expect(CAMPAIGN_TRANSITIONS.resumeSending.clears).toEqual(["pauseReason", "pausedBy", "pausedAt"]);
    expect(CAMPAIGN_TRANSITIONS.submit.clears).toEqual(["sentBack"]);
  });
});

describe("NewCampaign", () => {
  const valid = {
    name: "Credit card for depositors",
    segmentId: "seg-1",
    offer: { productCode: "CREDIT_CARD" },
    message: { subject: "For you, {{name}}", html: "<p>Hi</p>", text: "Hi" },
    controlGroupPercent: 10,
  };

  it("accepts a complete campaign", () => {
    // prepare / act
    const result = NewCampaign.safeParse(valid);
    // assess
    expect(result.success).toBe(true);
  });

  it.each([[0], [50]])("accepts a control group of %d%%", (controlGroupPercent) => {
    // prepare / act
    const result = NewCampaign.safeParse({ ...valid, controlGroupPercent });
    // assess
    expect(result.success).toBe(true);
  });

  it.each<[string, object]>([
    ["a control group above 50%", { controlGroupPercent: 51 }],
    ["a negative control group", { controlGroupPercent: -1 }],
    ["an unknown product", { offer: { productCode: "GOLD_BAR" } }],
    ["a blank name", { name: "  " }],
    ["no segment", { segmentId: "" }],
    ["a blank subject", { message: { ...valid.message, subject: " " } }],
    ["an empty text part", { message: { subject: "s", html: "<p>h</p>", text: "" } }],
    ["a blank customer-facing title", { title: { en: " " } }],
    ["a title longer than 80 characters", { title: { "zh-CN": "理".repeat(81) } }],
    ["a description longer than 300 characters", { description: { en: "x".repeat(301) } }],
  ])("rejects %s", (_, change) => {
    // prepare / act
    const result = NewCampaign.safeParse({ ...valid, ...change });
    // assess
    expect(result.success).toBe(false);
  });

  it("accepts a message without a text part: the platform reads one from the finished HTML", () => {
    // prepare / act
    const result = NewCampaign.safeParse({ ...valid, message: { subject: "s", html: "<p>h</p>" } });
    // assess
    expect(result.success).toBe(true);
  });

  it("accepts a customer-facing title and description in one language or both", () => {
    // prepare / act
    const result = NewCampaign.safeParse({
      ...valid,
      title: { "zh-CN": "信用卡，新客礼", en: "A card for every day" },
      description: { en: "No annual fee in the first year." },
    });
    // assess
    expect(result.success).toBe(true);
  });

  it("names the languages that exist when a title's key is not one of them", () => {
    // prepare / act
    const result = NewCampaign.safeParse({ ...valid, title: { fr: "Une carte" } });
    // assess
    expect(result.error?.issues[0]?.message).toBe("title has no language 'fr'; the languages are zh-CN, en");
  });

  it("names the languages that exist when a translation's key is not one of them", () => {
    // prepare / act
    const result = NewCampaign.safeParse({ ...valid, translations: { fr: valid.message } });
    // assess
    expect(result.error?.issues).toEqual([
      expect.objectContaining({
        path: ["translations"],
        message: "translations has no language 'fr'; the languages are zh-CN, en",
      }),
    ]);
  });
});

describe("approveCampaign (maker-checker)", () => {
  const submitted: Campaign = {
    campaignId: "camp-1",
    status: "submitted",
    name: "Cards",
    segmentId: "seg-1",
    segmentVersion: 1,
    segmentRule: { holds: "DEPOSIT_CURRENT" },
    offer: { productCode: "CREDIT_CARD" },
    message: { subject: "s", html: "<p>{{unsubscribeUrl}}</p>", text: "{{unsubscribeUrl}}" },
    controlGroupPercent: 10,
    createdBy: "mei",
    createdAt: "2024-01-01T00:00:00.000Z",
  };

  function platformWith(campaigns: CampaignStore): Platform {
    return { campaigns, now: () => new Date("2024-01-02T00:00:00.000Z") } as Partial<Platform> as Platform;
  }

  it("refuses approval by the campaign's creator and changes nothing", async () => {
    // prepare
    const transitions: string[] = [];
    const campaigns = {
      get: async () => submitted,
      transition: async (_id: string, t: CampaignTransition) => {
        transitions.push(t);
        return submitted;
      },
    } as Partial<CampaignStore> as CampaignStore;
    // act
    const result = approveCampaign(platformWith(campaigns), "camp-1", { name: "mei", role: "approver" });
    // assess
    await expect(result).rejects.toBeInstanceOf(SelfApprovalError);
    expect(transitions).toEqual([]);
  });

  it("lets a second person approve, recording who and when", async () => {
    // prepare
    const calls: { transition: CampaignTransition; patch: Partial<Campaign>; by: TransitionBy }[] = [];
    const campaigns = {
      get: async () => submitted,
      transition: async (_id: string, transition: CampaignTransition, patch: Partial<Campaign>, by: TransitionBy) => {
        calls.push({ transition, patch, by });
        return { ...submitted, ...patch, status: "approved" as const };
      },
    } as Partial<CampaignStore> as CampaignStore;
    // act
    const approved = await approveCampaign(platformWith(campaigns), "camp-1", { name: "jun", role: "approver" });
    // assess
    expect(calls).toEqual([
      {
        transition: "approve",
        patch: { approvedBy: "jun", approvedAt: "2024-01-02T00:00:00.000Z", approvedDigest: approvalDigest(submitted) },
        by: { by: "jun", at: "2024-01-02T00:00:00.000Z" },
      },
    ]);
    expect(approved.status).toBe("approved");
  });
});

describe("the approval pins what was approved", () => {
  const approved: Campaign = {
    campaignId: "camp-1",
    status: "approved",
    name: "Cards",
    segmentId: "seg-1",
    segmentVersion: 1,
    segmentRule: { holds: "DEPOSIT_CURRENT" },
    offer: { productCode: "CREDIT_CARD" },
    message: { subject: "s", html: "<p>{{offerUrl}}</p>", text: "{{offerUrl}}" },
    controlGroupPercent: 10,
    createdBy: "mei",
    createdAt: "2024-01-01T00:00:00.000Z",
  };
  const pinned = { ...approved, approvedDigest: approvalDigest(approved) };

  it("finds nothing changed in the campaign as approved, whatever the order of its keys", () => {
    // prepare
    const reordered = { ...pinned, message: { text: "{{offerUrl}}", html: "<p>{{offerUrl}}</p>", subject: "s" } };
    // act / assess
    expect(changedSinceApproval(pinned)).toEqual([]);
    expect(changedSinceApproval(reordered)).toEqual([]);
  });

  it.each<[string, Partial<Campaign>, string[]]>([
    ["the subject", { message: { ...approved.message, subject: "other" } }, ["message"]],
    ["the segment version", { segmentVersion: 2 }, ["segment"]],
    [
      "the product and the control group",
      { offer: { productCode: "WEALTH_FUND" }, controlGroupPercent: 20 },
      ["offer", "controlGroupPercent"],
    ],
    ["a translation added", { translations: { en: approved.message } }, ["translations"]],
    ["the customer-facing title added", { title: { "zh-CN": "信用卡，新客礼" } }, ["offerPage"]],
  ])("names what changed after approval: %s", (_, change, parts) => {
    // prepare / act
    const changed = changedSinceApproval({ ...pinned, ...change });
    // assess
    expect(changed).toEqual(parts);
  });

  it("pins the customer-facing title and description, and keeps a campaign without them as it was pinned", () => {
    // prepare
    const titled = { ...approved, title: { en: "A card for everyday" }, description: { en: "No annual fee." } };
    const titledPinned = { ...titled, approvedDigest: approvalDigest(titled) };
    // act / assess
    expect(Object.keys(approvalDigest(approved))).not.toContain("offerPage");
    expect(changedSinceApproval(titledPinned)).toEqual([]);
    expect(changedSinceApproval({ ...titledPinned, description: { en: "Fees apply." } })).toEqual(["offerPage"]);
  });

  it("lets a campaign approved before the pin launch: there is nothing to compare", () => {
    // prepare / act / assess
    expect(changedSinceApproval({ ...approved, segmentVersion: 9 })).toEqual([]);
  });
});
