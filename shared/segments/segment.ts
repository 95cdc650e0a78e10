import { z } from "zod";
import { SegmentRuleInput } from "./rule.js";

export const NewSegment = z.object({
  name: z.string().trim().min(1, "name is required").max(200),
  rule: SegmentRuleInput,
});
export type NewSegment = z.infer<typeof NewSegment>;

/** One saved version of a segment. Editing a segment adds a version; a campaign records the one it used. */
export const Segment = z.object({
  segmentId: z.string(),
  version: z.number().int().positive(),
  name: z.string(),
  rule: SegmentRuleInput,
  createdBy: z.string(),
  createdAt: z.iso.datetime(),
  /** Set while the segment is archived (archive.ts): hidden from the console's list, refused for a new campaign. */
  archivedAt: z.iso.datetime().optional(),
  archivedBy: z.string().optional(),
});
export type Segment = z.infer<typeof Segment>;
