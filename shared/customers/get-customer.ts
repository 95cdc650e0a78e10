import { NotFoundError } from "../kernel/errors.js";
import type { Customer } from "./customer.js";
import type { CustomerStore } from "./ports.js";

export type CustomerReader = { customers: Pick<CustomerStore, "get"> };

export async function getCustomer(p: CustomerReader, customerId: string): Promise<Customer> {
  const customer = await p.customers.get(customerId);
  if (!customer) throw new NotFoundError("Customer", customerId);
  return customer;
}
