import { z } from "zod";
import { Language } from "./language.js";

/** A colour as CSS takes it: only #rrggbb, so that a brand kit can never put anything else into a page's style. */
const Colour = z.string().regex(/^#[0-9a-fA-F]{6}$/, "a colour is #rrggbb");
/**
 * A brand text: no braces or angle brackets, so that it goes into an email template (Mustache)
 * and a page as the words it is and never as markup or a field.
 */
const Text = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .regex(/^[^{}<>]*$/, "a brand text has no braces or angle brackets");
const InEachLanguage = (max: number) => z.record(Language, Text(max));

/**
 * How the bank presents itself to its customers: every email footer and every customer page
 * wears it. Configuration for now (BRAND_KIT, a JSON object; the demo bank's when absent);
 * an admin API that changes it with an audit trail is not built yet.
 */
export const BrandKit = z.object({
  /** The bank's name as customers know it ("示范银行"). */
  name: InEachLanguage(40),
  /** Its registered name, for the legal footer ("示范银行股份有限公司"). */
  legalName: InEachLanguage(80),
  /**
   * The display name of the emails' sender, in each language ("示范银行" to a customer reading
   * Chinese); the address is MAIL_FROM's. One name for both is taken as given in both.
   */
  senderName: z.preprocess(
    (name) => (typeof name === "string" ? Object.fromEntries(Language.options.map((l) => [l, name])) : name),
    InEachLanguage(60),
  ),
  colours: z.object({ primary: Colour, onPrimary: Colour, accent: Colour }),
  address: InEachLanguage(160),
  /** The service hotline: digits, spaces, dashes and a leading +. */
  hotline: z.string().regex(/^\+?[0-9][0-9 -]{2,19}$/, "a hotline is digits, spaces and dashes"),
});
export type BrandKit = z.infer<typeof BrandKit>;

/**
 * The demo bank. Its hotline is a placeholder in the form of a Chinese bank's 95 number;
 * a real deployment sets its own brand kit.
 */
export const DEMO_BRAND: BrandKit = {
  name: { "zh-CN": "示范银行", en: "Demo Bank" },
  legalName: { "zh-CN": "示范银行股份有限公司", en: "Demo Bank Co., Ltd." },
  senderName: { "zh-CN": "示范银行", en: "Demo Bank" },
  colours: { primary: "#0b5cad", onPrimary: "#ffffff", accent: "#b8860b" },
  address: {
    "zh-CN": "北京市西城区金融大街 88 号",
    en: "88 Financial Street, Xicheng District, Beijing",
  },
  hotline: "95000",
};
