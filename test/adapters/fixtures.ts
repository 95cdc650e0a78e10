import { ConditionalCheckFailedException, TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import type { Campaign } from "../../shared/campaigns/campaign.js";
import type { Delivery } from "../../shared/delivery/delivery.js";

export const CUSTOMERS_TABLE = "t-customers";
export const CAMPAIGNS_TABLE = "t-campaigns";
export const DELIVERIES_TABLE = "t-deliveries";

/** A campaign as stored, mid-send; override what a test is about. */
export function aCampaign(overrides: Partial<Campaign> = {}): Campaign {
  return {
    campaignId: "cmp-1",
    name: "Wealth fund for current-account holders",
    segmentId: "seg-1",
    segmentVersion: 1,
    offer: { productCode: "WEALTH_FUND" },
    message: {
      subject: "{{name}}, a fund picked for you",
      html: '<p>Dear {{name}}, <a href="{{offerUrl}}">see the offer</a>. <a href="{{unsubscribeUrl}}">Unsubscribe</a></p>',
      text: "Dear {{name}}, see the offer: {{offerUrl}}\nUnsubscribe: {{unsubscribeUrl}}",
    },
    controlGroupPercent: 10,
    status: "sending",
    segmentRule: { holds: "DEPOSIT_CURRENT" },
    createdBy: "mei",
    createdAt: "2024-05-01T08:00:00.000Z",
    ...overrides,
  };
}

/** A delivery as stored; override what a test is about. */
export function aDelivery(overrides: Partial<Delivery> = {}): Delivery {
  return {
    campaignId: "cmp-1",
    customerId: "C-1",
    productCode: "WEALTH_FUND",
    status: "queued",
    offeredAt: "2024-05-02T08:00:00.000Z",
    ...overrides,
  };
}

/** A cancelled transaction as DynamoDB reports it: one reason per item, in order. */
export const transactionCancelled = (...codes: string[]) =>
  new TransactionCanceledException({
    message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes.join(", ")}]`,
    $metadata: { httpStatusCode: 400 },
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

export const conditionFailed = () =>
  new ConditionalCheckFailedException({
    message: "The conditional request failed",
    $metadata: { httpStatusCode: 400 },
  });
