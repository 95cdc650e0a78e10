import { describe, expect, it } from "vitest";
import type { Actor } from "../../shared/kernel/actor.js";
import { archiveSegment, isArchived, SegmentInUseError, unarchiveSegment } from "../../shared/segments/archive.js";
import type { SegmentStore } from "../../shared/segments/ports.js";
import type { Segment } from "../../shared/segments/segment.js";

const MEI: Actor = { name: "mei", role: "marketer" };
const NOW = new Date("2026-06-01T12:00:00.000Z");

/** One segment of two versions, archived as the store would mark it. */
function store() {
  const versions: Segment[] = [1, 2].map((version) => ({
    segmentId: "seg-1",
    version,
    name: "Tonghua savers",
    rule: { attr: "region", op: "eq", value: "Tonghua" },
    createdBy: "mei",
    createdAt: "2026-05-01T00:00:00.000Z",
  }));
  const segments = {
    get: async (id: string, version?: number) =>
      id !== "seg-1" ? null : (versions.find((v) => v.version === (version ?? versions.length)) ?? null),
    setArchived: async (_: string, version: number, archive: { archivedAt: string; archivedBy: string } | null) => {
      const { archivedAt: _at, archivedBy: _by, ...rest } = versions[version - 1];
      versions[version - 1] = archive ? { ...rest, ...archive } : rest;
    },
  } as unknown as SegmentStore;
  return { segments, now: () => NOW, versions };
}

describe("archiving a segment", () => {
  it("marks the latest version with who and when", async () => {
    // prepare
    const p = store();
    // act
    const archived = await archiveSegment(p, "seg-1", [], MEI);
    // assess
    expect(p.versions[1]).toMatchObject({ archivedAt: NOW.toISOString(), archivedBy: "mei" });
    expect(p.versions[0].archivedAt).toBeUndefined();
    expect(isArchived(archived)).toBe(true);
  });

  it("refuses a segment a campaign uses, naming the campaign", async () => {
    // prepare
    const p = store();
    // act
    const error = await archiveSegment(p, "seg-1", ["Cards for Tonghua"], MEI).catch((e) => e);
    // assess
    expect(error).toBeInstanceOf(SegmentInUseError);
    expect(error.status).toBe(409);
    expect(error.message).toContain("Cards for Tonghua");
    expect(p.versions[1].archivedAt).toBeUndefined();
  });

  it("unarchives", async () => {
    // prepare
    const p = store();
    await archiveSegment(p, "seg-1", [], MEI);
    // act
    await unarchiveSegment(p, "seg-1");
    // assess
    expect(p.versions[1].archivedAt).toBeUndefined();
    expect(isArchived(p.versions[1])).toBe(false);
  });
});
