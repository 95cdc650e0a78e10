import { z } from "zod";

/** Addresses are compared as the mail system does in practice: case-insensitively, without surrounding space. */
export const normaliseAddress = (address: string) => address.trim().toLowerCase();

/**
 * An address on the platform's suppression list, with the hard bounce that put it there as
 * its proof. Keyed by the address, not the customer: a customer whose address changes is
 * offered again, and anyone given the bounced address is held back.
 */
export const SuppressedAddress = z.object({
  /** Normalised (normaliseAddress). */
  address: z.string().min(3),
  reason: z.literal("hard_bounce"),
  /** When the mail system reported the bounce. */
  at: z.iso.datetime(),
  /** The proof: the mail system's message and feedback ids, and what it said. */
  messageId: z.string(),
  feedbackId: z.string().optional(),
  bounceSubType: z.string().optional(),
  /** The delivery whose email bounced, when the event named it. */
  campaignId: z.string().optional(),
  customerId: z.string().optional(),
  recordedAt: z.iso.datetime(),
});
export type SuppressedAddress = z.infer<typeof SuppressedAddress>;
