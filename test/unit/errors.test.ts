import { describe, expect, it } from "vitest";
import {
  CampaignStateConflictError,
  DomainError,
  ExpiredLinkError,
  InvalidLinkError,
  NotFoundError,
  SelfApprovalError,
  ValidationError,
} from "../../shared/kernel/errors.js";

describe("domain errors", () => {
  it.each<[DomainError, string, number]>([
    [new ValidationError("bad"), "invalid_request", 400],
    [new NotFoundError("Campaign", "c1"), "not_found", 404],
    [new SelfApprovalError(), "self_approval", 403],
    [new CampaignStateConflictError("c1", "launch", "draft", ["approved"]), "campaign_state_conflict", 409],
    [new InvalidLinkError(), "invalid_link", 400],
    [new ExpiredLinkError(), "expired_link", 410],
  ])("%s carries code %s and status %d, and is a DomainError", (error, code, status) => {
    // prepare / act / assess
    expect(error).toBeInstanceOf(DomainError);
    expect(error.code).toBe(code);
    expect(error.status).toBe(status);
    expect(error.name).toBe(error.constructor.name);
  });

  it("tells the marketer why a campaign cannot change state", () => {
    // prepare
    const error = new CampaignStateConflictError("camp-1", "launch", "draft", ["approved"]);
    // act
    const message = error.message;
    // assess
    expect(message).toBe("Cannot launch campaign 'camp-1': it is 'draft', and launch needs 'approved'");
  });

  it("names what was not found", () => {
    // prepare / act
    const error = new NotFoundError("Segment", "seg-9");
    // assess
    expect(error.message).toBe("Segment 'seg-9' does not exist");
  });
});
