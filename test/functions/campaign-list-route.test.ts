import { describe, expect, it } from "vitest";
import { createApp } from "../../functions/api/app.js";
import type { CampaignStatus } from "../../shared/campaigns/lifecycle.js";
import type { Actor } from "../../shared/kernel/actor.js";
import { aCampaign } from "../adapters/fixtures.js";
import { platformWith } from "../unit/platform.js";

const ANALYST: Actor = { name: "zhou", role: "analyst" };

/** Two completed campaigns, the second page after cursor "page-2"; every campaign's counters the same. */
function app(asked: unknown[]) {
  const ports = platformWith({
    campaigns: {
      listByStatus: async (status: CampaignStatus, limit: number, cursor?: string) => {
        asked.push({ status, limit, cursor });
        if (status !== "completed") return { campaigns: [] };
        return cursor
          ? { campaigns: [aCampaign({ campaignId: "cmp-2", status })] }
          : { campaigns: [aCampaign({ status, launchedAt: "2024-05-02T08:00:00.000Z" })], cursor: "page-2" };
      },
    },
    deliveries: {
      counters: async () => ({ targeted: 90, control: 10, sent: 88, clicked: 30, answer_interested: 5, converted: 9 }),
    },
  });
  return createApp({
    ports,
    actorFor: async (token) => (token === "analyst" ? ANALYST : undefined),
    checkServices: async () => ({ dynamodb: "ok", sqs: "ok" }),
  });
}
const asAnalyst = { headers: { authorization: "Bearer analyst" } };

describe("GET /api/campaigns", () => {
  it("lists a status's campaigns with their latest numbers, and the cursor of the next page", async () => {
    // prepare
    const asked: unknown[] = [];
    // act
    const first = await app(asked).request("/api/campaigns?status=completed&limit=1", asAnalyst);
    const body = (await first.json()) as any;
    const second = await app(asked).request(`/api/campaigns?status=completed&cursor=${body.cursor}`, asAnalyst);
    // assess
    expect(first.status).toBe(200);
    expect(body).toEqual({
      campaigns: [
        {
          campaignId: "cmp-1",
          name: "Wealth fund for current-account holders",
          status: "completed",
          productCode: "WEALTH_FUND",
          controlGroupPercent: 10,
          createdBy: "mei",
          createdAt: "2024-05-01T08:00:00.000Z",
          launchedAt: "2024-05-02T08:00:00.000Z",
          stats: { targeted: 90, control: 10, sent: 88, clicked: 30, responded: 5, converted: 9 },
        },
      ],
      cursor: "page-2",
    });
    expect(((await second.json()) as any).campaigns.map((c: { campaignId: string }) => c.campaignId)).toEqual([
      "cmp-2",
    ]);
    expect(asked).toEqual([
      { status: "completed", limit: 1, cursor: undefined },
      { status: "completed", limit: 20, cursor: "page-2" },
    ]);
  });

  it.each([
    ["no status", "/api/campaigns"],
    ["an unknown status", "/api/campaigns?status=running"],
    ["a limit over 50", "/api/campaigns?status=draft&limit=51"],
    ["a cursor that is not one", "/api/campaigns?status=draft&cursor=%7B%7D"],
  ])("answers 400 for %s", async (_, path) => {
    // act
    const response = await app([]).request(path, asAnalyst);
    // assess
    expect(response.status).toBe(400);
  });
});
