/** @jsxImportSource hono/jsx */
import type { BrandKitView } from "../../../shared/campaigns/brand-kit.js";
import type { BrandKitChange, BrandKitFieldChange } from "../../../shared/campaigns/ports.js";
import type { BrandKit } from "../../../shared/kernel/brand.js";
import type { Language } from "../../../shared/kernel/language.js";
import { type ConsoleCopyKey, t } from "../copy/say.js";
import { formatsFor } from "../format.js";
import { Layout, type View } from "../pages.js";

/** The kit's words in both languages, as the form's fields name them ("name.zh-CN"). */
export const IN_EACH_LANGUAGE = ["name", "legalName", "senderName", "address"] as const;
export const LANGUAGES: readonly Language[] = ["zh-CN", "en"];
export const COLOURS = ["primary", "onPrimary", "accent"] as const;
export const FORM_FIELDS = [
  ...IN_EACH_LANGUAGE.flatMap((group) => LANGUAGES.map((l) => `${group}.${l}`)),
  "hotline",
  ...COLOURS.map((colour) => `colours.${colour}`),
] as const;
export type FormField = (typeof FORM_FIELDS)[number];
export type FormValues = Record<string, string>;

/** A field's problem (or the form's, or the logo's), in the reader's words. */
export type Problem = { key: ConsoleCopyKey; params?: Record<string, string | number> };
export type Problems = Partial<Record<FormField | "form" | "logo", Problem>>;

export const DONE = ["saved", "logo", "logoRemoved", "unchanged"] as const;
export type Done = (typeof DONE)[number];

/** The form's value of each field: the kit as it is. */
export function valuesOf(kit: BrandKit): FormValues {
  const values: FormValues = { hotline: kit.hotline };
  for (const group of IN_EACH_LANGUAGE) for (const l of LANGUAGES) values[`${group}.${l}`] = kit[group][l] ?? "";
  for (const colour of COLOURS) values[`colours.${colour}`] = kit.colours[colour];
  return values;
}

const idOf = (field: string) => `field-${field.replace(/\./g, "-")}`;

function FieldProblem({ field, language, problem }: { field: string; language: Language; problem?: Problem }) {
  return problem ? (
    <p class="field-problem" id={`${idOf(field)}-problem`}>
      {t(language, problem.key, problem.params)}
    </p>
  ) : null;
}

const describedBy = (field: string, problem: Problem | undefined, hint?: string) =>
  [hint, problem ? `${idOf(field)}-problem` : undefined].filter(Boolean).join(" ") || undefined;

function TextField({
  field,
  label,
  value,
  language,
  problem,
  lang,
  type = "text",
  hint,
}: {
  field: string;
  label: string;
  value: string;
  language: Language;
  problem?: Problem;
  lang?: Language;
  type?: "text" | "tel";
  /** Said below the label, and read with the field. */
  hint?: string;
}) {
  const hintId = hint ? `${idOf(field)}-hint` : undefined;
  return (
    <div class="field">
      <label for={idOf(field)}>{label}</label>
      {hint && (
        <p class="hint" id={hintId}>
          {hint}
        </p>
      )}
      <input
        id={idOf(field)}
        name={field}
        type={type}
        value={value}
        lang={lang}
        autocomplete="off"
        required
        aria-describedby={describedBy(field, problem, hintId)}
        aria-invalid={problem ? "true" : undefined}
      />
      <FieldProblem field={field} language={language} problem={problem} />
    </div>
  );
}

/**
 * A colour as a picker and as text: the picker for choosing, the text for typing or pasting the
 * bank's own #rrggbb; what was typed wins (routes.tsx, colourOf), so no script is needed to keep
 * them in step. `shown` is what both showed, for telling which one the admin changed.
 */
