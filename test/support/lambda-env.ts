/**
 * The environment a deployed function gets from CDK, for tests that load handlers or the API
 * app with mocked AWS clients. Loaded before each unit test file (vitest setupFiles), because
 * the configuration is read on first use.
 */
Object.assign(process.env, {
  CUSTOMERS_TABLE: "t-customers",
  CAMPAIGNS_TABLE: "t-campaigns",
  DELIVERIES_TABLE: "t-deliveries",
  FANOUT_QUEUE_URL: "https://sqs.us-east-1.amazonaws.com/123456789012/fanout",
  SEND_QUEUE_URL: "https://sqs.us-east-1.amazonaws.com/123456789012/send",
  MAIL_FROM: "offers@bank.test",
  PUBLIC_BASE_URL: "https://offers.bank.test",
  LINK_SIGNING_SECRET: "0123456789abcdef0123",
  API_TOKENS:
    "mei:marketer:marketer-token,li:approver:approver-token,zhou:analyst:analyst-token,root:admin:admin-token",
  AWS_REGION: "us-east-1",
  AWS_ACCESS_KEY_ID: "x",
  AWS_SECRET_ACCESS_KEY: "x",
  POWERTOOLS_LOG_LEVEL: "SILENT",
});
