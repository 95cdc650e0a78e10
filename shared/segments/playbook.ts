import type { NewSegment, Segment } from "./segment.js";
import { createSegment, type SegmentDeps } from "./versions.js";

/**
 * Ready-made segments from the bank's own cross-sell playbook, seeded with the
 * demo bank: the one-product problem, the classic corporate gap, the wealth gap, the
 * tier-upgrade moment and retention.
 */
export const PLAYBOOK_SEGMENTS: NewSegment[] = [
  {
    name: "Single-product customers",
    rule: { attr: "productCount", op: "eq", value: 1 },
  },
  {
    name: "Settlement-only corporates without a loan",
    rule: {
      all: [{ attr: "type", op: "eq", value: "corporate" }, { holds: "SETTLEMENT" }, { lacksCategory: "asset" }],
    },
  },
  {
    name: "Affluent without a wealth product",
    rule: { all: [{ attr: "tier", op: "in", value: ["affluent", "high_net_worth"] }, { lacks: "WEALTH_FUND" }] },
  },
  {
    name: "Moved up a tier in the last 30 days",
    rule: { tierMoved: "up", withinDays: 30 },
  },
  {
    name: "Declining balances (retention)",
    rule: { attr: "lifecycle", op: "eq", value: "declining" },
  },
];

/** The playbook's author in segment history: the bank's practice, not a member of staff. */
export const PLAYBOOK_AUTHOR = { name: "playbook", role: "admin" } as const;

/** Saves the playbook segments (version 1 each); used when the demo bank is seeded. */
export async function seedPlaybook(p: SegmentDeps): Promise<Segment[]> {
  const saved: Segment[] = [];
  for (const segment of PLAYBOOK_SEGMENTS) saved.push(await createSegment(p, segment, PLAYBOOK_AUTHOR));
  return saved;
}
