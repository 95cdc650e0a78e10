/** @jsxImportSource hono/jsx */
import { type Context, Hono } from "hono";
import { z } from "zod";
import { DeletionRequest, type EditableField, EditRequest } from "../../../shared/customers/changes.js";
import { requestDeletion, requestEdit } from "../../../shared/customers/maker-checker.js";
import type { Actor, Role } from "../../../shared/kernel/actor.js";
import { CustomerChangeConflictError, NotFoundError, ValidationError } from "../../../shared/kernel/errors.js";
import { idNamed } from "../../../shared/kernel/ids.js";
import { viewCustomer } from "../../../shared/views/customer-view.js";
import type { ConsoleEnv, ConsoleKit } from "../kit.js";
import {
  CustomerPage,
  type CustomerViewData,
  DeletePage,
  DONE,
  EditPage,
  FindPage,
  FORM_FIELDS,
  type Problems,
} from "./pages.js";

const CustomerId = idNamed("customerId");
const DoneQuery = z.enum(DONE).optional().catch(undefined);

const actorOf = (c: Context<ConsoleEnv>): Actor => {
  const { id, name, role } = c.get("session").user;
  return { kind: "person", id, name, role: role as Role };
};

/**
 * A form's text fields as posted: strings only (a file or a repeated field is nobody's typing);
 * undefined for a field the form did not send at all.
 */
const formOf = async (c: Context<ConsoleEnv>) => {
  const body = await c.req.parseBody();
  return (name: string) => (typeof body[name] === "string" ? (body[name] as string) : undefined);
};

/** The form's value of each editable field: the record exactly as the person may see it (masked or not). */
const valuesOf = (customer: CustomerViewData): Record<EditableField, string> =>
  Object.fromEntries(FORM_FIELDS.map((field) => [field, (customer[field] as string | undefined) ?? ""])) as Record<
    EditableField,
    string
  >;

/**
 * What the person asked to change: only the fields whose value differs from what the form showed
 * them. A masked value left as shown is no change (so "张*" is never written over a name), and an
 * emptied optional field is cleared (null), as PATCH /api/customers/{id} takes it.
 */
function changesOf(shown: Record<EditableField, string>, posted: (name: string) => string | undefined) {
  const changes: Partial<Record<EditableField, string | null>> = {};
  for (const field of FORM_FIELDS) {
    // A field the form did not send is left alone, not cleared.
    const value = posted(field)?.trim();
    if (value !== undefined && value !== shown[field].trim()) changes[field] = value === "" ? null : value;
  }
  return changes;
}

/** Each issue of the edit's schema as a problem of the field it names, in the person's words. */
function problemsOf(error: z.ZodError): Problems {
  const problems: Problems = {};
  for (const issue of error.issues) {
    const [where, field] = issue.path;
    if (where === "reason") problems.reason = "customers.problem.reason";
    else if (where === "changes" && FORM_FIELDS.includes(field as (typeof FORM_FIELDS)[number]))
      problems[field as EditableField] = `customers.invalid.${field as (typeof FORM_FIELDS)[number]}`;
  }
  return problems;
}

/**
 * The single customer view for every role: find a customer by id, read their record as the API's
 * GET /api/customers/{id} shows it to the same role (the same use case, masked the same way),
 * and ask for an edit or a deletion, which becomes a pending change for an approver
 * (maker-checker, DOMAIN.md) unless the person is an approver or admin.
 */
