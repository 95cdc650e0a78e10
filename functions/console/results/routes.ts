import type { Context } from "hono";
import { Hono } from "hono";
import { DEFAULT_TIME_ZONE } from "../../../shared/customers/customer.js";
import { breakdownOf, type CampaignBreakdown, emptyTally } from "../../../shared/delivery/breakdown.js";
import {
  latestBreakdownProgress,
  type ResultsBreakdown,
  resultsBreakdown,
  startBreakdownRun,
} from "../../../shared/delivery/breakdown-run.js";
import { type CampaignStats, campaignStats } from "../../../shared/delivery/stats.js";
import type { Actor, Role } from "../../../shared/kernel/actor.js";
import { NotFoundError } from "../../../shared/kernel/errors.js";
import { idNamed } from "../../../shared/kernel/ids.js";
import type { Language } from "../../../shared/kernel/language.js";
import type { ConsolePorts } from "../deps.js";
import type { ConsoleEnv, ConsoleKit } from "../kit.js";
import { csvOf } from "./csv.js";
import { resultTables, TABLE_IDS, type Table, type TableId } from "./tables.js";

const CampaignId = idNamed("campaignId");

/**
 * The results page's tables and where they come from: read in the request for a campaign within
 * SYNC_BREAKDOWN_MAX_DELIVERIES, else the latest breakdown run's. Before any run, only the tables
 * the counters give (held back, answers) are shown.
 */
export async function resultsOf(
  ports: ConsolePorts,
  language: Language,
  stats: CampaignStats,
  campaignId: string,
): Promise<{ found: ResultsBreakdown; breakdown: CampaignBreakdown; tables: Table[] }> {
  const found = await resultsBreakdown(ports, campaignId);
  if (found.source !== "none")
    return { found, breakdown: found.breakdown, tables: resultTables(language, stats, found.breakdown) };
  const breakdown = breakdownOf(campaignId, DEFAULT_TIME_ZONE, emptyTally());
  const fromCounters = resultTables(language, stats, breakdown);
  return { found, breakdown, tables: fromCounters.filter((t) => t.id === "suppressed" || t.id === "answers") };
}

const actorOf = (c: Context<ConsoleEnv>): Actor => {
  const { id, name, role } = c.get("session").user;
  return { kind: "person", id, name, role: role as Role };
};

/**
 * The CSV of any table the results page shows, with its headings in the reader's language
 * (csv.ts); and a large campaign's breakdown run: Count again (a form) and its progress (JSON,
 * polled by the results script).
 */
export function resultPages(kit: ConsoleKit) {
  const campaignIdOf = (c: Context<ConsoleEnv>) => {
    const id = CampaignId.safeParse(c.req.param("campaignId"));
    if (!id.success) throw new NotFoundError("Campaign", "");
    return id.data;
  };
  return new Hono<ConsoleEnv>()
    .get("/campaigns/:campaignId/tables/:file", kit.signedIn({ touch: true }), async (c) => {
      const id = CampaignId.safeParse(c.req.param("campaignId"));
      const table = c.req.param("file").replace(/\.csv$/, "") as TableId;
      if (!id.success || !TABLE_IDS.includes(table)) throw new NotFoundError("Table", c.req.param("file"));
      const language = kit.viewOf(c).language;
      const { tables } = await resultsOf(kit.ports, language, await campaignStats(kit.ports, id.data), id.data);
      const shown = tables.find((t) => t.id === table);
      if (!shown) throw new NotFoundError("Table", table);
      return csvOf(c, shown, `${id.data}-${table}.csv`);
    })
    .post("/campaigns/:campaignId/breakdown-runs", kit.signedIn({ touch: true }), kit.csrfChecked, async (c) => {
      const campaignId = campaignIdOf(c);
      await startBreakdownRun(kit.ports, campaignId, actorOf(c));
      return c.redirect(`${kit.base}/campaigns/${encodeURIComponent(campaignId)}#breakdown`, 303);
    })
    .get("/campaigns/:campaignId/breakdown-runs", kit.signedIn({ touch: false }), async (c) => {
      const progress = await latestBreakdownProgress(kit.ports, campaignIdOf(c));
      if (!progress) return c.json({ code: "not_found", message: "No breakdown run of this campaign" }, 404);
      return c.json(progress);
    });
}
