import { type CustomerReader, getCustomer } from "../customers/get-customer.js";
import type { WithSettings } from "../kernel/settings.js";
import { daysBefore } from "../kernel/time.js";
import type { Attribution, NewConversion } from "./conversions.js";
import type { ResponseStore } from "./ports.js";

export type ConversionDeps = { deliveries: Pick<ResponseStore, "latestOffer" | "recordConversion"> } & CustomerReader &
  WithSettings<"attributionWindowDays">;

/**
 * Credits a product opening to the latest campaign that offered that product to the customer
 * within the attribution window, treated or control alike: control conversions are the baseline.
 */
export async function recordConversion(p: ConversionDeps, input: NewConversion): Promise<Attribution> {
  await getCustomer(p, input.customerId);
  const occurredAt = new Date(input.occurredAt);
  const from = daysBefore(occurredAt, p.settings.attributionWindowDays);
  const offer = await p.deliveries.latestOffer(
    input.customerId,
    input.productCode,
    from.toISOString(),
    occurredAt.toISOString(),
  );
  return p.deliveries.recordConversion({ ...input, occurredAt: occurredAt.toISOString() }, offer);
}
