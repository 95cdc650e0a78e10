import { type BrandReader, currentBrand } from "../campaigns/brand-kit.js";
import type { Campaign } from "../campaigns/campaign.js";
import { type CampaignReader, getCampaign } from "../campaigns/get-campaign.js";
import { renderMessage } from "../campaigns/message.js";
import { consentCategoryOf, refusedCategory } from "../customers/consent.js";
import type { CustomerStore } from "../customers/ports.js";
import { deliveryIdOf, parseDeliveryId } from "../delivery/delivery.js";
import { type LinkAction, offerLinks, readLink } from "../delivery/links.js";
import type { Mailer, SuppressionList } from "../delivery/ports.js";
import { messageFor } from "../delivery/send.js";
import type { SendRate } from "../delivery/send-rate.js";
import { normaliseAddress } from "../delivery/suppression.js";
import { InvalidLinkError, LinkStillValidError } from "../kernel/errors.js";
import type { Language } from "../kernel/language.js";
import type { WithSettings } from "../kernel/settings.js";
import { type Clock, DAY_MS } from "../kernel/time.js";
import type { ResponseStore } from "./ports.js";

export type RenewDeps = {
  customers: Pick<CustomerStore, "get">;
  deliveries: Pick<ResponseStore, "get" | "recordRenewal" | "undoRenewal">;
  mailer: Mailer;
  sendRate: Pick<SendRate, "acquire">;
  suppressions: Pick<SuppressionList, "find">;
} & CampaignReader &
  BrandReader &
  Clock &
  WithSettings<"linkSigningSecret" | "linkTtlDays" | "publicBaseUrl" | "brand" | "attributionWindowDays">;

/**
 * What a press of "Email me a current link" did. sent: one email went to the address on file;
 * already_sent: one went within the last day; ended: the campaign was cancelled, or completed
 * longer ago than its attribution window; paused: the bank stopped its sends for now;
 * not_allowed: the customer's own choices (email consent, the product's category), or an address
 * that bounced or is missing, forbid an email. The page never says which address, nor which choice.
 */
export type RenewalOutcome = "sent" | "already_sent" | "ended" | "paused" | "not_allowed";

/** The links that may be renewed: the offer's, and the preference centre's (whose page offers the same). */
export type RenewableLink = Extract<LinkAction, "offer" | "preferences">;

/** A customer may ask once a day per delivery: a second press says it went, and sends nothing. */
const RENEWAL_INTERVAL_MS = DAY_MS;

/**
 * Whether the campaign's offer still stands. Sending: yes. Completed: for as long as a
 * conversion would still be credited to it (the attribution window), since a renewal after
 * that would offer what the bank no longer counts. Paused: not now (the bank stopped it for a
 * reason, perhaps a wrong rate). Cancelled: ended.
 */
function offerStanding(campaign: Campaign, now: Date, windowDays: number): "live" | "paused" | "ended" {
  if (campaign.status === "sending") return "live";
  if (campaign.status === "paused") return "paused";
  if (campaign.status === "completed") {
    const completed = Date.parse(campaign.completedAt ?? campaign.launchedAt ?? campaign.createdAt);
    return now.getTime() - completed <= windowDays * DAY_MS ? "live" : "ended";
  }
  return "ended";
}

/**
 * The expired link's renewal: at the customer's request, one fresh email with the same
 * campaign's message and fresh offer, unsubscribe and preference links, to the address on file
 * (never one typed on a page), through the sender's path (the same template, sender name and
 * List-Unsubscribe header, within the account's send rate). Quiet hours do not hold it: the
 * customer asked for it just now. It is recorded on the delivery as `renewedAt` and counted
 * as `renewed`, never as `sent`: the funnel's sends stay one per customer.
 */
export async function renewLink(
  p: RenewDeps,
  token: string,
  action: RenewableLink,
): Promise<{ outcome: RenewalOutcome; language: Language }> {
  const now = p.now();
  const claims = readLink(p.settings.linkSigningSecret, token, action, now.getTime());
  if (!claims.expired) throw new LinkStillValidError();
  const key = parseDeliveryId(claims.deliveryId);
  const delivery = await p.deliveries.get(key.campaignId, key.customerId);
  if (!delivery) throw new InvalidLinkError();
  const [campaign, customer] = await Promise.all([getCampaign(p, key.campaignId), p.customers.get(key.customerId)]);
  // The pages speak the email's language: the customer's own where the campaign has it (respond.ts pageLanguage).
  const language: Language = customer && campaign.translations?.[customer.language] ? customer.language : "en";
  const answer = (outcome: RenewalOutcome) => ({ outcome, language });

  const standing = offerStanding(campaign, now, p.settings.attributionWindowDays);
  if (standing !== "live") return answer(standing);
  if (!customer || customer.deletedAt || !customer.email || !customer.emailConsent) return answer("not_allowed");
  if (refusedCategory(customer.consent, consentCategoryOf(campaign.offer.productCode))) return answer("not_allowed");
  if (await p.suppressions.find(normaliseAddress(customer.email))) return answer("not_allowed");

  const at = now.toISOString();
  const before = delivery.renewedAt;
  const notSince = new Date(now.getTime() - RENEWAL_INTERVAL_MS).toISOString();
  if (!(await p.deliveries.recordRenewal(delivery, at, notSince))) return answer("already_sent");
  try {
    const links = offerLinks(p.settings, deliveryIdOf(campaign.campaignId, customer.customerId), now);
    const [template, fields, emailLanguage] = messageFor(campaign, customer);
    await p.sendRate.acquire();
    await p.mailer.send({
      to: customer.email,
      // The kit in force, as the sender names the bank (send.ts).
      fromName: (await currentBrand(p)).senderName[emailLanguage],
      ...renderMessage(template, { ...fields, ...links }),
      unsubscribeUrl: links.unsubscribeUrl,
      // The delivery's tags, as the sender gives them: a bounce of this email suppresses the address too.
      tags: { campaignId: campaign.campaignId, customerId: customer.customerId, renewal: "true" },
    });
  } catch (error) {
    // Nothing went out: the renewal no longer counts, and the customer may press again.
    await p.deliveries.undoRenewal(delivery, at, before).catch(() => {});
    throw error;
  }
  return answer("sent");
}
