import type { PreTokenGenerationV2TriggerHandler } from "aws-lambda";
import {
  GroupRoleMap,
  IDP_GROUPS_ATTRIBUTE,
  idpGroupsOf,
  rolesOf,
} from "../../shared/adapters/identity/federated-roles.js";
import { logger } from "../../shared/observability/logger.js";

/** Read once, at cold start: the stack sets it from `-c federationGroups` (empty: no IdP groups are mapped). */
const groupRoles = GroupRoleMap.parse(JSON.parse(process.env.FEDERATED_GROUP_ROLES || "{}"));

/**
 * Cognito's pre-token-generation trigger (V2): before each token is issued,
 * - a person signed in through the bank's identity provider gets the roles its groups map to
 *   (shared/adapters/identity/federated-roles.ts), beside any an admin gave them in the pool;
 * - the access token carries the person's email address, which Cognito puts only in the ID
 *   token, so that the API can send a test email to the signed-in person's own address.
 */
export const handler: PreTokenGenerationV2TriggerHandler = async (event) => {
  const attributes = event.request.userAttributes;
  const poolGroups = event.request.groupConfiguration.groupsToOverride ?? [];
  const federated = Boolean(attributes.identities);
  const groups = federated
    ? rolesOf(idpGroupsOf(attributes[`custom:${IDP_GROUPS_ATTRIBUTE}`]), groupRoles, poolGroups)
    : poolGroups;
  event.response = {
    claimsAndScopeOverrideDetails: {
      ...(federated ? { groupOverrideDetails: { groupsToOverride: groups } } : {}),
      accessTokenGeneration: attributes.email ? { claimsToAddOrOverride: { email: attributes.email } } : {},
    },
  };
  // The roles only: no name, no address.
  logger.info("token roles", { federated, roles: groups.join(","), trigger: event.triggerSource });
  return event;
};
