import { describe, expect, it } from "vitest";
import type { Platform } from "../../shared/adapters/platform.js";
import { type Campaign, NewCampaign } from "../../shared/campaigns/campaign.js";
import {
  CAMPAIGN_TRANSITIONS,
  type CampaignStatus,
  type CampaignTransition,
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
    ["draft", ["approve"]],
    ["approved", ["launch"]],
    ["launching", ["finishFanout"]],
    ["sending", ["complete"]],
    ["completed", []],
  ])("from %s allows exactly %j", (status, expected) => {
    // prepare / act
    const actions = allowedFrom(status);
    // assess
    expect(actions).toEqual(expected);
  });

  it.each<[CampaignTransition, CampaignStatus]>([
    ["approve", "approved"],
    ["launch", "launching"],
    ["finishFanout", "sending"],
    ["complete", "completed"],
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

  it("has no way back to draft, and no way out of completed", () => {
    // prepare
    const targets = Object.values(CAMPAIGN_TRANSITIONS).map((t) => t.to as CampaignStatus);
    // act / assess
    expect(targets).not.toContain("draft");
    expect(allowedFrom("completed")).toEqual([]);
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
    ["no text part", { message: { subject: "s", html: "<p>h</p>" } }],
  ])("rejects %s", (_, change) => {
    // prepare / act
    const result = NewCampaign.safeParse({ ...valid, ...change });
    // assess
    expect(result.success).toBe(false);
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
  const draft: Campaign = {
    campaignId: "camp-1",
    status: "draft",
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
      get: async () => draft,
      transition: async (_id: string, t: CampaignTransition) => {
        transitions.push(t);
        return draft;
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
    const calls: { transition: CampaignTransition; patch: Partial<Campaign> }[] = [];
    const campaigns = {
      get: async () => draft,
      transition: async (_id: string, transition: CampaignTransition, patch: Partial<Campaign>) => {
        calls.push({ transition, patch });
        return { ...draft, ...patch, status: "approved" as const };
      },
    } as Partial<CampaignStore> as CampaignStore;
    // act
    const approved = await approveCampaign(platformWith(campaigns), "camp-1", { name: "jun", role: "approver" });
    // assess
    expect(calls).toEqual([
      { transition: "approve", patch: { approvedBy: "jun", approvedAt: "2024-01-02T00:00:00.000Z" } },
    ]);
    expect(approved.status).toBe("approved");
  });
});
