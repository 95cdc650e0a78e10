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

/** SYNC_COUNT_MAX_CUSTOMERS when unset: a few seconds of one request's scan, far from a Lambda's timeout. */
export const DEFAULT_SYNC_COUNT_MAX_CUSTOMERS = 20_000;

export type SampleDeps = {
  customers: Pick<CustomerStore, "scanShard" | "approximateCount">;
} & WithSettings<"fanoutShards" | "fanoutPageSize" | "syncCountMaxCustomers">;

/**
 * How much of the base a bounded scan read. `complete`: every shard read to its end, so whatever
 * was counted is exact. Otherwise `read` customers of about `base` (the store's own approximate
 * count, never below `read`), and a count found among them stands for `count * base / read`.
 */
export type Coverage = { complete: boolean; read: number; base: number };

/**
 * The customers a synchronous request may read: round by round, one page of every shard, until
 * every shard has ended or another round would pass SYNC_COUNT_MAX_CUSTOMERS. A request thus
 * learns that the base is large the cheap way, by having read the bound without reaching the end.
 *
 * Why the first pages of every shard are a fair sample: DynamoDB's parallel scan deals items to
 * segments by the hash of the partition key (the customer id), and reads each segment in hash
 * order, so the first pages of every shard are customers picked by the hash of their id: no
 * region, tier, import or age comes first. Reading every shard in step keeps each one's share
 * equal. The pages are handed to `visitPage` one at a time, in no particular order.
 */
export async function forSampleOfCustomers(
  p: SampleDeps,
  /** Returns (or resolves to) "enough" to stop reading: a search that found what it looked for. */
  visitPage: (customers: Customer[]) => unknown,
): Promise<Coverage> {
  const { fanoutShards, fanoutPageSize } = p.settings;
  const bound = p.settings.syncCountMaxCustomers ?? DEFAULT_SYNC_COUNT_MAX_CUSTOMERS;
  const cursors = new Map<number, string | undefined>(Array.from({ length: fanoutShards }, (_, s) => [s, undefined]));
  let read = 0;
  // Each round's pages share what is left of the bound among the shards still going, so the
  // bound is never passed, and a base just over a round's worth still ends in a later round.
  while (cursors.size > 0 && bound - read >= cursors.size) {
    const pageSize = Math.min(fanoutPageSize, Math.floor((bound - read) / cursors.size));
    const pages = await Promise.all(
      [...cursors].map(async ([shard, cursor]) => ({
        shard,
        page: await p.customers.scanShard(shard, fanoutShards, pageSize, cursor),
      })),
    );
    for (const { shard, page } of pages) {
      // Deleted customers are read and skipped by the store; they cost the read all the same.
      read += page.scanned ?? page.customers.length;
      if ((await visitPage(page.customers)) === "enough") return { complete: false, read, base: read };
      if (page.cursor) cursors.set(shard, page.cursor);
      else cursors.delete(shard);
    }
  }
  if (cursors.size === 0) return { complete: true, read, base: read };
  const approximate = (await p.customers.approximateCount?.()) ?? 0;
  return { complete: false, read, base: Math.max(approximate, read) };
}

/** A count found among the customers read, scaled to the whole base: the count itself when the read was complete. */
export const scaledToBase = (count: number, coverage: Coverage) =>
  coverage.complete || coverage.read === 0 ? count : Math.round((count * coverage.base) / coverage.read);
