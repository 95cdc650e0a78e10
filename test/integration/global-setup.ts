import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { freePort } from "../../infra/local/emulators.js";
import { startLocalPlatform } from "../../infra/local/runtime.js";
import { captureLogs, describeLeaks, findLeaks, secretsOfTheRun } from "./log-hygiene.js";

export const TEST_TOKENS =
  "mei:marketer:it-marketer-token,li:approver:it-approver-token,zhou:analyst:it-analyst-token,root:admin:it-admin-token";

declare module "vitest" {
  export interface ProvidedContext {
    apiUrl: string;
    inboxUrl: string;
    sqsEndpoint: string;
    sendQueueUrl: string;
    linkSigningSecret: string;
    dynamodbEndpoint: string;
    customersTable: string;
    fanoutQueueUrl: string;
  }
}

/**
 * The real local emulators and the real handlers, started once for every integration file.
 * The platform logs at INFO, as deployed, and its log lines are kept (log-hygiene.ts): when the
 * last file has run, the teardown searches them for tokens, link signatures and contact data.
 */
export default async function setup(project: TestProject) {
  const logs = captureLogs();
  const [apiPort, dynamodbPort, sqsPort, sesPort] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  const platform = await startLocalPlatform({
    apiPort,
    dynamodbPort,
    sqsPort,
    sesPort,
    devTokens: TEST_TOKENS,
    seedDemo: false,
    settings: {
      FANOUT_SHARDS: "4",
      FANOUT_PAGE_SIZE: "10", // small pages: continuation messages are exercised
      PAUSE_RECHECK_SECONDS: "1", // a paused campaign's held sends look again every second (campaign-control.test.ts)
      POWERTOOLS_LOG_LEVEL: "INFO",
    },
  });
  project.provide("apiUrl", platform.apiUrl);
  project.provide("inboxUrl", platform.inboxUrl);
  project.provide("sqsEndpoint", platform.env.AWS_ENDPOINT_URL_SQS);
  project.provide("sendQueueUrl", platform.env.SEND_QUEUE_URL);
  project.provide("linkSigningSecret", platform.env.LINK_SIGNING_SECRET);
  project.provide("dynamodbEndpoint", platform.env.AWS_ENDPOINT_URL_DYNAMODB);
  project.provide("customersTable", platform.env.CUSTOMERS_TABLE);
  project.provide("fanoutQueueUrl", platform.env.FANOUT_QUEUE_URL);
  return async () => {
    try {
      const { secrets, emails } = await secretsOfTheRun({
        devTokens: TEST_TOKENS,
        linkSigningSecret: platform.env.LINK_SIGNING_SECRET,
        inboxUrl: platform.inboxUrl,
        dynamodbEndpoint: platform.env.AWS_ENDPOINT_URL_DYNAMODB,
        customersTable: platform.env.CUSTOMERS_TABLE,
        campaignsTable: platform.env.CAMPAIGNS_TABLE,
      });
      checkLogHygiene(logs.lines, secrets, emails);
    } finally {
      await platform.stop();
      logs.restore();
    }
  };
}

/**
 * Fails the run when a log line carries a secret. Vitest reports a teardown error without
 * failing the run, so the exit code is set here too.
 */
function checkLogHygiene(lines: string[], secrets: Parameters<typeof findLeaks>[1], emails: number) {
  const fail = (message: string) => {
    const file = join(tmpdir(), `integration-logs-${process.pid}.ndjson`);
    writeFileSync(file, `${lines.join("\n")}\n`);
    process.exitCode = 1;
    throw new Error(`${message}\nThe run's ${lines.length} log lines: ${file}`);
  };
  // The sender logs every email it sends: no line at all means the capture is broken, not clean.
  if (emails > 0 && lines.length === 0) fail(`Log hygiene: ${emails} emails were sent, yet no log line was captured.`);
  const leaks = findLeaks(lines, secrets);
  if (leaks.length > 0)
    fail(
      `Log hygiene: ${leaks.length} log lines carry what no log may carry (README, "Security"):\n${describeLeaks(leaks)}`,
    );
  console.log(
    `Log hygiene: ${lines.length} log lines of the run carry none of ${secrets.length} tokens, link signatures and contact values, and no email address.`,
  );
}
