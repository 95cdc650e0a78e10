/** The admin area's part of the console's one stylesheet: the landing page's cards, the trails' filters and tables. */
export const ADMIN_STYLE = `
.admin-areas{list-style:none;padding:0;margin:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,18rem),1fr));gap:1rem}
.admin-areas li{margin:0}
.admin-filter .visually-hidden,.admin-trail .visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
.admin-areas a{display:block;height:100%;box-sizing:border-box;font-weight:700;font-size:1.1rem;text-decoration:none}
.admin-areas a .name{text-decoration:underline}
.admin-areas a.card{margin:0}
.admin-areas a:hover{border-color:var(--brand)}
.admin-areas a:focus-visible{outline:3px solid #f0a500;outline-offset:2px}
.admin-areas .about{display:block;font-weight:400;font-size:.95rem;color:var(--ink);margin-top:.35rem}
.admin-filter .fields{display:flex;flex-wrap:wrap;gap:.75rem 1rem;align-items:flex-end}
.admin-filter .field{display:flex;flex-direction:column;gap:.25rem;min-width:0}
.admin-filter label{font-weight:700}
.admin-filter input,.admin-filter select{font:inherit;padding:.35rem .5rem;border:1px solid var(--muted);border-radius:4px;background:var(--paper);max-width:100%;box-sizing:border-box}
.admin-filter input[aria-invalid=true]{border-color:var(--bad)}
.admin-filter button{font:inherit;background:var(--brand);color:var(--brand-ink);border:1px solid var(--brand);border-radius:4px;padding:.4rem 1rem;cursor:pointer}
.admin-filter button:focus-visible,.admin-filter input:focus-visible,.admin-filter select:focus-visible{outline:3px solid #f0a500;outline-offset:2px}
.admin-filter .problem{color:var(--bad);font-weight:600;margin:.25rem 0 .5rem}
.admin-filter .muted{margin:.5rem 0 0}
.admin-trail table td.words{overflow-wrap:anywhere}
.admin-trail .csv{margin:.75rem 0 0}
.admin-trail .pager{flex-wrap:wrap}
@media (max-width:600px){.admin-filter .field{flex:1 1 100%}.admin-filter input,.admin-filter select{width:100%}
.admin-trail table.list td>*{text-align:right;min-width:0;overflow-wrap:anywhere}.admin-trail table.list td::before{flex:none;max-width:40%}}
`;
