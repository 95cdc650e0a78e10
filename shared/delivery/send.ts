import { type BrandReader, currentBrand } from "../campaigns/brand-kit.js";
import type { Campaign } from "../campaigns/campaign.js";
import { type CampaignReader, getCampaign } from "../campaigns/get-campaign.js";
import { type MessageFields, type MessageTemplate, renderMessage } from "../campaigns/message.js";
import { consentCategoryOf, refusedCategory } from "../customers/consent.js";
import type { Customer } from "../customers/customer.js";
import type { CustomerStore } from "../customers/ports.js";
import {
  DeliveryAlreadyClaimedError,
  MailDeferredError,
  MailRejectedError,
  SendDeferredError,
} from "../kernel/errors.js";
import type { Language } from "../kernel/language.js";
import { PRODUCT_CATALOGUE, PRODUCT_NAMES } from "../kernel/products.js";
import type { WithSettings } from "../kernel/settings.js";
import { TIER_LABELS, TIER_LABELS_ZH } from "../kernel/tiers.js";
import type { Clock } from "../kernel/time.js";
import { type HoldDeps, holdForCampaign } from "./control.js";
import { deliveryIdOf, type WithdrawalReason } from "./delivery.js";
import type { SendJob } from "./jobs.js";
import { offerLinks } from "./links.js";
import type { DeliveryKey, DeliveryStore, Mailer, SuppressionList } from "./ports.js";
import { secondsUntilAwake } from "./quiet-hours.js";
import type { SendRate } from "./send-rate.js";
import { normaliseAddress } from "./suppression.js";

export type SendDeps = {
  customers: Pick<CustomerStore, "get" | "recordContact">;
  deliveries: Pick<DeliveryStore, "claim" | "get" | "withdraw" | "release" | "recordSent" | "recordFailed">;
  mailer: Mailer;
  /** Held to the account's quota across every sender (send-rate.ts). */
  sendRate: Pick<SendRate, "acquire">;
  suppressions: Pick<SuppressionList, "find">;
} & CampaignReader &
  BrandReader &
  HoldDeps &
  Clock &
  WithSettings<"quietHours" | "linkSigningSecret" | "linkTtlDays" | "publicBaseUrl" | "brand">;

/** held: the campaign is paused, and the send comes back later (control.ts). */
export type SendOutcome = "sent" | "failed" | "withdrawn" | "already_claimed" | "held";

/** The statuses before a launch, in which a campaign may still change. */
const NOT_LAUNCHED: readonly Campaign["status"][] = ["draft", "submitted", "approved"];
/** A launched campaign's offer and message no longer change, so a container reads each once. */
const launched = new Map<string, Campaign>();
async function launchedCampaign(p: CampaignReader, campaignId: string): Promise<Campaign> {
  const cached = launched.get(campaignId);
  if (cached) return cached;
  const campaign = await getCampaign(p, campaignId);
  if (!NOT_LAUNCHED.includes(campaign.status)) launched.set(campaignId, campaign);
  return campaign;
}

/**
 * Sends one offer at most once. The claim (queued -> sending) is a conditional write on the
 * business key, so a redelivered or duplicated message finds the delivery claimed and stops.
 * If the mail call's outcome is unknown the delivery stays 'sending' and is never retried: SES's
 * own Send event confirms it if SES took the email, else the reconciler settles it as
 * `unconfirmed` (reconcile.ts). A failure before the mail call puts the claim back, so the
 * message's next receive tries again, and its last one marks the delivery stuck (the sender).
 * The caller settles the campaign once per batch (settleCampaigns), not once per email.
 *
 * After a send, the customer's lastContactedAt (for "contactedWithinDays" rules) is written
 * last, once the delivery says `sent`: a failure there can no longer undo or repeat the send.
 * It throws, so SQS delivers the message again; the redelivery finds the delivery claimed and
 * writes the contact from the recorded sentAt (repairContact). The write only moves forward,
 * so doing it twice, or late, changes nothing.
 */
export async function sendOffer(p: SendDeps, job: SendJob): Promise<SendOutcome> {
  const delivery = { campaignId: job.campaignId, customerId: job.customerId };
  const now = p.now();
  try {
    await p.deliveries.claim(delivery, now.toISOString());
  } catch (error) {
    if (!(error instanceof DeliveryAlreadyClaimedError)) throw error;
    await repairContact(p, delivery);
    return "already_claimed";
  }
  let ready: Awaited<ReturnType<typeof prepareSend>>;
  try {
    ready = await prepareSend(p, delivery, now);
  } catch (error) {
    // Nothing reached the mail service: the claim goes back and the message's next receive tries
    // again. Were the release to fail too, the delivery stays claimed and is settled, never sent twice.
    if (!(error instanceof SendDeferredError)) await p.deliveries.release(delivery, now.toISOString()).catch(() => {});
    throw error;
  }
  if (typeof ready === "string") return ready;
  const { customer, message, links } = ready;
  try {
    // Right before the send: a slot the rate has room for; none in time is MailDeferredError, as a throttle is.
    // The wait for a slot lasts seconds when the rate bites (twenty sends in flight at two a second):
    // a pause or a cancel made meanwhile holds this send too, not only the next ones claimed. The
    // status is read again after each wait, before a slot is taken, so that nothing comes between
    // the slot and the mail call.
    let control: Awaited<ReturnType<typeof holdForCampaign>> = "send";
    await p.sendRate.acquire(async () => {
      control = await holdForCampaign(p, delivery).catch(async (error) => {
        // Nothing reached the mail service: the claim goes back, as before the wait (prepareSend).
        await p.deliveries.release(delivery, now.toISOString()).catch(() => {});
        throw error;
      });
      return control === "send";
    });
    if (control !== "send") return control;
    const { messageId } = await p.mailer.send({
      to: customer.email!,
      ...message,
      unsubscribeUrl: links.unsubscribeUrl,
      // The mail system's events carry these back (mail.tags): they name the delivery (feedback.ts).
      tags: { campaignId: delivery.campaignId, customerId: customer.customerId },
    });
    await p.deliveries.recordSent(delivery, messageId, now.toISOString());
    await p.customers.recordContact(customer.customerId, now.toISOString());
    return "sent";
  } catch (error) {
    if (error instanceof MailDeferredError) {
      // Comes back within seconds: a copy for the rate (the sender), or the message itself for a throttle.
      await p.deliveries.release(delivery, now.toISOString());
      throw error;
    }
    if (!(error instanceof MailRejectedError)) throw error;
    await p.deliveries.recordFailed(delivery, error.message);
    return "failed";
  }
}

