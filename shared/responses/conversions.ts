import { z } from "zod";
import { CustomerId } from "../customers/customer.js";
import { ProductCode } from "../kernel/products.js";

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
