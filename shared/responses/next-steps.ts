/**
 * What the bank tells a customer happens after their answer (the pages after an answer say it).
 * Numbers the bank keeps; both are promises to the customer, so they are named here, once.
 */

/** "Interested": the relationship manager or the branch contacts the customer within this many working days. */
export const INTERESTED_CONTACT_WORKING_DAYS = 2;

/**
 * "Not now": the bank leaves the product alone for this many days. The platform does not decide
 * this anywhere yet (no rule holds back a customer who said not now to another campaign of the
 * same product); the README's "Not done yet" says so.
 */
export const NOT_NOW_QUIET_DAYS = 90;
