import { z } from "zod";
import { ValidationError } from "./errors.js";
import { DAY_MS } from "./time.js";

/**
 * The bank-wide trails an admin reads (every segment export, every customer change): a period
 * of the bank's days, newest first, a page at a time. A day is the bank's (China Standard Time,
 * UTC+8 all year), as the console writes dates; the trails are kept by UTC day, so a period is
 * read as the UTC instants it spans.
 */
export const BANK_UTC_OFFSET = "+08:00";
const BANK_OFFSET_MS = 8 * 3600_000;
/** At most a year per request: a longer period is several reads, each bounded. */
export const MAX_PERIOD_DAYS = 366;
/** Without a period: the last 30 days. */
export const DEFAULT_PERIOD_DAYS = 30;
export const TRAIL_PAGE_SIZE = 50;
export const MAX_TRAIL_PAGE = 200;

const Day = (name: string) =>
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, `${name} must be a date written YYYY-MM-DD`)
    .refine(
      (day) =>
        !Number.isNaN(Date.parse(`${day}T00:00:00Z`)) && new Date(`${day}T00:00:00Z`).toISOString().startsWith(day),
      {
        message: `${name} must be a real date, written YYYY-MM-DD`,
      },
    );

/** The query every trail takes: a period of the bank's days (both ends included), a page size and a cursor. */
export const TrailQuery = z.object({
  from: Day("from").optional().describe("The first day (the bank's, YYYY-MM-DD); default 29 days before `to`"),
  to: Day("to").optional().describe("The last day, included (the bank's, YYYY-MM-DD); default today"),
  limit: z.coerce.number().int().min(1).max(MAX_TRAIL_PAGE).default(TRAIL_PAGE_SIZE),
  cursor: z.string().max(2000).optional().describe("The previous page's `cursor`, with the same period and filters"),
});
export type TrailQuery = z.infer<typeof TrailQuery>;

/** The bank's date of an instant. */
export const bankDayOf = (at: Date) => new Date(at.getTime() + BANK_OFFSET_MS).toISOString().slice(0, 10);

/** A period of whole bank days as UTC instants, `from` included, `to` not. */
export type Period = { from: string; to: string; fromDay: string; toDay: string };

/** The period asked for, or the last 30 days to today; a 400 naming what is wrong otherwise. */
export function periodOf(query: Pick<TrailQuery, "from" | "to">, now: Date): Period {
  const toDay = query.to ?? bankDayOf(now);
  const startOf = (day: string) => Date.parse(`${day}T00:00:00${BANK_UTC_OFFSET}`);
  const fromDay =
    query.from ??
    new Date(startOf(toDay) + BANK_OFFSET_MS - (DEFAULT_PERIOD_DAYS - 1) * DAY_MS).toISOString().slice(0, 10);
  const from = startOf(fromDay);
  const to = startOf(toDay) + DAY_MS;
  if (from >= to) throw new ValidationError(`from (${fromDay}) must not be after to (${toDay})`);
  if ((to - from) / DAY_MS > MAX_PERIOD_DAYS)
    throw new ValidationError(`The period is at most ${MAX_PERIOD_DAYS} days: read a longer one a year at a time`);
  return { from: new Date(from).toISOString(), to: new Date(to).toISOString(), fromDay, toDay };
}

/** A page of a trail, newest first; `cursor` reads the next. */
export type TrailPage<T> = { entries: T[]; cursor?: string };

/** Where a trail's reading stopped: the UTC day, and the index's key within it. */
export type TrailPosition = { day: string; key?: Record<string, unknown> };

export const encodeTrailCursor = (position: TrailPosition) =>
  Buffer.from(JSON.stringify(position)).toString("base64url");

const Position = z.object({
  day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  key: z.record(z.string(), z.unknown()).optional(),
});

/** The cursor a page answered, or a 400: a cursor is only ever the one a previous page gave. */
export function decodeTrailCursor(cursor: string): TrailPosition {
  try {
    return Position.parse(JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")));
  } catch {
    throw new ValidationError("cursor is not one a previous page gave: leave it out to read from the first page");
  }
}
