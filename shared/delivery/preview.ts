import { z } from "zod";
import { type BrandReader, currentBrand } from "../campaigns/brand-kit.js";
import type { Campaign } from "../campaigns/campaign.js";
import { type CampaignReader, getCampaign } from "../campaigns/get-campaign.js";
import { renderMessage } from "../campaigns/message.js";
import type { CampaignStore } from "../campaigns/ports.js";
import type { Customer } from "../customers/customer.js";
import { maskName, seesContactData } from "../customers/masking.js";
import type { CustomerStore } from "../customers/ports.js";
import { forSampleOfCustomers } from "../customers/scan.js";
import type { Actor } from "../kernel/actor.js";
import { NotFoundError, NotInSegmentError, TestSendLimitError, ValidationError } from "../kernel/errors.js";
import type { Language } from "../kernel/language.js";
import type { WithSettings } from "../kernel/settings.js";
import type { Clock } from "../kernel/time.js";
import { matches } from "../segments/rule.js";
import type { Mailer } from "./ports.js";
import { messageFor } from "./send.js";

/** A campaign's email as one customer of its segment would get it, with the languages it has a version in. */
export type MessagePreview = {
  customerId: string;
  /** The language the email is written in: the one asked for when the campaign has a version in it, else English. */
  language: Language;
  subject: string;
  html: string;
  text: string;
  /** The languages the campaign has a version for: English (its message) and each translation's. */
  languages: Language[];
};

export type PreviewMessageDeps = {
  customers: Pick<CustomerStore, "get" | "scanShard" | "approximateCount">;
} & CampaignReader &
  BrandReader &
  Clock &
  WithSettings<"fanoutShards" | "fanoutPageSize" | "lifecycle" | "publicBaseUrl" | "brand" | "syncCountMaxCustomers">;

/**
 * The links a preview or a test email carries: the customer pages' own paths with the token
 * `preview`, which has no signature, so those pages refuse it as a link that is not valid. A
 * preview shows where each link goes and can never answer, unsubscribe or change a real
 * customer's preferences, nor be counted as a click.
 */
export function previewLinks(settings: { publicBaseUrl: string }) {
  const base = settings.publicBaseUrl.replace(/\/$/, "");
  return {
    offerUrl: `${base}/o/preview`,
    unsubscribeUrl: `${base}/u/preview`,
    preferencesUrl: `${base}/p/preview`,
  };
}

/** English, the language of the campaign's message, then each language it has a translation in. */
const languagesOf = (campaign: Campaign): Language[] => [
  ...new Set<Language>(["en", ...(Object.keys(campaign.translations ?? {}) as Language[])]),
];

/**
 * The campaign's finished email for a real customer of its segment, rendered as the sender
 * renders it (messageFor: the same version per language, the name, tier and product named in
 * that language), in `language` when given, else in the customer's own. The customer is
 * `customerId` when given and in the segment, else the first member found who reads
 * `language` (or anyone, when none does in the pages read). The name is masked as the API
 * masks it for the actor's role; the links are inert (previewLinks).
 */
export async function previewCampaignMessage(
  p: PreviewMessageDeps,
  campaignId: string,
  options: { customerId?: string; language?: Language },
  actor: Actor,
): Promise<MessagePreview> {
  const campaign = await getCampaign(p, campaignId);
  const customer = options.customerId
    ? await memberNamed(p, campaign, options.customerId)
    : await firstMember(p, campaign, options.language);
  const name = seesContactData(actor, customer) ? customer.name : maskName(customer.name);
  const [template, fields, language] = messageFor(campaign, {
    ...customer,
    language: options.language ?? customer.language,
  });
  const rendered = renderMessage(template, { ...fields, name, ...previewLinks(p.settings) });
  return { customerId: customer.customerId, language, ...rendered, languages: languagesOf(campaign) };
}

/** Membership as the launch judges it: the campaign's own copy of the rule, now. */
const isMember = (p: PreviewMessageDeps, campaign: Campaign, customer: Customer) =>
  matches(campaign.segmentRule, customer, { at: p.now(), lifecycle: p.settings.lifecycle });

async function memberNamed(p: PreviewMessageDeps, campaign: Campaign, customerId: string): Promise<Customer> {
  const customer = await p.customers.get(customerId);
  if (!customer || customer.deletedAt) throw new NotFoundError("Customer", customerId);
  if (!isMember(p, campaign, customer)) {
    throw new NotInSegmentError(
      `Customer '${customerId}' is not in the segment of campaign '${campaign.campaignId}': preview with one of its members, or leave customerId out`,
    );
  }
  return customer;
}

