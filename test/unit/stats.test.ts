import { describe, expect, it } from "vitest";
import { type Counters, counterFor } from "../../shared/delivery/counters.js";
import { funnelOf } from "../../shared/delivery/stats.js";

describe("funnelOf", () => {
  it("computes the funnel counts and rates from the counters", () => {
    // prepare
    const counters: Counters = {
      targeted: 200,
      claimed: 190,
      sent: 180,
      failed: 5,
      delivered: 171,
      bounced: 9,
      softBounced: 2,
      delayed: 3,
      complained: 1,
      renewed: 4,
      control: 50,
      clicked: 45,
      converted: 30,
      controlConverted: 5,
      [counterFor.answer("interested")]: 20,
      [counterFor.answer("call_me")]: 10,
      [counterFor.answer("not_now")]: 6,
      [counterFor.answer("unsubscribe")]: 0,
      [counterFor.suppressed("no_email_consent")]: 12,
      [counterFor.suppressed("already_holds_product")]: 7,
    };
    // act
    const funnel = funnelOf("sending", counters);
    // assess
    expect(funnel).toEqual({
      status: "sending",
      targeted: 200,
      control: 50,
      suppressed: { no_email_consent: 12, already_holds_product: 7 },
      queued: 10,
      sending: 5,
      stuck: 0,
      unconfirmed: 0,
      sent: 180,
      failed: 5,
      delivered: 171,
      bounced: 9,
      softBounced: 2,
      delayed: 3,
      complained: 1,
      rejected: 0,
      renewed: 4,
      clicked: 45,
      responded: 36,
      responses: { interested: 20, call_me: 10, not_now: 6, unsubscribe: 0 },
      converted: 30,
      controlConverted: 5,
      rates: {
        deliveryRate: 0.9,
        deliveredRate: 0.95,
        bounceRate: 0.05,
        complaintRate: 0.0056,
        clickRate: 0.25,
        responseRate: 0.2,
        conversionRate: 0.15,
        controlConversionRate: 0.1,
        lift: 0.05,
      },
    });
  });

  it("gives null rates, not zero or NaN, when nothing was targeted, sent or held back", () => {
    // prepare
    const counters: Counters = {};
    // act
    const funnel = funnelOf("draft", counters);
    // assess
    expect(funnel.rates).toEqual({
      deliveryRate: null,
      deliveredRate: null,
      bounceRate: null,
      complaintRate: null,
      clickRate: null,
      responseRate: null,
      conversionRate: null,
      controlConversionRate: null,
      lift: null,
    });
    expect(funnel.targeted).toBe(0);
    expect(funnel.suppressed).toEqual({});
  });

  it("has a conversion rate but no lift when there is no control group", () => {
    // prepare
    const counters: Counters = { targeted: 100, sent: 100, converted: 7 };
    // act
    const funnel = funnelOf("completed", counters);
    // assess
    expect(funnel.rates.conversionRate).toBe(0.07);
    expect(funnel.rates.controlConversionRate).toBeNull();
    expect(funnel.rates.lift).toBeNull();
  });

  it("reports a negative lift when the control group converted better", () => {
    // prepare
    const counters: Counters = { targeted: 1000, sent: 1000, converted: 20, control: 100, controlConverted: 5 };
    // act
    const funnel = funnelOf("completed", counters);
    // assess
    expect(funnel.rates.lift).toBe(-0.03);
  });

  it("rounds rates to four decimals", () => {
    // prepare
    const counters: Counters = { targeted: 3, sent: 3, converted: 1, control: 3, controlConverted: 0 };
    // act
    const funnel = funnelOf("completed", counters);
    // assess
    expect(funnel.rates.conversionRate).toBe(0.3333);
    expect(funnel.rates.controlConversionRate).toBe(0);
    expect(funnel.rates.lift).toBe(0.3333);
  });

  it("lists only the suppression reasons that happened", () => {
    // prepare
    const counters: Counters = {
      [counterFor.suppressed("no_email_consent")]: 0,
      [counterFor.suppressed("no_email_address")]: 3,
      [counterFor.suppressed("consent_withdrawn")]: 1,
    };
    // act
    const funnel = funnelOf("sending", counters);
    // assess
    expect(funnel.suppressed).toEqual({ no_email_address: 3, consent_withdrawn: 1 });
  });

  it("counts as sending the deliveries claimed by a sender with no result recorded yet", () => {
    // prepare: 10 claimed, 6 sent, 1 failed: 3 in flight
    const counters: Counters = { targeted: 10, claimed: 10, sent: 6, failed: 1 };
    // act
    const funnel = funnelOf("sending", counters);
    // assess
    expect(funnel.sending).toBe(3);
    expect(funnel.unconfirmed).toBe(0);
    expect(funnel.queued).toBe(0);
  });

  it("keeps stuck deliveries out of queued, and settled unconfirmed ones out of sending", () => {
    // prepare: 20 targeted: 4 stuck in the dead-letter queue, 12 claimed of which 8 sent and 2 settled unconfirmed
    const counters: Counters = { targeted: 20, stuck: 4, claimed: 12, sent: 8, unconfirmed: 2 };
    // act
    const funnel = funnelOf("sending", counters);
    // assess
    expect(funnel).toMatchObject({ queued: 4, stuck: 4, sending: 2, unconfirmed: 2, sent: 8 });
  });

  it("never reports negative queued or sending counts", () => {
    // prepare: counters read between two writes may briefly disagree
    const counters: Counters = { targeted: 5, claimed: 6, sent: 7, failed: 0 };
    // act
    const funnel = funnelOf("sending", counters);
    // assess
    expect(funnel.queued).toBe(0);
    expect(funnel.sending).toBe(0);
  });

  it("uses the counter names the stores write", () => {
    // prepare / act / assess
    expect(counterFor.suppressed("already_holds_product")).toBe("suppressed_already_holds_product");
    expect(counterFor.answer("call_me")).toBe("answer_call_me");
  });
});