/**
 * Everything a claimed delivery needs before the mail call: the campaign's status, the
 * customer as they are now, the suppression list, quiet hours, and the message itself. A
 * delivery held, withdrawn or deferred here never reaches the mail service.
 */
async function prepareSend(p: SendDeps, delivery: DeliveryKey, now: Date) {
  // Read fresh for each send: a paused campaign holds it, a cancelled one withdraws it (control.ts).
  const control = await holdForCampaign(p, delivery);
  if (control !== "send") return control;
  const [campaign, customer] = await Promise.all([
    launchedCampaign(p, delivery.campaignId),
    p.customers.get(delivery.customerId),
  ]);
  const withdrawal = withdrawalFor(customer, campaign);
  if (withdrawal || !customer?.email) {
    await p.deliveries.withdraw(delivery, withdrawal ?? "no_email_address");
    return "withdrawn";
  }
  // The address may have hard-bounced since the fan-out, in this campaign or another.
  if (await p.suppressions.find(normaliseAddress(customer.email))) {
    await p.deliveries.withdraw(delivery, "address_bounced");
    return "withdrawn";
  }
  const wait = secondsUntilAwake(customer.customerId, customer.timeZone, now, p.settings.quietHours ?? null);
  if (wait > 0) {
    // Back to queued, as if never claimed: the message comes again when the customer is awake.
    await p.deliveries.release(delivery, new Date(now.getTime() + wait * 1000).toISOString());
    throw new SendDeferredError(wait);
  }
  const links = offerLinks(p.settings, deliveryIdOf(campaign.campaignId, customer.customerId), now);
  const [template, fields, language] = messageFor(campaign, customer);
  // The sender's name in the language the email is written in, as its footer names the bank.
  // The kit in force (kept a minute per container, brand-kit.ts), not read from DynamoDB per email.
  const fromName = (await currentBrand(p)).senderName[language];
  return { customer, links, message: { fromName, ...renderMessage(template, { ...fields, ...links }) } };
}

/** Why a customer fanned out earlier must not get the email now, counted under that reason. */
function withdrawalFor(customer: Customer | null, campaign: Campaign): WithdrawalReason | null {
  if (!customer || customer.deletedAt) return "customer_deleted"; // purged, or deleted and not yet purged
  if (!customer.emailConsent) return "consent_withdrawn";
  if (!customer.email) return "no_email_address";
  // Turned off in the preference centre since the fan-out: the customer's choice holds from now.
  if (refusedCategory(customer.consent, consentCategoryOf(campaign.offer.productCode))) return "category_refused";
  return null;
}

/**
 * The template the customer gets, the product and tier named to match it, and its language:
 * their own language's version when the campaign has one, else the campaign's message, whose
 * fields are in English as they always were. A preview renders with it too (preview.ts).
 */
export function messageFor(
  campaign: Campaign,
  customer: Customer,
): [MessageTemplate, Omit<MessageFields, "offerUrl" | "unsubscribeUrl">, Language] {
  const translated = campaign.translations?.[customer.language];
  const chinese = translated !== undefined && customer.language === "zh-CN";
  const tier = customer.tier
    ? (chinese ? TIER_LABELS_ZH : TIER_LABELS)[customer.tier]
    : chinese
      ? "公司客户"
      : "Corporate";
  const product = chinese
    ? PRODUCT_CATALOGUE[campaign.offer.productCode].nameZh
    : PRODUCT_NAMES[campaign.offer.productCode];
  return [
    translated ?? campaign.message,
    { name: customer.name, tier, product },
    translated !== undefined ? customer.language : "en",
  ];
}

/** A message seen again: if its offer went out, the contact may not have been recorded yet. */
async function repairContact(p: SendDeps, key: { campaignId: string; customerId: string }): Promise<void> {
  const delivery = await p.deliveries.get(key.campaignId, key.customerId);
  if (delivery?.status === "sent" && delivery.sentAt) await p.customers.recordContact(key.customerId, delivery.sentAt);
}