export function customerPages(kit: ConsoleKit) {
  const { ports, base, signedIn, csrfChecked, viewOf } = kit;
  const customerUrl = (customerId: string) => `${base}/customers/${encodeURIComponent(customerId)}`;

  const notFound = (c: Context<ConsoleEnv>, id: string) =>
    c.html(<FindPage view={viewOf(c)} id={id} problem="none" />, 404);

  /**
   * Ids are case-sensitive; a person who typed c-001 for C-001 is told of the other. Two reads
   * more, only after a miss, so it stays cheap.
   */
  const otherCaseOf = async (id: string) => {
    for (const other of new Set([id.toUpperCase(), id.toLowerCase()])) {
      if (other !== id && (await ports.customers.get(other))) return other;
    }
    return undefined;
  };

  /** The customer named in the path as this person may see them, or undefined when there is none. */
  const customerFor = async (c: Context<ConsoleEnv>): Promise<CustomerViewData | undefined> => {
    const id = CustomerId.safeParse(c.req.param("customerId"));
    if (!id.success) return undefined;
    try {
      return await viewCustomer(ports, id.data, actorOf(c));
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
  };

  return new Hono<ConsoleEnv>()
    .get("/customers", signedIn({ touch: true }), async (c) => {
      const asked = c.req.query("id")?.trim();
      if (asked === undefined || asked === "") return c.html(<FindPage view={viewOf(c)} />);
      const id = CustomerId.safeParse(asked);
      if (!id.success) return c.html(<FindPage view={viewOf(c)} id={asked} problem="invalid" />, 400);
      if (await ports.customers.get(id.data)) return c.redirect(customerUrl(id.data), 303);
      return c.html(
        <FindPage view={viewOf(c)} id={id.data} problem="none" otherCase={await otherCaseOf(id.data)} />,
        404,
      );
    })
    .get("/customers/:customerId", signedIn({ touch: true }), async (c) => {
      const customer = await customerFor(c);
      if (!customer) return notFound(c, c.req.param("customerId"));
      return c.html(<CustomerPage view={viewOf(c)} customer={customer} done={DoneQuery.parse(c.req.query("done"))} />);
    })
    .get("/customers/:customerId/edit", signedIn({ touch: true }), async (c) => {
      const customer = await customerFor(c);
      if (!customer) return notFound(c, c.req.param("customerId"));
      return c.html(
        <EditPage view={viewOf(c)} customer={customer} values={valuesOf(customer)} reason="" problems={{}} />,
      );
    })
    .post("/customers/:customerId/edit", signedIn({ touch: true }), csrfChecked, async (c) => {
      const customer = await customerFor(c);
      if (!customer) return notFound(c, c.req.param("customerId"));
      const posted = await formOf(c);
      const shown = valuesOf(customer);
      const typed = Object.fromEntries(FORM_FIELDS.map((field) => [field, posted(field) ?? shown[field]])) as Record<
        EditableField,
        string
      >;
      const again = (problems: Problems) =>
        c.html(
          <EditPage
            view={viewOf(c)}
            customer={customer}
            values={typed}
            reason={posted("reason") ?? ""}
            problems={problems}
          />,
          400,
        );
      const changes = changesOf(shown, posted);
      const request = EditRequest.safeParse({ changes, reason: posted("reason") ?? "" });
      if (!request.success) {
        const problems = problemsOf(request.error);
        if (Object.keys(changes).length === 0) problems.form = "customers.problem.nothing";
        return again(problems);
      }
      try {
        const change = await requestEdit(ports, customer.customerId, request.data, actorOf(c));
        const done = change.status === "pending" ? "editRequested" : "editApplied";
        return c.redirect(`${customerUrl(customer.customerId)}?done=${done}`, 303);
      } catch (error) {
        if (error instanceof CustomerChangeConflictError) return again({ form: "customers.problem.deleted" });
        if (error instanceof ValidationError) return again({ form: "customers.problem.nothing" });
        if (error instanceof NotFoundError) return notFound(c, customer.customerId);
        throw error;
      }
    })
    .get("/customers/:customerId/delete", signedIn({ touch: true }), async (c) => {
      const customer = await customerFor(c);
      if (!customer) return notFound(c, c.req.param("customerId"));
      return c.html(<DeletePage view={viewOf(c)} customer={customer} reason="" problems={{}} />);
    })
    .post("/customers/:customerId/delete", signedIn({ touch: true }), csrfChecked, async (c) => {
      const customer = await customerFor(c);
      if (!customer) return notFound(c, c.req.param("customerId"));
      const posted = await formOf(c);
      const again = (problems: Problems) =>
        c.html(
          <DeletePage view={viewOf(c)} customer={customer} reason={posted("reason") ?? ""} problems={problems} />,
          400,
        );
      const request = DeletionRequest.safeParse({ reason: posted("reason") ?? "" });
      const problems: Problems = {};
      if (!request.success) problems.reason = "customers.problem.reason";
      if (posted("confirm") !== "yes") problems.confirm = "customers.problem.confirm";
      if (!request.success || problems.confirm) return again(problems);
      try {
        const change = await requestDeletion(ports, customer.customerId, request.data.reason, actorOf(c));
        const done = change.status === "pending" ? "deletionRequested" : "deleted";
        return c.redirect(`${customerUrl(customer.customerId)}?done=${done}`, 303);
      } catch (error) {
        if (error instanceof CustomerChangeConflictError) return again({ form: "customers.problem.deleted" });
        if (error instanceof NotFoundError) return notFound(c, customer.customerId);
        throw error;
      }
    });
}
