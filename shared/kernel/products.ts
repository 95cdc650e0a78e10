import { z } from "zod";
import type { Tier } from "./tiers.js";

/** How the bank groups what a customer holds: what it owes them, lends them, or does for them. */
export const ProductCategory = z.enum(["liability", "asset", "intermediary"]);
export type ProductCategory = z.infer<typeof ProductCategory>;

export const RiskLevel = z.enum(["R1", "R2", "R3", "R4", "R5"]);
export type RiskLevel = z.infer<typeof RiskLevel>;

/** What kind of product it is, as a customer would say it (the offer page names it). */
export const ProductKind = z.enum(["deposit", "wealth", "card", "loan", "settlement", "insurance"]);
export type ProductKind = z.infer<typeof ProductKind>;

/**
 * The kinds a bank sells as investments: their offer shows the risk level and the standard
 * risk statement (理财非存款、产品有风险、投资须谨慎) that Chinese regulation requires.
 */
export const INVESTMENT_KINDS: readonly ProductKind[] = ["wealth"];

export type Product = {
  nameEn: string;
  nameZh: string;
  kind: ProductKind;
  category: ProductCategory;
  riskLevel: RiskLevel;
  /** The lowest AUM tier it may be offered to (individuals); null when anyone may hold it. */
  minimumTier: Tier | null;
};

/** The demo bank's catalogue. Holdings, offers and rules refer to these codes; others are rejected. */
export const PRODUCT_CATALOGUE = {
  DEPOSIT_CURRENT: {
    nameEn: "Current Account",
    nameZh: "活期存款",
    kind: "deposit",
    category: "liability",
    riskLevel: "R1",
    minimumTier: null,
  },
  DEPOSIT_TIME: {
    nameEn: "Time Deposit",
    nameZh: "定期存款",
    kind: "deposit",
    category: "liability",
    riskLevel: "R1",
    minimumTier: null,
  },
  WEALTH_FUND: {
    nameEn: "Wealth Management Fund",
    nameZh: "理财产品",
    kind: "wealth",
    category: "liability",
    riskLevel: "R3",
    minimumTier: "mass_affluent",
  },
  CREDIT_CARD: {
    nameEn: "Credit Card",
    nameZh: "信用卡",
    kind: "card",
    category: "intermediary",
    riskLevel: "R2",
    minimumTier: null,
  },
  DEBIT_CARD: {
    nameEn: "Debit Card",
    nameZh: "借记卡",
    kind: "card",
    category: "intermediary",
    riskLevel: "R1",
    minimumTier: null,
  },
  MORTGAGE: {
    nameEn: "Mortgage",
    nameZh: "个人住房贷款",
    kind: "loan",
    category: "asset",
    riskLevel: "R2",
    minimumTier: null,
  },
  CONSUMER_LOAN: {
    nameEn: "Consumer Loan",
    nameZh: "个人消费贷款",
    kind: "loan",
    category: "asset",
    riskLevel: "R2",
    minimumTier: null,
  },
  REVOLVING_CREDIT: {
    nameEn: "Revolving Working-Capital Credit",
    nameZh: "流动资金循环贷款",
    kind: "loan",
    category: "asset",
    riskLevel: "R2",
    minimumTier: null,
  },
  SETTLEMENT: {
    nameEn: "Settlement & Payments",
    nameZh: "结算业务",
    kind: "settlement",
    category: "intermediary",
    riskLevel: "R1",
    minimumTier: null,
  },
  INSURANCE: {
    nameEn: "Insurance",
    nameZh: "保险",
    kind: "insurance",
    category: "intermediary",
    riskLevel: "R2",
    minimumTier: null,
  },
} as const satisfies Record<string, Product>;

type Code = keyof typeof PRODUCT_CATALOGUE;
const CODES = Object.keys(PRODUCT_CATALOGUE) as [Code, ...Code[]];

export const ProductCode = z.enum(CODES, {
  // Only a string is quoted back: String() of a client's object runs its own toString, which may throw.
  error: (issue) =>
    typeof issue.input === "string"
      ? `unknown product code '${issue.input}'; known codes: ${CODES.join(", ")}`
      : `a product code must be a string, one of ${CODES.join(", ")}`,
});
export type ProductCode = z.infer<typeof ProductCode>;

/** English display names, as the emails and offer pages show them. */
export const PRODUCT_NAMES = Object.fromEntries(CODES.map((code) => [code, PRODUCT_CATALOGUE[code].nameEn])) as Record<
  ProductCode,
  string
>;

export const categoryOf = (code: ProductCode): ProductCategory => PRODUCT_CATALOGUE[code].category;

/** Whether the product is sold as an investment: its offer must carry the risk level and the risk statement. */
export const isInvestment = (code: ProductCode): boolean => INVESTMENT_KINDS.includes(PRODUCT_CATALOGUE[code].kind);

export const productCatalogue = () => CODES.map((code) => ({ code, ...PRODUCT_CATALOGUE[code] }));

/**
 * Suitability: a product riskier than the customer's assessed tolerance (R4 for a C3) is not
 * offered. A customer not yet assessed is not held back here; the branch assesses them
 * before the sale.
 */
export function exceedsRiskTolerance(code: ProductCode, riskTolerance: `C${1 | 2 | 3 | 4 | 5}` | undefined): boolean {
  if (!riskTolerance) return false;
  return Number(PRODUCT_CATALOGUE[code].riskLevel.slice(1)) > Number(riskTolerance.slice(1));
}
