import { Logger } from "@aws-lambda-powertools/logger";
import { describe, expect, it } from "vitest";
import { captureLogs, findLeaks, type Secret } from "../integration/log-hygiene.js";

/** The check the integration run's teardown makes on every log line (test/integration/global-setup.ts). */
const TOKEN = "WyJjbXAtMS5DLTEiLCJvZmZlciIsMTc4MDMxNTIwMF0.q3Yb0d7m1bYv5kq1H2sQyG0p3fX9kLwZt4eRj8uVnAc";
const SECRETS: Secret[] = [
  { kind: "a bearer token", value: "it-admin-token" },
  { kind: "a link token", value: TOKEN },
  { kind: "a link signature", value: TOKEN.split(".")[1] },
  { kind: "a customer's email", value: "zhao.lei@e2e.test" },
  { kind: "a customer's name", value: '<b>Loop & "Co" 1</b>' },
  { kind: "a customer's name", value: "王芳" },
  { kind: "a customer's phone", value: "13812345678" },
];
const line = (fields: object) =>
  JSON.stringify({ level: "INFO", message: "offer processed", service: "cross-sell-campaigns", ...fields });

describe("findLeaks", () => {
  it("finds nothing in lines of ids and counts (the control)", () => {
    // prepare
    const lines = [line({ campaignId: "cmp-1", customerId: "C-1", outcome: "sent" }), line({ queued: 10, shard: 3 })];

    // act / assess
    expect(findLeaks(lines, SECRETS)).toEqual([]);
  });

  it.each<[string, object, string]>([
    ["an email in a field", { email: "zhao.lei@e2e.test" }, "a customer's email"],
    ["an email in another case, inside a message", { error: "no such user Zhao.Lei@E2E.test" }, "a customer's email"],
    ["a link token in a logged path", { path: `/o/${TOKEN}` }, "a link token"],
    ["a link signature alone", { sig: TOKEN.split(".")[1] }, "a link signature"],
    ["a bearer token in a header", { headers: { authorization: "Bearer it-admin-token" } }, "a bearer token"],
    ["a name with quotes and markup (escaped in JSON)", { name: '<b>Loop & "Co" 1</b>' }, "a customer's name"],
    ["a Chinese name deep in an object", { customer: { details: ["王芳"] } }, "a customer's name"],
    ["a phone number logged as a number", { phone: 13812345678 }, "a customer's phone"],
  ])("finds %s", (_, fields, kind) => {
    // act
    const leaks = findLeaks([line(fields)], SECRETS);

    // assess
    expect(leaks.map((l) => l.kind)).toContain(kind);
  });

  it("finds any email address, even one the run never stored", () => {
    // act
    const leaks = findLeaks([line({ to: "someone.else@bank.example.cn" })], SECRETS);

    // assess
    expect(leaks).toEqual([
      expect.objectContaining({ kind: "an email address", value: "someone.else@bank.example.cn" }),
    ]);
  });

  it("does not take a package path or a version for an email address", () => {
    // prepare
    const stack = "at /var/task/node_modules/@aws-sdk/client-sqs/dist-cjs/index.js:12:3 (hono@4.13.19)";

    // act / assess
    expect(findLeaks([line({ error: { stack } })], SECRETS)).toEqual([]);
  });
});

describe("captureLogs", () => {
  it("keeps what Powertools Logger writes, and nothing else", () => {
    // prepare
    const logs = captureLogs();
    const logger = new Logger({ serviceName: "log-hygiene-test", logLevel: "INFO" });

    // act
    try {
      logger.info("offer processed", { customerId: "C-1" });
      process.stdout.write("not a log line: vitest's own output\n");
    } finally {
      logs.restore();
    }

    // assess
    expect(logs.lines).toHaveLength(1);
    expect(JSON.parse(logs.lines[0])).toMatchObject({ level: "INFO", message: "offer processed", customerId: "C-1" });
  });
});
