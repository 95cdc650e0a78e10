import { describe, expect, it } from "vitest";
import type { CampaignStore } from "../../shared/campaigns/ports.js";
import type { CustomerStore } from "../../shared/customers/ports.js";
import type { DeliveryStore, Mailer } from "../../shared/delivery/ports.js";
import { MAX_DEFERRAL_SECONDS, QuietHoursSetting, secondsUntilAwake } from "../../shared/delivery/quiet-hours.js";
import { sendOffer } from "../../shared/delivery/send.js";
import { SendDeferredError } from "../../shared/kernel/errors.js";
import { aCampaign } from "../adapters/fixtures.js";
import { aCustomer } from "./fixtures.js";
import { partOf, platformWith } from "./platform.js";

const NIGHT = { from: 21, to: 8 };
// 2026-06-01 14:30 UTC is 22:30 in Shanghai, 15:30 in London, 10:30 in New York.
const at = new Date("2026-06-01T14:30:00.000Z");

describe("QUIET_HOURS", () => {
  it('reads "21-8", "off" and the default', () => {
    expect(QuietHoursSetting.parse("21-8")).toEqual({ from: 21, to: 8 });
    expect(QuietHoursSetting.parse("off")).toBeNull();
    expect(QuietHoursSetting.parse(undefined)).toBeNull();
  });

  it.each(["21", "25-8", "8-8", "nine-five"])("refuses %s, saying what it takes", (value) => {
    const result = QuietHoursSetting.safeParse(value);

    expect(result.success).toBe(false);
    expect(result.error?.issues[0].message).toContain('"21-8"');
  });
});

describe("secondsUntilAwake", () => {
  it("lets a send go during the customer's day", () => {
    expect(secondsUntilAwake("C1", "Europe/London", at, NIGHT)).toBe(0);
    expect(secondsUntilAwake("C1", "America/New_York", at, NIGHT)).toBe(0);
  });

  it("holds it at night until 08:00 local, spread over a quarter of an hour by customer", () => {
    const wait = secondsUntilAwake("C1", "Asia/Shanghai", at, NIGHT);
    const untilEight = (24 - 22.5 + 8) * 3600; // 22:30 → 08:00

    expect(wait).toBeGreaterThanOrEqual(untilEight);
    expect(wait).toBeLessThan(untilEight + 15 * 60);
    expect(secondsUntilAwake("C1", "Asia/Shanghai", at, NIGHT)).toBe(wait); // the same customer, the same spread
  });

  it("handles a window that does not cross midnight, and sends when there is none", () => {
    expect(secondsUntilAwake("C1", "Asia/Shanghai", at, { from: 12, to: 14 })).toBe(0);
    expect(secondsUntilAwake("C1", "Europe/London", at, { from: 12, to: 16 })).toBeGreaterThanOrEqual(30 * 60);
    expect(secondsUntilAwake("C1", "Asia/Shanghai", at, null)).toBe(0);
  });

  it(`never asks SQS for more than ${MAX_DEFERRAL_SECONDS} s`, () => {
    expect(
      secondsUntilAwake("C1", "Asia/Shanghai", new Date("2026-06-01T12:00:01.000Z"), { from: 20, to: 9 }),
    ).toBeLessThanOrEqual(MAX_DEFERRAL_SECONDS);
  });
});

describe("sending in quiet hours", () => {
  it("releases the claim and defers, sending nothing, for a customer asleep in their own time zone", async () => {
    const released: string[] = [];
    const mailed: string[] = [];
    const p = platformWith(
      {
        deliveries: partOf<DeliveryStore>("deliveries", {
          claim: async () => undefined,
          release: async (d) => void released.push(d.customerId),
        }),
        campaigns: partOf<CampaignStore>("campaigns", {
          get: async () => aCampaign({ campaignId: "cmp-quiet", status: "sending" }),
          status: async () => "sending",
        }),
        customers: partOf<CustomerStore>("customers", {
          get: async () => aCustomer({ customerId: "C-1", timeZone: "Asia/Shanghai" }),
        }),
        mailer: partOf<Mailer>("mailer", {
          send: async (email) => {
            mailed.push(email.to);
            return { messageId: "m" };
          },
        }),
        settings: { quietHours: NIGHT },
      },
      at,
    );

    const sent = sendOffer(p, { campaignId: "cmp-quiet", customerId: "C-1" });

    await expect(sent).rejects.toBeInstanceOf(SendDeferredError);
    await expect(sent).rejects.toMatchObject({ seconds: expect.any(Number) });
    expect(released).toEqual(["C-1"]);
    expect(mailed).toEqual([]);
  });
});
