/** @jsxImportSource hono/jsx */
import type { AuditEntry, CustomerChange, EditableField } from "../../../shared/customers/changes.js";
import { Channel, ConsentCategory, type ConsentRecord } from "../../../shared/customers/consent.js";
import { RiskTolerance } from "../../../shared/customers/customer.js";
import type { Language } from "../../../shared/kernel/language.js";
import { Language as Languages } from "../../../shared/kernel/language.js";
import { PRODUCT_CATALOGUE, type ProductCode } from "../../../shared/kernel/products.js";
import type { viewCustomer } from "../../../shared/views/customer-view.js";
import { CONSOLE_CATALOGUES, type ConsoleCopyKey, t } from "../copy/say.js";
import { formatsFor } from "../format.js";
import { Layout, type View } from "../pages.js";

/** The single customer view exactly as the shared use case masked it for the person's role. */
export type CustomerViewData = Awaited<ReturnType<typeof viewCustomer>>;

/** What a page says after a request went through (?done=...). */
export const DONE = ["editRequested", "editApplied", "deletionRequested", "deleted"] as const;
export type Done = (typeof DONE)[number];

/** The editable fields in the order the form asks for them: who the customer is, how to reach them, then the rest. */
export const FORM_FIELDS = [
  "name",
  "email",
  "phone",
  "address",
  "region",
  "language",
  "timeZone",
  "riskTolerance",
  "occupation",
  "employer",
  "relationshipManager",
  "relationshipManagerName",
] as const satisfies readonly EditableField[];

/** A form's problems: a field's own, the reason's, or the request's as a whole. */
export type Problems = Partial<Record<EditableField | "reason" | "confirm" | "form", ConsoleCopyKey>>;

/** A key of this area that is only known at run time (a field, channel or status from the data), or undefined. */
const knownKey = (key: string): ConsoleCopyKey | undefined =>
  Object.hasOwn(CONSOLE_CATALOGUES.en, key) ? (key as ConsoleCopyKey) : undefined;

const say = (language: Language, key: string, fallback: string) => {
  const known = knownKey(key);
  return known ? t(language, known) : fallback;
};

const productName = (language: Language, code: string) => {
  const product = PRODUCT_CATALOGUE[code as ProductCode];
  return product ? (language === "zh-CN" ? product.nameZh : product.nameEn) : code;
};

const fieldName = (language: Language, field: string) => say(language, `customers.field.${field}`, field);

const customerUrl = (base: string, customerId: string) => `${base}/customers/${encodeURIComponent(customerId)}`;

function Notice({ kind, children }: { kind: "done" | "problem" | "info"; children: unknown }) {
  return (
    <p class={`notice ${kind}`} role={kind === "info" ? undefined : "status"}>
      {children}
    </p>
  );
}

/** The search form: the same on its own page and above a "no customer" answer. */
function FindForm({ view, id, invalid }: { view: View; id?: string; invalid?: boolean }) {
  const { language, base } = view;
  return (
    <search>
      <form class="card find" method="get" action={`${base}/customers`}>
        <label for="customer-id">{t(language, "customers.find.label")}</label>
        <p class="hint" id="customer-id-hint">
          {t(language, "customers.find.hint")}
        </p>
        <div class="row">
          <input
            type="text"
            id="customer-id"
            name="id"
            value={id ?? ""}
            required
            autocomplete="off"
            spellcheck={false}
            autocapitalize="off"
            aria-describedby={invalid ? "customer-id-hint customer-id-problem" : "customer-id-hint"}
            aria-invalid={invalid ? "true" : undefined}
          />
          <button type="submit">{t(language, "customers.find.submit")}</button>
        </div>
        {invalid && (
          <p class="field-problem" id="customer-id-problem">
            {t(language, "customers.find.invalid")}
          </p>
        )}
      </form>
    </search>
  );
}

