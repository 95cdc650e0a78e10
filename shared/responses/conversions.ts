import { z } from "zod";
import type { Attribution, Platform } from "../ports/index.js";
import { CustomerId, getCustomer } from "../customers/customer.js";
import { ProductCode } from "../kernel/products.js";

export const NewConversion = z.object({
  customerId: CustomerId,
  productCode: ProductCode,
  amount: z.number().nonnegative(),
  occurredAt: z.iso.datetime({ offset: true, error: "occurredAt must be an ISO 8601 date-time, e.g. 2026-11-23T10:00:00Z" }),
});
export type NewConversion = z.infer<typeof NewConversion>;

/**
 * Credits a product opening to the latest campaign that offered that product to the customer
 * within the attribution window, treated or control alike: control conversions are the baseline.
 */
export async function recordConversion(p: Platform, input: NewConversion): Promise<Attribution> {
  await getCustomer(p, input.customerId);
  const occurredAt = new Date(input.occurredAt);
  const from = new Date(occurredAt.getTime() - p.settings.attributionWindowDays * 86_400_000);
  const offer = await p.deliveries.latestOffer(input.customerId, input.productCode, from.toISOString(), occurredAt.toISOString());
  return p.deliveries.recordConversion({ ...input, occurredAt: occurredAt.toISOString() }, offer);
}
