import { z } from "zod";
import { ROLES, type Role } from "../../kernel/actor.js";

/**
 * The bank's identity provider's groups, each mapped to a role on this platform: deployed with
 * `-c federationGroups='{"CN=Campaign Marketing,OU=Groups,DC=bank":"marketer", ...}'` (README,
 * "Signing in"). A group missing from the map gives no role.
 */
export const GroupRoleMap = z.record(
  z.string().min(1),
  z.enum(ROLES, { error: `a role is one of ${ROLES.join(", ")}` }),
);
export type GroupRoleMap = z.infer<typeof GroupRoleMap>;

/** The map from the CDK context's JSON text; a mistake stops the synth with what to fix. */
export function parseGroupRoleMap(text: string): GroupRoleMap {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(
      `federationGroups is not JSON: give an object of IdP group to role, e.g. '{"Marketing":"marketer"}'`,
    );
  }
  const parsed = GroupRoleMap.safeParse(json);
  if (!parsed.success)
    throw new Error(
      `federationGroups: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
    );
  return parsed.data;
}

/**
 * The groups the IdP sent, as Cognito keeps them in the mapped attribute: a SAML multi-valued
 * attribute arrives as "[a, b]", an OIDC array claim as '["a","b"]', a single group as itself.
 */
export function idpGroupsOf(raw: string | undefined): string[] {
  if (!raw?.trim()) return [];
  const text = raw.trim();
  if (text.startsWith("[")) {
    try {
      const list = JSON.parse(text);
      if (Array.isArray(list))
        return list
          .map(String)
          .map((g) => g.trim())
          .filter(Boolean);
    } catch {
      // SAML's "[a, b]" is not JSON: split it below. A group name with a comma in it (an LDAP
      // DN) comes through OIDC as JSON, or as SAML's single value.
    }
    return text
      .slice(1, -1)
      .split(",")
      .map((g) => g.trim())
      .filter(Boolean);
  }
  return [text];
}

/**
 * A federated person's roles: those the IdP's groups map to, and the groups an admin gave them
 * in the pool. The IdP's are read at every sign-in, so a person who leaves the marketing group
 * at the bank loses the marketer role at their next token; one an admin gave stays until an
 * admin takes it away.
 */
export function rolesOf(idpGroups: readonly string[], map: GroupRoleMap, poolGroups: readonly string[] = []): Role[] {
  const roles = new Set<Role>();
  for (const group of poolGroups) if ((ROLES as readonly string[]).includes(group)) roles.add(group as Role);
  for (const group of idpGroups) {
    const role = map[group];
    if (role) roles.add(role);
  }
  return ROLES.filter((r) => roles.has(r));
}

/** The user pool's attribute the IdP's group claim is mapped into. */
export const IDP_GROUPS_ATTRIBUTE = "idp_groups";
