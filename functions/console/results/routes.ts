import { Hono } from "hono";
import { campaignBreakdown } from "../../../shared/delivery/breakdown.js";
import { campaignStats } from "../../../shared/delivery/stats.js";
import { NotFoundError } from "../../../shared/kernel/errors.js";
import { idNamed } from "../../../shared/kernel/ids.js";
import type { ConsoleEnv, ConsoleKit } from "../kit.js";
import { csvOf } from "./csv.js";
import { resultTables, TABLE_IDS, type TableId } from "./tables.js";

const CampaignId = idNamed("campaignId");

/**
 * The CSV of any table the results page shows, with its headings in the reader's language (csv.ts).
 */
export function resultPages(kit: ConsoleKit) {
  return new Hono<ConsoleEnv>().get("/campaigns/:campaignId/tables/:file", kit.signedIn({ touch: true }), async (c) => {
    const id = CampaignId.safeParse(c.req.param("campaignId"));
    const table = c.req.param("file").replace(/\.csv$/, "") as TableId;
    if (!id.success || !TABLE_IDS.includes(table)) throw new NotFoundError("Table", c.req.param("file"));
    const [stats, breakdown] = await Promise.all([
      campaignStats(kit.ports, id.data),
      campaignBreakdown(kit.ports, id.data),
    ]);
    const shown = resultTables(kit.viewOf(c).language, stats, breakdown).find((t) => t.id === table);
    if (!shown) throw new NotFoundError("Table", table);
    return csvOf(c, shown, `${id.data}-${table}.csv`);
  });
}
