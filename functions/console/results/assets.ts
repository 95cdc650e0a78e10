/** The results area's part of the console's one stylesheet. */
export const RESULTS_STYLE = `
.breakdown p.csv{margin:.5rem 0 0}
.breakdown table td{white-space:nowrap}
.breakdown table thead th{word-break:keep-all;overflow-wrap:normal;min-width:4.5em}
.by-day{margin:.25rem 0 1rem;max-width:48rem}
.by-day .series{display:grid;grid-template-columns:9rem 1fr 4rem;gap:.75rem;align-items:end;margin-bottom:.4rem}
.by-day .name{color:var(--muted);font-size:.9rem}
.by-day .peak{font-size:.85rem;color:var(--muted);font-variant-numeric:tabular-nums}
.by-day svg{width:100%;height:2.5rem;background:var(--soft);border-radius:4px}
.by-day rect{fill:var(--treated)}.by-day rect.converted{fill:var(--good)}
.by-day .days{display:flex;justify-content:space-between;margin-left:9.75rem;margin-right:4.75rem;font-size:.8rem;color:var(--muted)}
@media (max-width:600px){.by-day .series{grid-template-columns:6rem 1fr 3rem}.by-day .days{margin-left:6.75rem;margin-right:3.75rem}}
`;

/**
 * While a breakdown run counts, the results page asks for its progress every two seconds and
 * writes it in; when the run is done, it reloads the page, whose tables are then the new count.
 * A page without data-breakdown-run-url (no run counting) is left alone.
 */
export const RESULTS_SCRIPT = `(() => {
  const root = document.querySelector("[data-breakdown-run-url]");
  if (!root) return;
  const numbers = new Intl.NumberFormat(document.documentElement.lang);
  const text = root.querySelector("[data-run-text]");
  const bar = root.querySelector("progress[data-run-progress]");
  const tick = async () => {
    try {
      const response = await fetch(root.dataset.breakdownRunUrl, { headers: { accept: "application/json" }, credentials: "same-origin" });
      if (response.status === 401) return location.reload();
      if (response.ok) {
        const run = await response.json();
        if (run.status === "done") return location.reload();
        if (text) text.textContent = text.dataset.template.replace("{counted}", numbers.format(run.counted));
        if (bar) { bar.max = Math.max(1, run.expected); bar.value = Math.min(run.counted, run.expected); }
      }
    } catch {}
    setTimeout(tick, 2000);
  };
  setTimeout(tick, 2000);
})();
`;
