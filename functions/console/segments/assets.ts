/** This area's part of the console's one stylesheet (no style attributes: the CSP allows none). */
export const SEGMENTS_STYLE = `
.seg-head{display:flex;flex-wrap:wrap;align-items:center;justify-content:space-between;gap:.5rem 1rem}
.seg-button{display:inline-block;font:inherit;font-weight:600;background:var(--brand);color:var(--brand-ink);
border:1px solid var(--brand);border-radius:6px;padding:.45rem 1rem;text-decoration:none;cursor:pointer}
.seg-button.secondary{background:var(--paper);color:var(--brand);padding:.3rem .75rem;font-size:.95rem}
.seg-button.quiet{background:transparent;border-color:transparent;color:var(--bad);padding:.3rem .5rem;font-weight:400;
text-decoration:underline;font-size:.95rem}
.seg-button:focus-visible{outline:3px solid #f0a500;outline-offset:2px}
.seg-layout{display:grid;grid-template-columns:minmax(0,1fr) 22rem;gap:1rem;align-items:start}
.seg-preview{position:sticky;top:1rem}
.seg-form input,.seg-form select,.seg-form textarea{font:inherit;padding:.35rem .5rem;border:1px solid #7b8494;
border-radius:4px;background:var(--paper);color:var(--ink);max-width:100%}
.seg-form input[type=checkbox]{padding:0}
.seg-form input[readonly]{background:var(--soft)}
#seg-name,#seg-rule-json{width:100%}
.seg-label{display:block;font-weight:600;margin-bottom:.25rem}
.seg-group{border:1px solid var(--line);border-left:4px solid var(--brand);border-radius:6px;padding:.6rem .75rem;
margin:.5rem 0;background:#f7f9fc}
.seg-group .seg-group{background:var(--paper)}
.seg-group .seg-group .seg-group{background:#f7f9fc}
.seg-group.seg-none{border-left-color:var(--bad)}
.seg-group.seg-any{border-left-color:var(--control)}
.seg-group-head{display:flex;flex-wrap:wrap;gap:.35rem .6rem;align-items:center}
.seg-group-head label{font-weight:600}
.seg-group-head .seg-remove{margin-left:auto}
.seg-leaf{display:flex;flex-wrap:wrap;gap:.5rem .75rem;align-items:flex-end;padding:.6rem .7rem;border:1px solid var(--line);
border-radius:6px;background:var(--paper);margin:.5rem 0}
.seg-leaf.seg-warned{border-color:#b86e00;background:#fff8e6}
.seg-leaf .seg-remove{margin-left:auto}
.seg-field{display:flex;flex-direction:column;gap:.15rem;min-width:0}
.seg-field label,.seg-checks legend,.seg-field .sub{font-size:.85rem;color:var(--muted)}
.seg-checks{border:0;padding:0;margin:0;display:flex;flex-wrap:wrap;gap:.25rem .9rem;min-width:0}
.seg-checks legend{padding:0;margin-bottom:.15rem;width:100%}
.seg-checks label{display:inline-flex;gap:.35rem;align-items:center;color:var(--ink);font-size:1rem}
.seg-empty{margin:.4rem 0;color:var(--muted)}
.seg-actions{display:flex;flex-wrap:wrap;gap:.5rem;margin-top:.4rem}
.seg-count{font-size:1.5rem;font-weight:700;margin:.25rem 0}
.seg-preview[aria-busy=true] .seg-count{color:var(--muted)}
.seg-preview h3{font-size:1rem;margin:1rem 0 .35rem}
.seg-preview dl.facts{grid-template-columns:1fr max-content}
.seg-preview dl.facts dd{text-align:right;font-variant-numeric:tabular-nums}
.seg-warnings{background:#fff8e6;border:1px solid #d9a441;border-radius:6px;padding:.5rem .75rem;margin:.75rem 0}
.seg-warnings h3{margin-top:.25rem}
.seg-warnings ul{margin:.25rem 0;padding-left:1.1rem}
.seg-warnings li{margin:.3rem 0}
.seg-notice{background:#e4f4e7;border:1px solid #9fd0a8;border-radius:6px;padding:.5rem .75rem}
.seg-problems{border-color:var(--bad)}
.seg-problems h2{color:var(--bad)}
.seg-latest,.seg-shown{margin-left:.5rem;font-size:.8rem}
.seg-shown{background:#e3efff;border-color:#9cc0ef}
.seg-sample{font-size:.9rem}
.seg-sample th,.seg-sample td{padding:.3rem .4rem}
.seg-sample .seg-id{white-space:nowrap}
.seg-mini{display:none}
@media (max-width:900px){.seg-layout{grid-template-columns:minmax(0,1fr)}.seg-preview{position:static}
.seg-mini:not(:empty){display:block;position:sticky;bottom:.5rem;margin:.75rem 0 0;padding:.5rem .75rem;border-radius:6px;
background:var(--ink);color:var(--paper);font-weight:700;text-align:center}}
@media (max-width:600px){.seg-leaf{flex-direction:column;align-items:stretch}
.seg-leaf .seg-remove,.seg-group-head .seg-remove{margin-left:0;align-self:flex-start}
.seg-field select,.seg-field input:not([type=checkbox]){width:100%}
.seg-group{padding:.5rem}.seg-group .seg-group{margin-left:0}
.seg-preview dl.facts{grid-template-columns:1fr max-content}.seg-preview dl.facts dt{margin-top:0}}
`;

