import type { Language } from "../../shared/kernel/language.js";

/** The bank's own time zone: dates in the console are the branch's, whoever reads them. */
export const BANK_TIME_ZONE = "Asia/Shanghai";

/** Numbers, rates and dates as each language writes them (Intl). */
export function formatsFor(language: Language) {
  const integer = new Intl.NumberFormat(language);
  const percent = new Intl.NumberFormat(language, { style: "percent", maximumFractionDigits: 1 });
  const points = new Intl.NumberFormat(language, {
    maximumFractionDigits: 1,
    minimumFractionDigits: 1,
    signDisplay: "exceptZero",
  });
  const decimal = new Intl.NumberFormat(language, { maximumFractionDigits: 1 });
  const dateTime = new Intl.DateTimeFormat(language, {
    year: "numeric",
    month: "short",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    timeZone: BANK_TIME_ZONE,
    // "GMT+8": a reader elsewhere knows whose time it is.
    timeZoneName: "short",
  });
  return {
    integer: (n: number) => integer.format(n),
    /** A rate of 0..1 as a percentage; null as null. */
    percent: (rate: number | null) => (rate === null ? null : percent.format(rate)),
    /** A difference of two rates (0..1) in percentage points, signed. */
    points: (difference: number) => points.format(difference * 100),
    decimal: (n: number) => decimal.format(n),
    dateTime: (iso: string) => dateTime.format(new Date(iso)),
  };
}