function ColourField({
  colour,
  value,
  language,
  problem,
}: {
  colour: (typeof COLOURS)[number];
  value: string;
  language: Language;
  problem?: Problem;
}) {
  const field = `colours.${colour}`;
  const name = t(language, `brandKit.colour.${colour}`);
  const valid = /^#[0-9a-fA-F]{6}$/.test(value);
  return (
    <div class="field">
      <label for={idOf(field)}>{name}</label>
      <p class="hint" id={`${idOf(field)}-about`}>
        {t(language, `brandKit.colour.${colour}.about`)}
      </p>
      <div class="colour-row">
        <input
          type="color"
          id={`${idOf(field)}-picked`}
          name={`${field}.picked`}
          value={valid ? value.toLowerCase() : "#000000"}
          aria-label={t(language, "brandKit.colour.pick", { colour: name })}
        />
        <input
          type="text"
          id={idOf(field)}
          name={field}
          value={value}
          autocomplete="off"
          spellcheck={false}
          maxlength={7}
          required
          title={t(language, "brandKit.colour.type", { colour: name })}
          aria-describedby={describedBy(field, problem, `${idOf(field)}-about`)}
          aria-invalid={problem ? "true" : undefined}
        />
        <input type="hidden" name={`${field}.shown`} value={value} />
      </div>
      <FieldProblem field={field} language={language} problem={problem} />
    </div>
  );
}

function changeWords(language: Language, change: BrandKitFieldChange) {
  const { integer } = formatsFor(language);
  const wordsFor = (value: BrandKitFieldChange["before"]) =>
    value === null
      ? t(language, "brandKit.history.empty")
      : typeof value === "string"
        ? value
        : t(language, "brandKit.history.logo", {
            sha: value.sha256.slice(0, 12),
            size: integer(Math.max(1, Math.round(value.size / 1024))),
          });
  const key = `brandKit.field.${change.field}` as ConsoleCopyKey;
  const field =
    (FORM_FIELDS as readonly string[]).includes(change.field) || change.field === "logo"
      ? t(language, key)
      : change.field;
  return t(language, "brandKit.history.change", {
    field,
    before: wordsFor(change.before),
    after: wordsFor(change.after),
  });
}

