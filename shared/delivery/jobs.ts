import { z } from "zod";
import { PreviewJob } from "../segments/preview-run.js";
import { BreakdownJob } from "./breakdown-job.js";

/** One page of one shard of a campaign's fan-out; `cursor` resumes the shard's scan. */
export const FanoutJob = z.object({
  campaignId: z.string().min(1),
  shard: z.number().int().nonnegative(),
  totalShards: z.number().int().positive(),
  cursor: z.string().optional(),
});
export type FanoutJob = z.infer<typeof FanoutJob>;

/** A job on the fan-out queue, which scans for campaigns, previews and breakdown runs alike. */
export const ScanJob = z.union([FanoutJob.strict(), PreviewJob.strict(), BreakdownJob.strict()]);
export type ScanJob = z.infer<typeof ScanJob>;

/** One offer to one customer: the delivery's business key. */
export const SendJob = z.object({ campaignId: z.string().min(1), customerId: z.string().min(1) });
export type SendJob = z.infer<typeof SendJob>;
