import { api, messageTitled, waitFor } from "../integration/client.js";

/**
 * The data a console browser test reads, made through the API: customers of a region of the
 * test's own, and campaigns to them run to completion. `label` names the test ("Console",
 * "Analysis"): it starts the emails' subjects, so that a test waiting in the shared inbox finds
 * its own, and names the segments and the customers' addresses.
 */
export function consoleTestData(region: string, label: string) {
  const domain = `${label.toLowerCase()}-e2e.test`;
  return {
    /** `n` affluent savers of `${region}${prefix}`, each holding only a current account. */
    customersCsv(prefix: string, n: number) {
      const rows = Array.from({ length: n }, (_, i) => {
        const id = `${prefix}-${String(i + 1).padStart(3, "0")}`;
        return `${id},individual,Customer ${id},${id.toLowerCase()}@${domain},250000,DEPOSIT_CURRENT,${region}${prefix},true`;
      });
      return ["customerId,type,name,email,aum,products,region,emailConsent", ...rows].join("\n");
    },

    /** A campaign to the customers of `prefix`, submitted, approved, launched and run to completion; its id. */
    async completedCampaign(prefix: string, name: string, productCode: string, controlGroupPercent: number) {
      const { body: segment } = await api("POST", "/api/segments", "marketer", {
        name: `${label.toLowerCase()} e2e ${prefix}`,
        rule: { attr: "region", op: "eq", value: `${region}${prefix}` },
      });
      const { body: created } = await api("POST", "/api/campaigns", "marketer", {
        name,
        segmentId: segment.segmentId,
        offer: { productCode },
        message: messageTitled(`${label} ${prefix}`),
        controlGroupPercent,
      });
      await api("POST", `/api/campaigns/${created.campaignId}/submit`, "marketer");
      await api("POST", `/api/campaigns/${created.campaignId}/approve`, "approver");
      await api("POST", `/api/campaigns/${created.campaignId}/launch`, "marketer");
      await waitFor(
        `campaign ${prefix} to complete`,
        () => api("GET", `/api/campaigns/${created.campaignId}/stats`, "analyst"),
        (r) => r.body.status === "completed",
        90_000,
      );
      return created.campaignId as string;
    },
  };
}
