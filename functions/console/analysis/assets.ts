/** The analysis area's part of the console's one stylesheet: the campaign chooser, the stale-days form, wide tables. */
export const ANALYSIS_STYLE = `
.analysis-form button{font:inherit;background:var(--brand);color:var(--brand-ink);border:1px solid var(--brand);
border-radius:4px;padding:.4rem 1rem;cursor:pointer}
.analysis-form button:focus-visible,.analysis-form input:focus-visible{outline:3px solid #f0a500;outline-offset:2px}
.analysis-form .problem{color:var(--bad);font-weight:600;margin:.25rem 0 .5rem}
.analysis-form .hint{font-weight:600;margin:.25rem 0 .5rem}
.analysis-form fieldset{border:0;padding:0;margin:0 0 .75rem;min-width:0}
.analysis-form legend{font-weight:700;font-size:1.1rem;padding:0}
.analysis-form ul{list-style:none;padding:0;margin:.5rem 0 0;display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,20rem),1fr));gap:.5rem}
.analysis-form li label{display:flex;gap:.6rem;align-items:flex-start;border:1px solid var(--line);border-radius:6px;padding:.5rem .6rem;cursor:pointer}
.analysis-form li input{margin-top:.3rem;width:1.1rem;height:1.1rem;flex:none}
.analysis-form li label:has(input:checked){border-color:var(--brand);background:#eef4fc}
.analysis-form label[for]{display:block;font-weight:700}
.analysis-form .row{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center}
.analysis-form input[name=staleDays]{font:inherit;width:8rem;padding:.35rem .5rem;border:1px solid var(--muted);border-radius:4px}
.analysis-form input[aria-invalid=true]{border-color:var(--bad)}
.breakdown.analysis p.caption{font-weight:600;color:var(--muted);margin:0 0 .25rem}
.breakdown.analysis caption.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
.breakdown.analysis table td.words{white-space:normal;min-width:14rem}
.breakdown.analysis table th a{white-space:normal}
.breakdown.analysis table th[scope=row]{white-space:normal;min-width:8rem}
@media (max-width:600px){.breakdown.analysis p.caption{font-weight:600;color:var(--muted);margin:0 0 .25rem}
.breakdown.analysis caption.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
.breakdown.analysis table td.words{min-width:10rem}
.breakdown.analysis table th[scope=row]{min-width:6.5rem;font-size:.9rem}}
`;
