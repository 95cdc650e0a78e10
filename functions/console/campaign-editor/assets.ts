/**
 * This area's part of the console's one stylesheet (no style attributes: the CSP allows none).
 * Scoped to the wizard's form (.wizard), the draft's page (.draft-page) and the campaign page's
 * pointer to it (.draft-panel), so that no other area's page changes.
 */
export const CAMPAIGN_EDITOR_STYLE = `
.badge.submitted{background:#fff4d6;border-color:#d9b04a}
.draft-page form.preview-customer{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;margin-top:1rem}
.draft-page form.preview-customer input{font:inherit;padding:.35rem .5rem;border:1px solid #6b7280;border-radius:4px;
min-width:0;flex:1 1 10rem;max-width:16rem}
.wizard fieldset.step{margin:0 0 1rem;min-width:0}
.wizard fieldset.step>legend{font-weight:700;font-size:1.15rem;padding:0 .4rem}
.wizard .field{margin:0 0 .9rem}
.wizard .field label{display:block;font-weight:600;margin-bottom:.25rem}
.wizard input[type=text],.wizard input[type=number],.wizard textarea,.wizard select{width:100%;font:inherit;
padding:.45rem .6rem;border:1px solid #767f8f;border-radius:4px;background:var(--paper);color:var(--ink)}
.wizard textarea{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9rem;resize:vertical}
.wizard select{max-width:36rem}
.wizard input.percent{width:8rem}
.wizard [aria-invalid=true]{border:2px solid var(--bad)}
.wizard :focus-visible,.draft-page :focus-visible{outline:3px solid var(--brand);outline-offset:2px}
.wizard .field-error{color:var(--bad);font-weight:600;margin:.3rem 0 0}
.wizard .count{font-weight:600;margin:.25rem 0}
.wizard .versions{display:grid;grid-template-columns:repeat(auto-fit,minmax(20rem,1fr));gap:1rem}
.wizard fieldset.version,.wizard fieldset.category{border:1px solid var(--line);border-radius:6px;padding:.5rem 1rem 1rem;
margin:0;min-width:0}
.wizard fieldset.version>legend,.wizard fieldset.category>legend{font-weight:700;padding:0 .3rem}
.wizard .categories{display:grid;grid-template-columns:repeat(auto-fit,minmax(17rem,1fr));gap:1rem}
.wizard .product{display:flex;gap:.6rem;align-items:flex-start;padding:.5rem 0;border-bottom:1px solid var(--line)}
.wizard .product:last-child{border-bottom:0}
.wizard .product input{margin-top:.35rem;width:1.1rem;height:1.1rem;flex:none}
.wizard .product label{cursor:pointer}
.wizard .product .name{font-weight:600;display:block}
.wizard .product .outlook:empty{display:none}
.wizard fieldset.placeholders{border:0;padding:0;margin:.25rem 0 0;display:flex;flex-wrap:wrap;gap:.4rem}
.wizard fieldset.placeholders legend{font-weight:600;font-size:.9rem;color:var(--muted);margin-bottom:.3rem;padding:0}
.wizard button.chip{font:inherit;font-size:.85rem;border:1px solid var(--line);background:var(--soft);color:var(--ink);
border-radius:6px;padding:.2rem .5rem;cursor:pointer;text-align:left}
.wizard button.chip code{font-size:.85rem;color:var(--brand);font-weight:600}
.wizard button.chip .sub{font-size:.78rem}
.wizard .advice:empty{display:none}
.wizard .advice{padding:.6rem .8rem;border-left:4px solid var(--good);background:#eef7f0}
.wizard .advice.warning{border-left-color:var(--control);background:#fdf3e1;font-weight:600}
.wizard .actions,.draft-page .actions{display:flex;gap:1rem;align-items:center;flex-wrap:wrap}
.wizard button.primary,.draft-page button,.draft-page a.button{font:inherit;font-weight:600;border-radius:6px;
padding:.5rem 1.1rem;cursor:pointer;border:1px solid var(--brand);background:var(--paper);color:var(--brand);
text-decoration:none;display:inline-block}
.wizard button.primary,.draft-page button.primary{background:var(--brand);color:var(--brand-ink)}
.problems{border-left:4px solid var(--bad)}
.problems h2{font-size:1.05rem;margin:0 0 .5rem}
.draft-page .notice{font-weight:600}
.draft-page .notice.done{border-left:4px solid var(--good)}
.draft-page .notice.warning,.draft-page .sent-back,.draft-panel .sent-back{border-left:4px solid var(--control);background:#fdf3e1}
.draft-panel .sent-back{padding:.6rem .8rem}
.draft-page .waiting{border-left:4px solid #d9b04a}
.draft-page nav.languages{display:flex;flex-wrap:wrap;gap:.4rem;margin-bottom:.75rem}
.draft-page nav.languages a{padding:.3rem .9rem;border:1px solid var(--line);border-radius:999px;text-decoration:none;color:var(--ink)}
.draft-page nav.languages a[aria-current=page]{background:var(--brand);border-color:var(--brand);color:var(--brand-ink);font-weight:700}
.draft-page iframe.email{display:block;width:100%;height:34rem;border:1px solid var(--line);border-radius:6px;
background:#f2f4f7;margin:.75rem 0}
.draft-page pre.email-text{white-space:pre-wrap;word-break:break-word;background:var(--soft);padding:.75rem;
border-radius:6px;font-size:.85rem;max-height:20rem;overflow:auto}
.draft-page details summary{cursor:pointer;color:var(--brand);font-weight:600}
.draft-page h1 .badge{vertical-align:middle;font-size:.95rem}
@media (max-width:600px){.wizard .versions,.wizard .categories{grid-template-columns:1fr}
.draft-page iframe.email{height:32rem}.wizard fieldset.step{padding:.75rem}}
`;

