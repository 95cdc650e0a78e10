import { createRoute, z } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import { AuditEntry, CustomerChange } from "../../../shared/customers/changes.js";
import { Customer } from "../../../shared/customers/customer.js";
import { LifecycleStage } from "../../../shared/customers/history.js";
import { importCustomers } from "../../../shared/customers/import/import-customers.js";
import { decodeImport, ImportEncoding, importFormatFor } from "../../../shared/customers/import/import-file.js";
import { ValidationError } from "../../../shared/kernel/errors.js";
import { idNamed } from "../../../shared/kernel/ids.js";
import { RecordedConversion } from "../../../shared/responses/conversions.js";
import { Touch, VIEW_LIST_LIMIT } from "../../../shared/views/campaign-history.js";
import { VIEW_AUDIT_LIMIT, viewCustomer } from "../../../shared/views/customer-view.js";
import { requireRole } from "../auth.js";
import type { ApiPorts } from "../deps.js";
import { router } from "../router.js";

/** Masked contact fields are no longer valid addresses, so the view's are plain strings. */
const CustomerView = Customer.extend({
  email: z.string().optional(),
  phone: z.string().optional(),
  masked: z.boolean(),
  lifecycle: LifecycleStage.nullable().describe(
    "From the AUM trend (README, 'Lifecycle'); null while the customer is too new to have one",
  ),
  touches: z
    .array(Touch)
    .describe(
      `The customer's campaign offers, whatever became of each (suppressed, control, sent, answered...), newest first; the latest ${VIEW_LIST_LIMIT}`,
    ),
  conversions: z
    .array(RecordedConversion)
    .describe(
      `Product openings core banking reported, with the campaign credited, newest first; the latest ${VIEW_LIST_LIMIT}`,
    ),
  pendingChanges: z.array(CustomerChange).describe("Changes waiting for an approver, newest first"),
  auditTrail: z
    .array(AuditEntry)
    .describe(
      `Applied changes, deletions and restores, newest first; the latest ${VIEW_AUDIT_LIMIT} (GET /api/customers/{id}/changes has all)`,
    ),
  idNumber: z.string().optional(),
  address: z.string().optional(),
});

const ImportSummary = z.object({
  rowsRead: z.number(),
  imported: z.number(),
  updated: z.number(),
  unchanged: z.number(),
  rejected: z.array(z.object({ line: z.number(), reason: z.string() })),
  consentKept: z
    .number()
    .describe(
      "Rows whose consent answer was not applied: the customer withdrew it themself, and the row has no later consentSource and consentAt of its own. These rows are still counted as imported, updated or unchanged",
    ),
  encoding: ImportEncoding,
});

/** API Gateway's own payload limit; bigger files go through `npm run import` (issue #3). */
const MAX_IMPORT_BYTES = 10 * 1024 * 1024;

export function customerRoutes(ports: ApiPorts) {
  const customers = router();

  customers.use(
    "/import",
    bodyLimit({
      maxSize: MAX_IMPORT_BYTES,
      onError: () => {
        throw new ValidationError(`The import is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB; split the file`);
      },
    }),
  );

  return customers
    .openapi(
      createRoute({
        method: "post",
        path: "/import",
        summary: "Import customers (upsert by customerId)",
        middleware: [requireRole("marketer")] as const,
        request: {
          body: {
            required: true,
            content: { "text/csv": { schema: z.string() }, "application/x-ndjson": { schema: z.string() } },
            description:
              "Columns: customerId, type (individual|corporate), name, email, aum (CNY), products (codes joined by ';'), region, emailConsent. " +
              "UTF-8, or GBK/GB18030 (detected; the answer's `encoding` says which); any other encoding is refused with 400.",
          },
        },
        responses: {
          200: {
            description: "What the import did, row by row",
            content: { "application/json": { schema: ImportSummary } },
          },
        },
      }),
      async (c) => {
        const format = importFormatFor(c.req.header("content-type"));
        const { text, encoding } = decodeImport(new Uint8Array(await c.req.arrayBuffer()));
        return c.json({ ...(await importCustomers(ports, text, format)), encoding }, 200);
      },
    )
    .openapi(
      createRoute({
        method: "get",
        path: "/{customerId}",
        summary:
          "A customer's profile with its tier; name, email and phone masked unless the caller is an admin or the customer's relationship manager",
        request: { params: z.object({ customerId: idNamed("customerId") }) },
        responses: { 200: { description: "The customer", content: { "application/json": { schema: CustomerView } } } },
      }),
      async (c) => c.json(await viewCustomer(ports, c.req.valid("param").customerId, c.get("actor")), 200),
    );
}
