import { createRoute, z } from "@hono/zod-openapi";
import {
  AuditEntry,
  CustomerChange,
  DeletionRequest,
  EDITABLE_FIELDS,
  EditRequest,
} from "../../../shared/customers/changes.js";
import {
  applyChange,
  changeHistory,
  pendingChanges,
  rejectChange,
  requestDeletion,
  requestEdit,
  restoreCustomer,
} from "../../../shared/customers/maker-checker.js";
import { idNamed } from "../../../shared/kernel/ids.js";
import { requireRole } from "../auth.js";
import type { ApiPorts } from "../deps.js";
import { router } from "../router.js";

const CustomerId = z.object({ customerId: idNamed("customerId") });
const ChangeIds = CustomerId.extend({ changeId: idNamed("changeId") });
const Reason = DeletionRequest;

const decided = {
  200: {
    description: "Applied at once (an approver's or admin's own change), with its audit entries written",
    content: { "application/json": { schema: CustomerChange } },
  },
  202: {
    description: "Pending: an approver must apply or reject it",
    content: { "application/json": { schema: CustomerChange } },
  },
} as const;

/** The HTTP status of a change just asked for: 202 while it waits for an approver, 200 once applied. */
const statusOf = (change: CustomerChange) => (change.status === "pending" ? (202 as const) : (200 as const));

/** "a, b or c" */
const inWords = (items: readonly string[]) => `${items.slice(0, -1).join(", ")} or ${items.at(-1)}`;

/** Maker-checker on customer records (DOMAIN.md): changes, deletion, restore, and the audit trail. */
export const customerChangeRoutes = (ports: ApiPorts) =>
  router()
    .openapi(
      createRoute({
        method: "patch",
        path: "/{customerId}",
        summary: `Change a customer's ${inWords(EDITABLE_FIELDS)}, with a reason; null clears an optional field`,
        request: {
          params: CustomerId,
          body: { required: true, content: { "application/json": { schema: EditRequest } } },
        },
        responses: decided,
      }),
      async (c) => {
        const change = await requestEdit(ports, c.req.valid("param").customerId, c.req.valid("json"), c.get("actor"));
        return c.json(change, statusOf(change));
      },
    )
    .openapi(
      createRoute({
        method: "delete",
        path: "/{customerId}",
        summary:
          "Delete a customer, with a reason: out of every segment and campaign at once, restorable for 30 days, then purged",
        request: { params: CustomerId, body: { required: true, content: { "application/json": { schema: Reason } } } },
        responses: decided,
      }),
      async (c) => {
        const change = await requestDeletion(
          ports,
          c.req.valid("param").customerId,
          c.req.valid("json").reason,
          c.get("actor"),
        );
        return c.json(change, statusOf(change));
      },
    )
    .openapi(
      createRoute({
        method: "post",
        path: "/{customerId}/restore",
        summary: "Restore a deleted customer within 30 days of the deletion",
        middleware: [requireRole("approver")] as const,
        request: { params: CustomerId, body: { required: true, content: { "application/json": { schema: Reason } } } },
        responses: { 200: decided[200] },
      }),
      async (c) =>
        c.json(
          await restoreCustomer(ports, c.req.valid("param").customerId, c.req.valid("json").reason, c.get("actor")),
          200,
        ),
    )
    .openapi(
      createRoute({
        method: "get",
        path: "/{customerId}/changes",
        summary:
          "A customer's changes (pending, applied, rejected) and audit trail, newest first; contact values masked unless the caller may see them",
        request: { params: CustomerId },
        responses: {
          200: {
            description: "Changes and audit trail",
            content: {
              "application/json": {
                schema: z.object({ changes: z.array(CustomerChange), auditTrail: z.array(AuditEntry) }),
              },
            },
          },
        },
      }),
      async (c) => c.json(await changeHistory(ports, c.req.valid("param").customerId, c.get("actor")), 200),
    )
    .openapi(
      createRoute({
        method: "post",
        path: "/{customerId}/changes/{changeId}/apply",
        summary: "Apply a pending change: the customer record and its audit entries are written together",
        middleware: [requireRole("approver")] as const,
        request: { params: ChangeIds },
        responses: { 200: decided[200] },
      }),
      async (c) => {
        const { customerId, changeId } = c.req.valid("param");
        return c.json(await applyChange(ports, customerId, changeId, c.get("actor")), 200);
      },
    )
    .openapi(
      createRoute({
        method: "post",
        path: "/{customerId}/changes/{changeId}/reject",
        summary: "Reject a pending change, saying why",
        middleware: [requireRole("approver")] as const,
        request: { params: ChangeIds, body: { required: true, content: { "application/json": { schema: Reason } } } },
        responses: { 200: { description: "Rejected", content: { "application/json": { schema: CustomerChange } } } },
      }),
      async (c) => {
        const { customerId, changeId } = c.req.valid("param");
        return c.json(await rejectChange(ports, customerId, changeId, c.req.valid("json").reason, c.get("actor")), 200);
      },
    );

/** The approvers' queue. */
export const changeQueueRoutes = (ports: ApiPorts) =>
  router().openapi(
    createRoute({
      method: "get",
      path: "/",
      summary: "Every customer change waiting for an approver, oldest first",
      middleware: [requireRole("approver")] as const,
      responses: {
        200: {
          description: "Pending changes",
          content: { "application/json": { schema: z.object({ changes: z.array(CustomerChange) }) } },
        },
      },
    }),
    async (c) => c.json({ changes: await pendingChanges(ports, c.get("actor")) }, 200),
  );
