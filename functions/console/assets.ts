import { createHash } from "node:crypto";
import { ADMIN_STYLE } from "./admin/assets.js";
import { ANALYSIS_STYLE } from "./analysis/assets.js";
import { BRAND_KIT_STYLE } from "./brand-kit/assets.js";
import { CAMPAIGN_EDITOR_SCRIPT, CAMPAIGN_EDITOR_STYLE } from "./campaign-editor/assets.js";
import { CUSTOMERS_STYLE } from "./customers/assets.js";
import { RESULTS_SCRIPT, RESULTS_STYLE } from "./results/assets.js";
import { REVIEW_SCRIPT, REVIEW_STYLE } from "./review/assets.js";
import { SEGMENTS_SCRIPT, SEGMENTS_STYLE } from "./segments/assets.js";

/**
 * Everything the console's pages load besides themselves, served by the platform at
 * /console/assets/ (no CDN: a bank's network would block it). Kept as text in the code, so that
 * the Lambda bundle carries it and nothing needs a build step; the name carries a hash of the
 * content, so a page never meets an older copy and the files may be cached for a year.
 */
const STYLE = `
:root{--ink:#1a1f2b;--muted:#4a5363;--line:#d5dae3;--brand:#0b5cad;--brand-ink:#fff;--paper:#fff;--soft:#f3f5f9;
--treated:#0b5cad;--control:#8a5a00;--good:#1d6b2f;--bad:#a3261b}
*{box-sizing:border-box}
body{margin:0;font-family:system-ui,-apple-system,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;
color:var(--ink);background:var(--soft);line-height:1.5;font-size:16px}
a{color:var(--brand)}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff;padding:.5rem;z-index:2}
header.top{background:var(--brand);color:var(--brand-ink);padding:.6rem 1.25rem;display:flex;flex-wrap:wrap;
gap:.5rem 1.5rem;align-items:center;justify-content:space-between}
header.top nav.areas{display:flex;flex-wrap:wrap;gap:.25rem .9rem;margin-right:auto}
header.top nav.areas a{color:var(--brand-ink);text-decoration:none;padding:.15rem 0;border-bottom:2px solid transparent}
header.top nav.areas a[aria-current=page]{border-bottom-color:var(--brand-ink);font-weight:700}
header.top a.app{color:var(--brand-ink);font-weight:700;font-size:1.15rem;text-decoration:none}
header.top .who{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center}
header.top form{margin:0;display:inline-flex;gap:.25rem;align-items:center}
header.top button{font:inherit;font-size:.9rem;border:1px solid var(--brand-ink);background:transparent;
color:var(--brand-ink);padding:.2rem .6rem;border-radius:4px;cursor:pointer}
header.top button[aria-pressed=true]{background:var(--brand-ink);color:var(--brand);font-weight:700}
main{max-width:72rem;margin:0 auto;padding:1.25rem}
h1{font-size:1.6rem;margin:.5rem 0 1rem}h2{font-size:1.2rem;margin:1.5rem 0 .75rem}
nav.statuses ul{list-style:none;padding:0;margin:0 0 1rem;display:flex;flex-wrap:wrap;gap:.4rem}
nav.statuses a{display:inline-block;padding:.3rem .8rem;border:1px solid var(--line);border-radius:999px;
background:var(--paper);text-decoration:none;color:var(--ink)}
nav.statuses a[aria-current=page]{background:var(--brand);border-color:var(--brand);color:var(--brand-ink);font-weight:700}
.card{background:var(--paper);border:1px solid var(--line);border-radius:8px;padding:1rem 1.25rem;margin-bottom:1rem}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;background:var(--paper)}
caption{text-align:left;font-weight:600;padding:.5rem 0;color:var(--muted)}
th,td{padding:.5rem .6rem;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}td.n{white-space:nowrap}
.sub{display:block;color:var(--muted);font-size:.85rem}
.badge{display:inline-block;padding:.1rem .6rem;border-radius:999px;background:var(--soft);border:1px solid var(--line);
font-size:.9rem;font-weight:600}
.badge.sending,.badge.launching{background:#e3efff;border-color:#9cc0ef}
.badge.completed{background:#e4f4e7;border-color:#9fd0a8}
.badge.paused,.badge.cancelled{background:#fdeeea;border-color:#eab4a8}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.35rem 1rem;margin:0}
dl.facts dt{color:var(--muted)}dl.facts dd{margin:0}
svg.bar{display:block;width:100%;max-width:14rem;height:.7rem;margin-top:.25rem}
svg.bar .track{fill:#e6e9ef}svg.bar .treated{fill:var(--treated)}svg.bar .control{fill:var(--control)}
progress{width:100%;height:1rem}
.lift{font-size:1.4rem;font-weight:700;margin:.25rem 0}
.good{color:var(--good)}.bad{color:var(--bad)}.muted{color:var(--muted)}
.pager{display:flex;gap:1rem;margin-top:1rem}
.card>h2:first-child{margin-top:0}
.when{white-space:nowrap}
@media (max-width:600px){main{padding:.75rem}h1{font-size:1.35rem}th,td{padding:.4rem}
dl.facts{grid-template-columns:1fr}dl.facts dt{margin-top:.4rem}
table.list thead{position:absolute;left:-9999px}
table.list tr{display:block;border:1px solid var(--line);border-radius:8px;margin-bottom:.75rem;padding:.25rem .5rem}
table.list th[scope=row],table.list td{display:flex;justify-content:space-between;gap:1rem;border:0;text-align:right;padding:.25rem 0}
table.list th[scope=row]{text-align:left;font-size:1.05rem}
table.list td::before{content:attr(data-label);color:var(--muted);text-align:left;font-weight:400}
table.list td .when{white-space:normal}}
`;

