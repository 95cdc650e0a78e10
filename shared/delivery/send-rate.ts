import { MailDeferredError } from "../kernel/errors.js";
import type { Clock } from "../kernel/time.js";
import type { SendQuota, SendRateLimiter } from "./ports.js";

/**
 * The send rate held to the account's quota, across every sender at once.
 *
 * Several sender Lambdas run at the same time, each with a batch of records in flight, so no
 * one of them can pace itself alone. They share a token bucket that refills every second:
 * one counter per second of the clock (`RATE#<epochSecond>` in DynamoDB), taken with a
 * conditional `ADD` that succeeds while the count is below the limit. A sender whose second
 * is full sleeps until the next one and tries again. Counting per second of the clock rather
 * than sharing the rate out per sender keeps the whole quota in use however many senders run
 * (one sender, or fifty), and needs no coordination when their number changes. Every slot is
 * one atomic write, so two senders never get the same one, and a slot taken and not used
 * (the sender crashed, or its second ran out) only leaves the rate a little lower. The counters
 * expire by TTL a few minutes later, so the bucket is an item per second at most.
 *
 * The limit is the account's maximum send rate as the mail service states it (SES
 * GetSendQuota), read once per container and again after `QUOTA_TTL_MS`, or `cap` when that is
 * lower (SES_MAX_SEND_RATE). A slot is only used while enough of its second is left for the
 * email to reach the mail service inside it (`END_MARGIN_MS`), so a send taken at the end of a
 * second is not counted by SES in the next one. A sender that finds no slot within
 * `MAX_WAIT_MS` gives up with SendRateExceededError: the claim is released and the message comes
 * back a few seconds later, before the Lambda's timeout could leave a claimed email unsent.
 */
export const QUOTA_TTL_MS = 5 * 60_000;

/**
 * Not sent for the rate: no slot came in time, or SES throttled the send all the same. Like any
 * MailDeferredError the claim is released; the sender brings the message back within seconds
 * (RATE_RETRY_SECONDS) rather than after the queue's visibility timeout.
 */
export class SendRateExceededError extends MailDeferredError {}

/** How long a send refused for the rate waits on the queue before it is tried again: from..to seconds. */
export const RATE_RETRY_SECONDS = { from: 1, to: 5 } as const;
export const END_MARGIN_MS = 150;
export const MAX_WAIT_MS = 20_000;

export type SendRateDeps = {
  limiter: SendRateLimiter;
  quota: SendQuota;
  /** SES_MAX_SEND_RATE: a lower rate than the account's, when set. */
  cap?: number;
  sleep?: (ms: number) => Promise<void>;
} & Clock;

export class SendRate {
  private limit: { value: number; readAt: number } | undefined;
  private reading: Promise<number> | undefined;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly deps: SendRateDeps) {
    this.sleep = deps.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** Emails per second every sender together may send: the quota, or the cap when lower. */
  async maxPerSecond(): Promise<number> {
    const now = this.deps.now().getTime();
    if (this.limit && now - this.limit.readAt < QUOTA_TTL_MS) return this.limit.value;
    this.reading ??= (async () => {
      try {
        const quota = await this.deps.quota.maxSendRate();
        const value = Math.max(1, Math.floor(Math.min(quota, this.deps.cap ?? Number.POSITIVE_INFINITY)));
        this.limit = { value, readAt: this.deps.now().getTime() };
        return value;
      } finally {
        this.reading = undefined;
      }
    })();
    return this.reading;
  }

  /**
   * Waits for a slot to send one email in, and returns true while its second still has time for
   * the send. After any wait, and before it claims a slot, it asks `stillWanted` (a pause or a
   * cancel may have come meanwhile): false ends the wait with no slot taken, and acquire returns
   * false. The check comes before the claim, never between the claim and the send, which must
   * stay within END_MARGIN_MS. Throws SendRateExceededError when no slot comes within MAX_WAIT_MS.
   */
  async acquire(stillWanted?: () => Promise<boolean>): Promise<boolean> {
    const limit = await this.maxPerSecond();
    const start = this.deps.now().getTime();
    let waited = false;
    for (;;) {
      const now = this.deps.now().getTime();
      // Too little of this second left: the email could reach SES in the next one.
      const second = Math.floor((now + END_MARGIN_MS) / 1000);
      const startsAt = second * 1000;
      if (startsAt > now) {
        if (startsAt - start > MAX_WAIT_MS) break;
        await this.sleep(Math.max(0, startsAt - now));
        waited = true;
      }
      if (waited && stillWanted && !(await stillWanted())) return false;
      if (await this.deps.limiter.tryAcquire(second, limit)) {
        // The write itself may have taken the rest of the second: then the slot goes unused.
        if (this.deps.now().getTime() + END_MARGIN_MS < startsAt + 1000) return true;
        continue;
      }
      const next = startsAt + 1000;
      if (next - start > MAX_WAIT_MS) break;
      await this.sleep(Math.max(0, next - this.deps.now().getTime()));
      waited = true;
    }
    throw new SendRateExceededError(`No send slot within ${MAX_WAIT_MS / 1000} s at ${limit} emails per second`);
  }
}
