import { z } from "zod";

/** The demo bank's product codes (a full catalogue with categories comes with issue #3). */
export const PRODUCT_NAMES = {
  DEPOSIT_CURRENT: "Current Account",
  DEPOSIT_TIME: "Time Deposit",
  WEALTH_FUND: "Wealth Management Fund",
  CREDIT_CARD: "Credit Card",
  DEBIT_CARD: "Debit Card",
  MORTGAGE: "Mortgage",
  CONSUMER_LOAN: "Consumer Loan",
  REVOLVING_CREDIT: "Revolving Working-Capital Credit",
  SETTLEMENT: "Settlement & Payments",
  INSURANCE: "Insurance",
} as const;

export const ProductCode = z.enum(Object.keys(PRODUCT_NAMES) as [keyof typeof PRODUCT_NAMES, ...(keyof typeof PRODUCT_NAMES)[]], {
  error: (issue) => `unknown product code '${String(issue.input)}'; known codes: ${Object.keys(PRODUCT_NAMES).join(", ")}`,
});
export type ProductCode = z.infer<typeof ProductCode>;
