/** @jsxImportSource hono/jsx */
import { MESSAGE_FIELDS } from "../../../shared/campaigns/message.js";
import { SuppressionReason } from "../../../shared/delivery/delivery.js";
import { MIN_CONTROL_SIZE, MIN_EXPECTED_CONTROL_CONVERSIONS } from "../../../shared/delivery/lift.js";
import type { Language } from "../../../shared/kernel/language.js";
import { PRODUCT_CATALOGUE, type ProductCategory, type ProductCode } from "../../../shared/kernel/products.js";
import { TIER_LABELS, TIER_LABELS_ZH } from "../../../shared/kernel/tiers.js";
import type { Segment } from "../../../shared/segments/segment.js";
import { ASSETS } from "../assets.js";
import { type ConsoleCopyKey, t } from "../copy/say.js";
import { formatsFor } from "../format.js";
import { Layout, type View } from "../pages.js";
import type { Field, FormErrors, FormValues } from "./form.js";
import type { ProductOutlook, SegmentOutlook } from "./outlook.js";

/** The conversion rate the wizard assumes to say how large a control group the lift needs: a usual cross-sell rate. */
export const ASSUMED_CONVERSION_RATE = 0.02;

const CATEGORIES: readonly ProductCategory[] = ["liability", "asset", "intermediary"];

/** Each field as the list of mistakes names it: the step's own words, and the version for a message's parts. */
function fieldName(language: Language, field: Field): string {
  const version = (key: "campaignEditor.versionEn" | "campaignEditor.versionZh", part: "subject" | "body") =>
    `${t(language, key)} · ${t(language, `campaignEditor.${part}`)}`;
  const names: Record<Field, string> = {
    name: t(language, "campaignEditor.name"),
    segmentId: t(language, "campaignEditor.segment"),
    "offer.productCode": t(language, "campaignEditor.product"),
    "message.subject": version("campaignEditor.versionEn", "subject"),
    "message.html": version("campaignEditor.versionEn", "body"),
    "translations.zh-CN.subject": version("campaignEditor.versionZh", "subject"),
    "translations.zh-CN.html": version("campaignEditor.versionZh", "body"),
    "title.en": t(language, "campaignEditor.titleEn"),
    "title.zh-CN": t(language, "campaignEditor.titleZh"),
    "description.en": t(language, "campaignEditor.descriptionEn"),
    "description.zh-CN": t(language, "campaignEditor.descriptionZh"),
    controlGroupPercent: t(language, "campaignEditor.controlPercent"),
  };
  return names[field];
}
const idOf = (field: Field) => `f-${field.replace(/[^A-Za-z0-9]/g, "-")}`;

export const productName = (language: Language, code: ProductCode) =>
  language === "zh-CN" ? PRODUCT_CATALOGUE[code].nameZh : PRODUCT_CATALOGUE[code].nameEn;

/** "4,120 of 4,500 would be offered it. Held back: already hold it 300, …" in the person's language. */
export function productOutlookText(language: Language, count: number, outlook: ProductOutlook, exact = true): string {
  const f = formatsFor(language);
  const eligible = t(language, exact ? "campaignEditor.eligible" : "campaignEditor.eligibleAbout", {
    eligible: f.integer(outlook.eligible),
    count: f.integer(count),
  });
  const reasons = Object.entries(outlook.heldBack)
    .filter(([, n]) => n)
    // The most held back first; a tie in the order the launch checks them, so the line reads the same each time.
    .sort(
      ([reasonA, a], [reasonB, b]) =>
        (b ?? 0) - (a ?? 0) ||
        SuppressionReason.options.indexOf(reasonA as SuppressionReason) -
          SuppressionReason.options.indexOf(reasonB as SuppressionReason),
    )
    .map(([reason, n]) => t(language, `campaignEditor.reason.${reason}` as ConsoleCopyKey, { n: f.integer(n ?? 0) }));
  const separator = language === "zh-CN" ? "；" : "; ";
  return `${eligible} ${reasons.length > 0 ? t(language, "campaignEditor.heldBackBy", { reasons: reasons.join(separator) }) : t(language, "campaignEditor.nobodyHeldBack")}`;
}

