import type { TestProject } from "vitest/node";
import { freePort } from "../../infra/local/emulators.js";
import { startLocalPlatform } from "../../infra/local/runtime.js";

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

/** The real local emulators and the real handlers, started once for every integration file. */
export default async function setup(project: TestProject) {
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
    settings: { FANOUT_SHARDS: "4", FANOUT_PAGE_SIZE: "10" }, // small pages: continuation messages are exercised
  });
  project.provide("apiUrl", platform.apiUrl);
  project.provide("inboxUrl", platform.inboxUrl);
  project.provide("sqsEndpoint", platform.env.AWS_ENDPOINT_URL_SQS);
  project.provide("sendQueueUrl", platform.env.SEND_QUEUE_URL);
  project.provide("linkSigningSecret", platform.env.LINK_SIGNING_SECRET);
  project.provide("dynamodbEndpoint", platform.env.AWS_ENDPOINT_URL_DYNAMODB);
  project.provide("customersTable", platform.env.CUSTOMERS_TABLE);
  project.provide("fanoutQueueUrl", platform.env.FANOUT_QUEUE_URL);
  return () => platform.stop();
}
