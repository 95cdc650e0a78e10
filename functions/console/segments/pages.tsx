/** @jsxImportSource hono/jsx */

import { Answer } from "../../../shared/customers/answers.js";
import { Channel, ConsentCategory } from "../../../shared/customers/consent.js";
import { TierDirection } from "../../../shared/customers/history.js";
import { PRODUCT_CATALOGUE, type ProductCode } from "../../../shared/kernel/products.js";
import { Tier } from "../../../shared/kernel/tiers.js";
import type { PreviewProgress } from "../../../shared/segments/preview-jobs.js";
import type { RulePreview } from "../../../shared/segments/preview-rule.js";
import { CLOSED_VALUES, RuleAttribute, type SegmentRule } from "../../../shared/segments/rule.js";
import type { Segment } from "../../../shared/segments/segment.js";
import { ASSETS } from "../assets.js";
import { CONSOLE_CATALOGUES, type ConsoleCopyKey, t } from "../copy/say.js";
import { formatsFor } from "../format.js";
import { Layout, type View } from "../pages.js";
import { SEGMENTS_EN } from "./copy.js";

type Option = { value: string; label: string };

/** Attributes compared as numbers, and the one that is yes or no; the rest are text, some of a closed set. */
const NUMERIC: readonly RuleAttribute[] = ["aum", "productCount", "age", "deposits", "loans"];
const BOOLEAN: readonly RuleAttribute[] = ["emailConsent"];
/** Closed values whose words the catalogue has; the others (C1…C5, AAA…D) are codes a banker reads as they are. */
const WORDED = [
  "tier",
  "lifecycle",
  "language",
  "type",
  "gender",
  "companySize",
  "corporateType",
  "incomeBand",
] as const;

export const productName = (language: View["language"], code: string) => {
  const product = PRODUCT_CATALOGUE[code as ProductCode];
  return product ? (language === "zh-CN" ? product.nameZh : product.nameEn) : code;
};

/**
 * Everything the builder's script needs, handed over as one data attribute (no inline script: the
 * CSP allows none): the rule, the choices in the person's language with the values that exist
 * (from the same scan as the preview), the words, and where to ask for a preview.
 */
export function builderData(
  view: View,
  rule: SegmentRule | null,
  preview: RulePreview | null,
  existing: RulePreview["values"],
  readOnly: boolean,
  /** Recent campaigns, offered for "answered campaign" (a marketer knows them by name, the rule by id). */
  campaigns: { campaignId: string; name: string }[] = [],
  /** The saved segment shown at its latest version: its rule, unchanged, is counted as the segment's own run. */
  segmentId?: string,
) {
  const { language } = view;
  const say = (key: string) => CONSOLE_CATALOGUES[language][key as ConsoleCopyKey] ?? key;
  const counted = (n: number) => t(language, "segments.leaf.customers", { count: formatsFor(language).integer(n) });
  const words = Object.fromEntries(
    (Object.keys(SEGMENTS_EN) as ConsoleCopyKey[]).map((key) => [key.slice("segments.".length), say(key)]),
  );
  const closed = (attr: RuleAttribute): Option[] | undefined =>
    CLOSED_VALUES[attr]?.map((value) => ({
      value,
      label: (WORDED as readonly string[]).includes(attr) ? say(`segments.${attr}.${value}`) : value,
    }));
  const suggestions: Partial<Record<RuleAttribute, Option[]>> = {
    region: existing.regions.map((r) => ({ value: r.value, label: `${r.value} · ${counted(r.count)}` })),
    relationshipManager: existing.relationshipManagers.map((m) => ({
      value: m.value,
      label: `${m.name ? `${m.name} · ` : ""}${m.value} · ${counted(m.count)}`,
    })),
  };
  const held = new Map(existing.products.map((p) => [p.value, p.count]));
  return {
    rule,
    preview,
    readOnly,
    previewUrl: `${view.base}/segments/preview`,
    /** "Count exactly" with the script: JSON in, { statusUrl } out, then polled. */
    countUrl: `${view.base}/segments/counts.json`,
    /** The saved rule's own count (the wizard and the review show its latest), while the rule is as saved. */
    segmentCountUrl: segmentId ? `${view.base}/segments/${encodeURIComponent(segmentId)}/counts.json` : undefined,
    csrf: view.session?.csrfToken ?? "",
    words,
    attrs: RuleAttribute.options.map((attr) => ({
      value: attr,
      label: say(`segments.attr.${attr}`),
      kind: NUMERIC.includes(attr)
        ? "number"
        : BOOLEAN.includes(attr)
          ? "boolean"
          : CLOSED_VALUES[attr]
            ? "enum"
            : "text",
      values: closed(attr),
      suggest: suggestions[attr],
    })),
    products: (Object.keys(PRODUCT_CATALOGUE) as ProductCode[]).map((code) => ({
      value: code,
      label: `${productName(language, code)}${held.has(code) ? ` · ${counted(held.get(code) ?? 0)}` : ""}`,
    })),
    productNames: Object.fromEntries(Object.keys(PRODUCT_CATALOGUE).map((code) => [code, productName(language, code)])),
    categories: ConsentCategory.options.map((value) => ({ value, label: say(`segments.category.${value}`) })),
    consentTo: [
      ...Channel.options.map((value) => ({ value, label: say(`segments.channel.${value}`) })),
      ...ConsentCategory.options.map((value) => ({ value, label: say(`segments.category.${value}`) })),
    ],
    refusable: ConsentCategory.options.map((value) => ({ value, label: say(`segments.category.${value}`) })),
    directions: TierDirection.options.map((value) => ({ value, label: say(`segments.direction.${value}`) })),
    answers: Answer.options.map((value) => ({ value, label: say(`segments.answer.${value}`) })),
    campaigns: campaigns.map((c) => ({ value: c.campaignId, label: c.name })),
    tiers: [...Tier.options, "corporate"].map((value) => ({ value, label: say(`segments.tier.${value}`) })),
  };
}