/**
 * The first member met who reads `language`, else the first member in any language, among the
 * customers a request may read (forSampleOfCustomers: at most SYNC_COUNT_MAX_CUSTOMERS, the
 * first pages of every shard in step, so the same data gives the same customer each time). It
 * stops at the first match. A segment with no member among them, a handful of customers in a
 * bank of millions, is told so with what to do: name a customer to preview with.
 */
async function firstMember(p: PreviewMessageDeps, campaign: Campaign, language?: Language): Promise<Customer> {
  let found: Customer | undefined;
  let fallback: Customer | undefined;
  const coverage = await forSampleOfCustomers(p, (customers) => {
    for (const customer of customers) {
      if (!isMember(p, campaign, customer)) continue;
      if (!language || customer.language === language) {
        found = customer;
        return "enough";
      }
      fallback ??= customer;
    }
  });
  const member = found ?? fallback;
  if (member) return member;
  throw new NotInSegmentError(
    coverage.complete
      ? `No customer found in the segment of campaign '${campaign.campaignId}' to preview with: name one with customerId`
      : `No customer of the segment of campaign '${campaign.campaignId}' among the ${coverage.read} customers a request reads (SYNC_COUNT_MAX_CUSTOMERS): name one to preview with, with customerId`,
  );
}

/** What a test email's subject starts with, in the email's language, so nobody takes it for an offer. */
export const TEST_SUBJECT_PREFIX: Record<Language, string> = { en: "[TEST] ", "zh-CN": "[测试] " };

export type TestSendDeps = PreviewMessageDeps & {
  mailer: Mailer;
  campaigns: Pick<CampaignStore, "get" | "record" | "history">;
};

/**
 * How many test emails of one campaign a person may send in an hour: enough to check each
 * language after each edit, and a ceiling on a loop or a stuck key sending the bank's own mail
 * account into SES's reputation checks. Counted from the campaign's history, so no store of its own.
 */
export const TEST_SENDS_PER_HOUR = 10;

const TestAddress = z.email();

/**
 * Sends the preview (previewCampaignMessage) to a member of staff, through the platform's mailer
 * as a real send goes (the same MIME, the sender's name in the email's language), its subject
 * marked as a test. It is no delivery: it is never counted in the campaign's numbers, and its
 * tags name no delivery, so SES's reports about it change none. The history records who sent a
 * test and when, never to which address.
 */
export async function sendTestEmail(
  p: TestSendDeps,
  campaignId: string,
  options: { to: string; language?: Language; customerId?: string },
  actor: Actor,
): Promise<{ messageId: string; to: string; language: Language }> {
  if (!TestAddress.safeParse(options.to).success) {
    throw new ValidationError(
      "to is not an email address: a test email goes to one address, such as name@bank.example",
    );
  }
  await refuseBeyondHourlyLimit(p, campaignId, actor);
  const preview = await previewCampaignMessage(p, campaignId, options, actor);
  const { messageId } = await p.mailer.send({
    to: options.to,
    fromName: (await currentBrand(p)).senderName[preview.language],
    subject: `${TEST_SUBJECT_PREFIX[preview.language]}${preview.subject}`,
    html: preview.html,
    text: preview.text,
    unsubscribeUrl: previewLinks(p.settings).unsubscribeUrl,
    tags: { testSend: campaignId },
  });
  await p.campaigns.record(campaignId, "test_sent", { by: actor.name, at: p.now().toISOString() });
  return { messageId, to: options.to, language: preview.language };
}

async function refuseBeyondHourlyLimit(p: TestSendDeps, campaignId: string, actor: Actor): Promise<void> {
  const hourAgo = p.now().getTime() - 3_600_000;
  const mine = (await p.campaigns.history(campaignId)).filter(
    (e) => e.event === "test_sent" && e.by === actor.name && Date.parse(e.at) > hourAgo,
  );
  if (mine.length < TEST_SENDS_PER_HOUR) return;
  const again = new Date(Date.parse(mine[mine.length - TEST_SENDS_PER_HOUR].at) + 3_600_000);
  throw new TestSendLimitError(
    `You sent ${mine.length} test emails of campaign '${campaignId}' in the last hour, the most an hour allows: the next may go at ${again.toISOString()}`,
  );
}
