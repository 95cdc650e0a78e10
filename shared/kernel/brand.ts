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

/** WCAG 2's contrast ratio of two #rrggbb colours, from 1 (none) to 21 (black on white). */
export function contrastRatio(a: string, b: string): number {
  const luminance = (hex: string) => {
    const [r, g, b] = [1, 3, 5].map((i) => {
      const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
      return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light + 0.05) / (dark + 0.05);
}

/** WCAG AA for normal text: the bank's name and buttons on its colour, its links on white. */
const READABLE = 4.5;

/**
 * How the bank presents itself to its customers: every email and every customer page wears it.
 * An admin sets it (PUT /api/brand-kit, or the console's /console/admin/brand), each change in
 * its history; until one does, BRAND_KIT's (a JSON object), else the demo bank's (campaigns/brand-kit.ts).
 */
export const BrandKit = z
  .object({
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
  })
  .superRefine(({ colours }, ctx) => {
    // The pages' buttons and the emails' band put onPrimary on primary; both put links in primary on white.
    const pairs = [
      ["onPrimary", colours.onPrimary, colours.primary, "on primary"],
      ["primary", colours.primary, "#ffffff", "on white, as links"],
    ] as const;
    for (const [field, fg, bg, where] of pairs) {
      const ratio = contrastRatio(fg, bg);
      if (ratio < READABLE)
        ctx.addIssue({
          code: "custom",
          path: ["colours", field],
          message: `${fg} ${where} has a contrast of ${ratio.toFixed(2)}:1; customers need ${READABLE}:1 to read it`,
        });
    }
  });
export type BrandKit = z.infer<typeof BrandKit>;

/**
 * The bank's logo as the emails and pages show it: served at logoPath (its bytes are kept
 * apart, content-addressed), drawn at `width` x `height` CSS pixels so that the layout holds
 * with images off. `size` is the file's bytes.
 */
export type BrandLogo = {
  sha256: string;
  contentType: "image/png" | "image/jpeg";
  size: number;
  width: number;
  height: number;
};

/** The brand kit a page or an email wears: the kit, and the logo when an admin uploaded one. */
export type Brand = BrandKit & { logo?: BrandLogo };

/**
 * Where a logo is served, named by its content: a new logo is a new path, so each may be cached
 * for ever, and an email sent with an older logo still shows it.
 */
export const logoPath = (logo: Pick<BrandLogo, "sha256" | "contentType">) =>
  `/brand/logo/${logo.sha256.slice(0, 16)}.${logo.contentType === "image/png" ? "png" : "jpg"}`;

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
