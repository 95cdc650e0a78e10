import { describe, expect, it } from "vitest";
import type { SendQuota, SendRateLimiter } from "../../shared/delivery/ports.js";
import {
  END_MARGIN_MS,
  MAX_WAIT_MS,
  QUOTA_TTL_MS,
  SendRate,
  SendRateExceededError,
} from "../../shared/delivery/send-rate.js";
import { MailDeferredError } from "../../shared/kernel/errors.js";

/** A clock that only moves when someone sleeps (or a write takes time): no real waiting, no timing. */
function fakeClock(startMs: number) {
  let now = startMs;
  return {
    now: () => new Date(now),
    sleep: async (ms: number) => {
      now += ms;
    },
    advance: (ms: number) => {
      now += ms;
    },
    ms: () => now,
  };
}

/** The shared bucket in memory: per second, how many slots were taken, never above the limit. */
function memoryLimiter(writesTakeMs: number[] = [], clock?: ReturnType<typeof fakeClock>) {
  const taken = new Map<number, number>();
  const limiter: SendRateLimiter = {
    tryAcquire: async (second, limit) => {
      clock?.advance(writesTakeMs.shift() ?? 0);
      const n = taken.get(second) ?? 0;
      if (n >= limit) return false;
      taken.set(second, n + 1);
      return true;
    },
  };
  return { limiter, taken };
}

const quotaOf = (rate: number, calls: { n: number } = { n: 0 }): SendQuota => ({
  maxSendRate: async () => {
    calls.n++;
    return rate;
  },
});

describe("SendRate", () => {
  it("takes the account's rate, or the cap when it is lower", async () => {
    const clock = fakeClock(Date.UTC(2026, 5, 1, 12));
    const { limiter } = memoryLimiter();

    const uncapped = new SendRate({ limiter, quota: quotaOf(14), ...clock });
    const capped = new SendRate({ limiter, quota: quotaOf(14), cap: 5, ...clock });
    const capAbove = new SendRate({ limiter, quota: quotaOf(14), cap: 50, ...clock });

    expect(await uncapped.maxPerSecond()).toBe(14);
    expect(await capped.maxPerSecond()).toBe(5);
    expect(await capAbove.maxPerSecond()).toBe(14);
  });

  it("reads the quota once per container, again only after a few minutes", async () => {
    // prepare
    const clock = fakeClock(Date.UTC(2026, 5, 1, 12));
    const calls = { n: 0 };
    const rate = new SendRate({ limiter: memoryLimiter().limiter, quota: quotaOf(14, calls), ...clock });

    // act
    await Promise.all([rate.maxPerSecond(), rate.maxPerSecond(), rate.maxPerSecond()]);
    clock.advance(QUOTA_TTL_MS - 1);
    await rate.maxPerSecond();
    const beforeExpiry = calls.n;
    clock.advance(1);
    await rate.maxPerSecond();

    // assess
    expect(beforeExpiry).toBe(1);
    expect(calls.n).toBe(2);
  });

  it("never gives more slots in one second than the limit, and fills each second before moving on", async () => {
    // prepare: 35 sends at 10 a second, all asking at once at the start of a second
    const clock = fakeClock(Date.UTC(2026, 5, 1, 12));
    const { limiter, taken } = memoryLimiter();
    const rate = new SendRate({ limiter, quota: quotaOf(10), ...clock });

    // act
    for (let i = 0; i < 35; i++) await rate.acquire();

    // assess
    const start = Date.UTC(2026, 5, 1, 12) / 1000;
    expect([...taken.entries()]).toEqual([
      [start, 10],
      [start + 1, 10],
      [start + 2, 10],
      [start + 3, 5],
    ]);
    expect(clock.ms()).toBe((start + 3) * 1000);
  });

  it("takes the next second's slot when too little of this one is left for the email to arrive in it", async () => {
    // prepare
    const second = Date.UTC(2026, 5, 1, 12) / 1000;
    const clock = fakeClock(second * 1000 + 1000 - END_MARGIN_MS + 1);
    const { limiter, taken } = memoryLimiter();
    const rate = new SendRate({ limiter, quota: quotaOf(10), ...clock });

    // act
    await rate.acquire();

    // assess
    expect([...taken.entries()]).toEqual([[second + 1, 1]]);
    expect(clock.ms()).toBe((second + 1) * 1000);
  });

  it("leaves a slot unused when the write took the rest of its second, and sends in the next", async () => {
    // prepare: the first write takes 900 ms
    const second = Date.UTC(2026, 5, 1, 12) / 1000;
    const clock = fakeClock(second * 1000);
    const { limiter, taken } = memoryLimiter([900], clock);
    const rate = new SendRate({ limiter, quota: quotaOf(10), ...clock });

    // act
    await rate.acquire();

    // assess: the first slot is spent but unused; the send goes in the second one
    expect([...taken.entries()]).toEqual([
      [second, 1],
      [second + 1, 1],
    ]);
    expect(clock.ms() % 1000).toBeLessThan(1000 - END_MARGIN_MS);
  });

  it("gives up with SendRateExceededError, a MailDeferredError, when no slot comes within the longest wait", async () => {
    // prepare: every slot is taken by other senders
    const clock = fakeClock(Date.UTC(2026, 5, 1, 12));
    const attempts: number[] = [];
    const full: SendRateLimiter = {
      tryAcquire: async (second) => {
        attempts.push(second);
        return false;
      },
    };
    const rate = new SendRate({ limiter: full, quota: quotaOf(10), ...clock });

    // act
    const outcome = rate.acquire();

    // assess
    await expect(outcome).rejects.toBeInstanceOf(SendRateExceededError);
    await expect(outcome).rejects.toBeInstanceOf(MailDeferredError);
    expect(attempts).toHaveLength(MAX_WAIT_MS / 1000 + 1);
    expect(clock.ms() - Date.UTC(2026, 5, 1, 12)).toBeLessThanOrEqual(MAX_WAIT_MS);
  });

  it("rounds a fractional rate down, and never below the one a second SES grants at least", async () => {
    const clock = fakeClock(Date.UTC(2026, 5, 1, 12));
    const fractional = new SendRate({ limiter: memoryLimiter().limiter, quota: quotaOf(14.8), ...clock });
    const belowOne = new SendRate({ limiter: memoryLimiter().limiter, quota: quotaOf(0.5), ...clock });

    expect(await fractional.maxPerSecond()).toBe(14);
    expect(await belowOne.maxPerSecond()).toBe(1);
  });
});
