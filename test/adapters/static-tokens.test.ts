import { describe, expect, it } from "vitest";
import { parseApiTokens, staticTokensAllowed } from "../../shared/adapters/secrets.js";
import { parseConfig } from "../../shared/config/index.js";

const local = parseConfig(process.env);

describe("static bearer tokens (DEV_TOKENS), locally only", () => {
  it("are honoured by `npm start` and the tests, where no function runs on Lambda", () => {
    // prepare / act / assess
    expect(staticTokensAllowed(local, {})).toBe(true);
  });

  it("are refused deployed, whatever the environment holds: on any Lambda, or with the platform secret", () => {
    // prepare
    const deployed = parseConfig({ ...process.env, PLATFORM_SECRET_ARN: "arn:aws:secretsmanager:x" });
    // act / assess
    expect(staticTokensAllowed(local, { AWS_LAMBDA_FUNCTION_NAME: "CrossSell-Api" })).toBe(false);
    expect(staticTokensAllowed(deployed, {})).toBe(false);
  });

  it("name every role, the relationship manager's included", () => {
    // prepare / act
    const tokens = parseApiTokens("chen:relationship_manager:rm-token-123");
    // assess
    expect(tokens.get("rm-token-123")).toEqual({ name: "chen", role: "relationship_manager" });
  });
});