/** The segment's size as the wizard says it: exact, or "about" with the share it rests on; and its latest exact count. */
export function segmentCountText(language: Language, outlook: SegmentOutlook): string {
  const f = formatsFor(language);
  const size = outlook.exact
    ? t(language, "campaignEditor.segmentCount", { count: f.integer(outlook.count) })
    : t(language, "campaignEditor.segmentCountAbout", {
        count: f.integer(outlook.count),
        share: f.percent(outlook.basedOn.share) ?? "",
      });
  const run = outlook.exactRun
    ? ` ${t(language, "campaignEditor.exactRun", { count: f.integer(outlook.exactRun.count), at: f.dateTime(outlook.exactRun.at) })}`
    : "";
  return size + run;
}

/**
 * What the control group would come to, by liftOf's own two limits: nothing to measure with no
 * control group; a plain warning when fewer than MIN_CONTROL_SIZE customers would be in it, or
 * when, at ASSUMED_CONVERSION_RATE, fewer than MIN_EXPECTED_CONTROL_CONVERSIONS of them would be
 * expected to open the product (the results page would then show no lift); else its expected
 * size. The script (assets.ts) says the same as the person types.
 */
export function controlAdvice(language: Language, eligible: number | undefined, percentText: string) {
  const percent = Number(percentText);
  if (percentText.trim() === "" || !Number.isFinite(percent) || percent < 0 || percent > 50) return undefined;
  if (percent === 0) return { tooSmall: true, text: t(language, "campaignEditor.controlNone") };
  if (eligible === undefined) return undefined;
  const f = formatsFor(language);
  const control = Math.round((eligible * percent) / 100);
  const expected = control * ASSUMED_CONVERSION_RATE;
  if (control < MIN_CONTROL_SIZE)
    return {
      tooSmall: true,
      text: t(language, "campaignEditor.controlTooSmall", { control: f.integer(control), minimum: MIN_CONTROL_SIZE }),
    };
  if (expected < MIN_EXPECTED_CONTROL_CONVERSIONS)
    return {
      tooSmall: true,
      text: t(language, "campaignEditor.controlFewConversions", {
        control: f.integer(control),
        expected: f.decimal(expected),
        minimum: MIN_EXPECTED_CONTROL_CONVERSIONS,
      }),
    };
  return {
    tooSmall: false,
    text: t(language, "campaignEditor.controlExpected", { control: f.integer(control), eligible: f.integer(eligible) }),
  };
}

function FieldError({ field, errors }: { field: Field; errors: FormErrors }) {
  return errors[field] ? (
    <p class="field-error" id={`${idOf(field)}-error`}>
      {errors[field]}
    </p>
  ) : null;
}

/** The attributes that tie a control to its label, its help and its error. */
const described = (field: Field, errors: FormErrors, help?: string) => {
  const ids = [help, errors[field] ? `${idOf(field)}-error` : undefined].filter(Boolean).join(" ");
  return {
    id: idOf(field),
    name: field,
    ...(ids ? { "aria-describedby": ids } : {}),
    ...(errors[field] ? { "aria-invalid": "true" as const } : {}),
  };
};

function TextField({
  field,
  label,
  values,
  errors,
  language,
  lang,
  required,
  maxLength,
}: {
  field: Field;
  label: string;
  values: FormValues;
  errors: FormErrors;
  language: Language;
  lang?: Language;
  required?: boolean;
  maxLength?: number;
}) {
  return (
    <p class="field">
      <label for={idOf(field)}>
        {label}{" "}
        <span class="muted">{t(language, required ? "campaignEditor.required" : "campaignEditor.optional")}</span>
      </label>
      <input type="text" {...described(field, errors)} value={values[field]} lang={lang} maxlength={maxLength} />
      <FieldError field={field} errors={errors} />
    </p>
  );
}