export function FindPage({
  view,
  id,
  problem,
  otherCase,
}: {
  view: View;
  id?: string;
  problem?: "invalid" | "none";
  /** A customer whose id differs from the one asked for only in case. */
  otherCase?: string;
}) {
  const { language, base } = view;
  return (
    <Layout view={view} title={t(language, "customers.title")}>
      <div class="customers-area">
        <h1>{t(language, "customers.title")}</h1>
        {problem === "none" && id && (
          <Notice kind="problem">
            {t(language, "customers.find.none", { id })}{" "}
            {otherCase && (
              <a href={customerUrl(base, otherCase)}>{t(language, "customers.find.otherCase", { id: otherCase })}</a>
            )}
          </Notice>
        )}
        <FindForm view={view} id={id} invalid={problem === "invalid"} />
        <p class="muted">{t(language, "customers.find.masking")}</p>
      </div>
    </Layout>
  );
}

function ConsentRows({
  language,
  kind,
  keys,
  records,
}: {
  language: Language;
  kind: "channel" | "category";
  keys: readonly string[];
  records: Partial<Record<string, ConsentRecord>>;
}) {
  const f = formatsFor(language);
  return (
    <>
      {keys.map((key) => {
        const record = records[key];
        const label = say(language, `customers.${kind}.${key}`, key);
        return (
          <tr>
            <th scope="row">{label}</th>
            <td data-label={t(language, "customers.consent.answer")}>
              {record ? (
                <span class={`badge ${record.granted ? "granted" : "refused"}`}>
                  {t(language, record.granted ? "customers.consent.granted" : "customers.consent.refused")}
                </span>
              ) : (
                <span class="muted">{t(language, "customers.consent.unknown")}</span>
              )}
            </td>
            <td data-label={t(language, "customers.consent.source")}>{record?.source ?? ""}</td>
            <td data-label={t(language, "customers.consent.at")}>
              {record && <span class="when">{f.dateTime(record.at)}</span>}
            </td>
            <td data-label={t(language, "customers.consent.by")}>
              {record &&
                t(language, record.by === "customer" ? "customers.consent.by.customer" : "customers.consent.by.bank")}
            </td>
          </tr>
        );
      })}
    </>
  );
}

const shown = (language: Language, value: string | null | undefined) =>
  value === null || value === undefined || value === "" ? t(language, "customers.empty") : value;

/** A consent line's before and after ("on"/"off") in words. */
const consentWord = (language: Language, value: string | null | undefined) =>
  value === "on"
    ? t(language, "customers.consent.granted")
    : value === "off"
      ? t(language, "customers.consent.refused")
      : shown(language, value);

function auditWhat(language: Language, entry: AuditEntry): string {
  if (entry.action === "edit")
    return t(language, "customers.audit.edit", {
      field: fieldName(language, entry.field ?? ""),
      before: shown(language, entry.before),
      after: shown(language, entry.after),
    });
  if (entry.action === "consent")
    return t(language, "customers.audit.consent", {
      field: say(language, `customers.${entry.field}`, entry.field ?? ""),
      before: consentWord(language, entry.before),
      after: consentWord(language, entry.after),
    });
  return t(language, `customers.audit.${entry.action}`);
}

function PendingChange({ language, change }: { language: Language; change: CustomerChange }) {
  const f = formatsFor(language);
  return (
    <li>
      <strong>
        {t(language, `customers.pending.${change.kind}`, {
          name: change.requestedBy,
          at: f.dateTime(change.requestedAt),
        })}
      </strong>
      {Object.keys(change.fields).length > 0 && (
        <ul>
          {Object.entries(change.fields).map(([field, { before, after }]) => (
            <li>
              {t(language, "customers.pending.fieldChange", {
                field: fieldName(language, field),
                before: shown(language, before),
                after: shown(language, after),
              })}
            </li>
          ))}
        </ul>
      )}
      <span class="sub">{t(language, "customers.pending.reason", { reason: change.reason })}</span>
    </li>
  );
}

