import { z } from "zod";
import { MailFeedback } from "../../delivery/feedback.js";

/**
 * SES's event publishing format (a configuration set's event destination): the document SES
 * publishes for each Send, Delivery, Bounce, Complaint, Reject, DeliveryDelay and Rendering
 * Failure, as Amazon documents it. Only the fields the platform reads are parsed; the rest pass.
 * The local stand-in (infra/local/ses-events.ts) builds the same documents.
 */
const Recipient = z.object({ emailAddress: z.string() }).loose();

export const SesEventType = z.enum([
  "Send",
  "Delivery",
  "Bounce",
  "Complaint",
  "Reject",
  "DeliveryDelay",
  "Rendering Failure",
]);
export type SesEventType = z.infer<typeof SesEventType>;

export const SesMail = z
  .object({
    timestamp: z.string(),
    messageId: z.string().min(1),
    destination: z.array(z.string()),
    /** Every tag SES adds (ses:configuration-set, ...) and each given to the send, as lists. */
    tags: z.record(z.string(), z.array(z.string())).default({}),
  })
  .loose();

export const SesEvent = z
  .object({
    eventType: SesEventType,
    mail: SesMail,
    bounce: z
      .object({
        bounceType: z.enum(["Permanent", "Transient", "Undetermined"]),
        bounceSubType: z.string().optional(),
        bouncedRecipients: z.array(Recipient),
        timestamp: z.string(),
        feedbackId: z.string().optional(),
      })
      .loose()
      .optional(),
    complaint: z
      .object({
        complainedRecipients: z.array(Recipient),
        timestamp: z.string(),
        feedbackId: z.string().optional(),
        complaintFeedbackType: z.string().optional(),
      })
      .loose()
      .optional(),
    delivery: z
      .object({ timestamp: z.string(), recipients: z.array(z.string()) })
      .loose()
      .optional(),
    deliveryDelay: z
      .object({ timestamp: z.string(), delayType: z.string().optional(), delayedRecipients: z.array(Recipient) })
      .loose()
      .optional(),
    reject: z.object({ reason: z.string().optional() }).loose().optional(),
  })
  .loose();
export type SesEvent = z.infer<typeof SesEvent>;

const KIND: Record<SesEventType, MailFeedback["kind"]> = {
  Send: "sent",
  Delivery: "delivered",
  Bounce: "bounced",
  Complaint: "complained",
  Reject: "rejected",
  DeliveryDelay: "delayed",
  "Rendering Failure": "rendering_failed",
};

const addresses = (recipients: { emailAddress: string }[]) => recipients.map((r) => r.emailAddress);

/** The platform's reading of an SES event: the kind, the delivery its tags name, who and when. */
export function mailFeedbackOf(event: SesEvent): MailFeedback {
  const tag = (name: string) => event.mail.tags[name]?.[0];
  const campaignId = tag("campaignId");
  const customerId = tag("customerId");
  const { bounce, complaint, delivery, deliveryDelay } = event;
  const [recipients, at] = bounce
    ? [addresses(bounce.bouncedRecipients), bounce.timestamp]
    : complaint
      ? [addresses(complaint.complainedRecipients), complaint.timestamp]
      : delivery
        ? [delivery.recipients, delivery.timestamp]
        : deliveryDelay
          ? [addresses(deliveryDelay.delayedRecipients), deliveryDelay.timestamp]
          : [event.mail.destination, event.mail.timestamp];
  return MailFeedback.parse({
    kind: KIND[event.eventType],
    messageId: event.mail.messageId,
    at,
    delivery: campaignId && customerId ? { campaignId, customerId } : undefined,
    recipients,
    bounceType: bounce?.bounceType.toLowerCase(),
    detail: (bounce?.bounceSubType ?? complaint?.complaintFeedbackType ?? event.reject?.reason)?.slice(0, 200),
    feedbackId: bounce?.feedbackId ?? complaint?.feedbackId,
  });
}
