import { beforeAll, describe, expect, it } from "vitest";
import { api } from "./client.js";

/**
 * Saved segments are versioned and campaigns keep the version they used; contact data is
 * masked for every role but admin and the customer's own relationship manager ("zhou", the
 * test analyst).
 */
const REGION = "MaskTown";
const csv = [
  "customerId,type,name,email,phone,aum,products,region,emailConsent,relationshipManager",
  `MASK-1,individual,张伟,zhangwei@bank.cn,+86 13812345678,250000,DEPOSIT_CURRENT,${REGION},true,zhou`,
  `MASK-2,individual,Li Na,li.na@bank.cn,13987654321,80000,DEPOSIT_CURRENT;WEALTH_FUND,${REGION},true,chen`,
  `MASK-3,individual,Wang Fang,wang.fang@bank.cn,,30000,DEPOSIT_CURRENT,${REGION},true,`,
  `MASK-4,corporate,Songhua Logistics,treasury@songhua.cn,,9000000,SETTLEMENT,${REGION},true,`,
].join("\n");

const message = { subject: "{{name}}", html: "<p>{{offerUrl}}</p>", text: "{{offerUrl}}" };

beforeAll(async () => {
  const imported = await api("POST", "/api/customers/import", "marketer", csv, "text/csv");
  expect(imported.body).toMatchObject({ rejected: [] });
});

describe("the customer view masks contact data by role", () => {
  it("masks name, email and phone for a marketer", async () => {
    const customer = await api("GET", "/api/customers/MASK-1", "marketer");

    expect(customer.status).toBe(200);
    expect(customer.body).toMatchObject({
      name: "张*",
      email: "z***@bank.cn",
      phone: "+86 138****5678",
      masked: true,
      aum: 250_000,
    });
  });

  it("shows everything to an admin", async () => {
    const customer = await api("GET", "/api/customers/MASK-1", "admin");

    expect(customer.body).toMatchObject({
      name: "张伟",
      email: "zhangwei@bank.cn",
      phone: "+86 13812345678",
      masked: false,
    });
  });

  it("shows an analyst their own customer in full, and someone else's masked", async () => {
    const own = await api("GET", "/api/customers/MASK-1", "analyst");
    const other = await api("GET", "/api/customers/MASK-2", "analyst");

    expect(own.body).toMatchObject({ name: "张伟", email: "zhangwei@bank.cn", masked: false });
    expect(other.body).toMatchObject({ name: "L* N*", email: "l***@bank.cn", phone: "139****4321", masked: true });
  });
});

