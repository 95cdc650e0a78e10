import type { Answer } from "../customers/answers.js";
import type { SuppressionReason } from "./delivery.js";

/** Counters kept beside the deliveries, each changed in the same transaction as a delivery. */
export type Counters = Record<string, number>;

export const counterFor = {
  suppressed: (reason: SuppressionReason) => `suppressed_${reason}`,
  answer: (answer: Answer) => `answer_${answer}`,
};
