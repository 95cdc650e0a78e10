import { createHash } from "node:crypto";
import type { Customer } from "../../shared/customers/customer.js";
import type { CustomerStore, ScanPage } from "../../shared/customers/ports.js";

const hashOf = (id: string) => createHash("md5").update(id).digest().readUInt32BE(0);

/**
 * A customer store that scans as DynamoDB's parallel scan does: a customer's shard is the hash of
 * its id, and each shard is read in hash order, page by page. `reads` counts the records every
 * page read, so a test can say how much of the base a request touched.
 */
export function hashedBase(customers: Customer[]) {
  const ordered = [...customers].sort((a, b) => hashOf(a.customerId) - hashOf(b.customerId));
  const shards = new Map<string, Customer[]>();
  const shardOf = (shard: number, totalShards: number) => {
    const key = `${shard}/${totalShards}`;
    if (!shards.has(key))
      shards.set(
        key,
        ordered.filter((c) => hashOf(c.customerId) % totalShards === shard),
      );
    return shards.get(key) ?? [];
  };
  const store = {
    reads: 0,
    async scanShard(shard: number, totalShards: number, pageSize: number, cursor?: string): Promise<ScanPage> {
      const own = shardOf(shard, totalShards);
      const from = cursor ? Number(cursor) : 0;
      const page = own.slice(from, from + pageSize);
      store.reads += page.length;
      const next = from + pageSize;
      return { customers: page, cursor: next < own.length ? String(next) : undefined, scanned: page.length };
    },
    async get(id: string) {
      return customers.find((c) => c.customerId === id) ?? null;
    },
    async getMany(ids: string[]) {
      return new Map(customers.filter((c) => ids.includes(c.customerId)).map((c) => [c.customerId, c]));
    },
    async approximateCount() {
      return customers.length;
    },
  };
  return store as typeof store & Pick<CustomerStore, "scanShard" | "getMany" | "approximateCount">;
}
