import { z } from "zod";

export const CampaignStatus = z.enum(["draft", "approved", "launching", "sending", "completed"]);
export type CampaignStatus = z.infer<typeof CampaignStatus>;

/**
 * The campaign lifecycle, in one place. launching: the segment is being fanned out;
 * sending: every shard is fanned out and sends are in flight; completed: every targeted
 * customer has reached a final state (sent or failed). The campaign store applies a
 * transition only from one of its `from` states.
 */
export const CAMPAIGN_TRANSITIONS = {
  approve: { from: ["draft"], to: "approved" },
  launch: { from: ["approved"], to: "launching" },
  finishFanout: { from: ["launching"], to: "sending" },
  complete: { from: ["sending"], to: "completed" },
} as const satisfies Record<string, { from: readonly CampaignStatus[]; to: CampaignStatus }>;
export type CampaignTransition = keyof typeof CAMPAIGN_TRANSITIONS;
