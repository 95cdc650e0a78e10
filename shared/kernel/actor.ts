/** The roles a member of the bank's staff may hold: on Cognito and locally, the user's group. */
export const ROLES = ["marketer", "approver", "analyst", "admin", "relationship_manager"] as const;
export type Role = (typeof ROLES)[number];

/**
 * A member of the bank's staff, as the API authenticated them. `name` is what every record of
 * who did what names (approvals, changes, the audit trail, exports, launches): the user's sign-in
 * name, unique in the user pool. `id` is the identity provider's subject for that user; a static
 * local token (DEV_TOKENS) has none.
 */
export type Actor = {
  kind?: "person";
  id?: string;
  name: string;
  role: Role;
  /**
   * Where a test email the person sends goes: their own address, from the token's `email` claim
   * when it carries one (the local provider's access tokens do; Cognito's carry it in the ID
   * token, which the console reads at sign-in). Never written to a record of who did what.
   */
  email?: string;
};

/** What a machine client (core banking's feeds) may be allowed: each scope opens one route. */
export const MACHINE_SCOPES = ["conversions.write", "customers.import"] as const;
export type MachineScope = (typeof MACHINE_SCOPES)[number];

/**
 * A machine client signed in by client credentials: not a person, so it has no role, holds
 * only its scopes, and never approves, decides or sees anything a person would.
 */
export type MachineClient = { kind: "machine"; clientId: string; scopes: MachineScope[] };

/** Whoever a verified bearer token stands for. */
export type Caller = Actor | MachineClient;

export const isMachine = (caller: Caller): caller is MachineClient => caller.kind === "machine";
