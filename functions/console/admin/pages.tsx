/** @jsxImportSource hono/jsx */
import { ChangeEvent } from "../../../shared/customers/change-trail.js";
import { t } from "../copy/say.js";
import { Layout, type View } from "../pages.js";
import type { TrailCell, TrailTable } from "./tables.js";

/** The admin's landing page: where each of their pages is, and what it is for. */
export function AdminPage({ view }: { view: View }) {
  const { language, base } = view;
  const areas = [
    { href: `${base}/admin/exports`, title: t(language, "admin.exports"), about: t(language, "admin.exports.about") },
    { href: `${base}/admin/audit`, title: t(language, "admin.audit"), about: t(language, "admin.audit.about") },
    { href: `${base}/admin/brand`, title: t(language, "admin.brand"), about: t(language, "admin.brand.about") },
  ];
  return (
    <Layout view={view} title={t(language, "admin.title")}>
      <h1>{t(language, "admin.title")}</h1>
      <p>{t(language, "admin.lead")}</p>
      <ul class="admin-areas">
        {areas.map((area) => (
          <li>
            <a class="card" href={area.href}>
              <span class="name">{area.title}</span>
              <span class="about">{area.about}</span>
            </a>
          </li>
        ))}
      </ul>
    </Layout>
  );
}

/** The filters as the person typed them (or as the period was defaulted), for the form and the links. */
export type TrailFilters = { from: string; to: string; actor: string; kind?: string };

export type TrailPageData = {
  filters: TrailFilters;
  /** What is wrong with the filters, in the reader's words; the field it is about, if one. */
  problem?: { text: string; field?: "from" | "to" };
  table?: TrailTable;
  /** The cursor this page was read from, and the next page's. */
  cursor?: string;
  next?: string;
};

const queryOf = (filters: TrailFilters, cursor?: string) => {
  const q = new URLSearchParams();
  for (const [name, value] of Object.entries(filters)) if (value) q.set(name, value);
  if (cursor) q.set("cursor", cursor);
  const text = q.toString();
  return text ? `?${text}` : "";
};

function TrailCellText({ cell }: { cell: TrailCell }) {
  const main = cell.href ? <a href={cell.href}>{cell.text}</a> : cell.text;
  return cell.sub ? (
    <span>
      {main}
      <span class="sub">{cell.sub}</span>
    </span>
  ) : (
    <span>{main}</span>
  );
}

function Filters({ view, path, data, kinds }: { view: View; path: string; data: TrailPageData; kinds: boolean }) {
  const { language, base } = view;
  const { filters, problem } = data;
  const described = (field: "from" | "to") =>
    problem && (problem.field === field || !problem.field) ? "dates-help filter-problem" : "dates-help";
  return (
    <form class="card admin-filter" method="get" action={`${base}${path}`} aria-labelledby="filter-title">
      <h2 id="filter-title" class="visually-hidden">
        {t(language, "admin.filter")}
      </h2>
      {problem && (
        <p id="filter-problem" class="problem" role="alert">
          {problem.text}
        </p>
      )}
      <div class="fields">
        <div class="field">
          <label for="from">{t(language, "admin.filter.from")}</label>
          <input
            id="from"
            name="from"
            type="date"
            value={filters.from}
            aria-describedby={described("from")}
            aria-invalid={problem?.field === "from" ? "true" : undefined}
          />
        </div>
        <div class="field">
          <label for="to">{t(language, "admin.filter.to")}</label>
          <input
            id="to"
            name="to"
            type="date"
            value={filters.to}
            aria-describedby={described("to")}
            aria-invalid={problem?.field === "to" ? "true" : undefined}
          />
        </div>
        <div class="field">
          <label for="actor">{t(language, kinds ? "admin.filter.actor" : "admin.filter.exporter")}</label>
          <input id="actor" name="actor" type="text" value={filters.actor} autocomplete="off" maxlength={200} />
        </div>
        {kinds && (
          <div class="field">
            <label for="kind">{t(language, "admin.filter.kind")}</label>
            <select id="kind" name="kind">
              <option value="">{t(language, "admin.filter.kind.all")}</option>
              {ChangeEvent.options.map((kind) => (
                <option value={kind} selected={filters.kind === kind}>
                  {t(language, `admin.audit.event.${kind}`)}
                </option>
              ))}
            </select>
          </div>
        )}
        <div class="field">
          <button type="submit">{t(language, "admin.filter.apply")}</button>
        </div>
      </div>
      <p id="dates-help" class="muted">
        {t(language, "admin.filter.dates")} <a href={`${base}${path}`}>{t(language, "admin.filter.clear")}</a>
      </p>
    </form>
  );
}

