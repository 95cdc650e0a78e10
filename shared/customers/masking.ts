import type { Actor } from "../kernel/actor.js";
import type { Customer } from "./customer.js";

/**
 * Contact data is confidential, by the bank's rule: staff see only what their role needs. Names keep
 * their first character (张*), emails their first letter and domain (z***@bank.cn), phones
 * their first three and last four digits; id numbers and addresses are masked too.
 */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length === 0) return "";
  if (/\p{Script=Han}/u.test(chars[0])) return chars[0] + "*".repeat(Math.max(1, chars.length - 1));
  return name
    .trim()
    .split(/\s+/)
    .map((word) => `${[...word][0]}${"*".repeat(Math.max(1, [...word].length - 1))}`)
    .join(" ");
}

export function maskEmail(email: string): string {
  const at = email.lastIndexOf("@");
  if (at <= 0) return "***";
  return `${email[0]}***${email.slice(at)}`;
}

export function maskPhone(phone: string): string {
  const { countryCode, national } = splitPhone(phone.trim());
  const masked =
    national.length < 8
      ? "*".repeat(national.length)
      : `${national.slice(0, 3)}${"*".repeat(national.length - 7)}${national.slice(-4)}`;
  return countryCode ? `+${countryCode} ${masked}` : masked;
}

/** "+86 138…" and "+8613812345678" both keep +86 apart, so the mobile's own digits are masked as usual. */
function splitPhone(phone: string): { countryCode?: string; national: string } {
  const separated = /^\+(\d{1,3})[ -](.*)$/.exec(phone);
  if (separated) return { countryCode: separated[1], national: separated[2].replace(/\D/g, "") };
  const digits = phone.replace(/\D/g, "");
  if (phone.startsWith("+86") && digits.length === 13) return { countryCode: "86", national: digits.slice(2) };
  return { national: digits };
}

/** Admins and the customer's own relationship manager see contact data in full; everyone else masked. */
export function seesContactData(actor: Actor, customer: Pick<Customer, "relationshipManager">): boolean {
  return (
    actor.role === "admin" ||
    (customer.relationshipManager !== undefined && customer.relationshipManager === actor.name)
  );
}

/** Id numbers keep their first three and last four characters (the region code and check digit). */
export function maskIdNumber(idNumber: string): string {
  return idNumber.length <= 7
    ? "*".repeat(idNumber.length)
    : `${idNumber.slice(0, 3)}${"*".repeat(idNumber.length - 7)}${idNumber.slice(-4)}`;
}

/** An address keeps its first six characters: the city or district, not the door. */
export const maskAddress = (address: string) => `${[...address].slice(0, 6).join("")}***`;

/** Every confidential field with its mask: the customer view, changes and the audit trail all use these. */
export const CONFIDENTIAL_FIELDS = {
  name: maskName,
  email: maskEmail,
  phone: maskPhone,
  idNumber: maskIdNumber,
  address: maskAddress,
} as const;
type ConfidentialField = keyof typeof CONFIDENTIAL_FIELDS;
export const isConfidential = (field: string): field is ConfidentialField => field in CONFIDENTIAL_FIELDS;

type Confidential = Pick<Customer, ConfidentialField | "relationshipManager">;

export function customerView<T extends Confidential>(customer: T, actor: Actor): T & { masked: boolean } {
  if (seesContactData(actor, customer)) return { ...customer, masked: false };
  const masked: Partial<Record<ConfidentialField, string>> = {};
  for (const field of Object.keys(CONFIDENTIAL_FIELDS) as ConfidentialField[]) {
    const value = customer[field];
    if (value !== undefined) masked[field] = CONFIDENTIAL_FIELDS[field](value);
  }
  return { ...customer, ...masked, masked: true };
}