describe("segment versions", () => {
  let segmentId: string;

  it("saves a segment as version 1, and a revision as version 2 keeping version 1 readable", async () => {
    const created = await api("POST", "/api/segments", "marketer", {
      name: "MaskTown individuals",
      rule: {
        all: [
          { attr: "region", op: "eq", value: REGION },
          { attr: "type", op: "eq", value: "individual" },
        ],
      },
    });
    segmentId = created.body.segmentId;
    const revised = await api("PUT", `/api/segments/${segmentId}`, "marketer", {
      name: "MaskTown single-product",
      rule: {
        all: [
          { attr: "region", op: "eq", value: REGION },
          { attr: "productCount", op: "eq", value: 1 },
        ],
      },
    });
    const latest = await api("GET", `/api/segments/${segmentId}`, "analyst");
    const first = await api("GET", `/api/segments/${segmentId}?version=1`, "analyst");
    const listed = await api("GET", "/api/segments", "analyst");

    expect(created.status).toBe(201);
    expect(created.body.version).toBe(1);
    expect(revised.body).toEqual({ segmentId, version: 2 });
    expect(latest.body).toMatchObject({ version: 2, name: "MaskTown single-product" });
    expect(first.body).toMatchObject({ version: 1, name: "MaskTown individuals" });
    expect(listed.body.segments.filter((s: { segmentId: string }) => s.segmentId === segmentId)).toEqual([
      expect.objectContaining({ version: 2 }),
    ]);
  });

  it("records on a campaign the version it was created from, and keeps it after a revision", async () => {
    const before = await api("POST", "/api/campaigns", "marketer", {
      name: "v2 campaign",
      segmentId,
      offer: { productCode: "CREDIT_CARD" },
      message,
      controlGroupPercent: 10,
    });
    await api("PUT", `/api/segments/${segmentId}`, "marketer", {
      name: "MaskTown everyone",
      rule: { attr: "region", op: "eq", value: REGION },
    });
    const after = await api("POST", "/api/campaigns", "marketer", {
      name: "v3 campaign",
      segmentId,
      offer: { productCode: "CREDIT_CARD" },
      message,
      controlGroupPercent: 10,
    });
    const kept = await api("GET", `/api/campaigns/${before.body.campaignId}`, "analyst");
    const latest = await api("GET", `/api/campaigns/${after.body.campaignId}`, "analyst");

    expect(kept.body).toMatchObject({
      segmentVersion: 2,
      segmentRule: { all: [{ attr: "region" }, { attr: "productCount" }] },
    });
    expect(latest.body).toMatchObject({ segmentVersion: 3, segmentRule: { attr: "region", op: "eq", value: REGION } });
  });

  it("answers 404 for a version or segment that does not exist, and 400 naming the wrong part of a revised rule", async () => {
    const noVersion = await api("GET", `/api/segments/${segmentId}?version=99`, "analyst");
    const noSegment = await api("PUT", "/api/segments/no-such-segment", "marketer", {
      name: "x",
      rule: { attr: "region", op: "eq", value: "x" },
    });
    const badRule = await api("PUT", `/api/segments/${segmentId}`, "marketer", {
      name: "x",
      rule: { all: [{ attr: "aum", op: "between", value: [5] }] },
    });
    const analyst = await api("PUT", `/api/segments/${segmentId}`, "analyst", {
      name: "x",
      rule: { attr: "region", op: "eq", value: "x" },
    });

    expect(noVersion.status).toBe(404);
    expect(noVersion.body.message).toContain("Version 99");
    expect(noSegment.status).toBe(404);
    expect(badRule.status).toBe(400);
    expect(badRule.text).toContain("rule.all.0");
    expect(analyst.status).toBe(403);
  });
});

describe("segment preview", () => {
  it("counts by tier and region, and masks the sample for a marketer but not for an admin", async () => {
    const segment = await api("POST", "/api/segments", "marketer", {
      name: "MaskTown",
      rule: { attr: "region", op: "eq", value: REGION },
    });
    const asMarketer = await api("GET", `/api/segments/${segment.body.segmentId}/preview`, "marketer");
    const asAdmin = await api("GET", `/api/segments/${segment.body.segmentId}/preview`, "admin");

    expect(asMarketer.body).toMatchObject({
      count: 4,
      byTier: { affluent: 1, mass_affluent: 1, mass: 1, corporate: 1 },
      byRegion: { [REGION]: 4 },
    });
    expect(asMarketer.body.sample.map((c: { email: string }) => c.email)).toEqual([
      "z***@bank.cn",
      "l***@bank.cn",
      "w***@bank.cn",
      "t***@songhua.cn",
    ]);
    expect(asAdmin.body.sample.map((c: { email: string }) => c.email)).toEqual([
      "zhangwei@bank.cn",
      "li.na@bank.cn",
      "wang.fang@bank.cn",
      "treasury@songhua.cn",
    ]);
  });
});

