/**
 * This area's part of the console's one stylesheet (no style attributes: the CSP allows none).
 * Scoped to .customers-area, so that no other area's page changes.
 */
export const CUSTOMERS_STYLE = `
.customers-area .notice{padding:.6rem .9rem;border-radius:6px;margin:0 0 1rem;background:var(--paper);
border:1px solid var(--line);border-left:4px solid var(--brand)}
.customers-area .notice.done{border-left-color:var(--good);background:#eef7f0;font-weight:600}
.customers-area .notice.problem{border-left-color:var(--bad);background:#fdeeea}
.customers-area .notice p{margin:.25rem 0 0}
.customers-area :focus-visible{outline:3px solid #f0a500;outline-offset:2px}
.customers-area .crumbs{margin:0}
.customers-area label{display:block;font-weight:600;margin:0 0 .25rem}
.customers-area .hint{margin:0 0 .35rem;color:var(--muted);font-size:.9rem}
.customers-area .field-problem{margin:.25rem 0 0;color:var(--bad);font-weight:600}
.customers-area input[type=text],.customers-area input[type=email],.customers-area input[type=tel],
.customers-area select,.customers-area textarea{width:100%;max-width:40rem;font:inherit;padding:.45rem .6rem;
border:1px solid #767f8f;border-radius:4px;background:var(--paper);color:var(--ink)}
.customers-area [aria-invalid=true]{border-color:var(--bad);border-width:2px}
.customers-area .find .row{display:flex;flex-wrap:wrap;gap:.5rem}
.customers-area .find .row input{flex:1 1 14rem;max-width:24rem}
.customers-area button,.customers-area a.button{display:inline-block;font:inherit;font-weight:600;border-radius:6px;
padding:.5rem 1.1rem;cursor:pointer;border:1px solid var(--brand);background:var(--brand);color:var(--brand-ink);
text-decoration:none}
.customers-area a.button.danger{background:var(--paper);border-color:var(--bad);color:var(--bad)}
.customers-area button.danger{background:var(--bad);color:#fff}
.customers-area nav.actions{display:flex;flex-wrap:wrap;gap:.75rem;margin:0 0 1rem}
.customers-area .fields{display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:1rem 1.5rem;margin-bottom:1rem}
.customers-area .field{min-width:0}
.customers-area .buttons{display:flex;flex-wrap:wrap;gap:1rem;align-items:center;margin-top:1rem}
.customers-area .check{display:flex;gap:.6rem;align-items:flex-start;margin-top:1rem}
.customers-area .check label{margin:0;font-weight:400}
.customers-area .check input{width:1.2rem;height:1.2rem;margin-top:.2rem;flex:none}
.customers-area ul.changes{margin:0;padding-left:1.1rem}
.customers-area ul.changes>li{margin:.35rem 0}
.customers-area .badge.granted{background:#e4f4e7;border-color:#9fd0a8}
.customers-area .badge.refused{background:#fdeeea;border-color:#eab4a8}
.customers-area dl.facts dd,.customers-area td{overflow-wrap:break-word;min-width:0}
.customers-area p.lead{margin:-.5rem 0 1rem;font-size:1.1rem;color:var(--muted)}
@media (max-width:600px){.customers-area .fields{grid-template-columns:minmax(0,1fr)}
.customers-area table.list td:empty{display:none}}
`;
