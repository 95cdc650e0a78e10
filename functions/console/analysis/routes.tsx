/** @jsxImportSource hono/jsx */
import { type Context, Hono } from "hono";
import type { Campaign } from "../../../shared/campaigns/campaign.js";
import { DataQualityQuery, dataQualityReport } from "../../../shared/customers/data-quality.js";
import { MAX_CAMPAIGN_PAGE } from "../../../shared/delivery/campaign-list.js";
import { liftOf } from "../../../shared/delivery/lift.js";
import { funnelOf } from "../../../shared/delivery/stats.js";
import type { Role } from "../../../shared/kernel/actor.js";
import { idNamed } from "../../../shared/kernel/ids.js";
import { type ConsoleCopyKey, t } from "../copy/say.js";
import type { ConsoleEnv, ConsoleKit } from "../kit.js";
import { csvOf } from "../results/csv.js";
import { type Choice, ComparePage, DataQualityPage } from "./pages.js";
import { type Compared, comparisonTable, DQ_TABLE_IDS, type DqTableId, dataQualityTables } from "./tables.js";

/** Who may read campaigns side by side: whoever reads a campaign's results. */
const COMPARERS: readonly Role[] = ["analyst", "marketer", "approver", "admin"];
/** Who may read the data-quality report: the API's own roles for GET /api/data-quality (functions/api/access.ts). */
const DATA_READERS: readonly Role[] = ["analyst", "approver", "admin"];
const MIN_COMPARED = 2;
const MAX_COMPARED = 6;
/** The statuses of a launched campaign the comparison offers: the "completed and sending". */
const OFFERED = ["sending", "completed"] as const;

/** Each chosen campaign (?c=…&c=…, the same one twice counting once) is a campaign id. */
const CampaignId = idNamed("campaignId");

type Chosen = { ids: string[]; problem?: string; hint?: string; compared?: Compared[] };