/**
 * This area's script, served as its own asset; a page that needs it links ASSETS.segments.
 *
 * The builder: it keeps the rule as a tree of groups (all of, any of, none of) and conditions,
 * draws it into #seg-builder from the page's data-builder attribute (the rule, the choices in
 * the person's language, the words), writes the rule as JSON into the form's hidden `rule`
 * field on every change, and 400 ms after the last change asks the console for a preview (a
 * JSON POST with the session's CSRF token in x-csrf-token). No framework, no inline handler,
 * no style attribute: the CSP allows none, so state shows as classes.
 */
export const SEGMENTS_SCRIPT = String.raw`(() => {
  "use strict";
  // An exact count (a preview run on the queue): its status polled until it is done, the
  // status line replaced each time (a live region); wanted() says whether it still matters.
  function follow(statusUrl, status, wanted, failed) {
    const poll = async () => {
      if (!wanted()) return;
      try {
        const response = await fetch(statusUrl, { credentials: "same-origin", redirect: "manual", headers: { accept: "application/json" } });
        const type = response.headers.get("content-type") || "";
        if (!response.ok || !type.includes("json")) return failed();
        const body = await response.json();
        if (!wanted()) return;
        status.textContent = body.text;
        if (body.status !== "done") setTimeout(poll, 1500);
      } catch (error) {
        if (wanted()) failed();
      }
    };
    poll();
  }
  const exactPage = document.getElementById("seg-exact-page");
  if (exactPage) {
    const status = document.getElementById("seg-exact-status");
    const refresh = exactPage.querySelector("a");
    if (refresh) refresh.parentElement.remove(); // the status moves on its own now
    setTimeout(() => follow(exactPage.dataset.statusUrl, status, () => true, () => {}), 1500);
    return;
  }
  const root = document.getElementById("seg-builder");
  if (!root) return;
  const data = JSON.parse(root.dataset.builder);
  const W = data.words;
  const fill = (text, params) => text.replace(/\{(\w+)\}/g, (whole, key) => (key in params ? String(params[key]) : whole));
  const numbers = new Intl.NumberFormat(document.documentElement.lang);
  const form = document.getElementById("seg-form");
  const panel = document.querySelector(".seg-preview");
  const previewBox = document.getElementById("seg-preview");
  const attrs = Object.fromEntries(data.attrs.map((a) => [a.value, a]));
  const labelOf = (list, value) => (list.find((o) => o.value === value) || { label: value }).label;
  const KINDS = ["attr", "holds", "lacks", "holdsCategory", "lacksCategory", "tierMoved", "consented", "contactedWithinDays", "answered"];
  const OPS = {
    enum: ["eq", "ne", "in", "not_in", "exists"],
    text: ["eq", "ne", "in", "not_in", "exists"],
    number: ["eq", "ne", "gt", "gte", "lt", "lte", "between", "exists"],
    boolean: ["eq", "exists"],
  };
  const MAX_GROUP_LEVEL = 5;
  let seq = 0;
  let pendingFocus = null;
  let warnings = [];

  // --- the tree ------------------------------------------------------------------------------
  const group = (mode, children) => ({ id: ++seq, type: "group", mode, children });
  const leaf = (rule) => ({ id: ++seq, type: "leaf", rule });
  const kindOf = (rule) => KINDS.find((k) => k in rule) || "attr";
  function fromRule(rule) {
    if (rule.all) return group("all", rule.all.map(fromRule));
    if (rule.any) return group("any", rule.any.map(fromRule));
    if (rule.not) return group("not", (rule.not.any || [rule.not]).map(fromRule));
    return leaf(JSON.parse(JSON.stringify(rule)));
  }
  function toRule(node) {
    if (node.type === "leaf") return node.rule;
    const children = node.children.map(toRule).filter(Boolean);
    if (children.length === 0) return null;
    if (node.mode === "not") return { not: children.length === 1 ? children[0] : { any: children } };
    return { [node.mode]: children };
  }
  const filled = (v) => v !== "" && v !== null && v !== undefined && !(typeof v === "number" && !Number.isFinite(v));
  function complete(node) {
    if (node.type === "group") return node.children.every(complete);
    const r = node.rule;
    const kind = kindOf(r);
    if (kind === "tierMoved") return Number.isInteger(r.withinDays) && r.withinDays > 0;
    if (kind === "contactedWithinDays") return Number.isInteger(r.contactedWithinDays) && r.contactedWithinDays > 0;
    if (kind !== "attr") return filled(r[kind]);
    if (r.op === "between") return Array.isArray(r.value) && filled(r.value[0]) && filled(r.value[1]);
    if (r.op === "in" || r.op === "not_in") return Array.isArray(r.value) && r.value.length > 0;
    return filled(r.value);
  }
  function defaultValue(attr, op) {
    const kind = attrs[attr].kind;
    if (op === "exists") return true;
    if (op === "in" || op === "not_in") return [];
    if (op === "between") return ["", ""];
    if (kind === "boolean") return true;
    return "";
  }
  function newLeaf(kind) {
    switch (kind) {
      case "attr": return { attr: "region", op: "eq", value: "" };
      case "tierMoved": return { tierMoved: "up", withinDays: 30 };
      case "contactedWithinDays": return { contactedWithinDays: 30 };
      case "consented": return { consented: "email" };
      default: return { [kind]: "" };
    }
  }
  const initial = data.rule ? fromRule(data.rule) : group("all", []);
  const tree = initial.type === "group" ? initial : group("all", [initial]);

  // --- drawing -------------------------------------------------------------------------------
  function el(tag, attributes, ...children) {
    const element = document.createElement(tag);
    for (const [key, value] of Object.entries(attributes || {})) {
      if (value === false || value === null || value === undefined) continue;
      if (key === "class") element.className = value;
      else if (key === "text") element.textContent = value;
      else if (key === "value") element.value = value;
      else if (key === "checked" || key === "disabled" || key === "selected") element[key] = Boolean(value);
      else if (key.startsWith("on")) element.addEventListener(key.slice(2), value);
      else element.setAttribute(key, value === true ? "" : String(value));
    }
    for (const child of children.flat(Infinity)) if (child !== null && child !== undefined && child !== false) element.append(child);
    return element;
  }
  const readOnly = Boolean(data.readOnly);
  function field(id, label, control, help) {
    const helpId = help ? id + "-help" : null;
    if (helpId) control.setAttribute("aria-describedby", helpId);
    return el("div", { class: "seg-field" }, el("label", { for: id, text: label }), control, help ? el("span", { class: "sub", id: helpId, text: help }) : null);
  }
  function select(id, options, value, onChange, placeholder) {
    const s = el("select", { id, disabled: readOnly, onchange: (e) => onChange(e.target.value) },
      placeholder ? el("option", { value: "", text: placeholder }) : null,
      options.map((o) => el("option", { value: o.value, text: o.label })));
    s.value = value === undefined || value === null ? "" : String(value);
    return s;
  }
  const numberOrBlank = (text) => (text.trim() === "" ? "" : Number(text));
  function numberInput(id, value, onInput, min) {
    return el("input", { id, type: "number", inputmode: "decimal", min, value: value === "" || value === undefined ? "" : String(value),
      disabled: readOnly, oninput: (e) => onInput(numberOrBlank(e.target.value)) });
  }
  function textInput(id, value, onInput, list) {
    return el("input", { id, type: "text", value: value || "", list, autocomplete: "off", disabled: readOnly,
      oninput: (e) => onInput(e.target.value) });
  }
  const warned = (rule) => warnings.some((w) => {
    if (w.attr === "product") return rule.holds === w.value || rule.lacks === w.value;
    if (rule.attr !== w.attr) return false;
    return Array.isArray(rule.value) ? rule.value.includes(w.value) : rule.value === w.value;
  });

  function valueEditor(node, id) {
    const r = node.rule;
    const a = attrs[r.attr];
    const set = (v) => { r.value = v; changed(); };
    if (r.op === "exists" || a.kind === "boolean")
      return field(id, W["leaf.value"], select(id, [{ value: "true", label: W["leaf.yes"] }, { value: "false", label: W["leaf.no"] }],
        String(r.value), (v) => set(v === "true")));
    if (r.op === "between")
      return [
        field(id, W["leaf.from"], numberInput(id, r.value[0], (v) => { r.value[0] = v; changed(); })),
        field(id + "-to", W["leaf.to"], numberInput(id + "-to", r.value[1], (v) => { r.value[1] = v; changed(); })),
      ];
    if (a.kind === "number") return field(id, W["leaf.value"], numberInput(id, r.value, set));
    const many = r.op === "in" || r.op === "not_in";
    if (a.kind === "enum" && many)
      return el("fieldset", { class: "seg-checks", id },
        el("legend", { text: W["leaf.values"] }),
        a.values.map((o) => el("label", {},
          el("input", { type: "checkbox", value: o.value, checked: r.value.includes(o.value), disabled: readOnly,
            onchange: (e) => {
              const chosen = new Set(r.value);
              if (e.target.checked) chosen.add(o.value); else chosen.delete(o.value);
              set(a.values.map((v) => v.value).filter((v) => chosen.has(v)));
            } }),
          o.label)));
    if (a.kind === "enum") return field(id, W["leaf.value"], select(id, a.values, r.value, set, W["leaf.choose"]));
    const listId = a.suggest && a.suggest.length ? id + "-known" : undefined;
    const known = listId ? el("datalist", { id: listId }, a.suggest.map((o) => el("option", { value: o.value, label: o.label }))) : null;
    if (many)
      return [field(id, W["leaf.values"], textInput(id, r.value.join(", "), (text) =>
        set(text.split(/[,，]/).map((s) => s.trim()).filter(Boolean))), W["leaf.listHelp"])];
    return [field(id, W["leaf.value"], textInput(id, r.value, set, listId)), known];
  }

  function leafEditors(node) {
    const r = node.rule;
    const kind = kindOf(r);
    const id = "n" + node.id;
    const setKey = (key, parse) => (v) => { r[key] = parse ? parse(v) : v; changed(); };
    switch (kind) {
      case "attr": {
        const a = attrs[r.attr];
        return [
          field(id + "-attr", W["leaf.attribute"], select(id + "-attr", data.attrs, r.attr, (attr) => {
            const ops = OPS[attrs[attr].kind];
            r.attr = attr;
            if (!ops.includes(r.op)) r.op = ops[0];
            r.value = defaultValue(attr, r.op);
            redraw(id + "-attr");
          })),
          field(id + "-op", W["leaf.operator"], select(id + "-op", OPS[a.kind].map((op) => ({ value: op, label: W["op." + op] })), r.op, (op) => {
            const wasMany = r.op === "in" || r.op === "not_in";
            const isMany = op === "in" || op === "not_in";
            const keep = wasMany === isMany && op !== "between" && r.op !== "between" && op !== "exists" && r.op !== "exists";
            r.op = op;
            if (!keep) r.value = defaultValue(r.attr, op);
            redraw(id + "-op");
          })),
          valueEditor(node, id + "-value"),
        ];
      }
      case "holds":
      case "lacks":
        return [field(id + "-value", W["leaf.product"], select(id + "-value", data.products, r[kind], setKey(kind), W["leaf.choose"]))];
      case "holdsCategory":
      case "lacksCategory":
        return [field(id + "-value", W["leaf.category"], select(id + "-value", data.categories, r[kind], setKey(kind), W["leaf.choose"]))];
      case "tierMoved":
        return [
          field(id + "-value", W["leaf.direction"], select(id + "-value", data.directions, r.tierMoved, setKey("tierMoved"))),
          field(id + "-days", W["leaf.days"], numberInput(id + "-days", r.withinDays, setKey("withinDays"), 1)),
        ];
      case "consented":
        return [field(id + "-value", W["leaf.consentTo"], select(id + "-value", data.consentTo, r.consented, setKey("consented")))];
      case "contactedWithinDays":
        return [field(id + "-value", W["leaf.days"], numberInput(id + "-value", r.contactedWithinDays, setKey("contactedWithinDays"), 1))];
      case "answered":
        return [
          field(id + "-value", W["leaf.campaign"], textInput(id + "-value", r.answered, setKey("answered"), data.campaigns.length ? id + "-campaigns" : undefined), W["leaf.campaignHelp"]),
          data.campaigns.length ? el("datalist", { id: id + "-campaigns" }, data.campaigns.map((o) => el("option", { value: o.value, label: o.label }))) : null,
          field(id + "-answer", W["leaf.answer"], select(id + "-answer", [{ value: "", label: W["leaf.anyAnswer"] }].concat(data.answers),
            r.answer || "", (v) => { if (v) r.answer = v; else delete r.answer; changed(); })),
        ];
    }
    return [];
  }

  function drawLeaf(node, parent, index) {
    const id = "n" + node.id;
    return el("div", { class: "seg-leaf" + (warned(node.rule) ? " seg-warned" : ""), role: "group", id,
        "aria-label": W["leaf.label"] + " " + (index + 1) },
      field(id + "-kind", W["leaf.kind"], select(id + "-kind", KINDS.map((k) => ({ value: k, label: W["kind." + k] })), kindOf(node.rule), (kind) => {
        node.rule = newLeaf(kind);
        redraw(id + "-kind");
      })),
      leafEditors(node),
      readOnly ? null : el("button", { type: "button", class: "seg-button quiet seg-remove", id: id + "-remove",
        "aria-label": W["leaf.remove"] + " " + (index + 1), text: W["leaf.remove"],
        onclick: () => { parent.children.splice(parent.children.indexOf(node), 1); redraw("n" + parent.id + "-add"); } }));
  }

  function drawGroup(node, parent, level) {
    const id = "n" + node.id;
    const modes = ["all", "any", "not"].map((m) => ({ value: m, label: W["group." + m] }));
    return el("div", { class: "seg-group seg-" + (node.mode === "not" ? "none" : node.mode), role: "group", id,
        "aria-label": fill(W["group.label"], { level }) },
      el("div", { class: "seg-group-head" },
        el("label", { for: id + "-mode", text: W["group.mode"] }),
        select(id + "-mode", modes, node.mode, (mode) => { node.mode = mode; redraw(id + "-mode"); }),
        parent && !readOnly ? el("button", { type: "button", class: "seg-button quiet seg-remove", text: W["group.remove"],
          onclick: () => { parent.children.splice(parent.children.indexOf(node), 1); redraw("n" + parent.id + "-add"); } }) : null),
      node.children.length === 0 ? el("p", { class: "seg-empty", text: W["group.empty"] }) : null,
      node.children.map((child, i) => (child.type === "group" ? drawGroup(child, node, level + 1) : drawLeaf(child, node, i))),
      readOnly ? null : el("div", { class: "seg-actions" },
        el("button", { type: "button", class: "seg-button secondary", id: id + "-add", text: "+ " + W["group.addCondition"],
          onclick: () => { const added = leaf(newLeaf("attr")); node.children.push(added); redraw("n" + added.id + "-kind"); } }),
        level < MAX_GROUP_LEVEL ? el("button", { type: "button", class: "seg-button secondary", id: id + "-addGroup", text: "+ " + W["group.addGroup"],
          onclick: () => { const added = group("any", [leaf(newLeaf("attr"))]); node.children.push(added); redraw("n" + added.id + "-mode"); } }) : null));
  }

  let hidden = null;
  if (form && !readOnly) {
    hidden = el("input", { type: "hidden", name: "rule" });
    form.append(hidden);
  }
  function draw() {
    root.replaceChildren(drawGroup(tree, null, 1));
    if (pendingFocus) {
      const target = document.getElementById(pendingFocus);
      if (target) target.focus();
      pendingFocus = null;
    }
  }
  function redraw(focusId) {
    pendingFocus = focusId;
    draw();
    changed();
  }

  // --- the preview ---------------------------------------------------------------------------
  const count = el("p", { class: "seg-count", "aria-live": "polite" });
  const details = el("div", {});
  // What an estimate rests on, and Count exactly, right under the count they are about.
  const basis = el("p", { class: "sub", hidden: true });
  const exactBox = document.getElementById("seg-exact");
  previewBox.replaceChildren(count, basis, ...(exactBox ? [exactBox] : []), details);
  // On a phone the preview sits below the builder: a copy of the count stays in sight at the foot
  // of the form while the person edits (hidden from screen readers, which hear the live region).
  const mini = el("p", { class: "seg-mini", "aria-hidden": "true" });
  if (form && !readOnly) {
    const submit = form.querySelector("button[type=submit]");
    form.insertBefore(mini, submit ? submit.parentElement : null);
  }
  new MutationObserver(() => { mini.textContent = count.textContent; }).observe(count, { childList: true, characterData: true, subtree: true });
  const say = (text) => {
    count.textContent = text;
    details.replaceChildren();
    basis.hidden = true;
    if (exactBox) exactBox.hidden = true;
  };

  function breakdown(title, counts, name) {
    const entries = Object.entries(counts || {});
    if (entries.length === 0) return null;
    return [el("h3", { text: title }), el("dl", { class: "facts" }, entries.map(([k, n]) => [el("dt", { text: name(k) }), el("dd", { text: numbers.format(n) })]))];
  }
  // From a part of the base, "no customer has" would claim too much: an estimate says "none of the customers read".
  function warningText(w, estimate) {
    const read = estimate ? "Read" : "";
    if (w.attr === "product") return fill(W["warning.product" + read], { product: data.productNames[w.value] || w.value });
    const params = { attr: attrs[w.attr] ? attrs[w.attr].label : w.attr, value: w.value };
    return w.suggestion
      ? fill(W["warning.near" + read], Object.assign(params, { suggestion: w.suggestion.value, count: numbers.format(w.suggestion.count) }))
      : fill(W["warning.missing" + read], params);
  }
  function useSuggestion(w) {
    let fixed = null;
    const visit = (node) => {
      if (node.type === "group") return node.children.forEach(visit);
      const r = node.rule;
      if (r.attr !== w.attr) return;
      const before = JSON.stringify(r.value);
      if (Array.isArray(r.value)) r.value = r.value.map((v) => (v === w.value ? w.suggestion.value : v));
      else if (r.value === w.value) r.value = w.suggestion.value;
      if (!fixed && JSON.stringify(r.value) !== before) fixed = node;
    };
    visit(tree);
    warnings = warnings.filter((x) => x !== w);
    redraw(fixed ? "n" + fixed.id + "-value" : null);
  }
  function show(p) {
    warnings = p.warnings || [];
    // Marked in place, not redrawn: the person may be typing in one of these conditions.
    const mark = (node) => {
      if (node.type === "group") return node.children.forEach(mark);
      const element = document.getElementById("n" + node.id);
      if (element) element.classList.toggle("seg-warned", warned(node.rule));
    };
    mark(tree);
    count.textContent = fill(W[p.exact === false ? "preview.countAbout" : "preview.count"], { count: numbers.format(p.count) });
    // An estimate says so: "about" on the count, what it rests on, and "(estimated)" on each heading.
    const estimate = p.exact === false;
    const titled = (key) => (estimate ? fill(W["preview.estimated"], { title: W[key] }) : W[key]);
    if (exactBox) exactBox.hidden = !estimate;
    basis.hidden = !estimate;
    basis.textContent = estimate ? fill(W["preview.basedOn"], {
      read: numbers.format(p.basedOn.customersRead),
      base: numbers.format(p.basedOn.customersInBase),
      share: new Intl.NumberFormat(document.documentElement.lang, { style: "percent", maximumFractionDigits: 1 }).format(p.basedOn.share),
    }) : "";
    const held = p.heldBack;
    const refused = Object.entries(held.refusedCategory || {});
    details.replaceChildren(...[
      warnings.length === 0 ? "" : el("div", { class: "seg-warnings", role: "alert" },
        el("h3", { text: W[estimate ? "preview.warningsRead" : "preview.warnings"] }),
        el("ul", {}, warnings.map((w) => el("li", {}, warningText(w, estimate), " ",
          w.suggestion && !readOnly ? el("button", { type: "button", class: "seg-button secondary", text: fill(W["warning.use"], { suggestion: w.suggestion.value }),
            onclick: () => useSuggestion(w) }) : null)))),
      breakdown(titled("preview.byTier"), p.byTier, (k) => labelOf(data.tiers, k)),
      breakdown(titled("preview.byRegion"), p.byRegion, (k) => k),
      breakdown(titled("preview.byLanguage"), p.byLanguage, (k) => W["language." + k] || k),
      el("h3", { text: titled("preview.heldBack") }),
      el("p", { text: fill(W["preview.heldBackTotal"], { count: numbers.format(held.total) }) }),
      el("dl", { class: "facts" },
        el("dt", { text: W["preview.noEmailConsent"] }), el("dd", { text: numbers.format(held.noEmailConsent) }),
        el("dt", { text: W["preview.unsubscribed"] }), el("dd", { text: numbers.format(held.unsubscribed) }),
        el("dt", { text: W["preview.noEmailAddress"] }), el("dd", { text: numbers.format(held.noEmailAddress) }),
        el("dt", { text: W["preview.addressBounced"] }), el("dd", { text: numbers.format(held.addressBounced || 0) }),
        refused.map(([category, n]) => [el("dt", { text: fill(W["preview.refusedCategory"], { category: labelOf(data.refusable, category) }) }), el("dd", { text: numbers.format(n) })])),
      el("p", { class: "sub", text: W["preview.heldBackNote"] }),
      p.sample.length === 0 ? "" : [
        el("h3", { text: W["preview.sample"], id: "seg-sample-title" }),
        el("div", { class: "scroll", tabindex: "0", role: "region", "aria-labelledby": "seg-sample-title" },
          el("table", { class: "seg-sample" },
            el("thead", {}, el("tr", {}, [W["preview.sampleId"], W["preview.sampleName"], W["preview.sampleTier"] + " · " + W["preview.sampleRegion"]].map((h) => el("th", { scope: "col", text: h })))),
            el("tbody", {}, p.sample.map((m) => el("tr", {},
              el("td", { class: "seg-id", text: m.customerId }), el("td", { text: m.name }),
              el("td", {}, labelOf(data.tiers, m.tier || "corporate"), el("span", { class: "sub", text: m.region }))))))),
      ],
    ].flat(Infinity).filter(Boolean));
  }

  let timer = null;
  let asked = 0;
  // "Count exactly": the rule shown, counted as a preview run on the queue, its status polled.
  let counting = 0;
  const exactButton = document.getElementById("seg-exact-button");
  const exactStatus = document.getElementById("seg-exact-status");
  if (exactButton) exactButton.addEventListener("click", async (event) => {
    event.preventDefault();
    const rule = toRule(tree);
    if (!rule || !complete(tree)) return;
    const mine = ++counting;
    const failed = () => { if (mine === counting) exactStatus.textContent = W["exact.failed"]; };
    exactStatus.textContent = W["exact.starting"];
    // The rule as saved is counted as the segment's own run, which the wizard and the review show.
    const asSaved = data.segmentCountUrl && JSON.stringify(rule) === savedRule;
    try {
      const response = await fetch(asSaved ? data.segmentCountUrl : data.countUrl, {
        method: "POST",
        credentials: "same-origin",
        redirect: "manual",
        headers: { "content-type": "application/json", accept: "application/json", "x-csrf-token": data.csrf },
        body: JSON.stringify(asSaved ? {} : { rule }),
      });
      const type = response.headers.get("content-type") || "";
      if (response.status !== 202 || !type.includes("json")) return failed();
      const body = await response.json();
      follow(body.statusUrl, exactStatus, () => mine === counting, failed);
    } catch (error) {
      failed();
    }
  });
  async function ask() {
    counting++; // an exact count of the rule as it was no longer answers what is shown
    if (exactStatus) exactStatus.textContent = "";
    const rule = toRule(tree);
    if (!rule) return say(W["preview.empty"]);
    if (!complete(tree)) return say(W["preview.incomplete"]);
    const mine = ++asked;
    panel.setAttribute("aria-busy", "true");
    try {
      const response = await fetch(data.previewUrl, {
        method: "POST",
        credentials: "same-origin",
        redirect: "manual",
        headers: { "content-type": "application/json", accept: "application/json", "x-csrf-token": data.csrf },
        body: JSON.stringify({ rule }),
      });
      if (mine !== asked) return;
      const type = response.headers.get("content-type") || "";
      if (response.type === "opaqueredirect" || response.status === 401 || response.status === 403 || !type.includes("json"))
        return say(W["preview.signedOut"]);
      const body = await response.json();
      if (mine !== asked) return;
      if (response.status === 400) return say(fill(W["preview.invalid"], { problem: body.message }));
      if (!response.ok) return say(W["preview.failed"]);
      show(body);
    } catch (error) {
      if (mine === asked) say(W["preview.failed"]);
    } finally {
      if (mine === asked) panel.removeAttribute("aria-busy");
    }
  }
  function changed() {
    const rule = toRule(tree);
    if (hidden) hidden.value = rule ? JSON.stringify(rule) : "";
    clearTimeout(timer);
    timer = setTimeout(ask, 400);
  }

  draw();
  const savedRule = JSON.stringify(toRule(tree));
  if (hidden) { const rule = toRule(tree); hidden.value = rule ? JSON.stringify(rule) : ""; }
  if (data.preview) show(data.preview);
  else say(W["preview.empty"]);
})();
`;