export function CustomerPage({ view, customer, done }: { view: View; customer: CustomerViewData; done?: Done }) {
  const { language, base } = view;
  const f = formatsFor(language);
  const money = new Intl.NumberFormat(language, { style: "currency", currency: "CNY" });
  const url = customerUrl(base, customer.customerId);
  const notRecorded = <span class="muted">{t(language, "customers.profile.notRecorded")}</span>;
  const tier = customer.tier
    ? t(language, `segments.tier.${customer.tier}`)
    : t(language, customer.type === "corporate" ? "segments.tier.corporate" : "customers.profile.notRecorded");
  const facts: [ConsoleCopyKey, unknown][] = [
    ["customers.profile.type", t(language, `customers.type.${customer.type}`)],
    ["customers.field.name", customer.name],
    ["customers.field.email", customer.email ?? notRecorded],
    ["customers.field.phone", customer.phone ?? notRecorded],
    ["customers.field.idNumber", customer.idNumber ?? notRecorded],
    ["customers.field.address", customer.address ?? notRecorded],
    ["customers.profile.tier", tier],
    [
      "customers.profile.lifecycle",
      customer.lifecycle
        ? t(language, `segments.lifecycle.${customer.lifecycle}`)
        : t(language, "customers.profile.lifecycleNone"),
    ],
    ["customers.profile.aum", money.format(customer.aum)],
    [
      "customers.profile.products",
      customer.products.length > 0
        ? customer.products.map((code) => productName(language, code)).join(language === "zh-CN" ? "、" : ", ")
        : t(language, "customers.profile.none"),
    ],
    ["customers.field.region", customer.region],
    ["customers.field.language", t(language, `customers.language.${customer.language}`)],
    ["customers.field.timeZone", customer.timeZone],
    [
      "customers.field.riskTolerance",
      customer.riskTolerance ?? <span class="muted">{t(language, "customers.riskTolerance.none")}</span>,
    ],
    ["customers.field.occupation", customer.occupation ?? notRecorded],
    ["customers.field.employer", customer.employer ?? notRecorded],
    ["customers.field.relationshipManager", customer.relationshipManager ?? notRecorded],
    ["customers.field.relationshipManagerName", customer.relationshipManagerName ?? notRecorded],
    [
      "customers.profile.lastContacted",
      customer.lastContactedAt ? <span class="when">{f.dateTime(customer.lastContactedAt)}</span> : notRecorded,
    ],
    ["customers.profile.updated", <span class="when">{f.dateTime(customer.updatedAt)}</span>],
  ];
  return (
    <Layout view={view} title={t(language, "customers.view.title", { id: customer.customerId })}>
      <div class="customers-area">
        <p class="crumbs">
          <a href={`${base}/customers`}>{t(language, "customers.title")}</a>
        </p>
        <h1>{t(language, "customers.view.title", { id: customer.customerId })}</h1>
        <p class="lead">{t(language, "customers.view.lead", { name: customer.name, tier, region: customer.region })}</p>
        {done && <Notice kind="done">{t(language, `customers.done.${done}`)}</Notice>}
        {customer.deletedAt && (
          <Notice kind="problem">
            {t(language, "customers.view.deleted", {
              at: f.dateTime(customer.deletedAt),
              purge: customer.purgeAt ? f.dateTime(new Date(customer.purgeAt * 1000).toISOString()) : "—",
            })}
          </Notice>
        )}
        <Notice kind="info">
          {t(language, customer.masked ? "customers.view.masked" : "customers.view.unmasked")}
        </Notice>
        {!customer.deletedAt && (
          <nav class="actions" aria-label={t(language, "customers.view.actions")}>
            <a class="button" href={`${url}/edit`}>
              {t(language, "customers.view.edit")}
            </a>
            <a class="button danger" href={`${url}/delete`}>
              {t(language, "customers.view.delete")}
            </a>
          </nav>
        )}

        <section class="card" aria-labelledby="profile">
          <h2 id="profile">{t(language, "customers.profile")}</h2>
          <dl class="facts">
            {facts.map(([key, value]) => (
              <>
                <dt>{t(language, key)}</dt>
                <dd>{value}</dd>
              </>
            ))}
          </dl>
        </section>

        <section class="card" aria-labelledby="pending">
          <h2 id="pending">{t(language, "customers.pending")}</h2>
          {customer.pendingChanges.length === 0 ? (
            <p class="muted">{t(language, "customers.pending.none")}</p>
          ) : (
            <ul class="changes">
              {customer.pendingChanges.map((change) => (
                <PendingChange language={language} change={change} />
              ))}
            </ul>
          )}
        </section>

        <section class="card" aria-labelledby="tiers">
          <h2 id="tiers">{t(language, "customers.tierHistory")}</h2>
          {customer.tierHistory.length === 0 ? (
            <p class="muted">{t(language, "customers.tierHistory.none")}</p>
          ) : (
            <table class="list">
              <caption>{t(language, "customers.tierHistory.caption")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t(language, "customers.profile.tier")}</th>
                  <th scope="col">{t(language, "customers.tierHistory.since")}</th>
                </tr>
              </thead>
              <tbody>
                {customer.tierHistory.map((change) => (
                  <tr>
                    <th scope="row">{t(language, `segments.tier.${change.tier}`)}</th>
                    <td data-label={t(language, "customers.tierHistory.since")}>
                      <span class="when">{f.dateTime(change.since)}</span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>

        <section class="card" aria-labelledby="consent">
          <h2 id="consent">{t(language, "customers.consent")}</h2>
          <table class="list">
            <caption>{t(language, "customers.consent.caption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t(language, "customers.consent.what")}</th>
                <th scope="col">{t(language, "customers.consent.answer")}</th>
                <th scope="col">{t(language, "customers.consent.source")}</th>
                <th scope="col">{t(language, "customers.consent.at")}</th>
                <th scope="col">{t(language, "customers.consent.by")}</th>
              </tr>
            </thead>
            <tbody>
              <ConsentRows
                language={language}
                kind="channel"
                keys={Channel.options}
                records={customer.consent.channels}
              />
              <ConsentRows
                language={language}
                kind="category"
                keys={ConsentCategory.options}
                records={customer.consent.categories}
              />
            </tbody>
          </table>
        </section>

        <section class="card" aria-labelledby="offers">
          <h2 id="offers">{t(language, "customers.offers")}</h2>
          {customer.touches.length === 0 ? (
            <p class="muted">{t(language, "customers.offers.none")}</p>
          ) : (
            <table class="list">
              <caption>{t(language, "customers.offers.caption")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t(language, "customers.offers.campaign")}</th>
                  <th scope="col">{t(language, "customers.offers.product")}</th>
                  <th scope="col">{t(language, "customers.offers.at")}</th>
                  <th scope="col">{t(language, "customers.offers.status")}</th>
                  <th scope="col">{t(language, "customers.offers.answer")}</th>
                </tr>
              </thead>
              <tbody>
                {customer.touches.map((touch) => (
                  <tr>
                    <th scope="row">
                      <a href={`${base}/campaigns/${encodeURIComponent(touch.campaignId)}`}>
                        {touch.campaignName ??
                          t(language, "customers.offers.unknownCampaign", { id: touch.campaignId })}
                      </a>
                    </th>
                    <td data-label={t(language, "customers.offers.product")}>
                      {productName(language, touch.productCode)}
                    </td>
                    <td data-label={t(language, "customers.offers.at")}>
                      <span class="when">{f.dateTime(touch.offeredAt)}</span>
                    </td>
                    <td data-label={t(language, "customers.offers.status")}>
                      <span>
                        {t(language, `customers.delivery.${touch.status}`)}
                        {touch.suppressionReason && (
                          <span class="sub">{t(language, `results.reason.${touch.suppressionReason}`)}</span>
                        )}
                        {touch.clickedAt && <span class="sub">{t(language, "customers.delivery.clicked")}</span>}
                      </span>
                    </td>
                    <td data-label={t(language, "customers.offers.answer")}>
                      {touch.answer ? (
                        <span>
                          {t(language, `results.answer.${touch.answer}`)}
                          {touch.answeredAt && <span class="sub when">{f.dateTime(touch.answeredAt)}</span>}
                        </span>
                      ) : (
                        <span class="muted">{t(language, "customers.offers.noAnswer")}</span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>

        <section class="card" aria-labelledby="conversions">
          <h2 id="conversions">{t(language, "customers.conversions")}</h2>
          {customer.conversions.length === 0 ? (
            <p class="muted">{t(language, "customers.conversions.none")}</p>
          ) : (
            <table class="list">
              <caption>{t(language, "customers.conversions.caption")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t(language, "customers.conversions.product")}</th>
                  <th scope="col" class="n">
                    {t(language, "customers.conversions.amount")}
                  </th>
                  <th scope="col">{t(language, "customers.conversions.at")}</th>
                  <th scope="col">{t(language, "customers.conversions.credited")}</th>
                </tr>
              </thead>
              <tbody>
                {customer.conversions.map((conversion) => (
                  <tr>
                    <th scope="row">{productName(language, conversion.productCode)}</th>
                    <td class="n" data-label={t(language, "customers.conversions.amount")}>
                      {money.format(conversion.amount)}
                    </td>
                    <td data-label={t(language, "customers.conversions.at")}>
                      <span class="when">{f.dateTime(conversion.occurredAt)}</span>
                    </td>
                    <td data-label={t(language, "customers.conversions.credited")}>
                      {conversion.attributedTo ? (
                        <a href={`${base}/campaigns/${encodeURIComponent(conversion.attributedTo)}`}>
                          {customer.touches.find((touch) => touch.campaignId === conversion.attributedTo)
                            ?.campaignName ?? conversion.attributedTo}
                        </a>
                      ) : (
                        <span class="muted">{t(language, "customers.conversions.noCampaign")}</span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>

        <section class="card" aria-labelledby="audit">
          <h2 id="audit">{t(language, "customers.audit")}</h2>
          {customer.auditTrail.length === 0 ? (
            <p class="muted">{t(language, "customers.audit.none")}</p>
          ) : (
            <table class="list">
              <caption>{t(language, "customers.audit.caption")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t(language, "customers.audit.at")}</th>
                  <th scope="col">{t(language, "customers.audit.who")}</th>
                  <th scope="col">{t(language, "customers.audit.what")}</th>
                  <th scope="col">{t(language, "customers.audit.reason")}</th>
                </tr>
              </thead>
              <tbody>
                {customer.auditTrail.map((entry) => (
                  <tr>
                    <th scope="row">
                      <span class="when">{f.dateTime(entry.at)}</span>
                    </th>
                    <td data-label={t(language, "customers.audit.who")}>
                      <span>
                        {entry.action === "consent" && entry.actor === "customer"
                          ? t(language, "customers.audit.customer")
                          : entry.actor}
                        {entry.requestedBy && (
                          <span class="sub">
                            {t(language, "customers.audit.requestedBy", { name: entry.requestedBy })}
                          </span>
                        )}
                      </span>
                    </td>
                    <td data-label={t(language, "customers.audit.what")}>{auditWhat(language, entry)}</td>
                    <td data-label={t(language, "customers.audit.reason")}>{entry.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      </div>
    </Layout>
  );
}

/** A field's problem under it, named by the control's aria-describedby. */
function FieldProblem({ id, language, problem }: { id: string; language: Language; problem?: ConsoleCopyKey }) {
  return problem ? (
    <p class="field-problem" id={`${id}-problem`}>
      {t(language, problem)}
    </p>
  ) : null;
}

function ProblemSummary({ language, problems }: { language: Language; problems: Problems }) {
  const keys = Object.values(problems);
  if (keys.length === 0) return null;
  return (
    <div class="notice problem" role="alert">
      <strong>{t(language, "customers.problem.title")}</strong>
      <p>{t(language, problems.form ?? "customers.problem.fields")}</p>
    </div>
  );
}

function ReasonField({ language, reason, problem }: { language: Language; reason: string; problem?: ConsoleCopyKey }) {
  return (
    <div class="field">
      <label for="reason">{t(language, "customers.reason")}</label>
      <p class="hint" id="reason-hint">
        {t(language, "customers.reason.hint")}
      </p>
      <textarea
        id="reason"
        name="reason"
        rows={3}
        required
        minlength={5}
        maxlength={500}
        aria-describedby={problem ? "reason-hint reason-problem" : "reason-hint"}
        aria-invalid={problem ? "true" : undefined}
      >
        {reason}
      </textarea>
      <FieldProblem id="reason" language={language} problem={problem} />
    </div>
  );
}

export function EditPage({
  view,
  customer,
  values,
  reason,
  problems,
}: {
  view: View;
  customer: CustomerViewData;
  /** What each field holds in the form: the record as the person may see it, or what they typed. */
  values: Record<EditableField, string>;
  reason: string;
  problems: Problems;
}) {
  const { language, base, session } = view;
  const url = customerUrl(base, customer.customerId);
  const title = t(language, "customers.edit.title", { id: customer.customerId });
  const control = (field: EditableField) => {
    const problem = problems[field];
    const common = {
      id: `field-${field}`,
      name: field,
      "aria-describedby": problem ? `field-${field}-problem` : undefined,
      "aria-invalid": problem ? "true" : undefined,
    };
    if (field === "language")
      return (
        <select {...common}>
          {Languages.options.map((option) => (
            <option value={option} selected={values[field] === option}>
              {t(language, `customers.language.${option}`)}
            </option>
          ))}
        </select>
      );
    if (field === "riskTolerance")
      return (
        <select {...common}>
          <option value="" selected={values[field] === ""}>
            {t(language, "customers.riskTolerance.none")}
          </option>
          {RiskTolerance.options.map((option) => (
            <option value={option} selected={values[field] === option}>
              {option}
            </option>
          ))}
        </select>
      );
    const type = field === "email" ? "email" : field === "phone" ? "tel" : "text";
    return (
      <input
        {...common}
        type={type}
        value={values[field]}
        autocomplete="off"
        required={field === "name" || field === "region" || field === "timeZone" ? true : undefined}
      />
    );
  };
  return (
    <Layout view={view} title={title}>
      <div class="customers-area">
        <p class="crumbs">
          <a href={url}>{t(language, "customers.cancel")}</a>
        </p>
        <h1>{title}</h1>
        <ProblemSummary language={language} problems={problems} />
        <p>{t(language, "customers.edit.intro")}</p>
        {customer.masked && <p class="notice info">{t(language, "customers.edit.maskedIntro")}</p>}
        <form class="card edit" method="post" action={`${url}/edit`} novalidate>
          <input type="hidden" name="csrf" value={session?.csrfToken ?? ""} />
          <div class="fields">
            {FORM_FIELDS.map((field) => (
              <div class="field">
                <label for={`field-${field}`}>{fieldName(language, field)}</label>
                {control(field)}
                <FieldProblem id={`field-${field}`} language={language} problem={problems[field]} />
              </div>
            ))}
          </div>
          <ReasonField language={language} reason={reason} problem={problems.reason} />
          <div class="buttons">
            <button type="submit">{t(language, "customers.edit.submit")}</button>
            <a href={url}>{t(language, "customers.cancel")}</a>
          </div>
        </form>
      </div>
    </Layout>
  );
}

export function DeletePage({
  view,
  customer,
  reason,
  problems,
}: {
  view: View;
  customer: CustomerViewData;
  reason: string;
  problems: Problems;
}) {
  const { language, base, session } = view;
  const url = customerUrl(base, customer.customerId);
  const title = t(language, "customers.delete.title", { id: customer.customerId });
  return (
    <Layout view={view} title={title}>
      <div class="customers-area">
        <p class="crumbs">
          <a href={url}>{t(language, "customers.cancel")}</a>
        </p>
        <h1>{title}</h1>
        <ProblemSummary language={language} problems={problems} />
        <p>{t(language, "customers.delete.intro")}</p>
        <dl class="facts card">
          <dt>{t(language, "customers.field.name")}</dt>
          <dd>{customer.name}</dd>
          <dt>{t(language, "customers.field.region")}</dt>
          <dd>{customer.region}</dd>
        </dl>
        <form class="card" method="post" action={`${url}/delete`} novalidate>
          <input type="hidden" name="csrf" value={session?.csrfToken ?? ""} />
          <ReasonField language={language} reason={reason} problem={problems.reason} />
          <div class="check">
            <input
              type="checkbox"
              id="confirm"
              name="confirm"
              value="yes"
              required
              aria-describedby={problems.confirm ? "confirm-problem" : undefined}
              aria-invalid={problems.confirm ? "true" : undefined}
            />
            <label for="confirm">{t(language, "customers.delete.confirm")}</label>
          </div>
          <FieldProblem id="confirm" language={language} problem={problems.confirm} />
          <div class="buttons">
            <button type="submit" class="danger">
              {t(language, "customers.delete.submit")}
            </button>
            <a href={url}>{t(language, "customers.cancel")}</a>
          </div>
        </form>
      </div>
    </Layout>
  );
}
