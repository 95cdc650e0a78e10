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
