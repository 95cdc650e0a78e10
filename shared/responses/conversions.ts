import { z } from "zod";
import { CustomerId, type CustomerReader, getCustomer } from "../customers/customer.js";
import { ProductCode } from "../kernel/products.js";
import type { WithSettings } from "../kernel/settings.js";
import { daysBefore } from "../kernel/time.js";
import type { ResponseStore } from "./ports.js";

export type Conversion = { customerId: string; productCode: string; amount: number; occurredAt: string };
export type Attribution = { attributedTo: string | null; group: "treated" | "control" | null };

/** A product opening core banking reported, with the campaign it was credited to. */
export const RecordedConversion = z.object({
  productCode: ProductCode,
  amount: z.number(),
  occurredAt: z.iso.datetime(),
  attributedTo: z.string().nullable(),
  group: z.enum(["treated", "control"]).nullable(),
});
export type RecordedConversion = z.infer<typeof RecordedConversion>;

export type ConversionDeps = { deliveries: Pick<ResponseStore, "latestOffer" | "recordConversion"> } & CustomerReader &
  WithSettings<"attributionWindowDays">;

export const NewConversion = z.object({
  customerId: CustomerId,
  productCode: ProductCode,
  amount: z.number().nonnegative(),
  occurredAt: z.iso.datetime({
    offset: true,
    error: "occurredAt must be an ISO 8601 date-time, e.g. 2026-11-23T10:00:00Z",
  }),
});
export type NewConversion = z.infer<typeof NewConversion>;

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