/** One language's version of the email: subject, HTML body, and the personal fields to insert. */
function MessageVersion({
  prefix,
  legend,
  lang,
  help,
  values,
  errors,
  language,
}: {
  prefix: "message" | "translations.zh-CN";
  legend: string;
  lang: Language;
  help?: string;
  values: FormValues;
  errors: FormErrors;
  language: Language;
}) {
  const subject = `${prefix}.subject` as Field;
  const html = `${prefix}.html` as Field;
  const helpId = `${idOf(html)}-help`;
  const versionHelpId = `${idOf(subject)}-version-help`;
  const optional = prefix !== "message";
  return (
    <fieldset class="version" data-version={prefix}>
      <legend>{legend}</legend>
      {help && (
        <p class="muted" id={versionHelpId}>
          {help}
        </p>
      )}
      <p class="field">
        <label for={idOf(subject)}>
          {t(language, "campaignEditor.subject")}{" "}
          <span class="muted">{t(language, optional ? "campaignEditor.optional" : "campaignEditor.required")}</span>
        </label>
        <input
          type="text"
          {...described(subject, errors, help ? versionHelpId : undefined)}
          value={values[subject]}
          lang={lang}
          maxlength={200}
          data-insertable
        />
        <FieldError field={subject} errors={errors} />
      </p>
      <p class="field">
        <label for={idOf(html)}>
          {t(language, "campaignEditor.body")}{" "}
          <span class="muted">{t(language, optional ? "campaignEditor.optional" : "campaignEditor.required")}</span>
        </label>
        <textarea {...described(html, errors, helpId)} rows={9} lang={lang} data-insertable>
          {values[html]}
        </textarea>
        <span class="sub" id={helpId}>
          {t(language, "campaignEditor.bodyHelp")}
        </span>
        <FieldError field={html} errors={errors} />
      </p>
      <fieldset class="placeholders">
        <legend>{t(language, "campaignEditor.placeholders")}</legend>
        {MESSAGE_FIELDS.map((name) => (
          <button type="button" class="chip" data-insert={`{{${name}}}`} data-into={idOf(html)}>
            <code>{`{{${name}}}`}</code> <span class="sub">{t(language, `campaignEditor.placeholder.${name}`)}</span>
          </button>
        ))}
      </fieldset>
    </fieldset>
  );
}

