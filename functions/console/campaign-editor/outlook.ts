import type { Customer } from "../../../shared/customers/customer.js";
import { suppressionFor } from "../../../shared/delivery/decide.js";
import type { SuppressionReason } from "../../../shared/delivery/delivery.js";
import { normaliseAddress } from "../../../shared/delivery/suppression.js";
import { PRODUCT_CATALOGUE, type ProductCode } from "../../../shared/kernel/products.js";
import { forEachMember, ruleContextOf } from "../../../shared/segments/preview.js";
import { getSegment } from "../../../shared/segments/versions.js";
import type { ConsolePorts } from "../deps.js";

/** What one product would come to in the segment: how many would be offered it, and who is held back and why. */
export type ProductOutlook = { eligible: number; heldBack: Partial<Record<SuppressionReason, number>> };

/** The segment as the wizard shows it: its size today, and for each product what the launch's own checks would hold back. */
export type SegmentOutlook = {
  segmentId: string;
  version: number;
  count: number;
  products: Record<ProductCode, ProductOutlook>;
};

const PRODUCT_CODES = Object.keys(PRODUCT_CATALOGUE) as ProductCode[];

/**
 * Counts the segment with the scan the launch uses and judges every member against every product
 * with the launch's own suppressionFor (consent, address, the bounce list, holdings, tier, refused
 * categories, "not now", risk tolerance), so the numbers the marketer sees are the ones the
 * fan-out will find, but for customers who change in between. The members are held while the
 * bounce list is read for their addresses: like the synchronous segment preview, this suits a
 * bank whose segments are tens of thousands, not millions.
 */
export async function segmentOutlook(p: ConsolePorts, segmentId: string): Promise<SegmentOutlook> {
  const segment = await getSegment(p, segmentId);
  const context = ruleContextOf(p);
  const members: Customer[] = [];
  await forEachMember(p, segment.rule, context, (customer) => members.push(customer));
  const addresses = members.flatMap((m) => (m.email ? [normaliseAddress(m.email)] : []));
  const bounced = addresses.length > 0 ? await p.suppressions.suppressedAmong(addresses) : new Set<string>();
  const products = Object.fromEntries(
    PRODUCT_CODES.map((code) => [code, { eligible: 0, heldBack: {} } as ProductOutlook]),
  ) as Record<ProductCode, ProductOutlook>;
  for (const customer of members) {
    for (const code of PRODUCT_CODES) {
      const reason = suppressionFor(customer, { offer: { productCode: code } }, bounced, context.at);
      const outlook = products[code];
      if (reason) outlook.heldBack[reason] = (outlook.heldBack[reason] ?? 0) + 1;
      else outlook.eligible++;
    }
  }
  return { segmentId, version: segment.version, count: members.length, products };
}
