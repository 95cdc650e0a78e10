/** @jsxImportSource hono/jsx */

import type { CampaignStatus } from "../../../shared/campaigns/lifecycle.js";
import type { DataQualityReport } from "../../../shared/customers/data-quality.js";
import type { Language } from "../../../shared/kernel/language.js";
import { type ConsoleCopyKey, t } from "../copy/say.js";
import { formatsFor } from "../format.js";
import { Layout, productName, type View } from "../pages.js";
import type { Table } from "../results/tables.js";
import type { Compared, DqTableId } from "./tables.js";

/**
 * One table as the analysis pages show it: a card with its title, the table in a scrolling
 * region (keyboard-scrollable, labelled), and the link to its CSV. `heads` lets a column
 * heading be a link (the comparison's campaigns); a note below says what the table leaves out.
 */
function TableCard({
  language,
  table,
  csvHref,
  empty,
  note,
  heads,
}: {
  language: Language;
  table: Table<string>;
  csvHref: string;
  empty: string;
  note?: string;
  heads?: (string | undefined)[];
}) {
  return (
    <section class="card breakdown analysis" aria-labelledby={`table-${table.id}`}>
      <h2 id={`table-${table.id}`}>{table.title}</h2>
      {table.rows.length === 0 ? (
        <p class="muted">{empty}</p>
      ) : (
        <>
          {/* The caption's words above the scrolling box too: inside it, a wide table's caption runs off a phone's screen. */}
          <p class="caption" aria-hidden="true">
            {table.caption}
          </p>
          <section class="scroll" aria-label={table.caption} tabindex={0}>
            <table data-table={table.id}>
              <caption class="visually-hidden">{table.caption}</caption>
              <thead>
                <tr>
                  {table.columns.map((column, i) => (
                    <th scope="col" class={i > 0 && table.rows[0][i]?.numeric ? "n" : undefined}>
                      {heads?.[i] ? <a href={heads[i]}>{column}</a> : column}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {table.rows.map(([first, ...rest]) => (
                  <tr>
                    <th scope="row">{first.text}</th>
                    {rest.map((cell) => (
                      <td class={cell.numeric ? "n" : "words"}>{cell.text}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          {note && <p class="muted">{note}</p>}
          <p class="csv">
            <a href={csvHref} download aria-label={t(language, "results.breakdown.csvNamed", { table: table.title })}>
              {t(language, "results.breakdown.csv")}
            </a>
          </p>
        </>
      )}
    </section>
  );
}

/** A launched campaign offered for comparison. */
export type Choice = {
  campaignId: string;
  name: string;
  status: CampaignStatus;
  productCode: string;
  launchedAt: string;
};

export const compareQuery = (ids: readonly string[]) => ids.map((id) => `c=${encodeURIComponent(id)}`).join("&");

/** Campaigns side by side: the launched campaigns to choose from, and the chosen ones in one table. */
export function ComparePage({
  view,
  choices,
  chosen,
  problem,
  hint,
  compared,
  table,
}: {
  view: View;
  /** The launched campaigns, sending or completed, newest first. */
  choices: Choice[];
  chosen: readonly string[];
  /** What is wrong with the choice, in the reader's words. */
  problem?: string;
  /** What to do next when nothing is wrong yet (one campaign chosen). */
  hint?: string;
  compared?: Compared[];
  table?: Table<"compare">;
}) {
  const { language, base } = view;
  const f = formatsFor(language);
  const title = t(language, "analysis.compare.title");
  return (
    <Layout view={view} title={title}>
      <h1>{title}</h1>
      {choices.length === 0 ? (
        <p class="card">{t(language, "analysis.compare.noneLaunched")}</p>
      ) : (
        <form class="card analysis-form choose" method="get" action={`${base}/compare`}>
          <fieldset aria-describedby={problem ? "choose-help choose-problem" : "choose-help"}>
            <legend>{t(language, "analysis.compare.choose")}</legend>
            <p id="choose-help" class="muted">
              {t(language, "analysis.compare.intro")} {t(language, "analysis.compare.chooseHelp")}
            </p>
            {problem && (
              <p id="choose-problem" class="problem" role="alert">
                {problem}
              </p>
            )}
            {hint && <p class="hint">{hint}</p>}
            <ul>
              {choices.map((c) => (
                <li>
                  <label>
                    <input type="checkbox" name="c" value={c.campaignId} checked={chosen.includes(c.campaignId)} />
                    <span>
                      {c.name}
                      <span class="sub">
                        {productName(language, c.productCode)} · {t(language, `status.${c.status}`)}
                        {` · ${t(language, "analysis.compare.launchedOn", { when: f.dateTime(c.launchedAt) })}`}
                      </span>
                    </span>
                  </label>
                </li>
              ))}
            </ul>
          </fieldset>
          <button type="submit">{t(language, "analysis.compare.submit")}</button>
        </form>
      )}
      {table && compared && (
        <>
          <TableCard
            language={language}
            table={table}
            csvHref={`${base}/compare.csv?${compareQuery(compared.map((c) => c.campaignId))}`}
            empty=""
            heads={[undefined, ...compared.map((c) => `${base}/campaigns/${encodeURIComponent(c.campaignId)}`)]}
          />
          <p class="muted">{t(language, "results.liftExplained")}</p>
        </>
      )}
    </Layout>
  );
}

const EMPTY: Record<DqTableId, ConsoleCopyKey> = {
  customers: "results.breakdown.none",
  completeness: "results.breakdown.none",
  invalid: "analysis.dq.noneInvalid",
  shared: "analysis.dq.noneShared",
  stale: "analysis.dq.noneStale",
};

/** The customer data's quality: the stale-days choice, then each of the report's tables with its CSV. */
export function DataQualityPage({
  view,
  staleDays,
  problem,
  report,
  tables,
}: {
  view: View;
  /** The field's value as the person typed it (or the default). */
  staleDays: string;
  problem?: string;
  report?: DataQualityReport;
  tables?: Table<DqTableId>[];
}) {
  const { language, base } = view;
  const f = formatsFor(language);
  const title = t(language, "analysis.dq.title");
  const listed: Partial<Record<DqTableId, { count: number; shown: number }>> | undefined = report && {
    invalid: { count: report.invalidContacts.count, shown: report.invalidContacts.list.length },
    shared: { count: report.duplicateContacts.count, shown: report.duplicateContacts.list.length },
    stale: { count: report.stale.count, shown: report.stale.customerIds.length },
  };
  const noteOf = (id: DqTableId) => {
    const l = listed?.[id];
    return l && l.count > l.shown
      ? t(language, "analysis.dq.firstOf", { shown: f.integer(l.shown), count: f.integer(l.count) })
      : undefined;
  };
  return (
    <Layout view={view} title={title}>
      <h1>{title}</h1>
      {report && (
        <p>
          {t(language, "analysis.dq.intro", { total: f.integer(report.customers.total) })}{" "}
          <span class="muted">{t(language, "analysis.dq.checkedAt", { when: f.dateTime(report.generatedAt) })}</span>
        </p>
      )}
      <form class="card analysis-form stale-days" method="get" action={`${base}/data-quality`}>
        <label for="staleDays">{t(language, "analysis.dq.staleDays")}</label>
        <p id="staleDays-help" class="muted">
          {t(language, "analysis.dq.staleDaysHelp")}
        </p>
        {problem && (
          <p id="staleDays-problem" class="problem" role="alert">
            {problem}
          </p>
        )}
        <div class="row">
          <input
            id="staleDays"
            name="staleDays"
            inputmode="numeric"
            value={staleDays}
            aria-invalid={problem ? "true" : undefined}
            aria-describedby={problem ? "staleDays-help staleDays-problem" : "staleDays-help"}
          />
          <button type="submit">{t(language, "analysis.dq.apply")}</button>
        </div>
      </form>
      {report &&
        tables?.map((table) => (
          <TableCard
            language={language}
            table={table}
            csvHref={`${base}/data-quality/${table.id}.csv?staleDays=${report.stale.staleDays}`}
            empty={t(language, EMPTY[table.id], { days: f.integer(report.stale.staleDays) })}
            note={noteOf(table.id)}
          />
        ))}
    </Layout>
  );
}
