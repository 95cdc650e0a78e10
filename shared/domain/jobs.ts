import { z } from "zod";

/** One page of one shard of a campaign's fan-out; `cursor` resumes the shard's scan. */
export const FanoutJob = z.object({
  campaignId: z.string().min(1),
  shard: z.number().int().nonnegative(),
  totalShards: z.number().int().positive(),
  cursor: z.string().optional(),
});
export type FanoutJob = z.infer<typeof FanoutJob>;

/** One offer to one customer: the delivery's business key. */
export const SendJob = z.object({ campaignId: z.string().min(1), customerId: z.string().min(1) });
export type SendJob = z.infer<typeof SendJob>;
