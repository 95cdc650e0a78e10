import { z } from "zod";
import { Language } from "../customers/customer.js";
import { ProductCode } from "../kernel/products.js";
import { SegmentRuleInput } from "../segments/rule.js";
import { CampaignStatus } from "./lifecycle.js";
import { MessageInput, MessageTemplate } from "./message.js";

/** A partial record by language; a key outside the language enum is refused by name. */
const byLanguage = <T extends z.ZodType>(field: string, value: T) =>
  z.partialRecord(Language, value, {
    // zod reports a key outside the language enum as "unrecognized_keys", which its types omit.
    error: (issue) => {
      const keys = (issue as { keys?: string[] }).keys;
      return keys
        ? `${field} has no language ${keys.map((k) => `'${k}'`).join(", ")}; the languages are ${Language.options.join(", ")}`
        : undefined;
    },
  });

export const NewCampaign = z.object({
  name: z.string().trim().min(1, "name is required").max(200),
  segmentId: z.string().min(1, "segmentId is required"),
  offer: z.object({ productCode: ProductCode }),
  message: MessageInput,
  /**
   * The message in the customers' own languages. A customer whose preferred language has a
   * version gets it, with the product and tier named in that language; everyone else gets
   * `message`.
   */
  translations: byLanguage("translations", MessageInput).optional(),
  /**
   * What the customer sees as the offer's title and short description on the offer page, in
   * each language: the bank's own name for the campaign (`name`) is never shown to them. A
   * language without a title shows the product's name in that language.
   */
  title: byLanguage("title", z.string().trim().min(1, "a title is not empty").max(80)).optional(),
  description: byLanguage("description", z.string().trim().min(1, "a description is not empty").max(300)).optional(),
  controlGroupPercent: z.number().min(0).max(50, "controlGroupPercent above 50 leaves too few customers treated"),
});
export type NewCampaign = z.infer<typeof NewCampaign>;

export const Campaign = NewCampaign.extend({
  /** The finished emails (prepareTemplate): the layout, the footer and both parts. */
  message: MessageTemplate,
  translations: byLanguage("translations", MessageTemplate).optional(),
  campaignId: z.string(),
  status: CampaignStatus,
  /** The segment version and its rule as they were when the campaign was created: what the approver signs off. */
  segmentVersion: z.number().int().positive(),
  segmentRule: SegmentRuleInput,
  createdBy: z.string(),
  createdAt: z.iso.datetime(),
  /** While submitted (and after): who asked for the approval, and when. */
  submittedBy: z.string().optional(),
  submittedAt: z.iso.datetime().optional(),
  /**
   * The last send-back, while the campaign is a draft again: the approver, when, and why, for
   * its author to read. Cleared when it is submitted again; the history keeps every one.
   */
  sentBack: z.object({ by: z.string(), at: z.iso.datetime(), reason: z.string() }).optional(),
  approvedBy: z.string().optional(),
  approvedAt: z.iso.datetime().optional(),
  launchedBy: z.string().optional(),
  launchedAt: z.iso.datetime().optional(),
  fanoutShards: z.number().int().positive().optional(),
  completedAt: z.iso.datetime().optional(),
  /** While paused: who paused it ("system" for an automatic pause), when and why. */
  pauseReason: z.string().optional(),
  pausedBy: z.string().optional(),
  pausedAt: z.iso.datetime().optional(),
  /**
   * The counts at the last resume: a person looked and resumed, so the automatic pause judges
   * the emails sent since then (shared/delivery/control.ts), not the ones already judged.
   */
  automaticPauseFrom: z
    .object({ sent: z.number().int(), bounced: z.number().int(), complained: z.number().int() })
    .optional(),
  cancelledBy: z.string().optional(),
  cancelledAt: z.iso.datetime().optional(),
  /**
   * What the approver signed off, as a digest of each part (approval.ts): the launch is
   * refused when any part differs from what was approved.
   */
  approvedDigest: z.record(z.string(), z.string()).optional(),
});
export type Campaign = z.infer<typeof Campaign>;
