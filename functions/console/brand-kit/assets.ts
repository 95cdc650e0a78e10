/**
 * The brand kit page's part of the console's one stylesheet (no style attributes: the CSP allows
 * none). Scoped to .brand-kit-area, so that no other area's page changes.
 */
export const BRAND_KIT_STYLE = `
.brand-kit-area .notice{padding:.6rem .9rem;border-radius:6px;margin:0 0 1rem;background:var(--paper);
border:1px solid var(--line);border-left:4px solid var(--brand)}
.brand-kit-area .notice.done{border-left-color:var(--good);background:#eef7f0;font-weight:600}
.brand-kit-area .notice.problem{border-left-color:var(--bad);background:#fdeeea}
.brand-kit-area .notice p{margin:.25rem 0 0}
.brand-kit-area :focus-visible{outline:3px solid #f0a500;outline-offset:2px}
.brand-kit-area .crumbs{margin:0}
.brand-kit-area fieldset{border:0;margin:0 0 1.25rem;padding:0;min-width:0}
.brand-kit-area legend{font-weight:700;font-size:1.05rem;padding:0;margin:0 0 .15rem}
.brand-kit-area label{display:block;font-weight:600;margin:0 0 .25rem}
.brand-kit-area .hint{margin:0 0 .5rem;color:var(--muted);font-size:.9rem}
.brand-kit-area .field-problem{margin:.25rem 0 0;color:var(--bad);font-weight:600}
.brand-kit-area input[type=text],.brand-kit-area input[type=tel],.brand-kit-area input[type=file]{width:100%;
max-width:40rem;font:inherit;padding:.45rem .6rem;border:1px solid #767f8f;border-radius:4px;background:var(--paper);
color:var(--ink)}
.brand-kit-area input[type=color]{width:3rem;height:2.4rem;padding:.1rem;border:1px solid #767f8f;border-radius:4px;
background:var(--paper);cursor:pointer;flex:none}
.brand-kit-area .colour-row{display:flex;gap:.5rem;align-items:center}
.brand-kit-area .colour-row input[type=text]{max-width:9rem;font-family:ui-monospace,Menlo,Consolas,monospace}
.brand-kit-area [aria-invalid=true]{border-color:var(--bad);border-width:2px}
.brand-kit-area .pair{display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:.75rem 1.5rem}
.brand-kit-area .colours{display:grid;grid-template-columns:repeat(3,minmax(0,1fr));gap:.75rem 1.5rem}
.brand-kit-area .field{min-width:0;margin-bottom:1rem}
.brand-kit-area .pair .field,.brand-kit-area .colours .field{margin-bottom:0}
.brand-kit-area button{display:inline-block;font:inherit;font-weight:600;border-radius:6px;padding:.5rem 1.1rem;
cursor:pointer;border:1px solid var(--brand);background:var(--brand);color:var(--brand-ink)}
.brand-kit-area button.secondary{background:var(--paper);color:var(--bad);border-color:var(--bad)}
.brand-kit-area .buttons{display:flex;flex-wrap:wrap;gap:1rem;align-items:center;margin-top:.5rem}
.brand-kit-area .logo-now{display:inline-block;padding:.75rem 1rem;border:1px dashed var(--line);border-radius:6px;
background:var(--soft);margin:0 0 .5rem}
.brand-kit-area .logo-now img{display:block;max-width:100%;height:auto}
.brand-kit-area form.inline{display:inline}
.brand-kit-area ul.changes{margin:0;padding-left:1.1rem}
.brand-kit-area ul.changes li{margin:.15rem 0;overflow-wrap:anywhere}
.brand-kit-area td{overflow-wrap:anywhere;min-width:0}
@media (max-width:600px){.brand-kit-area .pair,.brand-kit-area .colours{grid-template-columns:minmax(0,1fr)}}
`;