export function SegmentListPage({ view, segments, archived }: { view: View; segments: Segment[]; archived: boolean }) {
  const { language, base } = view;
  const f = formatsFor(language);
  const filters = [
    { href: `${base}/segments`, key: "segments.list.current", current: !archived },
    { href: `${base}/segments?show=archived`, key: "segments.list.archived", current: archived },
  ] as const;
  return (
    <Layout view={view} title={t(language, "segments.list.title")}>
      <div class="seg-head">
        <h1>{t(language, "segments.list.title")}</h1>
        <a class="seg-button" href={`${base}/segments/new`}>
          {t(language, "segments.list.new")}
        </a>
      </div>
      <nav class="statuses" aria-label={t(language, "segments.list.filter")}>
        <ul>
          {filters.map((filter) => (
            <li>
              <a href={filter.href} aria-current={filter.current ? "page" : undefined}>
                {t(language, filter.key)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {segments.length === 0 ? (
        <p class="card">{t(language, archived ? "segments.list.noneArchived" : "segments.list.none")}</p>
      ) : (
        <section class="scroll" aria-label={t(language, "segments.list.scroll")}>
          <table class="list">
            <caption>{t(language, "segments.list.caption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t(language, "segments.list.name")}</th>
                <th scope="col" class="n">
                  {t(language, "segments.list.version")}
                </th>
                <th scope="col">{t(language, "segments.list.changed")}</th>
              </tr>
            </thead>
            <tbody>
              {segments.map((s) => (
                <tr>
                  <th scope="row">
                    <a href={`${base}/segments/${encodeURIComponent(s.segmentId)}`}>{s.name}</a>
                    {s.archivedAt && <span class="badge seg-latest">{t(language, "segments.archive.badge")}</span>}
                  </th>
                  <td class="n" data-label={t(language, "segments.list.version")}>
                    {f.integer(s.version)}
                  </td>
                  <td data-label={t(language, "segments.list.changed")}>
                    <span>
                      <span class="when">{f.dateTime(s.createdAt)}</span>
                      <span class="sub">{t(language, "segments.list.changedBy", { name: s.createdBy })}</span>
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </Layout>
  );
}

export type BuilderProblem = string;

/**
 * The builder: the name and the rule in a plain form that saves without JavaScript too (a JSON
 * textarea in <noscript>), the visual builder drawn by ASSETS.segments into #seg-builder, and the
 * live preview beside it. An older version opens read only.
 */
export function SegmentBuilderPage({
  view,
  latest,
  shown,
  versions,
  name,
  ruleText,
  data,
  problems,
  saved,
  usedBy = [],
  notice,
  syncCountMax,
}: {
  view: View;
  /** The segment's latest version; none for a new segment. */
  latest?: Segment;
  /** The version shown, when it is an older one (read only). */
  shown?: Segment;
  versions: Segment[];
  name: string;
  /** The rule as JSON for the no-script textarea. */
  ruleText: string;
  data: ReturnType<typeof builderData>;
  problems: BuilderProblem[];
  saved?: number;
  /** The campaigns that use the segment (none: it may be archived), and a notice of what was just done. */
  usedBy?: { campaignId: string; name: string }[];
  notice?: "segments.archive.done" | "segments.archive.undone";
  /** SYNC_COUNT_MAX_CUSTOMERS: the most customers a count reads before it is an estimate. */
  syncCountMax: number;
}) {
  const { language, base } = view;
  const f = formatsFor(language);
  const readOnly = data.readOnly;
  const title = latest ? (shown ?? latest).name : t(language, "segments.builder.newTitle");
  const action = latest ? `${base}/segments/${encodeURIComponent(latest.segmentId)}` : `${base}/segments`;
  return (
    <Layout view={view} title={title}>
      <p>
        <a href={`${base}/segments`}>{t(language, "segments.builder.back")}</a>
      </p>
      <h1>
        {title}
        {latest?.archivedAt && <span class="badge seg-latest">{t(language, "segments.archive.badge")}</span>}
      </h1>
      {notice && (
        <p class="seg-notice" role="status">
          {t(language, notice)}
        </p>
      )}
      {saved !== undefined && (
        <p class="seg-notice" role="status">
          {t(language, "segments.builder.saved", { version: f.integer(saved) })}
        </p>
      )}
      {shown && latest && (
        <p class="seg-notice">
          {t(language, "segments.versions.reading", {
            version: f.integer(shown.version),
            latest: f.integer(latest.version),
          })}{" "}
          <a href={`${base}/segments/${encodeURIComponent(latest.segmentId)}`}>
            {t(language, "segments.versions.toLatest")}
          </a>
        </p>
      )}
      {problems.length > 0 && (
        <section class="card seg-problems" role="alert" aria-labelledby="seg-problems">
          <h2 id="seg-problems">{t(language, "segments.error.title")}</h2>
          <ul>
            {problems.map((p) => (
              <li>{p}</li>
            ))}
          </ul>
        </section>
      )}
      <div class="seg-layout">
        <form class="card seg-form" method="post" action={action} id="seg-form">
          <input type="hidden" name="csrf" value={view.session?.csrfToken ?? ""} />
          <label class="seg-label" for="seg-name">
            {t(language, "segments.builder.name")}
          </label>
          <input
            id="seg-name"
            name="name"
            value={name}
            required
            maxlength={200}
            readonly={readOnly}
            aria-describedby="seg-name-help"
            autocomplete="off"
          />
          <p class="sub" id="seg-name-help">
            {t(language, "segments.builder.nameHelp")}
          </p>
          <h2 id="seg-rule">{t(language, "segments.builder.rule")}</h2>
          {!readOnly && <p class="sub">{t(language, "segments.builder.ruleHelp")}</p>}
          <div id="seg-builder" data-builder={JSON.stringify(data)} />
          {!readOnly && (
            <noscript>
              <label class="seg-label" for="seg-rule-json">
                {t(language, "segments.builder.noscriptLabel")}
              </label>
              <textarea id="seg-rule-json" name="rule" rows={10} aria-describedby="seg-rule-json-help">
                {ruleText}
              </textarea>
              <p class="sub" id="seg-rule-json-help">
                {t(language, "segments.builder.noscriptHelp")}
              </p>
            </noscript>
          )}
          {!readOnly && (
            <p>
              <button type="submit" class="seg-button">
                {latest
                  ? t(language, "segments.builder.saveVersion", { version: f.integer(latest.version + 1) })
                  : t(language, "segments.builder.save")}
              </button>
            </p>
          )}
        </form>
        <aside class="card seg-preview" aria-labelledby="seg-preview-title">
          <h2 id="seg-preview-title">{t(language, "segments.preview.title")}</h2>
          <div id="seg-preview">
            <p class="seg-count">
              {data.preview
                ? t(language, data.preview.exact ? "segments.preview.count" : "segments.preview.countAbout", {
                    count: f.integer(data.preview.count),
                  })
                : t(language, "segments.preview.empty")}
            </p>
            {data.preview && !data.preview.exact && <p class="sub">{basedOnText(view, data.preview.basedOn)}</p>}
          </div>
          {!readOnly && (
            // Shown by the script only while the count is an estimate; without the script, it posts
            // the form's rule (the textarea) to start the count and opens the count's own page.
            <div id="seg-exact" hidden={!data.preview || data.preview.exact}>
              <p>
                <button
                  type="submit"
                  form="seg-form"
                  formaction={`${base}/segments/counts`}
                  formnovalidate
                  class="seg-button secondary"
                  id="seg-exact-button"
                  aria-describedby="seg-exact-help"
                >
                  {t(language, "segments.exact.button")}
                </button>
              </p>
              <p class="sub" id="seg-exact-help">
                {t(language, "segments.exact.help")}
              </p>
              <p id="seg-exact-status" role="status" />
            </div>
          )}
          <p class="sub">{t(language, "segments.preview.largeBank", { max: f.integer(syncCountMax) })}</p>
        </aside>
      </div>
      {latest && versions.length > 0 && (
        <section class="card" aria-labelledby="seg-versions">
          <h2 id="seg-versions">{t(language, "segments.versions.title")}</h2>
          <table class="list">
            <caption>{t(language, "segments.versions.caption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t(language, "segments.versions.version")}</th>
                <th scope="col">{t(language, "segments.versions.when")}</th>
                <th scope="col">{t(language, "segments.versions.who")}</th>
              </tr>
            </thead>
            <tbody>
              {versions.map((v) => {
                const current = (shown ?? latest).version === v.version;
                return (
                  <tr>
                    <th scope="row">
                      <a
                        href={`${base}/segments/${encodeURIComponent(v.segmentId)}${v.version === latest.version ? "" : `?version=${v.version}`}`}
                        aria-current={current ? "page" : undefined}
                        aria-label={t(language, "segments.versions.open", { version: f.integer(v.version) })}
                      >
                        {f.integer(v.version)}
                      </a>
                      {v.version === latest.version && (
                        <span class="badge seg-latest">{t(language, "segments.versions.current")}</span>
                      )}
                      {current && shown && (
                        <span class="badge seg-shown">{t(language, "segments.versions.shown")}</span>
                      )}
                    </th>
                    <td data-label={t(language, "segments.versions.when")}>
                      <span class="when">{f.dateTime(v.createdAt)}</span>
                    </td>
                    <td data-label={t(language, "segments.versions.who")}>{v.createdBy}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </section>
      )}
      {latest && !shown && (
        <section class="card" aria-labelledby="seg-archive">
          <h2 id="seg-archive">{t(language, "segments.archive.title")}</h2>
          {latest.archivedAt ? (
            <p>
              {t(language, "segments.archive.archived", {
                when: f.dateTime(latest.archivedAt),
                name: latest.archivedBy ?? "",
              })}
            </p>
          ) : usedBy.length > 0 ? (
            <>
              <p>{t(language, "segments.archive.usedBy", { count: f.integer(usedBy.length) })}</p>
              <ul>
                {usedBy.map((c) => (
                  <li>
                    <a href={`${base}/campaigns/${encodeURIComponent(c.campaignId)}`}>{c.name}</a>
                  </li>
                ))}
              </ul>
            </>
          ) : (
            <p>{t(language, "segments.archive.unused")}</p>
          )}
          {(latest.archivedAt || usedBy.length === 0) && (
            <form
              method="post"
              action={`${base}/segments/${encodeURIComponent(latest.segmentId)}/${latest.archivedAt ? "unarchive" : "archive"}`}
            >
              <input type="hidden" name="csrf" value={view.session?.csrfToken ?? ""} />
              <button type="submit" class="seg-button secondary">
                {t(language, latest.archivedAt ? "segments.archive.unarchive" : "segments.archive.button")}
              </button>
            </form>
          )}
        </section>
      )}
      <script src={`${base}/assets/${ASSETS.segments.name}`} defer />
    </Layout>
  );
}

/** What an estimate rests on, in words: "An estimate from 20,000 of about 2,000,000 customers (1.0%)". */
export function basedOnText(view: View, basedOn: RulePreview["basedOn"]): string {
  const f = formatsFor(view.language);
  return t(view.language, "segments.preview.basedOn", {
    read: f.integer(basedOn.customersRead),
    base: f.integer(basedOn.customersInBase),
    share: f.percent(basedOn.share) ?? "",
  });
}

/**
 * An exact count's own page, for a browser without the script: where the run is, and a link that
 * loads the page again. With the script, the status moves on its own (it polls data-status-url).
 */
export function ExactCountPage({
  view,
  progress,
  here,
  text,
}: {
  view: View;
  progress: PreviewProgress;
  /** The page's own address: refreshed by the link, its status polled by the script. */
  here: string;
  text: string;
}) {
  const { language, base } = view;
  return (
    <Layout view={view} title={t(language, "segments.exact.title")}>
      {/* An approver or analyst follows a count from the review, and has no segments list to go back to. */}
      {["marketer", "admin"].includes(view.session?.user.role ?? "") && (
        <p>
          <a href={`${base}/segments`}>{t(language, "segments.builder.back")}</a>
        </p>
      )}
      <h1>{t(language, "segments.exact.title")}</h1>
      <section class="card" id="seg-exact-page" data-status-url={`${here}/status`}>
        <p id="seg-exact-status" class="seg-count" role="status">
          {text}
        </p>
        {progress.status === "running" && (
          <p>
            <a href={here}>{t(language, "segments.exact.refresh")}</a>
          </p>
        )}
      </section>
      <script src={`${base}/assets/${ASSETS.segments.name}`} defer />
    </Layout>
  );
}
