import { createHash } from "node:crypto";
import { z } from "zod";
import type { QuietHours } from "../kernel/settings.js";

/**
 * Quiet hours: no offer lands in a customer's inbox at night in their own time zone. A send
 * that falls inside them waits on the queue until they end, plus a few minutes spread by
 * customer so that a campaign does not arrive all at once at 08:00.
 *
 * The setting: "21-8" is from 21:00 to 08:00 local time; "off" is none.
 */
export const QuietHoursSetting = z
  .string()
  .trim()
  .default("off")
  .transform((value, ctx): QuietHours | null => {
    if (value === "off") return null;
    const match = /^(\d{1,2})-(\d{1,2})$/.exec(value);
    const [from, to] = match ? [Number(match[1]), Number(match[2])] : [NaN, NaN];
    if (!match || from > 23 || to > 23 || from === to) {
      ctx.addIssue({
        code: "custom",
        message: 'QUIET_HOURS must be "off" or "FROM-TO" in whole local hours, e.g. "21-8"',
      });
      return z.NEVER;
    }
    return { from, to };
  });

/** SQS holds a message back for at most 12 hours. */
export const MAX_DEFERRAL_SECONDS = 12 * 60 * 60;
const SPREAD_SECONDS = 15 * 60;

/** Intl formatters are costly to build and there are few zones: one each. */
const clocks = new Map<string, Intl.DateTimeFormat>();
function localTime(timeZone: string, at: Date): { hour: number; minute: number; second: number } {
  let clock = clocks.get(timeZone);
  if (!clock) {
    clock = new Intl.DateTimeFormat("en-GB", {
      timeZone,
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hourCycle: "h23",
    });
    clocks.set(timeZone, clock);
  }
  const parts = Object.fromEntries(clock.formatToParts(at).map((p) => [p.type, p.value]));
  return { hour: Number(parts.hour), minute: Number(parts.minute), second: Number(parts.second) };
}

const inQuietHours = (hour: number, { from, to }: QuietHours) =>
  from < to ? hour >= from && hour < to : hour >= from || hour < to;

/** How long the send must wait, in seconds: 0 when the customer may be emailed now. */
export function secondsUntilAwake(customerId: string, timeZone: string, at: Date, quiet: QuietHours | null): number {
  if (!quiet) return 0;
  const local = localTime(timeZone, at);
  if (!inQuietHours(local.hour, quiet)) return 0;
  const sinceMidnight = local.hour * 3600 + local.minute * 60 + local.second;
  const wake = quiet.to * 3600;
  const wait = wake > sinceMidnight ? wake - sinceMidnight : 24 * 3600 - sinceMidnight + wake;
  const spread = createHash("md5").update(customerId).digest().readUInt16BE(0) % SPREAD_SECONDS;
  return Math.min(MAX_DEFERRAL_SECONDS, wait + spread);
}