/**
 * The wizard's script: after a segment is chosen, its count and, for each product, how many
 * would be offered it and who is held back (GET /console/campaigns/new/outlook, in the person's
 * words); the control group's expected size and its warning as the share is typed (the same rule
 * as controlAdvice in editor-page.tsx, with the page's own words); and the personal fields
 * inserted where the cursor is in the subject or body last used. The form works without it: the
 * server shows the same when it shows the form again.
 */
export const CAMPAIGN_EDITOR_SCRIPT = `(() => {
  const form = document.querySelector("form.wizard");
  if (!form) return;
  const numbers = new Intl.NumberFormat(document.documentElement.lang);
  const decimals = new Intl.NumberFormat(document.documentElement.lang, { maximumFractionDigits: 1 });
  const fill = (words, params) => words.replace(/\\{(\\w+)\\}/g, (whole, name) => (name in params ? params[name] : whole));
  const segment = form.querySelector("[data-segment]");
  const countLine = document.getElementById("segment-count");
  const advice = document.getElementById("control-advice");
  const percent = form.querySelector("input[name=controlGroupPercent]");
  const noOutlook = form.querySelector("[data-no-outlook]");
  // "Count exactly": the chosen segment counted as a preview run on the queue, its status polled.
  const exactBox = form.querySelector("[data-count-exactly]");
  const exactButton = exactBox.querySelector("button");
  const exactStatus = document.getElementById("count-exactly-status");
  let counting = 0;
  const follow = (statusUrl, mine) => {
    const poll = async () => {
      if (mine !== counting) return;
      try {
        const response = await fetch(statusUrl, { credentials: "same-origin", headers: { accept: "application/json" } });
        if (!response.ok || !(response.headers.get("content-type") || "").includes("json")) throw new Error("status");
        const body = await response.json();
        if (mine !== counting) return;
        exactStatus.textContent = body.text;
        if (body.status !== "done") setTimeout(poll, 1500);
      } catch {
        if (mine === counting) exactStatus.textContent = form.dataset.countFailed;
      }
    };
    poll();
  };
  exactButton.addEventListener("click", async (event) => {
    event.preventDefault();
    const segmentId = segment.value;
    if (!segmentId) return;
    const mine = ++counting;
    exactStatus.textContent = form.dataset.countStarting;
    try {
      const response = await fetch(exactButton.dataset.countUrl + encodeURIComponent(segmentId) + "/counts.json", {
        method: "POST",
        credentials: "same-origin",
        headers: {
          "content-type": "application/json",
          accept: "application/json",
          "x-csrf-token": form.querySelector("input[name=csrf]").value,
        },
        body: "{}",
      });
      if (response.status !== 202) throw new Error("start");
      follow((await response.json()).statusUrl, mine);
    } catch {
      if (mine === counting) exactStatus.textContent = form.dataset.countFailed;
    }
  });

  const eligible = () => {
    const chosen = form.querySelector("input[name='offer.productCode']:checked");
    if (chosen && chosen.dataset.eligible !== undefined) return Number(chosen.dataset.eligible);
    return countLine.dataset.count !== undefined ? Number(countLine.dataset.count) : undefined;
  };
  const advise = () => {
    const typed = percent.value.trim();
    const share = Number(typed);
    let words = "";
    let small = false;
    if (typed !== "" && Number.isFinite(share) && share >= 0 && share <= 50) {
      if (share === 0) {
        words = advice.dataset.none;
        small = true;
      } else {
        const of = eligible();
        if (of !== undefined) {
          const control = Math.round((of * share) / 100);
          const expected = control * Number(advice.dataset.rate);
          const tooFew = control < Number(advice.dataset.minimum);
          const fewConversions = !tooFew && expected < Number(advice.dataset.conversions);
          small = tooFew || fewConversions;
          words = fill(
            tooFew ? advice.dataset.tooSmall : fewConversions ? advice.dataset.fewConversions : advice.dataset.expected,
            {
              control: numbers.format(control),
              eligible: numbers.format(of),
              expected: decimals.format(expected),
              minimum: tooFew ? advice.dataset.minimum : advice.dataset.conversions,
            },
          );
        }
      }
    }
    advice.textContent = words;
    advice.classList.toggle("warning", small);
  };

  let asked = 0;
  const lookUp = async () => {
    const segmentId = segment.value;
    const mine = ++asked;
    for (const line of form.querySelectorAll("[data-outlook-product]")) line.textContent = "";
    for (const input of form.querySelectorAll("input[data-eligible]")) delete input.dataset.eligible;
    delete countLine.dataset.count;
    counting++;
    exactStatus.textContent = "";
    exactBox.hidden = true;
    countLine.textContent = segmentId ? form.dataset.counting : "";
    noOutlook.hidden = false;
    advise();
    if (!segmentId) return;
    try {
      const response = await fetch(form.dataset.outlookUrl + "?segmentId=" + encodeURIComponent(segmentId), {
        headers: { accept: "application/json" },
        credentials: "same-origin",
      });
      if (mine !== asked) return;
      if (!response.ok) {
        countLine.textContent = "";
        return;
      }
      const outlook = await response.json();
      countLine.dataset.count = String(outlook.count);
      countLine.textContent = outlook.countText;
      exactBox.hidden = outlook.exact;
      exactButton.setAttribute("formaction", exactButton.dataset.countUrl + encodeURIComponent(segmentId) + "/counts");
      noOutlook.hidden = true;
      for (const [code, product] of Object.entries(outlook.products)) {
        const input = document.getElementById("product-" + code);
        if (input) input.dataset.eligible = String(product.eligible);
        const line = form.querySelector('[data-outlook-product="' + code + '"]');
        if (line) line.textContent = product.text;
      }
    } catch {
      if (mine === asked) countLine.textContent = "";
    }
    advise();
  };
  segment.addEventListener("change", lookUp);
  form.addEventListener("change", (event) => {
    if (event.target.name === "offer.productCode") advise();
  });
  percent.addEventListener("input", advise);

  // The subject or body of each version last used: a personal field goes in where its cursor was.
  const lastUsed = {};
  form.addEventListener("focusin", (event) => {
    const field = event.target.closest("[data-insertable]");
    if (field) lastUsed[field.closest("[data-version]").dataset.version] = field;
  });
  form.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-insert]");
    if (!button) return;
    const version = button.closest("[data-version]").dataset.version;
    const field = lastUsed[version] || document.getElementById(button.dataset.into);
    const start = field.selectionStart ?? field.value.length;
    const end = field.selectionEnd ?? start;
    field.setRangeText(button.dataset.insert, start, end, "end");
    field.focus();
  });
})();
`;
