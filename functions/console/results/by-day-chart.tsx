/** @jsxImportSource hono/jsx */
import type { DayRow } from "../../../shared/delivery/breakdown.js";
import type { Language } from "../../../shared/kernel/language.js";
import { type ConsoleCopyKey, t } from "../copy/say.js";
import { formatsFor } from "../format.js";

const SERIES = [
  { key: "sent", label: "results.col.sent" },
  { key: "clicked", label: "results.col.clicked" },
  { key: "responded", label: "results.col.responded" },
  { key: "converted", label: "results.col.converted" },
] as const satisfies readonly { key: keyof DayRow; label: ConsoleCopyKey }[];

/** Days shown in the chart: the latest, so a long campaign's chart stays readable (the table has them all). */
const MAX_DAYS = 31;

/**
 * Sends, clicks, answers and conversions by day, as small multiples: one row of bars per
 * measure, each on its own scale, since a day's sends dwarf its conversions. Drawn on the server
 * as SVG, like the funnel's bars: no chart library, no script, nothing the CSP must allow, and
 * it prints. The table below it carries the same numbers for screen readers and the CSV, so the
 * drawing itself is hidden from them.
 */
export function ByDayChart({ language, rows }: { language: Language; rows: DayRow[] }) {
  if (rows.length < 2) return null;
  const f = formatsFor(language);
  const days = rows.slice(-MAX_DAYS);
  const width = 100 / days.length;
  return (
    <div class="by-day" aria-hidden="true">
      {SERIES.map((series) => {
        const top = Math.max(1, ...days.map((d) => d[series.key]));
        return (
          <div class="series">
            <span class="name">{t(language, series.label)}</span>
            <svg viewBox="0 0 100 20" preserveAspectRatio="none" focusable="false">
              <title>{t(language, series.label)}</title>
              {days.map((d, i) => {
                const h = (d[series.key] / top) * 19;
                return (
                  <rect
                    class={series.key}
                    x={String(i * width + width * 0.1)}
                    y={String(20 - h)}
                    width={String(width * 0.8)}
                    height={String(h)}
                  />
                );
              })}
            </svg>
            <span class="peak">{f.integer(top === 1 && days.every((d) => d[series.key] === 0) ? 0 : top)}</span>
          </div>
        );
      })}
      <div class="days">
        <span>{days[0].day}</span>
        <span>{days[days.length - 1].day}</span>
      </div>
    </div>
  );
}
