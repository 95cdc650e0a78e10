import type { AuditEntry } from "../customers/changes.js";
import { Channel, type PreferenceCategory, type Preferences, preferencesOf } from "../customers/consent.js";
import type { Customer } from "../customers/customer.js";
import { maskEmail } from "../customers/masking.js";
import type { CustomerChangeStore, CustomerStore } from "../customers/ports.js";
import { deliveryIdOf, parseDeliveryId } from "../delivery/delivery.js";
import { linkToken, verifyLink } from "../delivery/links.js";
import { InvalidLinkError } from "../kernel/errors.js";
import type { Language } from "../kernel/language.js";
import type { WithSettings } from "../kernel/settings.js";
import type { Clock } from "../kernel/time.js";

/**
 * The preference centre: a customer sees and changes, themself, which channels the bank may
 * offer them products by and which kinds of product it may offer (consent.ts). The signed link
 * in every email's footer, and on the pages after an answer, is the only credential; its token
 * names the delivery it came with, so the customer and the campaign whose email they used.
 */
export type PreferenceDeps = {
  customers: Pick<CustomerStore, "get" | "recordPreferences">;
  customerChanges: Pick<CustomerChangeStore, "appendAudit">;
} & Clock &
  WithSettings<"linkSigningSecret" | "linkTtlDays">;

/** What the preference centre shows: the choices in force, in the customer's own language. */
export type PreferencesView = {
  preferences: Preferences;
  language: Language;
  /** The customer's email address, masked: enough for them to know the page is theirs. */
  address?: string;
  /** After a save: what the customer changed (empty when they saved what was shown). */
  changed?: (Channel | PreferenceCategory)[];
};

/** Where a change made in the preference centre is recorded as having come from: its proof, with the time. */
export const preferenceCentreSource = (campaignId: string) => `preference centre, link of campaign ${campaignId}`;

const addressOf = (customer: Customer) => (customer.email ? { address: maskEmail(customer.email) } : {});

function linkClaims(p: PreferenceDeps, token: string) {
  const claims = verifyLink(p.settings.linkSigningSecret, token, "preferences", p.now().getTime());
  return parseDeliveryId(claims.deliveryId);
}

/** The customer a link names; a deleted or unknown one is refused as any link that leads nowhere is. */
async function customerOf(p: PreferenceDeps, customerId: string): Promise<Customer> {
  const customer = await p.customers.get(customerId);
  if (!customer || customer.deletedAt) throw new InvalidLinkError();
  return customer;
}

export async function openPreferences(p: PreferenceDeps, token: string): Promise<PreferencesView> {
  const { customerId } = linkClaims(p, token);
  const customer = await customerOf(p, customerId);
  return { preferences: preferencesOf(customer), language: customer.language, ...addressOf(customer) };
}

/**
 * Records the customer's choices: each answer they changed becomes a record of their own, with
 * the preference centre and the time as its proof (chosenConsent), so no import undoes a
 * withdrawal. Returns the page after the save.
 */
export async function changePreferences(
  p: PreferenceDeps,
  token: string,
  chosen: Preferences,
): Promise<PreferencesView> {
  const { campaignId, customerId } = linkClaims(p, token);
  const customer = await customerOf(p, customerId);
  const at = p.now().toISOString();
  const source = preferenceCentreSource(campaignId);
  const before = preferencesOf(customer);
  const result = await p.customers.recordPreferences(customerId, chosen, source, at);
  if (!result) throw new InvalidLinkError();
  // The audit trail shows the customer's own choices beside the staff's edits, each a line.
  await p.customerChanges.appendAudit(
    result.changed.map((choice) => auditOf(customerId, choice, before, chosen, source, at)),
  );
  // What was chosen is now in force, answer by answer (chosenConsent): no second read, which could be stale.
  return { preferences: chosen, language: customer.language, ...addressOf(customer), changed: result.changed };
}

const isChannel = (choice: Channel | PreferenceCategory): choice is Channel => Channel.safeParse(choice).success;

/** One line of the audit trail for a choice the customer changed: by the customer, with its proof as the reason. */
function auditOf(
  customerId: string,
  choice: Channel | PreferenceCategory,
  before: Preferences,
  after: Preferences,
  source: string,
  at: string,
): AuditEntry {
  const state = (p: Preferences) => ((isChannel(choice) ? p.channels[choice] : p.categories[choice]) ? "on" : "off");
  return {
    customerId,
    at,
    actor: "customer",
    action: "consent",
    field: isChannel(choice) ? `channel.${choice}` : `category.${choice}`,
    before: state(before),
    after: state(after),
    reason: source,
  };
}

/** The preference centre's token for the customer of a delivery, for the pages after an answer. */
export const preferencesToken = (
  p: Clock & WithSettings<"linkSigningSecret" | "linkTtlDays">,
  delivery: { campaignId: string; customerId: string },
) => linkToken(p.settings, deliveryIdOf(delivery.campaignId, delivery.customerId), "preferences", p.now());
