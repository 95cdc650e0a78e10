import { z } from "zod";

export const CampaignStatus = z.enum([
  "draft",
  "submitted",
  "approved",
  "launching",
  "sending",
  "paused",
  "completed",
  "cancelled",
]);
export type CampaignStatus = z.infer<typeof CampaignStatus>;

/** What a pause sets on the campaign, and a resume removes: the campaign shows why it is paused only while it is. */
const PAUSE_FIELDS = ["pauseReason", "pausedBy", "pausedAt"] as const;
/** Who submitted it: gone when it is sent back, since the draft is its author's to change again. */
const SUBMISSION_FIELDS = ["submittedBy", "submittedAt"] as const;
/** The last send-back: kept on the draft so its author sees why, gone once they submit again (the history keeps it). */
const SEND_BACK_FIELDS = ["sentBack"] as const;

/**
 * The campaign lifecycle, in one place. draft: its author edits it; submitted: it waits for an
 * approver, who approves it or sends it back to draft with a reason; approved: it may launch. launching: the segment is being fanned out;
 * sending: every shard is fanned out and sends are in flight; paused: no send goes out until
 * it is resumed (the fan-out goes on recording who is targeted); completed: every targeted
 * customer has reached a final state (sent or failed); cancelled: final, every send not yet
 * made is withdrawn. The campaign store applies a transition only from one of its `from`
 * states, and writes `event` to the campaign's history in the same transaction.
 *
 * A paused campaign resumes to where it was, and "where it was" is read from the fan-out's
 * shard markers, not remembered at the pause: a campaign paused while launching whose last
 * shard finished during the pause must resume to sending (the shard's own finishFanout found
 * it paused and could not move it). So there are two resumes, and shared/delivery/control.ts
 * picks one.
 */
export const CAMPAIGN_TRANSITIONS = {
  submit: { from: ["draft"], to: "submitted", event: "submitted", clears: SEND_BACK_FIELDS },
  sendBack: { from: ["submitted"], to: "draft", event: "sent_back", clears: SUBMISSION_FIELDS },
  /** An approver signs off what was submitted, never a draft still being edited. */
  approve: { from: ["submitted"], to: "approved", event: "approved" },
  launch: { from: ["approved"], to: "launching", event: "launched" },
  finishFanout: { from: ["launching"], to: "sending", event: "fanned_out" },
  complete: { from: ["sending"], to: "completed", event: "completed" },
  pause: { from: ["launching", "sending"], to: "paused", event: "paused" },
  /** Back to fanning out: some shard has not finished. */
  resumeFanout: { from: ["paused"], to: "launching", event: "resumed", clears: PAUSE_FIELDS },
  /** Back to sending: every shard has finished. */
  resumeSending: { from: ["paused"], to: "sending", event: "resumed", clears: PAUSE_FIELDS },
  cancel: {
    from: ["draft", "submitted", "approved", "launching", "sending", "paused"],
    to: "cancelled",
    event: "cancelled",
  },
} as const satisfies Record<
  string,
  { from: readonly CampaignStatus[]; to: CampaignStatus; event: string; clears?: readonly string[] }
>;
export type CampaignTransition = keyof typeof CAMPAIGN_TRANSITIONS;

/**
 * What the history records: the creation, one event per transition, and two that change no
 * status: `edited`, a draft changed by its author (updateDraft), and `test_sent`, a test email
 * sent to a member of staff (who and when, never the address).
 */
export const CampaignEvent = z.enum([
  "created",
  "edited",
  "test_sent",
  ...(new Set(Object.values(CAMPAIGN_TRANSITIONS).map((t) => t.event)) as Iterable<
    (typeof CAMPAIGN_TRANSITIONS)[CampaignTransition]["event"]
  >),
]);
export type CampaignEvent = z.infer<typeof CampaignEvent>;

/** Who moved the campaign: a member of staff by name, or the platform itself ("system"). */
export const SYSTEM_ACTOR = "system";

/** One entry of a campaign's append-only history. */
export const CampaignHistoryEntry = z.object({
  campaignId: z.string(),
  event: CampaignEvent,
  status: CampaignStatus,
  at: z.iso.datetime(),
  by: z.string(),
  /** Why, when a reason was given (an automatic pause names the rate that crossed). */
  reason: z.string().optional(),
});
export type CampaignHistoryEntry = z.infer<typeof CampaignHistoryEntry>;

/** Who and when, and why, for the history entry a transition writes. */
export type TransitionBy = { by: string; at: string; reason?: string };
