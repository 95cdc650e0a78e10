import { describe, expect, it } from "vitest";
import { changeTrail, trailEntriesOfAudit, trailEntriesOfChange } from "../../shared/customers/change-trail.js";
import type { CustomerChange } from "../../shared/customers/changes.js";
import type { Actor } from "../../shared/kernel/actor.js";
import { ForbiddenError, ValidationError } from "../../shared/kernel/errors.js";
import { decodeTrailCursor, encodeTrailCursor, periodOf, TrailQuery } from "../../shared/kernel/trail.js";

/**
 * The bank-wide trails' rules: a period is of the bank's days (UTC+8), the last 30 unless
 * asked, at most 366, never backwards; a requested or rejected edit is a line per field; only
 * an admin reads the trail.
 */
const NOW = new Date("2026-11-30T18:00:00.000Z"); // 2026-12-01 02:00 in Beijing

describe("a trail's period", () => {
  it("is the last 30 of the bank's days when none is asked, today being the bank's", () => {
    // act
    const period = periodOf({}, NOW);
    // assess
    expect(period).toEqual({
      fromDay: "2026-11-02",
      toDay: "2026-12-01",
      from: "2026-11-01T16:00:00.000Z",
      to: "2026-12-01T16:00:00.000Z",
    });
  });

  it("includes both days asked, as the bank's midnights", () => {
    // act
    const period = periodOf({ from: "2026-05-01", to: "2026-05-01" }, NOW);
    // assess
    expect(period.from).toBe("2026-04-30T16:00:00.000Z");
    expect(period.to).toBe("2026-05-01T16:00:00.000Z");
  });

  it("is refused backwards or longer than 366 days, saying so", () => {
    // act / assess
    expect(() => periodOf({ from: "2026-05-02", to: "2026-05-01" }, NOW)).toThrow(ValidationError);
    expect(() => periodOf({ from: "2025-01-01", to: "2026-01-02" }, NOW)).toThrow(/at most 366 days/);
    expect(() => periodOf({ from: "2025-01-01", to: "2026-01-01" }, NOW)).not.toThrow();
  });

  it("takes only real dates written YYYY-MM-DD", () => {
    // act
    const results = ["2026-02-30", "30-11-2026", "2026-11-30"].map((from) => TrailQuery.safeParse({ from }).success);
    // assess
    expect(results).toEqual([false, false, true]);
  });
});

describe("a trail's cursor", () => {
  it("reads back where a page stopped, and refuses one no page gave", () => {
    // prepare
    const position = { day: "2026-11-30", key: { dayKey: "CHANGES#2026-11-30", dayAt: "x" } };
    // act / assess
    expect(decodeTrailCursor(encodeTrailCursor(position))).toEqual(position);
    expect(() => decodeTrailCursor("bogus")).toThrow(/cursor is not one a previous page gave/);
  });
});

describe("the customer changes trail's lines", () => {
  const change: CustomerChange = {
    changeId: "chg-1",
    customerId: "C-1",
    kind: "edit",
    fields: { email: { before: "a@x.cn", after: "b@x.cn" }, region: { before: "Jilin", after: "Tonghua" } },
    reason: "moved",
    requestedBy: "mei",
    requestedAt: "2026-11-29T01:00:00.000Z",
    status: "rejected",
    decidedBy: "li",
    decidedAt: "2026-11-30T01:00:00.000Z",
    rejectionReason: "no proof",
  };

  it("are a line per field of a requested edit, at its asking, with where it stands now", () => {
    // act
    const lines = trailEntriesOfChange(change, "requested");
    // assess
    expect(lines).toEqual([
      expect.objectContaining({ at: change.requestedAt, actor: "mei", field: "email", status: "rejected" }),
      expect.objectContaining({ at: change.requestedAt, actor: "mei", field: "region", after: "Tonghua" }),
    ]);
  });

  it("are its rejection at its decision, by the approver, naming who asked and why not", () => {
    // act
    const [first] = trailEntriesOfChange(change, "rejected");
    // assess
    expect(first).toMatchObject({
      at: change.decidedAt,
      actor: "li",
      requestedBy: "mei",
      rejectionReason: "no proof",
      event: "rejected",
    });
  });

  it("say a customer's own consent choice is one", () => {
    // act
    const [line] = trailEntriesOfAudit({
      customerId: "C-1",
      at: "2026-11-30T01:00:00.000Z",
      actor: "customer",
      action: "consent",
      field: "channel.sms",
      before: "on",
      after: "off",
      reason: "preference centre",
    });
    // assess
    expect(line.event).toBe("consent");
  });

  it("are an administrator's alone to read", async () => {
    // prepare
    const approver: Actor = { kind: "person", id: "li", name: "li", role: "approver" };
    const p = { now: () => NOW, customerChanges: { bankWide: async () => ({ entries: [] }) } };
    // act / assess
    await expect(changeTrail(p, TrailQuery.parse({}), approver)).rejects.toThrow(ForbiddenError);
  });
});
