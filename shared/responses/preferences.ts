import type { AuditEntry } from "../customers/changes.js";
import { Channel, type PreferenceCategory, type Preferences, preferencesOf } from "../customers/consent.js";
import type { Customer } from "../customers/customer.js";
import { maskEmail } from "../customers/masking.js";
import type { CustomerChangeStore, CustomerStore } from "../customers/ports.js";
import { deliveryIdOf, parseDeliveryId } from "../delivery/delivery.js";
import { linkToken, readLink } from "../delivery/links.js";
import { ExpiredLinkOptInError, InvalidLinkError } from "../kernel/errors.js";
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
  /**
   * The link is older than LINK_TTL_DAYS: it may turn things off, never on (an old email may be
   * in someone else's hands), and its page shows neither the address nor the choices in force.
   */
  expired?: true;
};

/** Something the preference centre can turn on or off: a channel or a kind of product. */
export type Choice = Channel | PreferenceCategory;

/** Where a change made in the preference centre is recorded as having come from: its proof, with the time. */
export const preferenceCentreSource = (campaignId: string) => `preference centre, link of campaign ${campaignId}`;

const isChannel = (choice: Channel | PreferenceCategory): choice is Channel => Channel.safeParse(choice).success;

const addressOf = (customer: Customer) => (customer.email ? { address: maskEmail(customer.email) } : {});

/** The link's delivery, and whether the link has expired: an expired one still opts out (changePreferences). */
function linkClaims(p: PreferenceDeps, token: string) {
  const claims = readLink(p.settings.linkSigningSecret, token, "preferences", p.now().getTime());
  return { ...parseDeliveryId(claims.deliveryId), expired: claims.expired };
}

/** The view of an expired link: the language only. What is in force is not an old email's to see. */
const expiredView = (customer: Customer, preferences: Preferences) => ({
  preferences,
  language: customer.language,
  expired: true as const,
});

/** The customer a link names; a deleted or unknown one is refused as any link that leads nowhere is. */
async function customerOf(p: PreferenceDeps, customerId: string): Promise<Customer> {
  const customer = await p.customers.get(customerId);
  if (!customer || customer.deletedAt) throw new InvalidLinkError();
  return customer;
}

export async function openPreferences(p: PreferenceDeps, token: string): Promise<PreferencesView> {
  const { customerId, expired } = linkClaims(p, token);
  const customer = await customerOf(p, customerId);
  if (expired) return expiredView(customer, preferencesOf(customer));
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
  const { campaignId, customerId, expired } = linkClaims(p, token);
  const customer = await customerOf(p, customerId);
  const at = p.now().toISOString();
  const source = preferenceCentreSource(campaignId);
  const before = preferencesOf(customer);
  if (expired && turnsOn(before, chosen).length > 0) throw new ExpiredLinkOptInError();
  const result = await p.customers.recordPreferences(customerId, chosen, source, at);
  if (!result) throw new InvalidLinkError();
  // The audit trail shows the customer's own choices beside the staff's edits, each a line.
  await p.customerChanges.appendAudit(
    result.changed.map((choice) => auditOf(customerId, choice, before, chosen, source, at)),
  );
  // What was chosen is now in force, answer by answer (chosenConsent): no second read, which could be stale.
  if (expired) return { ...expiredView(customer, chosen), changed: result.changed };
  return { preferences: chosen, language: customer.language, ...addressOf(customer), changed: result.changed };
}

const isOn = (p: Preferences, choice: Choice) => (isChannel(choice) ? p.channels[choice] : p.categories[choice]);

/** The choices `after` turns on that `before` has off. */
const turnsOn = (before: Preferences, after: Preferences): Choice[] =>
  [...Channel.options, ...(Object.keys(after.categories) as PreferenceCategory[])].filter(
    (choice) => isOn(after, choice) && !isOn(before, choice),
  );

/**
 * Turns off what the customer names and leaves the rest as it is: the expired link's form,
 * which names only what to stop (it cannot see what is on). `everything` stops every channel
 * and every kind of product.
 */
export async function optOut(
  p: PreferenceDeps,
  token: string,
  stop: Choice[] | "everything",
): Promise<PreferencesView> {
  const { customerId } = linkClaims(p, token);
  const current = preferencesOf(await customerOf(p, customerId));
  const off = (choice: Choice) => stop === "everything" || stop.includes(choice);
  const chosen: Preferences = {
    channels: Object.fromEntries(
      Object.entries(current.channels).map(([c, on]) => [c, on && !off(c as Channel)]),
    ) as Preferences["channels"],
    categories: Object.fromEntries(
      Object.entries(current.categories).map(([c, on]) => [c, on && !off(c as PreferenceCategory)]),
    ) as Preferences["categories"],
  };
  return changePreferences(p, token, chosen);
}

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
