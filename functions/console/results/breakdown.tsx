/** @jsxImportSource hono/jsx */
import type { CampaignBreakdown } from "../../../shared/delivery/breakdown.js";
import type { Language } from "../../../shared/kernel/language.js";
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
