import type { Answer } from "../customers/answers.js";
import type { Delivery } from "../delivery/delivery.js";
import type { DeliveryKey } from "../delivery/ports.js";
import type { Attribution, Conversion, RecordedConversion } from "./conversions.js";

/** What customers and core banking add to a delivery after it went out: clicks, answers, conversions. */
export interface ResponseStore {
  get(campaignId: string, customerId: string): Promise<Delivery | null>;
  recordClick(delivery: Delivery, at: string): Promise<void>;
  recordAnswer(delivery: Delivery, answer: Answer, at: string): Promise<void>;
  /** The customer's request for the email again, on a sent delivery not renewed since `notSince`; false when it was. */
  recordRenewal(delivery: DeliveryKey, at: string, notSince: string): Promise<boolean>;
  /** The renewal at `at` did not go out: `renewedAt` back to what it was, the count back down. */
  undoRenewal(delivery: DeliveryKey, at: string, before: string | undefined): Promise<void>;
  /** The latest treated or control offer of the product to the customer in [from, to]. */
  latestOffer(customerId: string, productCode: string, from: string, to: string): Promise<Delivery | null>;
  /** Stores the conversion once (same customer, product and time = same conversion) and credits the delivery. */
  recordConversion(conversion: Conversion, delivery: Delivery | null): Promise<Attribution>;
  /** The customer's latest `limit` recorded conversions, newest first. */
  conversionsOf(customerId: string, limit: number): Promise<RecordedConversion[]>;
}
