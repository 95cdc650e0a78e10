/**
 * What the edge refuses on the real local platform (issue #8): ids DynamoDB would refuse with a
 * ValidationException (a 500), bodies refused before they are read (a dropped connection), and an
 * empty import (a 200 that imported nothing). The fuzz test (api-fuzz.test.ts) covers every
 * operation; these are the cases found by hand, named.
 */
import { describe, expect, it } from "vitest";
import { api } from "./client.js";

const LONG_ID = "a".repeat(3000);
const RULE = /^(segmentId|campaignId|customerId|changeId) must be 1-64 letters, digits, '_' or '-'$/;

describe("the edge of the local platform", () => {
  it.each([
    ["GET", "/api/segments/{segmentId}", "segmentId"],
    ["GET", "/api/campaigns/{campaignId}/stats", "campaignId"],
    ["POST", "/api/campaigns/{campaignId}/approve", "campaignId"],
    ["POST", "/api/campaigns/{campaignId}/submit", "campaignId"],
    ["GET", "/api/campaigns/{campaignId}/preview", "campaignId"],
    ["POST", "/api/customers/{customerId}/changes/{changeId}/apply", "changeId"],
    ["POST", "/api/customers/{customerId}/changes/{changeId}/apply", "customerId"],
  ])(
    "refuses an id of 3,000 characters in %s %s (%s) with a 400 that says what an id looks like",
    async (method, template, name) => {
      // prepare: the other ids are fine
      const path = template.replace(/\{(\w+)\}/g, (_, p: string) => (p === name ? LONG_ID : "known-1"));

      // act
      const reply = await api(method, path, "admin");

      // assess
      expect(reply.status).toBe(400);
      expect(reply.body).toMatchObject({ code: "invalid_request", message: expect.stringMatching(RULE) });
      expect(reply.body.message.startsWith(name)).toBe(true);
    },
  );

  it("replies to imports it refuses before reading them, 2 MB each, instead of dropping the connection", async () => {
    // prepare: the wrong content type (400) and the wrong role (403), each refused before the body is read
    const body = `customerId,type\n${"C-1,individual\n".repeat(140_000)}`;
    const statuses: number[] = [];

    // act: several times, as a drop depended on how far the client had got with sending
    for (let i = 0; i < 6; i++) {
      statuses.push((await api("POST", "/api/customers/import", "marketer", body, "text/plain")).status);
      statuses.push((await api("POST", "/api/customers/import", "analyst", body, "text/csv")).status);
    }

    // assess
    expect(statuses).toEqual(Array.from({ length: 6 }, () => [400, 403]).flat());
  });

  it("refuses an import of zero bytes with 400, and takes a CSV with only its header line", async () => {
    // act
    const empty = await api("POST", "/api/customers/import", "marketer", "", "text/csv");
    const emptyNdjson = await api("POST", "/api/customers/import", "marketer", "", "application/x-ndjson");
    const headerOnly = await api("POST", "/api/customers/import", "marketer", "customerId,type,name\n", "text/csv");

    // assess
    expect(empty.status).toBe(400);
    expect(empty.body.message).toMatch(/^The file is empty: /);
    expect(emptyNdjson.status).toBe(400);
    expect(headerOnly.status).toBe(200);
    expect(headerOnly.body).toMatchObject({ rowsRead: 0, imported: 0, rejected: [] });
  });
});
