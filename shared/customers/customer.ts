import { z } from "zod";
import { idNamed } from "../kernel/ids.js";
import { DEFAULT_LANGUAGE, Language } from "../kernel/language.js";
import { ProductCode } from "../kernel/products.js";
import { Tier } from "../kernel/tiers.js";
import { CampaignAnswers } from "./answers.js";
import { Consent, NO_CONSENT_RECORDED } from "./consent.js";
import { CustomerDetails } from "./details.js";
import { AumSnapshot, TierChange } from "./history.js";

export const CustomerId = idNamed("customerId");

export const CustomerType = z.enum(["individual", "corporate"]);

/** The languages offers are written in (kernel/language.ts); zh-CN unless the customer chose otherwise. */
export { DEFAULT_LANGUAGE, Language } from "../kernel/language.js";
export const DEFAULT_TIME_ZONE = "Asia/Shanghai";

/** Risk tolerance from the suitability assessment, C1 (conservative) to C5 (aggressive). */
export const RiskTolerance = z.enum(["C1", "C2", "C3", "C4", "C5"]);

/** Building an Intl formatter costs ~100 µs and every scanned customer is checked: remember the answers. */
const knownTimeZones = new Map<string, boolean>();
const isTimeZone = (zone: string) => {
  let known = knownTimeZones.get(zone);
  if (known === undefined) {
    try {
      new Intl.DateTimeFormat("en", { timeZone: zone });
      known = true;
    } catch {
      known = false;
    }
    if (knownTimeZones.size < 1000) knownTimeZones.set(zone, known);
  }
  return known;
};
export const TimeZone = z
  .string()
  .refine(isTimeZone, { message: "timeZone must be an IANA time zone such as Asia/Shanghai" });

/** A customer as stored. Tiers are for individuals; a corporate client has no AUM tier. */
export const Customer = z.object({
  customerId: CustomerId,
  type: CustomerType,
  name: z.string().min(1),
  email: z.email().optional(),
  phone: z.string().optional(),
  aum: z.number().nonnegative(),
  tier: Tier.nullable(),
  products: z.array(ProductCode),
  region: z.string().min(1),
  /** The email channel's answer, kept equal to consent.channels.email: the flag every send checks. */
  emailConsent: z.boolean(),
  /** Every channel's and product category's answer, with its source and time. */
  consent: Consent.default(NO_CONSENT_RECORDED),
  language: Language.default(DEFAULT_LANGUAGE),
  timeZone: TimeZone.default(DEFAULT_TIME_ZONE),
  riskTolerance: RiskTolerance.optional(),
  /** The relationship manager (客户经理) who looks after the customer; sees their contact data in full. */
  relationshipManager: z.string().optional(),
  /**
   * The relationship manager's name as the customer knows them ("王经理", "Ms Wang"), shown on
   * the offer page; `relationshipManager` is a staff sign-in name, never shown to a customer.
   */
  relationshipManagerName: z.string().optional(),
  /** Every tier the customer was given, oldest first: a rule can ask who just moved up. */
  tierHistory: z.array(TierChange).default([]),
  /** The AUM each import reported when it changed, oldest first: the lifecycle stage's trend. */
  aumHistory: z.array(AumSnapshot).default([]),
  /** When a campaign email was last sent (answers.ts): only moves forward; no import writes it. */
  lastContactedAt: z.iso.datetime().optional(),
  /** The latest answer per campaign, the latest ANSWERS_LIMIT (50) campaigns: no import writes it. */
  answers: CampaignAnswers.optional(),
  ...CustomerDetails.shape,
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  /** Soft deletion: out of every segment and campaign at once, restorable until purgeAt. */
  deletedAt: z.iso.datetime().optional(),
  /** Epoch seconds: DynamoDB's TTL attribute on the customers table purges the record then. */
  purgeAt: z.number().int().optional(),
});
export type Customer = z.infer<typeof Customer>;
