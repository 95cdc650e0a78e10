/**
 * This area's part of the console's one stylesheet (no style attributes: the CSP allows none).
 * Scoped to the inbox and the cancel step (.review-area), and the review, decision and controls
 * on a campaign's page, so that no other area's page changes.
 */
export const REVIEW_STYLE = `
.review-area .notice,.review-area.notice{padding:.6rem .9rem;border-radius:6px;margin:0 0 1rem;background:var(--paper);
border:1px solid var(--line);border-left:4px solid var(--brand)}
.review-area .notice.done{border-left-color:var(--good);background:#eef7f0;font-weight:600}
.review-area .notice.problem{border-left-color:var(--bad);background:#fdeeea}
.review-area .card .notice{margin:.25rem 0 .75rem}
.review-area :focus-visible{outline:3px solid var(--brand);outline-offset:2px}
.review-area h3{font-size:1.05rem;margin:1.25rem 0 .5rem}
.review-area ul.rule-words,.review-area ul.rule-words ul{margin:.25rem 0;padding-left:1.25rem}
.review-area ul.rule-words{padding-left:0;list-style:none;border-left:4px solid var(--brand);padding:.5rem .9rem;
background:var(--soft);border-radius:0 6px 6px 0}
.review-area ul.rule-words ul{list-style:disc}
.review-area ul.rule-words li{margin:.2rem 0}
.review-area .message{border-top:1px solid var(--line);padding-top:.5rem;margin-top:.75rem}
.review-area .message:first-of-type{border-top:0;margin-top:0}
.review-area iframe.email{display:block;width:100%;height:36rem;border:1px solid var(--line);border-radius:6px;
background:#f2f4f7;margin:.75rem 0 .25rem}
.review-area label{display:block;font-weight:600;margin:.5rem 0 .25rem}
.review-area .check{display:flex;gap:.6rem;align-items:flex-start}
.review-area .check label{margin:0}
.review-area .check input{width:1.2rem;height:1.2rem;margin-top:.2rem;flex:none}
.review-area textarea,.review-area input[type=text]{width:100%;max-width:40rem;font:inherit;padding:.45rem .6rem;
border:1px solid #767f8f;border-radius:4px;background:var(--paper);color:var(--ink)}
.review-area button{font:inherit;font-weight:600;border-radius:6px;padding:.5rem 1.1rem;cursor:pointer;
border:1px solid var(--brand);background:var(--paper);color:var(--brand);margin-top:.25rem}
.review-area button.primary{background:var(--brand);color:var(--brand-ink)}
.review-area button.danger{background:var(--bad);border-color:var(--bad);color:#fff}
.review-area .decide{display:grid;grid-template-columns:repeat(auto-fit,minmax(18rem,1fr));gap:1rem 2rem;align-items:start}
.review-area .decide form{margin:0}
.review-area .actions{display:flex;flex-wrap:wrap;gap:1rem 2rem;align-items:flex-end}
.review-area .actions form{margin:0}
.review-area p.cancel{margin:0;flex-basis:100%}
.review-area .muted{margin:.25rem 0}
.review-area ul.changes{list-style:none;padding:0;margin:0}
.review-area li.change{border-top:1px solid var(--line);padding:.75rem 0}
.review-area li.change:first-child{border-top:0;padding-top:0}
.review-area li.change h3{margin:.25rem 0 .5rem}
.review-area li.change dd ul{margin:0;padding-left:1.1rem}
.review-area li.change .decide{display:flex;flex-wrap:wrap;gap:.5rem 2rem;align-items:flex-start;margin-top:.5rem}
.review-area details summary{cursor:pointer;color:var(--brand);font-weight:600;margin-top:.35rem}
table.history td:last-child{max-width:28rem}
@media (max-width:600px){.review-area iframe.email{height:28rem}.review-area .decide{grid-template-columns:1fr}
table.history td:empty{display:none}}
`;

/** This area's script, served as its own asset; a page that needs it links ASSETS.review. */
export const REVIEW_SCRIPT = "";
