/** One day in milliseconds: the unit of every window the bank sets in days (attribution, restore, staleness). */
export const DAY_MS = 86_400_000;

/** The moment `days` days before `at`. */
export const daysBefore = (at: Date, days: number): Date => new Date(at.getTime() - days * DAY_MS);

/** A clock the use cases read instead of `new Date()`, so tests and the demo's back-dated import can set it. */
export type Clock = { now: () => Date };

/** Where new ids come from (random UUIDs on AWS, a counter in tests). */
export type IdSource = { newId: () => string };
