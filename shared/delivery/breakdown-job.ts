import { z } from "zod";

/** One page of a campaign's deliveries to count for a breakdown run (breakdown-run.ts), on the fan-out queue. */
export const BreakdownJob = z.object({
  breakdownRunId: z.string().min(1),
  campaignId: z.string().min(1),
  cursor: z.string().optional(),
});
export type BreakdownJob = z.infer<typeof BreakdownJob>;