/** The analyst's pages beyond one campaign's results: campaigns side by side, and the customer data's quality. */
export function analysisPages(kit: ConsoleKit) {
  const { ports, signedIn, viewOf } = kit;

  const allowed = (roles: readonly Role[], refusal: ConsoleCopyKey) =>
    kit.onlyRoles(roles, (language) => t(language, refusal));

  /**
   * The launched campaigns to choose from, newest launch first: a page of each offered status
   * (the comparison is of recent ones), and any chosen campaign beyond them (an older or paused
   * one, reached from its results page), so that a choice is never dropped from the form.
   */
  const choicesOf = async (chosen: readonly string[]): Promise<Choice[]> => {
    const pages = await Promise.all(OFFERED.map((status) => ports.campaigns.listByStatus(status, MAX_CAMPAIGN_PAGE)));
    const listed = pages.flatMap((p) => p.campaigns);
    const others = await Promise.all(
      chosen
        .filter((id) => CampaignId.safeParse(id).success && !listed.some((c) => c.campaignId === id))
        .map((id) => ports.campaigns.get(id)),
    );
    return [...listed, ...others]
      .filter((c): c is Campaign & { launchedAt: string } => Boolean(c?.launchedAt))
      .sort((a, b) => b.launchedAt.localeCompare(a.launchedAt))
      .map((c) => ({
        campaignId: c.campaignId,
        name: c.name,
        status: c.status,
        productCode: c.offer.productCode,
        launchedAt: c.launchedAt,
      }));
  };

  /** The chosen campaigns read, or what is wrong with the choice in the reader's words. */
  const chosenOf = async (c: Context<ConsoleEnv>): Promise<Chosen> => {
    const language = viewOf(c).language;
    const ids = [...new Set(c.req.queries("c") ?? [])];
    if (ids.length === 0) return { ids };
    // One chosen is where the results page's link starts: a prompt for another, not a mistake.
    if (ids.length < MIN_COMPARED) return { ids, hint: t(language, "analysis.compare.pickTwo", { count: ids.length }) };
    if (ids.length > MAX_COMPARED)
      return { ids, problem: t(language, "analysis.compare.tooMany", { count: ids.length }) };
    // An id that is no campaign id is not looked up: it is named among those that cannot be compared.
    const campaigns = await Promise.all(
      ids.map((id) => (CampaignId.safeParse(id).success ? ports.campaigns.get(id) : null)),
    );
    const unlaunched = ids.filter((_, i) => !campaigns[i]?.launchedAt);
    if (unlaunched.length > 0)
      return { ids, problem: t(language, "analysis.compare.notLaunched", { ids: unlaunched.join(", ") }) };
    const compared = await Promise.all(
      (campaigns as Campaign[]).map(async (campaign): Promise<Compared> => {
        const stats = funnelOf(campaign.status, await ports.deliveries.counters(campaign.campaignId));
        return {
          campaignId: campaign.campaignId,
          name: campaign.name,
          status: campaign.status,
          productCode: campaign.offer.productCode,
          launchedAt: campaign.launchedAt as string,
          stats,
          lift: liftOf(
            { size: stats.targeted, converted: stats.converted },
            { size: stats.control, converted: stats.controlConverted },
          ),
        };
      }),
    );
    return { ids, compared };
  };

  const comparePage = async (c: Context<ConsoleEnv>, chosen: Chosen) => {
    const view = viewOf(c);
    return c.html(
      <ComparePage
        view={view}
        choices={await choicesOf(chosen.ids)}
        chosen={chosen.ids}
        problem={chosen.problem}
        hint={chosen.hint}
        compared={chosen.compared}
        table={chosen.compared && comparisonTable(view.language, chosen.compared)}
      />,
      chosen.problem ? 400 : 200,
    );
  };

  /** The report for ?staleDays=, or what is wrong with the number typed, in the reader's words. */
  const reportOf = async (c: Context<ConsoleEnv>) => {
    const typed = c.req.query("staleDays");
    // An emptied field means the default, as the API's missing parameter does.
    const query = DataQualityQuery.safeParse({ staleDays: typed?.trim() ? typed.trim() : undefined });
    if (!query.success)
      return {
        typed: typed ?? "",
        problem: t(viewOf(c).language, "analysis.dq.staleDaysInvalid", { value: typed ?? "" }),
      };
    return { typed: String(query.data.staleDays), report: await dataQualityReport(ports, query.data) };
  };

  return new Hono<ConsoleEnv>()
    .get("/compare", signedIn({ touch: true }), allowed(COMPARERS, "analysis.compare.forbidden"), async (c) =>
      comparePage(c, await chosenOf(c)),
    )
    .get("/compare.csv", signedIn({ touch: true }), allowed(COMPARERS, "analysis.compare.forbidden"), async (c) => {
      const chosen = await chosenOf(c);
      if (!chosen.compared)
        return comparePage(c, {
          ...chosen,
          problem: chosen.problem ?? t(viewOf(c).language, "analysis.compare.pickTwo", { count: chosen.ids.length }),
        });
      return csvOf(c, comparisonTable(viewOf(c).language, chosen.compared), "campaigns-side-by-side.csv");
    })
    .get("/data-quality", signedIn({ touch: true }), allowed(DATA_READERS, "analysis.dq.forbidden"), async (c) => {
      const view = viewOf(c);
      const { typed, problem, report } = await reportOf(c);
      return c.html(
        <DataQualityPage
          view={view}
          staleDays={typed}
          problem={problem}
          report={report}
          tables={report && dataQualityTables(view.language, report)}
        />,
        problem ? 400 : 200,
      );
    })
    .get(
      "/data-quality/:file",
      signedIn({ touch: true }),
      allowed(DATA_READERS, "analysis.dq.forbidden"),
      async (c) => {
        const view = viewOf(c);
        const table = c.req.param("file").replace(/\.csv$/, "") as DqTableId;
        if (!DQ_TABLE_IDS.includes(table) || !c.req.param("file").endsWith(".csv")) return c.notFound();
        const { typed, problem, report } = await reportOf(c);
        if (!report) return c.html(<DataQualityPage view={view} staleDays={typed} problem={problem} />, 400);
        const shown = dataQualityTables(view.language, report).find((x) => x.id === table)!;
        return csvOf(c, shown, `data-quality-${table}.csv`);
      },
    );
}