function TrailTableCard({
  view,
  path,
  data,
  empty,
  note,
}: {
  view: View;
  path: string;
  data: TrailPageData;
  empty: string;
  note?: string;
}) {
  const { language, base } = view;
  const table = data.table;
  if (!table) return null;
  return (
    <section class="card admin-trail" aria-labelledby="trail-title">
      <h2 id="trail-title">
        {table.caption}
        <span class="sub">{t(language, "admin.period", { from: data.filters.from, to: data.filters.to })}</span>
      </h2>
      {table.rows.length === 0 ? (
        <p class="muted">{empty}</p>
      ) : (
        <>
          {note && <p class="muted">{note}</p>}
          <table class="list" data-table={table.id}>
            <caption class="visually-hidden">{table.caption}</caption>
            <thead>
              <tr>
                {table.columns.map((column, i) => (
                  <th scope="col" class={table.rows[0][i]?.numeric && i > 0 ? "n" : undefined}>
                    {column}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {table.rows.map(([first, ...rest]) => (
                <tr>
                  <th scope="row">
                    <span class="when">{first.text}</span>
                  </th>
                  {rest.map((cell, i) => (
                    <td class={cell.numeric ? "n" : "words"} data-label={table.columns[i + 1]}>
                      <TrailCellText cell={cell} />
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          <p class="csv">
            <a href={`${base}${path}.csv${queryOf(data.filters, data.cursor)}`} download>
              {t(language, "admin.csv")}
            </a>
          </p>
        </>
      )}
      {(data.next || data.cursor) && (
        <nav class="pager" aria-label={table.caption}>
          {data.cursor && <a href={`${base}${path}${queryOf(data.filters)}`}>{t(language, "admin.newest")}</a>}
          {data.next && (
            <>
              {table.rows.length === 0 && <span class="muted">{t(language, "admin.more")}</span>}
              <a href={`${base}${path}${queryOf(data.filters, data.next)}`} rel="next">
                {t(language, "admin.older")}
              </a>
            </>
          )}
        </nav>
      )}
    </section>
  );
}

export function ExportsTrailPage({ view, data }: { view: View; data: TrailPageData }) {
  const { language } = view;
  return (
    <Layout view={view} title={t(language, "admin.exports")}>
      <p>
        <a href={`${view.base}/admin`}>{t(language, "admin.title")}</a>
      </p>
      <h1>{t(language, "admin.exports")}</h1>
      <p>{t(language, "admin.exports.about")}</p>
      <Filters view={view} path="/admin/exports" data={data} kinds={false} />
      <TrailTableCard
        view={view}
        path="/admin/exports"
        data={data}
        empty={t(language, "admin.exports.none")}
        note={t(language, "admin.exports.stateNote")}
      />
    </Layout>
  );
}

export function ChangesTrailPage({ view, data }: { view: View; data: TrailPageData }) {
  const { language } = view;
  return (
    <Layout view={view} title={t(language, "admin.audit")}>
      <p>
        <a href={`${view.base}/admin`}>{t(language, "admin.title")}</a>
      </p>
      <h1>{t(language, "admin.audit")}</h1>
      <p>{t(language, "admin.audit.about")}</p>
      <Filters view={view} path="/admin/audit" data={data} kinds={true} />
      <TrailTableCard
        view={view}
        path="/admin/audit"
        data={data}
        empty={t(language, "admin.audit.none")}
        note={t(language, "admin.audit.values")}
      />
    </Layout>
  );
}
