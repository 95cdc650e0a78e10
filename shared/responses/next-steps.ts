/**
 * What the bank tells a customer happens after their answer (the pages after an answer say it).
 * Numbers the bank keeps; both are promises to the customer, so they are named here, once.
 */

/** "Interested": the relationship manager or the branch contacts the customer within this many working days. */
export const INTERESTED_CONTACT_WORKING_DAYS = 2;

/**
 * "Not now": the bank leaves the product alone for this many days (customers/answers.ts, where
 * saidNotNowTo says so; the fan-out holds such a customer back as `asked_not_now`, decide.ts).
 */
export { NOT_NOW_QUIET_DAYS } from "../customers/answers.js";
