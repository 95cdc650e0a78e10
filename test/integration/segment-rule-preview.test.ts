import { beforeAll, describe, expect, it } from "vitest";
import { api } from "./client.js";

/** A rule sized before it is saved (POST /api/segments/preview), as a script or the console's builder asks it. */
const REGION = "Préviewville";
const csv = [
  "customerId,type,name,email,aum,products,region,emailConsent,relationshipManager,relationshipManagerName",
  `RP-1,individual,张伟,zhangwei@bank.cn,250000,DEPOSIT_CURRENT;CREDIT_CARD,${REGION},true,rm.wang,王经理`,
  `RP-2,individual,Li Na,li.na@bank.cn,80000,DEPOSIT_CURRENT,${REGION},false,rm.wang,王经理`,
  `RP-3,individual,Wang Fang,,30000,DEPOSIT_CURRENT,${REGION},true,,`,
].join("\n");

beforeAll(async () => {
  const imported = await api("POST", "/api/customers/import", "marketer", csv, "text/csv");
  expect(imported.body).toMatchObject({ rejected: [] });
});

describe("POST /api/segments/preview", () => {
  it("counts a rule by tier, region and language, with who no email could reach and a masked sample", async () => {
    // act
    const { status, body } = await api("POST", "/api/segments/preview", "marketer", {
      rule: { attr: "region", op: "eq", value: REGION },
    });
    // assess
    expect(status).toBe(200);
    expect(body).toMatchObject({
      count: 3,
      byTier: { mass: 1, mass_affluent: 1, affluent: 1 },
      byRegion: { [REGION]: 3 },
      byLanguage: { "zh-CN": 3 },
      heldBack: { total: 2, noEmailConsent: 1, noEmailAddress: 1 },
      warnings: [],
    });
    expect(body.sample.map((m: { name: string }) => m.name)).toEqual(["张*", "L* N*", "W*** F***"]);
    expect(body.values.regions).toContainEqual({ value: REGION, count: 3 });
    expect(body.values.relationshipManagers).toContainEqual({ value: "rm.wang", name: "王经理", count: 2 });
  });

  it("names a value no customer has, and the one that differs only in case and accents", async () => {
    // act
    const { status, body } = await api("POST", "/api/segments/preview", "marketer", {
      rule: { all: [{ attr: "region", op: "in", value: ["previewville"] }, { holds: "CREDIT_CARD" }] },
    });
    // assess
    expect(status).toBe(200);
    expect(body.count).toBe(0);
    expect(body.warnings).toEqual([
      {
        path: ["all", 0, "value", 0],
        attr: "region",
        value: "previewville",
        suggestion: { value: REGION, count: 3 },
        message: `No customer has region 'previewville'. Did you mean '${REGION}' (3 customers)?`,
      },
    ]);
  });

  it("answers 400 naming the wrong part of the rule, and 403 to an analyst", async () => {
    // act
    const wrong = await api("POST", "/api/segments/preview", "marketer", {
      rule: { any: [{ attr: "tier", op: "eq", value: "gold" }] },
    });
    const analyst = await api("POST", "/api/segments/preview", "analyst", { rule: { holds: "CREDIT_CARD" } });
    // assess
    expect(wrong.status).toBe(400);
    expect(JSON.stringify(wrong.body)).toContain(
      'tier is one of mass, mass_affluent, affluent, high_net_worth; got \\"gold\\"',
    );
    expect(analyst.status).toBe(403);
  });
});