describe("tier moves through imports", () => {
  it("records a customer's move up between two imports, and a segment finds them", async () => {
    const region = "UpgradeTown";
    const header = "customerId,type,name,email,aum,products,region,emailConsent";
    const before = [
      header,
      `UPG-1,individual,Up One,up1@bank.cn,150000,DEPOSIT_CURRENT,${region},true`,
      `UPG-2,individual,Stay Two,up2@bank.cn,150000,DEPOSIT_CURRENT,${region},true`,
    ];
    const after = [
      header,
      `UPG-1,individual,Up One,up1@bank.cn,260000,DEPOSIT_CURRENT,${region},true`,
      `UPG-2,individual,Stay Two,up2@bank.cn,160000,DEPOSIT_CURRENT,${region},true`,
    ];
    await api("POST", "/api/customers/import", "marketer", before.join("\n"), "text/csv");
    await api("POST", "/api/customers/import", "marketer", after.join("\n"), "text/csv");

    const segment = await api("POST", "/api/segments", "marketer", {
      name: "Just upgraded",
      rule: {
        all: [
          { attr: "region", op: "eq", value: region },
          { tierMoved: "up", withinDays: 1 },
        ],
      },
    });
    const preview = await api("GET", `/api/segments/${segment.body.segmentId}/preview`, "marketer");
    const customer = await api("GET", "/api/customers/UPG-1", "analyst");

    expect(preview.body).toMatchObject({ count: 1, byTier: { affluent: 1 }, sample: [{ customerId: "UPG-1" }] });
    expect(customer.body.tierHistory.map((t: { tier: string }) => t.tier)).toEqual(["mass_affluent", "affluent"]);
    expect(customer.body.aumHistory.map((s: { aum: number }) => s.aum)).toEqual([150_000, 260_000]);
    expect(customer.body.lifecycle).toBeNull(); // no balance 90 days old yet
  });
});

describe("consent per channel and category, and suitability", () => {
  it("keeps each answer's proof and holds back offers the customer refused or may not be sold", async () => {
    const region = "ConsentTown";
    const file = [
      "customerId,type,name,email,aum,products,region,emailConsent,smsConsent,intermediaryConsent,riskTolerance,consentSource,consentAt,language",
      `CON-1,individual,Refuses Cards,c1@bank.cn,90000,DEPOSIT_CURRENT,${region},true,true,false,C4,branch form,2025-03-01,en`,
      `CON-2,individual,Cautious,c2@bank.cn,90000,DEPOSIT_CURRENT,${region},true,,,C1,,,`,
      `CON-3,individual,Open,c3@bank.cn,90000,DEPOSIT_CURRENT,${region},true,,,,,,`,
      `CON-BAD,individual,Bad Date,c4@bank.cn,90000,DEPOSIT_CURRENT,${region},true,,,,,2025/03/01,`,
    ].join("\n");

    const imported = await api("POST", "/api/customers/import", "marketer", file, "text/csv");
    const refuser = await api("GET", "/api/customers/CON-1", "admin");
    const segment = await api("POST", "/api/segments", "marketer", {
      name: "ConsentTown",
      rule: { attr: "region", op: "eq", value: region },
    });
    const created = await api("POST", "/api/campaigns", "marketer", {
      name: "Cards for ConsentTown",
      segmentId: segment.body.segmentId,
      offer: { productCode: "CREDIT_CARD" },
      message,
      controlGroupPercent: 0,
    });
    await api("POST", `/api/campaigns/${created.body.campaignId}/submit`, "marketer");
    await api("POST", `/api/campaigns/${created.body.campaignId}/approve`, "approver");
    await api("POST", `/api/campaigns/${created.body.campaignId}/launch`, "marketer");
    const { waitFor } = await import("./client.js");
    const stats = await waitFor(
      "the card campaign to complete",
      () => api("GET", `/api/campaigns/${created.body.campaignId}/stats`, "analyst").then((r) => r.body),
      (s) => s.status === "completed",
    );

    expect(imported.body.rejected).toEqual([{ line: 5, reason: expect.stringContaining("consentAt must be a date") }]);
    expect(refuser.body).toMatchObject({
      language: "en",
      riskTolerance: "C4",
      consent: {
        channels: {
          email: { granted: true, source: "branch form", at: "2025-03-01T00:00:00.000Z" },
          sms: { granted: true, source: "branch form" },
        },
        categories: { intermediary: { granted: false, source: "branch form" } },
      },
    });
    // CREDIT_CARD is an intermediary product of risk R2: CON-1 refused the category, CON-2 (C1) may not be sold R2.
    expect(stats.suppressed).toEqual({ category_refused: 1, above_risk_tolerance: 1 });
    expect(stats.targeted).toBe(1);
  });
});
