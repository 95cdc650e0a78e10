import { describe, expect, it } from "vitest";
import { MAX_RULE_DEPTH } from "../../shared/segments/rule.js";
import { NewSegment } from "../../shared/segments/segment.js";

/** `{ not: { not: ... { holds } } }`, `depth` levels deep counting the leaf. */
function nestedRule(depth: number): unknown {
  let rule: unknown = { holds: "CREDIT_CARD" };
  for (let level = 1; level < depth; level++) rule = { not: rule };
  return rule;
}

describe("NewSegment", () => {
  it("accepts a rule exactly MAX_RULE_DEPTH levels deep", () => {
    // prepare
    const input = { name: "Deep but allowed", rule: nestedRule(MAX_RULE_DEPTH) };
    // act
    const result = NewSegment.safeParse(input);
    // assess
    expect(result.success).toBe(true);
  });

  it("rejects a rule nested deeper than MAX_RULE_DEPTH, pointing at the rule", () => {
    // prepare
    const input = { name: "Too deep", rule: nestedRule(MAX_RULE_DEPTH + 1) };
    // act
    const result = NewSegment.safeParse(input);
    // assess
    expect(result.success).toBe(false);
    expect(result.error?.issues).toEqual([
      expect.objectContaining({ path: ["rule"], message: expect.stringContaining(`${MAX_RULE_DEPTH} levels`) }),
    ]);
  });

  it("rejects a pathologically deep rule as invalid input, without blowing the stack", () => {
    // prepare: an HTTP body anyone can send; it must become a 400, not a crash
    const input = { name: "Hostile", rule: nestedRule(5_000) };
    // act
    let result: ReturnType<typeof NewSegment.safeParse> | undefined;
    let thrown: unknown;
    try {
      result = NewSegment.safeParse(input);
    } catch (error) {
      thrown = error;
    }
    // assess
    expect(thrown).toBeUndefined();
    expect(result?.success).toBe(false);
  });

  it.each([
    ["a blank name", { name: "   ", rule: { holds: "MORTGAGE" } }],
    ["a missing rule", { name: "No rule" }],
    ["a bad rule", { name: "Bad", rule: { holds: "GOLD_BAR" } }],
  ])("rejects %s", (_, input) => {
    // prepare / act
    const result = NewSegment.safeParse(input);
    // assess
    expect(result.success).toBe(false);
  });

  it("trims the name", () => {
    // prepare / act
    const segment = NewSegment.parse({ name: "  Jilin card holders  ", rule: { holds: "CREDIT_CARD" } });
    // assess
    expect(segment.name).toBe("Jilin card holders");
  });
});
