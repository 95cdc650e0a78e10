import { z } from "zod";
import type { CampaignStore } from "../campaigns/ports.js";
import { Delivery } from "../delivery/delivery.js";
import type { DeliveryStore } from "../delivery/ports.js";
import type { RecordedConversion } from "../responses/conversions.js";
import type { ResponseStore } from "../responses/ports.js";

export type CampaignHistoryDeps = {
  deliveries: Pick<DeliveryStore, "ofCustomer"> & Pick<ResponseStore, "conversionsOf">;
  campaigns: Pick<CampaignStore, "get">;
};

/** How many touches and conversions the customer view lists, newest first. */
export const VIEW_LIST_LIMIT = 100;

/** One campaign's offer to the customer, whatever became of it (suppressed and control included). */
export const Touch = Delivery.omit({ customerId: true, messageId: true }).extend({
  campaignName: z.string().optional().describe("Absent when the campaign can no longer be read"),
});
export type Touch = z.infer<typeof Touch>;

export type CampaignHistory = { touches: Touch[]; conversions: RecordedConversion[] };

/** The customer's latest VIEW_LIST_LIMIT touches and conversions, newest first, with each campaign's name. */
export async function campaignHistory(p: CampaignHistoryDeps, customerId: string): Promise<CampaignHistory> {
  const [deliveries, conversions] = await Promise.all([
    p.deliveries.ofCustomer(customerId, VIEW_LIST_LIMIT),
    p.deliveries.conversionsOf(customerId, VIEW_LIST_LIMIT),
  ]);
  const campaignIds = [...new Set(deliveries.map((d) => d.campaignId))];
  const campaigns = await Promise.all(campaignIds.map((id) => p.campaigns.get(id)));
  const names = new Map(campaigns.flatMap((c) => (c ? [[c.campaignId, c.name] as const] : [])));
  const touches = deliveries.map(({ customerId: _, messageId: __, ...touch }) => ({
    ...touch,
    campaignName: names.get(touch.campaignId),
  }));
  return { touches, conversions };
}
