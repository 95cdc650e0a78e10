import type { PreTokenGenerationV2TriggerEvent } from "aws-lambda";
import { afterEach, describe, expect, it, vi } from "vitest";
import { idpGroupsOf, parseGroupRoleMap, rolesOf } from "../../shared/adapters/identity/federated-roles.js";

const MAP = { "CN=Campaign Marketing,OU=Groups,DC=bank": "marketer", Approvers: "approver" } as const;

describe("the bank's IdP groups as roles", () => {
  it("reads the groups as SAML and OIDC send them through Cognito", () => {
    expect(idpGroupsOf("[Approvers, Staff]")).toEqual(["Approvers", "Staff"]);
    expect(idpGroupsOf('["CN=Campaign Marketing,OU=Groups,DC=bank","Staff"]')).toEqual([
      "CN=Campaign Marketing,OU=Groups,DC=bank",
      "Staff",
    ]);
    expect(idpGroupsOf("Approvers")).toEqual(["Approvers"]);
    expect(idpGroupsOf(undefined)).toEqual([]);
    expect(idpGroupsOf("  ")).toEqual([]);
  });

  it("gives the roles the groups map to, beside those an admin gave in the pool, and none for unmapped groups", () => {
    expect(rolesOf(["CN=Campaign Marketing,OU=Groups,DC=bank", "Staff"], MAP)).toEqual(["marketer"]);
    expect(rolesOf(["Approvers"], MAP, ["analyst"])).toEqual(["approver", "analyst"]);
    expect(rolesOf(["Staff"], MAP, ["not-a-role"])).toEqual([]);
  });

  it("refuses a map that is not JSON, or names a role the platform has not, saying what to fix", () => {
    expect(() => parseGroupRoleMap("Marketing=marketer")).toThrow(/federationGroups is not JSON/);
    expect(() => parseGroupRoleMap('{"Marketing":"boss"}')).toThrow(/Marketing: a role is one of marketer, approver/);
    expect(parseGroupRoleMap('{"Marketing":"marketer"}')).toEqual({ Marketing: "marketer" });
  });
});

describe("the pre-token trigger", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  const event = (userAttributes: Record<string, string>, groups: string[]) =>
    ({
      version: "2",
      triggerSource: "TokenGeneration_HostedAuth",
      region: "ap-east-1",
      userPoolId: "pool",
      userName: "someone",
      callerContext: { awsSdkVersion: "x", clientId: "console" },
      request: { userAttributes, groupConfiguration: { groupsToOverride: groups } },
      response: { claimsAndScopeOverrideDetails: {} },
    }) as unknown as PreTokenGenerationV2TriggerEvent;

  const run = async (e: PreTokenGenerationV2TriggerEvent) => {
    vi.stubEnv("FEDERATED_GROUP_ROLES", JSON.stringify(MAP));
    const { handler } = await import("../../functions/pre-token/handler.js");
    return (await handler(e, {} as never, () => {})) as PreTokenGenerationV2TriggerEvent;
  };

  it("gives a federated person the roles of their IdP groups, and the access token their email", async () => {
    const out = await run(
      event(
        { email: "li.na@bank.example", identities: '[{"providerName":"BankAD"}]', "custom:idp_groups": "[Approvers]" },
        [],
      ),
    );

    expect(out.response.claimsAndScopeOverrideDetails.groupOverrideDetails?.groupsToOverride).toEqual(["approver"]);
    expect(out.response.claimsAndScopeOverrideDetails.accessTokenGeneration?.claimsToAddOrOverride).toEqual({
      email: "li.na@bank.example",
    });
  });

  it("leaves a pool user's groups as an admin set them", async () => {
    const out = await run(event({ email: "mei@bank.example", "custom:idp_groups": "[Approvers]" }, ["marketer"]));

    expect(out.response.claimsAndScopeOverrideDetails.groupOverrideDetails).toBeUndefined();
    expect(out.response.claimsAndScopeOverrideDetails.accessTokenGeneration?.claimsToAddOrOverride).toEqual({
      email: "mei@bank.example",
    });
  });
});
