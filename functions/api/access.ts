import { type MachineScope, ROLES, type Role } from "../../shared/kernel/actor.js";

/** Who may call a route under /api: the staff roles, and the one machine scope that opens it. */
export type Access = {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** The route as /openapi.json names it, parameters in braces. */
  path: string;
  /** The roles that may; an admin may always. */
  roles: readonly Role[];
  /** The scope a machine client (client credentials) needs; none means no machine client may. */
  scope?: MachineScope;
};

const ANY_ROLE = ROLES;
/** The staff who build and run campaigns (not analysts, not relationship managers). */
const CAMPAIGN_STAFF: readonly Role[] = ["marketer", "approver", "admin"];
const DECIDERS: readonly Role[] = ["approver", "admin"];
const PREVIEWERS: readonly Role[] = ["marketer", "approver", "analyst", "admin"];

/**
 * The role matrix: every route under /api, who may call it. It is the one table: the API
 * enforces it in front of every route (auth.ts, authorize), the routes' own requireRole say the
 * same (test/functions/access-matrix.test.ts walks every route with every role and every scope,
 * and checks that /openapi.json has no route missing here), and the README's API table follows it.
 */
export const ACCESS: readonly Access[] = [
  { method: "GET", path: "/api/me", roles: ANY_ROLE },
  { method: "POST", path: "/api/customers/import", roles: ["marketer", "admin"], scope: "customers.import" },
  { method: "GET", path: "/api/customers/{customerId}", roles: ANY_ROLE },
  { method: "PATCH", path: "/api/customers/{customerId}", roles: ANY_ROLE },
  { method: "DELETE", path: "/api/customers/{customerId}", roles: ANY_ROLE },
  { method: "POST", path: "/api/customers/{customerId}/restore", roles: DECIDERS },
  { method: "GET", path: "/api/customers/{customerId}/changes", roles: ANY_ROLE },
  { method: "POST", path: "/api/customers/{customerId}/changes/{changeId}/apply", roles: DECIDERS },
  { method: "POST", path: "/api/customers/{customerId}/changes/{changeId}/reject", roles: DECIDERS },
  { method: "GET", path: "/api/changes", roles: DECIDERS },
  { method: "POST", path: "/api/segments", roles: ["marketer", "admin"] },
  { method: "GET", path: "/api/segments", roles: ANY_ROLE },
  { method: "POST", path: "/api/segments/preview", roles: ["marketer", "admin"] },
  { method: "POST", path: "/api/segments/previews", roles: ["marketer", "admin"] },
  { method: "PUT", path: "/api/segments/{segmentId}", roles: ["marketer", "admin"] },
  { method: "GET", path: "/api/segments/{segmentId}", roles: ANY_ROLE },
  { method: "POST", path: "/api/segments/{segmentId}/archive", roles: ["marketer", "admin"] },
  { method: "DELETE", path: "/api/segments/{segmentId}/archive", roles: ["marketer", "admin"] },
  { method: "GET", path: "/api/segments/{segmentId}/preview", roles: PREVIEWERS },
  { method: "POST", path: "/api/segments/{segmentId}/previews", roles: PREVIEWERS },
  { method: "GET", path: "/api/segments/{segmentId}/previews/{previewId}", roles: PREVIEWERS },
  { method: "GET", path: "/api/segments/{segmentId}/export", roles: ["admin"] },
  { method: "GET", path: "/api/segments/{segmentId}/exports", roles: DECIDERS },
  { method: "GET", path: "/api/campaigns", roles: ANY_ROLE },
  { method: "POST", path: "/api/campaigns", roles: ["marketer", "admin"] },
  { method: "GET", path: "/api/campaigns/{campaignId}", roles: ANY_ROLE },
  { method: "PUT", path: "/api/campaigns/{campaignId}", roles: ["marketer", "admin"] },
  { method: "POST", path: "/api/campaigns/{campaignId}/submit", roles: ["marketer", "admin"] },
  { method: "POST", path: "/api/campaigns/{campaignId}/send-back", roles: DECIDERS },
  { method: "GET", path: "/api/campaigns/{campaignId}/preview", roles: CAMPAIGN_STAFF },
  { method: "POST", path: "/api/campaigns/{campaignId}/test-send", roles: CAMPAIGN_STAFF },
  { method: "POST", path: "/api/campaigns/{campaignId}/approve", roles: DECIDERS },
  { method: "POST", path: "/api/campaigns/{campaignId}/launch", roles: CAMPAIGN_STAFF },
  { method: "POST", path: "/api/campaigns/{campaignId}/pause", roles: CAMPAIGN_STAFF },
  { method: "POST", path: "/api/campaigns/{campaignId}/resume", roles: CAMPAIGN_STAFF },
  { method: "POST", path: "/api/campaigns/{campaignId}/cancel", roles: CAMPAIGN_STAFF },
  { method: "GET", path: "/api/campaigns/{campaignId}/history", roles: ANY_ROLE },
  { method: "GET", path: "/api/campaigns/{campaignId}/stats", roles: ANY_ROLE },
  { method: "GET", path: "/api/campaigns/{campaignId}/breakdown", roles: ANY_ROLE },
  { method: "POST", path: "/api/campaigns/{campaignId}/breakdown-runs", roles: ANY_ROLE },
  { method: "POST", path: "/api/conversions", roles: ["admin"], scope: "conversions.write" },
  { method: "GET", path: "/api/data-quality", roles: ["analyst", "approver", "admin"] },
  { method: "GET", path: "/api/admin/dead-letters", roles: ["admin"] },
  { method: "POST", path: "/api/admin/dead-letters/redrive", roles: ["admin"] },
  { method: "GET", path: "/api/exports", roles: ["admin"] },
  { method: "GET", path: "/api/audit/customer-changes", roles: ["admin"] },
  { method: "GET", path: "/api/products", roles: ANY_ROLE },
  { method: "GET", path: "/api/brand-kit", roles: ANY_ROLE },
  { method: "PUT", path: "/api/brand-kit", roles: ["admin"] },
  { method: "PUT", path: "/api/brand-kit/logo", roles: ["admin"] },
  { method: "DELETE", path: "/api/brand-kit/logo", roles: ["admin"] },
  { method: "GET", path: "/api/brand-kit/history", roles: ["admin"] },
];

const compiled = ACCESS.map((access) => ({
  access,
  pattern: new RegExp(`^${access.path.replace(/\{[^}]+\}/g, "[^/]+")}/?$`),
}));

/** The table's entry for a request, or none for a path no route serves (a 404 follows). */
export const accessFor = (method: string, path: string): Access | undefined =>
  compiled.find(({ access, pattern }) => access.method === method.toUpperCase() && pattern.test(path))?.access;
