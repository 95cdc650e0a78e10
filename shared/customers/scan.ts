import type { WithSettings } from "../kernel/settings.js";
import type { Customer } from "./customer.js";
import type { CustomerStore } from "./ports.js";

export type ScanDeps = { customers: Pick<CustomerStore, "scanShard"> } & WithSettings<
  "fanoutShards" | "fanoutPageSize"
>;

/**
 * Every customer not deleted, through the sharded parallel scan (FANOUT_SHARDS shards,
 * FANOUT_PAGE_SIZE pages) that the launch fan-out uses too, page by page: nothing outlives its
 * page. Shards run in parallel, so `visit` sees customers in no particular order.
 */
export async function forEachCustomer(p: ScanDeps, visit: (customer: Customer) => void): Promise<void> {
  const { fanoutShards, fanoutPageSize } = p.settings;
  await Promise.all(
    Array.from({ length: fanoutShards }, async (_, shard) => {
      let cursor: string | undefined;
      do {
        const page = await p.customers.scanShard(shard, fanoutShards, fanoutPageSize, cursor);
        for (const customer of page.customers) visit(customer);
        cursor = page.cursor;
      } while (cursor);
    }),
  );
}
