import type { z } from "zod";
import type { Campaign } from "../../../shared/campaigns/campaign.js";
import { NewCampaign } from "../../../shared/campaigns/campaign.js";
import { EMAIL_LAYOUT } from "../../../shared/campaigns/email-layout.js";
import type { Language } from "../../../shared/kernel/language.js";
import { t } from "../copy/say.js";

/**
 * The wizard's form, one field per part of NewCampaign, each named by its path in NewCampaign:
 * a zod issue's path, joined with dots, is the name of the field it belongs beside.
 */
export const FIELDS = [
  "name",
  "segmentId",
  "offer.productCode",
  "message.subject",
  "message.html",
  "translations.zh-CN.subject",
  "translations.zh-CN.html",
  "title.en",
  "title.zh-CN",
  "description.en",
  "description.zh-CN",
  "controlGroupPercent",
] as const;
export type Field = (typeof FIELDS)[number];

/** What the person typed, as typed: the form shows it again when something is wrong. */
export type FormValues = Record<Field, string>;
/** What is wrong, beside the field it is about; `form` for what belongs to no one field. */
export type FormErrors = Partial<Record<Field | "form", string>>;

export const EMPTY_FORM: FormValues = Object.fromEntries(FIELDS.map((f) => [f, ""])) as FormValues;

/** A new campaign starts with a control group of 10%, the share the bank's analysts usually ask for. */
export const NEW_FORM: FormValues = { ...EMPTY_FORM, controlGroupPercent: "10" };

export function valuesOf(body: Record<string, unknown>): FormValues {
  return Object.fromEntries(
    FIELDS.map((f) => [f, typeof body[f] === "string" ? (body[f] as string).replace(/\r\n/g, "\n") : ""]),
  ) as FormValues;
}

/** The languages the offer page's title and description are written in; empty ones are left out, as the API would. */
const inLanguages = (values: FormValues, part: "title" | "description") => {
  const written = (["en", "zh-CN"] as const).filter((l) => values[`${part}.${l}`].trim() !== "");
  return written.length > 0 ? Object.fromEntries(written.map((l) => [l, values[`${part}.${l}`]])) : undefined;
};

/**
 * The form as the campaign's input: the English version is `message`, what a customer whose
 * language has no version gets; the Chinese version is a translation, left out when both of its
 * fields are empty. Nothing is validated here: NewCampaign does that, with its own messages.
 */
export function inputOf(values: FormValues): unknown {
  const zh = { subject: values["translations.zh-CN.subject"], html: values["translations.zh-CN.html"] };
  const percent = values.controlGroupPercent.trim();
  return {
    name: values.name,
    segmentId: values.segmentId,
    offer: { productCode: values["offer.productCode"] },
    message: { subject: values["message.subject"], html: values["message.html"] },
    ...(zh.subject.trim() || zh.html.trim() ? { translations: { "zh-CN": zh } } : {}),
    ...(inLanguages(values, "title") ? { title: inLanguages(values, "title") } : {}),
    ...(inLanguages(values, "description") ? { description: inLanguages(values, "description") } : {}),
    controlGroupPercent: percent === "" ? undefined : Number(percent),
  };
}

export function parsed(values: FormValues, language: Language) {
  const result = NewCampaign.safeParse(inputOf(values));
  return result.success
    ? { ok: true as const, input: result.data }
    : { ok: false as const, errors: errorsOf(result.error.issues, language) };
}

const isField = (path: string): path is Field => (FIELDS as readonly string[]).includes(path);

/** zod's issues in the person's language, beside their fields; zod's own (English) words only for what the wizard cannot foresee. */
export function errorsOf(issues: z.core.$ZodIssue[], language: Language): FormErrors {
  const errors: FormErrors = {};
  for (const issue of issues) {
    const path = issue.path.map(String).join(".");
    const field: Field | "form" = isField(path) ? path : "form";
    if (errors[field]) continue;
    errors[field] = messageFor(field, issue, language);
  }
  return errors;
}

function messageFor(field: Field | "form", issue: z.core.$ZodIssue, language: Language): string {
  if (field === "segmentId" || field === "offer.productCode") return t(language, "campaignEditor.error.choose");
  if (field === "controlGroupPercent") return t(language, "campaignEditor.error.percent");
  if (field.startsWith("translations.") && issue.code === "too_small")
    return t(language, "campaignEditor.error.zhHalf");
  if (issue.code === "too_small") return t(language, "campaignEditor.error.required");
  if (issue.code === "too_big") return t(language, "campaignEditor.error.tooLong", { maximum: String(issue.maximum) });
  return issue.message;
}

/**
 * A template the platform refused (prepareTemplate's ValidationError, which names the template
 * as "message.html" or "translations.zh-CN.subject"): beside that field, in the person's language.
 */
export function templateError(message: string, language: Language): FormErrors {
  const named = /^(message|translations\.[\w-]+)\.(subject|html|text)\b/.exec(message);
  if (!named) return { form: message };
  const path = `${named[1]}.${named[2] === "text" ? "html" : named[2]}`;
  const field: Field | "form" = isField(path) ? path : "form";
  const unknown = /unknown field (.+?);/.exec(message);
  const words = /must link to the offer/.test(message)
    ? t(language, "campaignEditor.error.missingOffer")
    : unknown
      ? t(language, "campaignEditor.error.unknownField", { fields: unknown[1] })
      : /must use \{\{field\}\}/.test(message)
        ? t(language, "campaignEditor.error.rawField")
        : /not a valid template/.test(message)
          ? t(language, "campaignEditor.error.template")
          : message;
  return { [field]: words };
}

/**
 * The layout's fixed text on either side of the marketer's content: a campaign keeps the
 * finished email (prepareTemplate), so the content is read back from between them to edit it.
 */
const [BEFORE_CONTENT, AFTER_CONTENT] = (() => {
  const [before, after] = EMAIL_LAYOUT.split("%%content%%");
  return [before.slice(before.lastIndexOf("%%") + 2), after.slice(0, after.indexOf("%%"))];
})();

/** What the marketer wrote into the layout, read back from the finished email. */
export function contentOf(finishedHtml: string): string {
  const start = finishedHtml.indexOf(BEFORE_CONTENT);
  const end = finishedHtml.lastIndexOf(AFTER_CONTENT);
  if (start < 0 || end < start) return finishedHtml;
  return finishedHtml.slice(start + BEFORE_CONTENT.length, end);
}

/** The form prefilled with a draft, to edit it. */
export function valuesOfCampaign(campaign: Campaign): FormValues {
  const zh = campaign.translations?.["zh-CN"];
  return {
    name: campaign.name,
    segmentId: campaign.segmentId,
    "offer.productCode": campaign.offer.productCode,
    "message.subject": campaign.message.subject,
    "message.html": contentOf(campaign.message.html),
    "translations.zh-CN.subject": zh?.subject ?? "",
    "translations.zh-CN.html": zh ? contentOf(zh.html) : "",
    "title.en": campaign.title?.en ?? "",
    "title.zh-CN": campaign.title?.["zh-CN"] ?? "",
    "description.en": campaign.description?.en ?? "",
    "description.zh-CN": campaign.description?.["zh-CN"] ?? "",
    controlGroupPercent: String(campaign.controlGroupPercent),
  };
}
