/**
 * Every failure the domain knows about. The API maps `status` to HTTP in one place;
 * workers let them propagate so SQS retries the record.
 */
export abstract class DomainError extends Error {
  abstract readonly code: string;
  abstract readonly status: 400 | 401 | 403 | 404 | 409 | 410 | 413 | 415 | 422 | 429 | 503;
  constructor(
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationError extends DomainError {
  readonly code = "invalid_request";
  readonly status = 400;
}

export class NotFoundError extends DomainError {
  readonly code = "not_found";
  readonly status = 404;
  constructor(kind: string, id: string) {
    super(`${kind} '${id}' does not exist`);
  }
}

export class UnauthenticatedError extends DomainError {
  readonly code = "unauthenticated";
  readonly status = 401;
}

export class ForbiddenError extends DomainError {
  readonly code = "forbidden";
  readonly status = 403;
}

export class SelfApprovalError extends DomainError {
  readonly code = "self_approval";
  readonly status = 403;
  constructor(message = "A campaign must be approved by someone other than its creator (maker-checker)") {
    super(message);
  }
}

export class CampaignStateConflictError extends DomainError {
  readonly code = "campaign_state_conflict";
  readonly status = 409;
  /** `hint`, when given, says what to do instead ("submit it first"). */
  constructor(campaignId: string, action: string, current: string, allowedFrom: readonly string[], hint?: string) {
    super(
      `Cannot ${action} campaign '${campaignId}': it is '${current}', and ${action} needs ${allowedFrom.map((s) => `'${s}'`).join(" or ")}${hint ? `: ${hint}` : ""}`,
    );
  }
}

/** The campaign differs from what its approver signed off: it must be approved again before it goes out. */
export class CampaignChangedSinceApprovalError extends DomainError {
  readonly code = "campaign_changed_since_approval";
  readonly status = 409;
  constructor(campaignId: string, changed: readonly string[]) {
    super(
      `Cannot launch campaign '${campaignId}': its ${changed.join(", ")} changed after it was approved; it needs a new approval`,
    );
  }
}

/** Two people revised the same segment at once; the second must see the first's version. */
export class SegmentVersionConflictError extends DomainError {
  readonly code = "segment_version_conflict";
  readonly status = 409;
  constructor(segmentId: string, version: number) {
    super(
      `Segment '${segmentId}' was revised by someone else at the same time (version ${version} exists): reload it and try again`,
    );
  }
}

/** A customer change that can no longer be applied as asked: decided already, or the record moved on. */
export class CustomerChangeConflictError extends DomainError {
  readonly code = "customer_change_conflict";
  readonly status = 409;
}

/** The customer is in their quiet hours: the send waits on the queue for `seconds`. */
export class SendDeferredError extends DomainError {
  readonly code = "send_deferred";
  readonly status = 409;
  constructor(readonly seconds: number) {
    super(`The customer's quiet hours: the offer waits ${seconds} s`);
  }
}

export class InvalidLinkError extends DomainError {
  readonly code = "invalid_link";
  readonly status = 400;
  constructor() {
    super("This link is not valid. Use the link exactly as it appears in the email.");
  }
}

export class ExpiredLinkError extends DomainError {
  readonly code = "expired_link";
  readonly status = 410;
  constructor() {
    super("This link has expired. Contact your relationship manager for a current offer.");
  }
}

/**
 * An expired preference-centre link asked to turn something on. An old email may be in someone
 * else's hands, so its link may only turn things off; a fresh link turns them on.
 */
export class ExpiredLinkOptInError extends DomainError {
  readonly code = "expired_link_opt_in";
  readonly status = 403;
  constructor() {
    super(
      "This link is older than its email's 30 days: it can turn offers off, never on. Ask for a new link by email and use that one to turn anything on.",
    );
  }
}

/** A renewal asked for by a link that still works: there is nothing to renew, open the link itself. */
export class LinkStillValidError extends DomainError {
  readonly code = "link_still_valid";
  readonly status = 409;
  constructor() {
    super("This link still works: open it as it is. A new one is sent only for a link that has expired.");
  }
}

/** The delivery was already claimed by an earlier (or concurrent) attempt: never send it again. */
export class DeliveryAlreadyClaimedError extends DomainError {
  readonly code = "delivery_already_claimed";
  readonly status = 409;
}

/** The mail service refused the message for good (bad address, rejected content). */
export class MailRejectedError extends DomainError {
  readonly code = "mail_rejected";
  readonly status = 422;
}

/** The mail service did not take the message now (throttled, unavailable): release and retry. */
export class MailDeferredError extends DomainError {
  readonly code = "mail_deferred";
  readonly status = 409;
}

/** A preview or test send asked for a customer who is not in the campaign's segment, or the segment has none to show. */
export class NotInSegmentError extends DomainError {
  readonly code = "not_in_segment";
  readonly status = 422;
}

/** A person sent as many test emails of one campaign as an hour allows: the message says when to try again. */
export class TestSendLimitError extends DomainError {
  readonly code = "test_send_limit";
  readonly status = 429;
}

/** A segment export would be bigger than one API answer can carry; the message says how to split it. */
export class ExportTooLargeError extends DomainError {
  readonly code = "export_too_large";
  readonly status = 422;
}

/** This deployment did not give the function its dead-letter queues' URLs: a deployment fault, not the caller's. */
export class DeadLettersUnavailableError extends DomainError {
  readonly code = "dead_letters_unavailable";
  readonly status = 503;
  constructor() {
    super(
      "The dead-letter queues are not configured for this function: set FEEDBACK_QUEUE_URL and the *_QUEUE_DLQ_URL variables (the stack and npm start do)",
    );
  }
}