function History({ language, history }: { language: Language; history: BrandKitChange[] }) {
  const { dateTime } = formatsFor(language);
  if (history.length === 0) return <p>{t(language, "brandKit.history.none")}</p>;
  return (
    <table class="list">
      <caption>{t(language, "brandKit.history.caption")}</caption>
      <thead>
        <tr>
          <th scope="col">{t(language, "brandKit.history.when")}</th>
          <th scope="col">{t(language, "brandKit.history.who")}</th>
          <th scope="col">{t(language, "brandKit.history.what")}</th>
        </tr>
      </thead>
      <tbody>
        {history.map((entry) => (
          <tr>
            <th scope="row">
              <span class="when">{dateTime(entry.at)}</span>
            </th>
            <td data-label={t(language, "brandKit.history.who")}>{entry.by.name}</td>
            <td data-label={t(language, "brandKit.history.what")}>
              <ul class="changes">
                {entry.changes.map((change) => (
                  <li>{changeWords(language, change)}</li>
                ))}
              </ul>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export type BrandKitPageData = {
  current: BrandKitView;
  history: BrandKitChange[];
  /** What the form shows: the kit as it is, or what the admin typed. */
  values: FormValues;
  problems: Problems;
  done?: Done;
};

/**
 * The administrator's brand kit: every word in both languages, the colours, the hotline, the
 * logo, and below them every change, who made it and when. Validation problems stand beside
 * their field and keep what was typed.
 */
export function BrandKitPage({ view, data }: { view: View; data: BrandKitPageData }) {
  const { language, base, session } = view;
  const { current, history, values, problems, done } = data;
  const { dateTime, integer } = formatsFor(language);
  const pageUrl = `${base}/admin/brand`;
  const root = base.replace(/\/console$/, "");
  const title = t(language, "brandKit.title");
  const csrf = <input type="hidden" name="csrf" value={session?.csrfToken ?? ""} />;
  const version = <input type="hidden" name="version" value={String(current.version)} />;
  const formProblems = Object.entries(problems).filter(([field]) => field !== "logo");
  return (
    <Layout view={view} title={title}>
      <div class="brand-kit-area">
        <p class="crumbs">
          <a href={`${base}/admin`}>{t(language, "brandKit.back")}</a>
        </p>
        <h1>{title}</h1>
        <p>{t(language, "brandKit.lead")}</p>
        {done && (
          <p class="notice done" role="status">
            {t(language, `brandKit.done.${done}`)}
          </p>
        )}
        {formProblems.length > 0 && (
          <div class="notice problem" role="alert">
            <strong>{t(language, "brandKit.problem.title")}</strong>
            <p>{t(language, problems.form?.key ?? "brandKit.problem.fields")}</p>
          </div>
        )}
        {problems.logo && (
          <div class="notice problem" role="alert">
            <strong>{t(language, "brandKit.problem.logoTitle")}</strong>
            <p>{t(language, problems.logo.key, problems.logo.params)}</p>
          </div>
        )}
        <p class="muted">
          {current.source === "stored" && current.updatedAt
            ? t(language, "brandKit.source.stored", {
                by: current.updatedBy ?? "",
                at: dateTime(current.updatedAt),
                version: current.version,
              })
            : t(language, `brandKit.source.${current.source === "configured" ? "configured" : "demo"}`)}
        </p>

        <form class="card" method="post" action={pageUrl} novalidate>
          <h2>{t(language, "brandKit.form.title")}</h2>
          {csrf}
          {version}
          {IN_EACH_LANGUAGE.map((group) => (
            <fieldset aria-describedby={`${group}-hint`}>
              <legend>{t(language, `brandKit.group.${group}`)}</legend>
              <p class="hint" id={`${group}-hint`}>
                {t(language, `brandKit.group.${group}.hint`)}
              </p>
              <div class="pair">
                {LANGUAGES.map((l) => (
                  <TextField
                    field={`${group}.${l}`}
                    label={t(language, `brandKit.in.${l}`)}
                    value={values[`${group}.${l}`] ?? ""}
                    language={language}
                    lang={l}
                    problem={problems[`${group}.${l}` as FormField]}
                  />
                ))}
              </div>
            </fieldset>
          ))}
          <TextField
            field="hotline"
            label={t(language, "brandKit.field.hotline")}
            value={values.hotline ?? ""}
            language={language}
            type="tel"
            hint={t(language, "brandKit.field.hotline.hint")}
            problem={problems.hotline}
          />
          <fieldset aria-describedby="colours-hint">
            <legend>{t(language, "brandKit.colours")}</legend>
            <p class="hint" id="colours-hint">
              {t(language, "brandKit.colours.hint")}
            </p>
            <div class="colours">
              {COLOURS.map((colour) => (
                <ColourField
                  colour={colour}
                  value={values[`colours.${colour}`] ?? ""}
                  language={language}
                  problem={problems[`colours.${colour}`]}
                />
              ))}
            </div>
          </fieldset>
          <div class="buttons">
            <button type="submit">{t(language, "brandKit.save")}</button>
          </div>
        </form>

        <section class="card" aria-labelledby="logo-title">
          <h2 id="logo-title">{t(language, "brandKit.logo.title")}</h2>
          {current.logo ? (
            <>
              <p>{t(language, "brandKit.logo.current")}</p>
              <p class="logo-now">
                <img
                  src={`${root}${current.logo.path}`}
                  alt={current.kit.name[language] ?? current.kit.name.en}
                  width={current.logo.width}
                  height={current.logo.height}
                />
              </p>
              <p class="muted">
                {t(language, "brandKit.logo.facts", {
                  width: current.logo.width,
                  height: current.logo.height,
                  size: integer(Math.max(1, Math.round(current.logo.size / 1024))),
                  type: current.logo.contentType === "image/png" ? "PNG" : "JPEG",
                })}
              </p>
            </>
          ) : (
            <p>{t(language, "brandKit.logo.none")}</p>
          )}
          <form method="post" action={`${pageUrl}/logo`} enctype="multipart/form-data">
            {csrf}
            {version}
            <div class="field">
              <label for="field-logo">{t(language, "brandKit.logo.file")}</label>
              <p class="hint" id="field-logo-hint">
                {t(language, "brandKit.logo.file.hint")}
              </p>
              <input
                type="file"
                id="field-logo"
                name="logo"
                accept="image/png,image/jpeg"
                required
                aria-describedby={describedBy("logo", problems.logo, "field-logo-hint")}
                aria-invalid={problems.logo ? "true" : undefined}
              />
              <FieldProblem field="logo" language={language} problem={problems.logo} />
            </div>
            <div class="buttons">
              <button type="submit">{t(language, "brandKit.logo.upload")}</button>
            </div>
          </form>
          {current.logo && (
            <form method="post" action={`${pageUrl}/logo/delete`}>
              {csrf}
              {version}
              <div class="buttons">
                <button type="submit" class="secondary">
                  {t(language, "brandKit.logo.remove")}
                </button>
              </div>
            </form>
          )}
        </section>

        <section class="card" aria-labelledby="history-title">
          <h2 id="history-title">{t(language, "brandKit.history.title")}</h2>
          <History language={language} history={history} />
        </section>
      </div>
    </Layout>
  );
}
