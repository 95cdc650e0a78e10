import type { Customer } from "../../../shared/customers/customer.js";
import { type Coverage, scaledToBase } from "../../../shared/customers/scan.js";
import { suppressionFor } from "../../../shared/delivery/decide.js";
import type { SuppressionReason } from "../../../shared/delivery/delivery.js";
import { normaliseAddress } from "../../../shared/delivery/suppression.js";
import { PRODUCT_CATALOGUE, type ProductCode } from "../../../shared/kernel/products.js";
import { forSampleOfMembers, ruleContextOf } from "../../../shared/segments/preview.js";
import { latestFinishedRun } from "../../../shared/segments/preview-jobs.js";
import { type BasedOn, basedOnOf } from "../../../shared/segments/preview-rule.js";
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
  /** False: every number is an estimate from `basedOn`'s share of the customers (SYNC_COUNT_MAX_CUSTOMERS). */
  exact: boolean;
  basedOn: BasedOn;
  /** The newest finished exact count (preview run) of this version, and the moment it is of. */
  exactRun?: { count: number; at: string };
};

const PRODUCT_CODES = Object.keys(PRODUCT_CATALOGUE) as ProductCode[];

/**
 * Counts the segment with the scan the launch uses and judges every member against every product
 * with the launch's own suppressionFor (consent, address, the bounce list, holdings, tier, refused
 * categories, "not now", risk tolerance), so the numbers the marketer sees are the ones the
 * fan-out will find, but for customers who change in between.
 *
 * It reads at most SYNC_COUNT_MAX_CUSTOMERS customers, a page at a time, the bounce list read for
 * each page's members: past the bound every number is scaled to the base and is an estimate
 * (`exact: false`), shown beside the latest exact count of the version when a preview run made one.
 */
export async function segmentOutlook(p: ConsolePorts, segmentId: string): Promise<SegmentOutlook> {
  const segment = await getSegment(p, segmentId);
  const context = ruleContextOf(p);
  const products = Object.fromEntries(
    PRODUCT_CODES.map((code) => [code, { eligible: 0, heldBack: {} } as ProductOutlook]),
  ) as Record<ProductCode, ProductOutlook>;
  let count = 0;
  const coverage = await forSampleOfMembers(p, segment.rule, context, async (members: Customer[]) => {
    count += members.length;
    const addresses = members.flatMap((m) => (m.email ? [normaliseAddress(m.email)] : []));
    const bounced = addresses.length > 0 ? await p.suppressions.suppressedAmong(addresses) : new Set<string>();
    for (const customer of members)
      for (const code of PRODUCT_CODES) {
        const reason = suppressionFor(customer, { offer: { productCode: code } }, bounced, context.at);
        const outlook = products[code];
        if (reason) outlook.heldBack[reason] = (outlook.heldBack[reason] ?? 0) + 1;
        else outlook.eligible++;
      }
  });
  const run = await latestFinishedRun(p, segmentId, segment.version);
  return {
    segmentId,
    version: segment.version,
    count: scaledToBase(count, coverage),
    products: scaledOutlooks(products, coverage),
    exact: coverage.complete,
    basedOn: basedOnOf(coverage),
    ...(run ? { exactRun: { count: run.count, at: run.at } } : {}),
  };
}

const scaledOutlooks = (products: Record<ProductCode, ProductOutlook>, coverage: Coverage) =>
  Object.fromEntries(
    Object.entries(products).map(([code, { eligible, heldBack }]) => [
      code,
      {
        eligible: scaledToBase(eligible, coverage),
        heldBack: Object.fromEntries(
          Object.entries(heldBack).map(([reason, n]) => [reason, scaledToBase(n ?? 0, coverage)]),
        ),
      },
    ]),
  ) as Record<ProductCode, ProductOutlook>;
