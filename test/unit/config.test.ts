import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../../shared/config/index.js";
import { DEMO_BRAND } from "../../shared/kernel/brand.js";
import { thrownBy } from "./fixtures.js";

/** Only what CDK passes; every optional variable left to its default. */
const minimalEnv = {
  CUSTOMERS_TABLE: "cross-sell-customers",
  CAMPAIGNS_TABLE: "cross-sell-campaigns",
  DELIVERIES_TABLE: "cross-sell-deliveries",
  FANOUT_QUEUE_URL: "https://sqs.cn-north-1.amazonaws.com.cn/123456789012/fanout",
  SEND_QUEUE_URL: "https://sqs.cn-north-1.amazonaws.com.cn/123456789012/send",
  MAIL_FROM: "offers@bank.example.cn",
  PUBLIC_BASE_URL: "https://offers.bank.example.cn",
  PLATFORM_SECRET_ARN: "arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:platform-AbCdEf",
};

const configError = (env: NodeJS.ProcessEnv) => {
  const error = thrownBy(() => parseConfig(env));
  expect(error).toBeInstanceOf(ConfigError);
  return (error as ConfigError).message;
};

describe("parseConfig", () => {
  it("reads a full, valid environment", () => {
    // prepare
    const env = {
      ...minimalEnv,
      SES_CONFIGURATION_SET: "cross-sell-events",
      LINK_SIGNING_SECRET: "local-secret-0123456789",
      API_TOKENS: "marketer:tok1,approver:tok2",
      FANOUT_SHARDS: "16",
      FANOUT_PAGE_SIZE: "250",
      ATTRIBUTION_WINDOW_DAYS: "45",
      LINK_TTL_DAYS: "14",
      TIER_THRESHOLDS_CNY: "10000,100000,1000000",
      LIFECYCLE_WINDOW_DAYS: "180",
      LIFECYCLE_CHANGE_PERCENT: "20",
      QUIET_HOURS: "21-8",
    };
    // act
    const config = parseConfig(env);
    // assess
    expect(config).toEqual({
      ...env,
      FANOUT_SHARDS: 16,
      FANOUT_PAGE_SIZE: 250,
      SYNC_COUNT_MAX_CUSTOMERS: 20_000,
      SYNC_BREAKDOWN_MAX_DELIVERIES: 20_000,
      ATTRIBUTION_WINDOW_DAYS: 45,
      LINK_TTL_DAYS: 14,
      TIER_THRESHOLDS_CNY: [10_000, 100_000, 1_000_000],
      LIFECYCLE_WINDOW_DAYS: 180,
      LIFECYCLE_CHANGE_PERCENT: 20,
      QUIET_HOURS: { from: 21, to: 8 },
      PAUSE_BOUNCE_RATE: 0.05,
      PAUSE_COMPLAINT_RATE: 0.001,
      PAUSE_MIN_SENT: 500,
      PAUSE_RECHECK_SECONDS: 60,
      RECONCILE_LOST_AFTER_SECONDS: 1200,
      RECONCILE_UNCONFIRMED_AFTER_SECONDS: 900,
      RECONCILE_FANOUT_SILENT_SECONDS: 3600,
    });
  });

  it("fills in the defaults", () => {
    // prepare / act
    const config = parseConfig(minimalEnv);
    // assess
    expect(config).toMatchObject({
      FANOUT_SHARDS: 8,
      FANOUT_PAGE_SIZE: 500,
      SYNC_COUNT_MAX_CUSTOMERS: 20_000,
      SYNC_BREAKDOWN_MAX_DELIVERIES: 20_000,
      ATTRIBUTION_WINDOW_DAYS: 30,
      LINK_TTL_DAYS: 30,
      TIER_THRESHOLDS_CNY: [50_000, 200_000, 3_000_000],
      LIFECYCLE_WINDOW_DAYS: 90,
      LIFECYCLE_CHANGE_PERCENT: 10,
      QUIET_HOURS: null,
      PAUSE_BOUNCE_RATE: 0.05,
      PAUSE_COMPLAINT_RATE: 0.001,
      PAUSE_MIN_SENT: 500,
      PAUSE_RECHECK_SECONDS: 60,
    });
  });

  it("accepts a local environment with LINK_SIGNING_SECRET instead of a secret ARN", () => {
    // prepare
    const { PLATFORM_SECRET_ARN: _, ...local } = minimalEnv;
    // act
    const config = parseConfig({ ...local, LINK_SIGNING_SECRET: "local-secret-0123456789" });
    // assess
    expect(config.LINK_SIGNING_SECRET).toBe("local-secret-0123456789");
    expect(config.PLATFORM_SECRET_ARN).toBeUndefined();
  });

  it.each([["CUSTOMERS_TABLE"], ["CAMPAIGNS_TABLE"], ["DELIVERIES_TABLE"], ["SEND_QUEUE_URL"], ["PUBLIC_BASE_URL"]])(
    "fails with a ConfigError naming %s when it is missing",
    (name) => {
      // prepare
      const env: NodeJS.ProcessEnv = { ...minimalEnv, [name]: undefined };
      // act
      const message = configError(env);
      // assess
      expect(message).toContain(name);
    },
  );

  it("fails when a queue URL is not a URL", () => {
    // prepare / act
    const message = configError({ ...minimalEnv, FANOUT_QUEUE_URL: "fanout-queue" });
    // assess
    expect(message).toContain("FANOUT_QUEUE_URL");
  });

  it.each([
    ["two numbers", "50000,200000"],
    ["four numbers", "1,2,3,4"],
    ["falling numbers", "3000000,200000,50000"],
    ["equal numbers", "50000,50000,3000000"],
    ["words", "low,mid,high"],
    ["an empty part", "50000,,3000000"],
    ["a leading empty part", ",200000,3000000"],
  ])("fails with a ConfigError naming TIER_THRESHOLDS_CNY when it has %s", (_, value) => {
    // prepare / act
    const message = configError({ ...minimalEnv, TIER_THRESHOLDS_CNY: value });
    // assess
    expect(message).toContain("TIER_THRESHOLDS_CNY");
  });

  it("fails with a ConfigError when neither PLATFORM_SECRET_ARN nor LINK_SIGNING_SECRET is set", () => {
    // prepare
    const { PLATFORM_SECRET_ARN: _, ...env } = minimalEnv;
    // act
    const message = configError(env);
    // assess
    expect(message).toContain("PLATFORM_SECRET_ARN");
    expect(message).toContain("LINK_SIGNING_SECRET");
  });

  it("refuses a LINK_SIGNING_SECRET shorter than 16 characters", () => {
    // prepare / act
    const message = configError({ ...minimalEnv, LINK_SIGNING_SECRET: "short" });
    // assess
    expect(message).toContain("LINK_SIGNING_SECRET");
  });

  it.each([["0"], ["-2"], ["1.5"], ["many"]])("refuses FANOUT_SHARDS=%s", (value) => {
    // prepare / act
    const message = configError({ ...minimalEnv, FANOUT_SHARDS: value });
    // assess
    expect(message).toContain("FANOUT_SHARDS");
  });

  it("reads the bank's brand kit from BRAND_KIT, and leaves it unset (the demo bank's) without it", () => {
    // prepare
    const brand = { ...DEMO_BRAND, name: { "zh-CN": "吉林示例银行", en: "Jilin Example Bank" } };
    // act
    const configured = parseConfig({ ...minimalEnv, BRAND_KIT: JSON.stringify(brand) });
    const unset = parseConfig(minimalEnv);
    // assess
    expect(configured.BRAND_KIT).toEqual(brand);
    expect(unset.BRAND_KIT).toBeUndefined();
  });

  it("takes one sender name for both languages, as BRAND_KIT gave it before it had one per language", () => {
    // act
    const configured = parseConfig({
      ...minimalEnv,
      BRAND_KIT: JSON.stringify({ ...DEMO_BRAND, senderName: "示范银行 Demo Bank" }),
    });
    // assess
    expect(configured.BRAND_KIT?.senderName).toEqual({ "zh-CN": "示范银行 Demo Bank", en: "示范银行 Demo Bank" });
  });

  it.each([
    ["not JSON", "{name:"],
    [
      "a colour that is not #rrggbb",
      JSON.stringify({ ...DEMO_BRAND, colours: { ...DEMO_BRAND.colours, primary: "red;}" } }),
    ],
    ["markup in a name", JSON.stringify({ ...DEMO_BRAND, name: { ...DEMO_BRAND.name, en: "<b>Bank</b>" } })],
    [
      "white on a light primary colour, unreadable",
      JSON.stringify({ ...DEMO_BRAND, colours: { ...DEMO_BRAND.colours, primary: "#7fb2e5" } }),
    ],
    [
      "a text colour too close to the primary",
      JSON.stringify({ ...DEMO_BRAND, colours: { ...DEMO_BRAND.colours, onPrimary: "#3a7bd5" } }),
    ],
    ["a language missing", JSON.stringify({ ...DEMO_BRAND, address: { en: "88 Financial Street" } })],
  ])("refuses a BRAND_KIT with %s, naming it", (_, value) => {
    // prepare / act
    const message = configError({ ...minimalEnv, BRAND_KIT: value });
    // assess
    expect(message).toContain("BRAND_KIT");
  });

  it("says which colour customers could not read, and by how much", () => {
    // prepare / act
    const light = { ...DEMO_BRAND, colours: { ...DEMO_BRAND.colours, primary: "#7fb2e5" } };
    const message = configError({ ...minimalEnv, BRAND_KIT: JSON.stringify(light) });
    // assess
    expect(message).toMatch(
      /colours\.onPrimary: #ffffff on primary has a contrast of 2\.\d\d:1; customers need 4\.5:1/,
    );
    expect(message).toMatch(/colours\.primary: #7fb2e5 on white, as links has a contrast of 2\.\d\d:1/);
  });
});