export function EditorPage({
  view,
  title,
  action,
  cancel,
  values,
  errors,
  segments,
  outlook,
}: {
  view: View;
  title: string;
  action: string;
  cancel: string;
  values: FormValues;
  errors: FormErrors;
  segments: Segment[];
  outlook?: SegmentOutlook;
}) {
  const { language, base, session } = view;
  const f = formatsFor(language);
  const tiers = language === "zh-CN" ? TIER_LABELS_ZH : TIER_LABELS;
  const problems = Object.entries(errors) as [Field | "form", string][];
  const chosen = values["offer.productCode"] as ProductCode;
  const eligible = outlook ? (outlook.products[chosen]?.eligible ?? outlook.count) : undefined;
  const advice = controlAdvice(language, eligible, values.controlGroupPercent);
  const conversionsSize = Math.ceil(MIN_EXPECTED_CONTROL_CONVERSIONS / ASSUMED_CONVERSION_RATE);
  const common = { values, errors, language };
  return (
    <Layout view={view} title={title}>
      <p>
        <a href={cancel}>{t(language, "results.back")}</a>
      </p>
      <h1>{title}</h1>
      <p class="muted">{t(language, "campaignEditor.intro")}</p>
      {problems.length > 0 && (
        <section class="card problems" role="alert" aria-labelledby="problems-title">
          <h2 id="problems-title">{t(language, "campaignEditor.problems")}</h2>
          <ul>
            {problems.map(([field, message]) =>
              field === "form" ? (
                <li>{message}</li>
              ) : (
                <li>
                  <a href={`#${field === "offer.productCode" ? "product-step" : idOf(field)}`}>
                    {fieldName(language, field)}
                  </a>
                  {language === "zh-CN" ? "：" : ": "}
                  {message}
                </li>
              ),
            )}
          </ul>
        </section>
      )}
      <form
        method="post"
        action={action}
        class="wizard"
        novalidate
        data-outlook-url={`${base}/campaigns/new/outlook`}
        data-counting={t(language, "campaignEditor.segmentCounting")}
        data-count-starting={t(language, "segments.exact.starting")}
        data-count-failed={t(language, "segments.exact.failed")}
      >
        <input type="hidden" name="csrf" value={session?.csrfToken ?? ""} />
        <div class="card">
          <TextField field="name" label={t(language, "campaignEditor.name")} required maxLength={200} {...common} />
        </div>

        <fieldset class="card step">
          <legend>{t(language, "campaignEditor.step1")}</legend>
          {segments.length === 0 && <p>{t(language, "campaignEditor.segmentNone")}</p>}
          <p class="field">
            <label for={idOf("segmentId")}>
              {t(language, "campaignEditor.segment")}{" "}
              <span class="muted">{t(language, "campaignEditor.required")}</span>
            </label>
            <select {...described("segmentId", errors, "segment-count")} data-segment>
              <option value="">{t(language, "campaignEditor.segmentChoose")}</option>
              {segments.map((s) => (
                <option value={s.segmentId} selected={s.segmentId === values.segmentId}>
                  {t(language, "campaignEditor.segmentOption", { name: s.name, version: s.version })}
                </option>
              ))}
            </select>
            <FieldError field="segmentId" errors={errors} />
          </p>
          <p id="segment-count" class="count" aria-live="polite" data-count={outlook?.count}>
            {outlook ? segmentCountText(language, outlook) : ""}
          </p>
          {/* An estimate offers the exact count: the script follows it here, without it the count opens its own page. */}
          <div data-count-exactly hidden={!outlook || outlook.exact}>
            <p>
              <button
                type="submit"
                class="secondary"
                formaction={outlook ? `${base}/segments/${encodeURIComponent(outlook.segmentId)}/counts` : undefined}
                formnovalidate
                aria-describedby="count-exactly-help"
                data-count-url={`${base}/segments/`}
              >
                {t(language, "campaignEditor.countExactly")}
              </button>
            </p>
            <p class="muted" id="count-exactly-help">
              {t(language, "campaignEditor.countExactlyHelp")}
            </p>
            <p id="count-exactly-status" role="status" />
          </div>
          <p class="muted">
            {t(language, "campaignEditor.segmentPinned")}{" "}
            <a href={`${base}/segments/new`}>{t(language, "campaignEditor.segmentBuild")}</a>
          </p>
        </fieldset>

        <fieldset
          id="product-step"
          class="card step"
          {...(errors["offer.productCode"] ? { "aria-describedby": `${idOf("offer.productCode")}-error` } : {})}
        >
          <legend>{t(language, "campaignEditor.step2")}</legend>
          <FieldError field="offer.productCode" errors={errors} />
          <p class="muted" data-no-outlook hidden={!!outlook}>
            {t(language, "campaignEditor.chooseSegmentFirst")}
          </p>
          <div class="categories">
            {CATEGORIES.map((category) => (
              <fieldset class="category">
                <legend>{t(language, `campaignEditor.category.${category}`)}</legend>
                {(Object.keys(PRODUCT_CATALOGUE) as ProductCode[])
                  .filter((code) => PRODUCT_CATALOGUE[code].category === category)
                  .map((code) => {
                    const product = PRODUCT_CATALOGUE[code];
                    const inputId = `product-${code}`;
                    const product_outlook = outlook?.products[code];
                    return (
                      <div class="product">
                        <input
                          type="radio"
                          name="offer.productCode"
                          id={inputId}
                          value={code}
                          checked={values["offer.productCode"] === code}
                          aria-describedby={`${inputId}-facts ${inputId}-outlook`}
                          data-eligible={product_outlook?.eligible}
                        />
                        <label for={inputId}>
                          <span class="name">{productName(language, code)}</span>
                          <span class="sub" id={`${inputId}-facts`}>
                            {t(language, "campaignEditor.risk", { level: product.riskLevel })} ·{" "}
                            {product.minimumTier
                              ? t(language, "campaignEditor.minimumTier", { tier: tiers[product.minimumTier] })
                              : t(language, "campaignEditor.anyTier")}
                          </span>
                          <span class="sub outlook" id={`${inputId}-outlook`} data-outlook-product={code}>
                            {outlook && product_outlook
                              ? productOutlookText(language, outlook.count, product_outlook, outlook.exact)
                              : ""}
                          </span>
                        </label>
                      </div>
                    );
                  })}
              </fieldset>
            ))}
          </div>
        </fieldset>

        <fieldset class="card step">
          <legend>{t(language, "campaignEditor.step3")}</legend>
          <p class="muted">{t(language, "campaignEditor.step3Help")}</p>
          <div class="versions">
            <MessageVersion prefix="message" legend={t(language, "campaignEditor.versionEn")} lang="en" {...common} />
            <MessageVersion
              prefix="translations.zh-CN"
              legend={t(language, "campaignEditor.versionZh")}
              lang="zh-CN"
              help={t(language, "campaignEditor.versionZhHelp")}
              {...common}
            />
          </div>
        </fieldset>

        <fieldset class="card step">
          <legend>{t(language, "campaignEditor.step4")}</legend>
          <p class="muted">{t(language, "campaignEditor.step4Help")}</p>
          <div class="versions">
            <div>
              <TextField
                field="title.en"
                label={t(language, "campaignEditor.titleEn")}
                lang="en"
                maxLength={80}
                {...common}
              />
              <TextField
                field="description.en"
                label={t(language, "campaignEditor.descriptionEn")}
                lang="en"
                maxLength={300}
                {...common}
              />
            </div>
            <div>
              <TextField
                field="title.zh-CN"
                label={t(language, "campaignEditor.titleZh")}
                lang="zh-CN"
                maxLength={80}
                {...common}
              />
              <TextField
                field="description.zh-CN"
                label={t(language, "campaignEditor.descriptionZh")}
                lang="zh-CN"
                maxLength={300}
                {...common}
              />
            </div>
          </div>
        </fieldset>

        <fieldset class="card step">
          <legend>{t(language, "campaignEditor.step5")}</legend>
          <p class="muted">{t(language, "campaignEditor.step5Help")}</p>
          <p class="field">
            <label for={idOf("controlGroupPercent")}>{t(language, "campaignEditor.controlPercent")}</label>
            <input
              type="number"
              min="0"
              max="50"
              step="0.5"
              inputmode="decimal"
              class="percent"
              {...described("controlGroupPercent", errors, "control-advice")}
              value={values.controlGroupPercent}
            />
            <FieldError field="controlGroupPercent" errors={errors} />
          </p>
          <p
            id="control-advice"
            class={advice?.tooSmall ? "advice warning" : "advice"}
            aria-live="polite"
            data-minimum={MIN_CONTROL_SIZE}
            data-too-small={t(language, "campaignEditor.controlTooSmall")}
            data-conversions={MIN_EXPECTED_CONTROL_CONVERSIONS}
            data-rate={ASSUMED_CONVERSION_RATE}
            data-few-conversions={t(language, "campaignEditor.controlFewConversions")}
            data-expected={t(language, "campaignEditor.controlExpected")}
            data-none={t(language, "campaignEditor.controlNone")}
          >
            {advice?.text ?? ""}
          </p>
          <p class="muted">
            {t(language, "campaignEditor.controlConversions", {
              conversions: MIN_EXPECTED_CONTROL_CONVERSIONS,
              size: f.integer(conversionsSize),
            })}
          </p>
        </fieldset>

        <div class="actions">
          <button type="submit" class="primary">
            {t(language, "campaignEditor.save")}
          </button>
          <a href={cancel}>{t(language, "campaignEditor.cancel")}</a>
        </div>
      </form>
      <script src={`${base}/assets/${ASSETS.campaignEditor.name}`} defer />
    </Layout>
  );
}
