import { describe, expect, it } from "vitest";
import { api } from "./client.js";

describe("the API contract", () => {
  it("reports health with its services and the local inbox", async () => {
    const health = await api("GET", "/health", null);

    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({
      status: "ok",
      services: { dynamodb: "ok", sqs: "ok" },
      inbox: expect.stringMatching(/^http/),
    });
  });

  it("answers 401 without a valid token and 403 for a role that may not", async () => {
    expect((await api("GET", "/api/campaigns/x/stats", null)).status).toBe(401);
    expect((await fetch(`${(await api("GET", "/health", null)).body.inbox}`)).status).toBe(200);
    const analystImport = await api("POST", "/api/customers/import", "analyst", "customerId\n", "text/csv");
    expect(analystImport.status).toBe(403);
    expect(analystImport.body.code).toBe("forbidden");
  });

  it("answers a bad body with a 400 naming the field, never a 500", async () => {
    const missing = await api("POST", "/api/campaigns", "marketer", {
      name: "x",
      segmentId: "s",
      offer: { productCode: "NOPE" },
      message: { subject: "", html: "h", text: "t" },
      controlGroupPercent: 10,
    });
    const notJson = await api("POST", "/api/segments", "marketer", "{not json", "application/json");
    const badRule = await api("POST", "/api/segments", "marketer", {
      name: "x",
      rule: { attr: "tier", op: "like", value: 1 },
    });
    const wrongType = await api("POST", "/api/customers/import", "marketer", "{}", "application/json");

    expect(missing.status).toBe(400);
    expect(missing.body.message).toContain("offer.productCode");
    expect(missing.body.message).toContain("message.subject");
    expect(notJson.status).toBe(400);
    expect(badRule.status).toBe(400);
    expect(badRule.body.message).toContain("rule");
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.message).toContain("text/csv");
  });

  it("answers unknown ids and routes with 404", async () => {
    expect((await api("GET", "/api/customers/NOBODY", "analyst")).status).toBe(404);
    expect((await api("GET", "/api/segments/nope/preview", "marketer")).status).toBe(404);
    expect(
      (
        await api("POST", "/api/campaigns", "marketer", {
          name: "x",
          segmentId: "nope",
          offer: { productCode: "CREDIT_CARD" },
          message: { subject: "s", html: "h", text: "t" },
          controlGroupPercent: 0,
        })
      ).status,
    ).toBe(404);
    expect((await api("GET", "/api/nothing-here", "analyst")).status).toBe(404);
  });

  it("refuses a template with an unknown personal field, naming it", async () => {
    const segment = await api("POST", "/api/segments", "marketer", {
      name: "all",
      rule: { attr: "aum", op: "gte", value: 0 },
    });

    const created = await api("POST", "/api/campaigns", "marketer", {
      name: "x",
      segmentId: segment.body.segmentId,
      offer: { productCode: "CREDIT_CARD" },
      message: { subject: "Hi {{firstName}}", html: "<p>h</p>", text: "t" },
      controlGroupPercent: 0,
    });

    expect(created.status).toBe(400);
    expect(created.body.message).toContain("{{firstName}}");
  });

  it("publishes an OpenAPI document covering the contract", async () => {
    const doc = await api("GET", "/openapi.json", null);

    expect(doc.status).toBe(200);
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining([
        "/health",
        "/api/customers/import",
        "/api/segments",
        "/api/campaigns/{campaignId}/stats",
        "/api/conversions",
        "/o/{token}",
        "/u/{token}",
      ]),
    );
  });
});