/**
 * While a campaign launches or sends, its results page asks the console for the latest counts
 * every few seconds and writes them in; when the status changes, it reloads the page. A page
 * without the data-progress-url attribute is left alone.
 */
const PROGRESS_SCRIPT = `(() => {
  const root = document.querySelector("[data-progress-url]");
  if (!root) return;
  const numbers = new Intl.NumberFormat(document.documentElement.lang);
  const tick = async () => {
    try {
      const response = await fetch(root.dataset.progressUrl, { headers: { accept: "application/json" }, credentials: "same-origin" });
      if (response.status === 401) return location.reload();
      if (response.ok) {
        const stats = await response.json();
        if (stats.status !== root.dataset.status) return location.reload();
        for (const element of document.querySelectorAll("[data-stat]")) {
          element.textContent = numbers.format(stats[element.dataset.stat] ?? 0);
        }
        const bar = document.querySelector("progress[data-progress]");
        if (bar) { bar.max = Math.max(1, stats.targeted); bar.value = stats.done; }
      }
    } catch {}
    setTimeout(tick, 3000);
  };
  setTimeout(tick, 3000);
})();
`;

/** The tab's icon: a bank-blue tile with a white upward bar chart. */
const ICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#0b5cad"/><path d="M8 24h4v-7H8zm6 0h4V12h-4zm6 0h4V7h-4z" fill="#fff"/></svg>`;

const named = (base: string, ext: string, body: string) => ({
  name: `${base}.${createHash("sha256").update(body).digest("hex").slice(0, 12)}.${ext}`,
  body,
});

const CSS = "text/css; charset=utf-8";
const JS = "text/javascript; charset=utf-8";

export const ASSETS = {
  style: {
    ...named(
      "console",
      "css",
      STYLE +
        SEGMENTS_STYLE +
        CAMPAIGN_EDITOR_STYLE +
        REVIEW_STYLE +
        RESULTS_STYLE +
        CUSTOMERS_STYLE +
        ANALYSIS_STYLE +
        ADMIN_STYLE +
        BRAND_KIT_STYLE,
    ),
    type: CSS,
  },
  icon: { ...named("icon", "svg", ICON), type: "image/svg+xml" },
  progress: { ...named("progress", "js", PROGRESS_SCRIPT), type: JS },
  segments: { ...named("segments", "js", SEGMENTS_SCRIPT), type: JS },
  campaignEditor: { ...named("campaign-editor", "js", CAMPAIGN_EDITOR_SCRIPT), type: JS },
  review: { ...named("review", "js", REVIEW_SCRIPT), type: JS },
  results: { ...named("results", "js", RESULTS_SCRIPT), type: JS },
} as const;
