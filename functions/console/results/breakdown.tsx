/** @jsxImportSource hono/jsx */
import type { CampaignBreakdown } from "../../../shared/delivery/breakdown.js";
import type { ResultsBreakdown } from "../../../shared/delivery/breakdown-run.js";
import type { Language } from "../../../shared/kernel/language.js";
import { ASSETS } from "../assets.js";
import { t } from "../copy/say.js";
import { formatsFor } from "../format.js";
import { ByDayChart } from "./by-day-chart.js";
import type { Table } from "./tables.js";

/** Where a table's CSV is downloaded: the same table, in the reader's language. */
export const tableCsvPath = (base: string, campaignId: string, table: string) =>
  `${base}/campaigns/${encodeURIComponent(campaignId)}/tables/${table}.csv`;

/**
 * The results beyond the funnel: held back by reason, answers by kind, and the funnel by tier,
 * by region and by day, each with its CSV. Read from the deliveries (shared/delivery/breakdown.ts),
 * so each table adds up to the funnel above it.
 */
export function BreakdownSections({
  language,
  base,
  campaignId,
  tables,
  breakdown,
}: {
  language: Language;
  base: string;
  campaignId: string;
  tables: Table[];
  breakdown: CampaignBreakdown;
}) {
  const f = formatsFor(language);
  return (
    <>
      {tables.map((table) => (
        <section class="card breakdown" aria-labelledby={`table-${table.id}`}>
          <h2 id={`table-${table.id}`}>{table.title}</h2>
          {table.id === "day" && <ByDayChart language={language} rows={breakdown.byDay} />}
          {table.rows.length === 0 ? (
            <p class="muted">
              {t(
                language,
                table.id === "suppressed"
                  ? "results.breakdown.noneHeldBack"
                  : table.id === "answers"
                    ? "results.breakdown.noAnswers"
                    : "results.breakdown.none",
              )}
            </p>
          ) : (
            <>
              <section class="scroll" aria-label={table.caption} tabindex={0}>
                <table data-table={table.id}>
                  <caption>{table.caption}</caption>
                  <thead>
                    <tr>
                      {table.columns.map((column, i) => (
                        <th scope="col" class={i > 0 ? "n" : undefined}>
                          {column}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {table.rows.map(([first, ...rest]) => (
                      <tr>
                        <th scope="row">{first.text}</th>
                        {rest.map((cell) => (
                          <td class={cell.numeric ? "n" : undefined}>{cell.text}</td>
                        ))}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </section>
              <p class="csv">
                <a
                  href={tableCsvPath(base, campaignId, table.id)}
                  download
                  aria-label={t(language, "results.breakdown.csvNamed", { table: table.title })}
                >
                  {t(language, "results.breakdown.csv")}
                </a>
              </p>
            </>
          )}
          {(table.id === "tier" || table.id === "region") && breakdown.unknownProfile > 0 && (
            <p class="muted">
              {t(language, "results.breakdown.unknownNote", { count: f.integer(breakdown.unknownProfile) })}
            </p>
          )}
        </section>
      ))}
    </>
  );
}

/** Where the results page's script polls a breakdown run, and the form starting one posts. */
export const breakdownRunPath = (base: string, campaignId: string) =>
  `${base}/campaigns/${encodeURIComponent(campaignId)}/breakdown-runs`;

/**
 * A campaign past SYNC_BREAKDOWN_MAX_DELIVERIES: its tables are a breakdown run's, never read in
 * the page's request. The panel says so, shows the latest count's time, the running count's
 * progress (moved on by the results script, a refresh link without it), and Count again.
 */
export function BreakdownRunPanel({
  language,
  base,
  path,
  csrf,
  campaignId,
  found,
}: {
  language: Language;
  base: string;
  /** The page's own address: the refresh link. */
  path: string;
  csrf: string;
  campaignId: string;
  found: Exclude<ResultsBreakdown, { source: "live" }>;
}) {
  const f = formatsFor(language);
  const { running } = found;
  return (
    <section
      class="card breakdown-run"
      aria-labelledby="breakdown-run"
      id="breakdown"
      data-breakdown-run-url={running ? breakdownRunPath(base, campaignId) : undefined}
    >
      <h2 id="breakdown-run">{t(language, "results.run.title")}</h2>
      <p>{t(language, "results.run.large", { deliveries: f.integer(found.deliveries), max: f.integer(found.max) })}</p>
      {found.source === "run" ? (
        <p data-as-of>{t(language, "results.run.asOf", { time: f.dateTime(found.asOf) })}</p>
      ) : (
        !running && <p>{t(language, "results.run.never")}</p>
      )}
      {running ? (
        <>
          <p role="status" aria-live="polite">
            <span
              data-run-text
              data-template={t(language, "results.run.counting", {
                counted: "{counted}",
                expected: f.integer(running.expected),
              })}
            >
              {t(language, "results.run.counting", {
                counted: f.integer(running.counted),
                expected: f.integer(running.expected),
              })}
            </span>
          </p>
          <progress
            data-run-progress
            max={Math.max(1, running.expected)}
            value={Math.min(running.counted, running.expected)}
            aria-label={t(language, "results.run.countingLabel")}
          />
          <p class="muted">
            {t(language, "results.run.countingSince", {
              name: running.requestedBy,
              time: f.dateTime(running.startedAt),
            })}{" "}
            <a href={`${path}#breakdown`}>{t(language, "results.run.refresh")}</a>
          </p>
        </>
      ) : (
        <form method="post" action={breakdownRunPath(base, campaignId)}>
          <input type="hidden" name="csrf" value={csrf} />
          <button type="submit">
            {t(language, found.source === "run" ? "results.run.countAgain" : "results.run.count")}
          </button>
        </form>
      )}
      <script src={`${base}/assets/${ASSETS.results.name}`} defer />
    </section>
  );
}
