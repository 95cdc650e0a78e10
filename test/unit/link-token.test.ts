import { describe, expect, it } from "vitest";
import { type LinkClaims, offerLinks, readLink, signLink, verifyLink } from "../../shared/delivery/links.js";
import { ExpiredLinkError, InvalidLinkError } from "../../shared/kernel/errors.js";
import { thrownBy } from "./fixtures.js";

const SECRET = "link-secret-for-tests-0123456789";
const NOW = Date.parse("2024-06-01T12:00:00.000Z");
const IN_A_WEEK = Math.floor(NOW / 1000) + 7 * 86_400;
const offerClaims: LinkClaims = { deliveryId: "camp-1.C-0001", action: "offer", expiresAt: IN_A_WEEK };

/** Re-encodes a token's payload with other claims, keeping its original signature. */
function withPayload(token: string, claims: unknown[]): string {
  const [, signature] = token.split(".");
  return `${Buffer.from(JSON.stringify(claims)).toString("base64url")}.${signature}`;
}

describe("signLink / verifyLink", () => {
  it("round-trips the claims of a signed link", () => {
    // prepare
    const token = signLink(SECRET, offerClaims);
    // act
    const claims = verifyLink(SECRET, token, "offer", NOW);
    // assess
    expect(claims).toEqual(offerClaims);
  });

  it("produces a token that is safe in a URL path", () => {
    // prepare / act
    const token = signLink(SECRET, { ...offerClaims, deliveryId: "camp/?&=#.C 1" });
    // assess
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(verifyLink(SECRET, token, "offer", NOW).deliveryId).toBe("camp/?&=#.C 1");
  });

  it("refuses a token whose payload was changed (another customer's delivery)", () => {
    // prepare
    const token = signLink(SECRET, offerClaims);
    const tampered = withPayload(token, ["camp-1.C-9999", "offer", IN_A_WEEK]);
    // act
    const error = thrownBy(() => verifyLink(SECRET, tampered, "offer", NOW));
    // assess
    expect(error).toBeInstanceOf(InvalidLinkError);
  });

  it("refuses a token whose expiry was pushed out", () => {
    // prepare
    const token = signLink(SECRET, offerClaims);
    const tampered = withPayload(token, [offerClaims.deliveryId, "offer", IN_A_WEEK + 365 * 86_400]);
    // act
    const error = thrownBy(() => verifyLink(SECRET, tampered, "offer", NOW));
    // assess
    expect(error).toBeInstanceOf(InvalidLinkError);
  });

  it("refuses a token whose signature was changed", () => {
    // prepare
    const token = signLink(SECRET, offerClaims);
    const last = token.at(-1);
    const tampered = token.slice(0, -1) + (last === "A" ? "B" : "A");
    // act
    const error = thrownBy(() => verifyLink(SECRET, tampered, "offer", NOW));
    // assess
    expect(error).toBeInstanceOf(InvalidLinkError);
  });

  it("refuses a token signed with another secret", () => {
    // prepare
    const token = signLink("some-other-secret-0123456789", offerClaims);
    // act
    const error = thrownBy(() => verifyLink(SECRET, token, "offer", NOW));
    // assess
    expect(error).toBeInstanceOf(InvalidLinkError);
  });

  it("refuses an offer link used as an unsubscribe link", () => {
    // prepare
    const token = signLink(SECRET, offerClaims);
    // act
    const error = thrownBy(() => verifyLink(SECRET, token, "unsubscribe", NOW));
    // assess
    expect(error).toBeInstanceOf(InvalidLinkError);
  });

  it("refuses an unsubscribe link used as an offer link", () => {
    // prepare
    const token = signLink(SECRET, { ...offerClaims, action: "unsubscribe" });
    // act
    const error = thrownBy(() => verifyLink(SECRET, token, "offer", NOW));
    // assess
    expect(error).toBeInstanceOf(InvalidLinkError);
  });

  it("refuses an expired link with ExpiredLinkError", () => {
    // prepare
    const token = signLink(SECRET, offerClaims);
    const aDayAfterExpiry = (IN_A_WEEK + 86_400) * 1000;
    // act
    const error = thrownBy(() => verifyLink(SECRET, token, "offer", aDayAfterExpiry));
    // assess
    expect(error).toBeInstanceOf(ExpiredLinkError);
    expect((error as ExpiredLinkError).status).toBe(410);
  });

  it("still accepts a link one second before it expires", () => {
    // prepare
    const token = signLink(SECRET, offerClaims);
    // act
    const claims = verifyLink(SECRET, token, "offer", (IN_A_WEEK - 1) * 1000);
    // assess
    expect(claims.deliveryId).toBe(offerClaims.deliveryId);
  });

  it("calls a tampered expired link invalid, not expired", () => {
    // prepare
    const token = signLink(SECRET, { ...offerClaims, expiresAt: 1 });
    const tampered = withPayload(token, ["camp-1.C-9999", "offer", 1]);
    // act
    const error = thrownBy(() => verifyLink(SECRET, tampered, "offer", NOW));
    // assess
    expect(error).toBeInstanceOf(InvalidLinkError);
  });

  const validToken = signLink(SECRET, offerClaims);
  it.each([
    [""],
    ["."],
    [".."],
    ["abc"],
    ["abc."],
    [".abc"],
    ["a.b.c"],
    [`${validToken}.extra`],
    [`${validToken}x`],
    [validToken.split(".")[0]],
    ["%%%.%%%"],
    ["ÿÿÿ.ÿÿÿ"],
    ["eyJ0eXAiOiJKV1QifQ.eyJzdWIiOiIxIn0"],
    ["😀.😀"],
    ["\u0000.\u0000"],
    [`${"a".repeat(10_000)}.${"b".repeat(10_000)}`],
  ])("refuses garbage token #%# with InvalidLinkError and nothing else", (garbage) => {
    // prepare / act
    const error = thrownBy(() => verifyLink(SECRET, garbage, "offer", NOW));
    // assess
    expect(error).toBeInstanceOf(InvalidLinkError);
    expect((error as InvalidLinkError).status).toBe(400);
  });

  it.each([
    ["not JSON", "not json at all"],
    ["a JSON object", JSON.stringify({ deliveryId: "camp-1.C-1", action: "offer", expiresAt: IN_A_WEEK })],
    ["a short array", JSON.stringify(["camp-1.C-1", "offer"])],
    ["a number as delivery id", JSON.stringify([42, "offer", IN_A_WEEK])],
    ["a text expiry", JSON.stringify(["camp-1.C-1", "offer", "never"])],
  ])("refuses a correctly signed payload that is %s", (_, body) => {
    // prepare: even a payload signed with the right secret must have the right shape
    const payload = Buffer.from(body).toString("base64url");
    const signature = signLink(SECRET, offerClaims).split(".")[1];
    const forged = `${payload}.${signature}`;
    // act
    const error = thrownBy(() => verifyLink(SECRET, forged, "offer", NOW));
    // assess
    expect(error).toBeInstanceOf(InvalidLinkError);
  });
});

describe("offerLinks", () => {
  const settings = { linkSigningSecret: SECRET, publicBaseUrl: "https://offers.example.cn", linkTtlDays: 30 };

  it("builds an offer URL under /o/ and an unsubscribe URL under /u/ of the public base URL", () => {
    // prepare / act
    const links = offerLinks(settings, "camp-1.C-0001", new Date(NOW));
    // assess
    expect(links.offerUrl).toMatch(/^https:\/\/offers\.example\.cn\/o\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(links.unsubscribeUrl).toMatch(/^https:\/\/offers\.example\.cn\/u\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
  });

  it("does not double the slash when the base URL ends with one", () => {
    // prepare / act
    const links = offerLinks(
      { ...settings, publicBaseUrl: "https://offers.example.cn/" },
      "camp-1.C-0001",
      new Date(NOW),
    );
    // assess
    expect(links.offerUrl.startsWith("https://offers.example.cn/o/")).toBe(true);
    expect(links.unsubscribeUrl.startsWith("https://offers.example.cn/u/")).toBe(true);
  });

  it("keeps a path in the base URL", () => {
    // prepare / act
    const links = offerLinks(
      { ...settings, publicBaseUrl: "https://bank.example.cn/offers" },
      "camp-1.C-0001",
      new Date(NOW),
    );
    // assess
    expect(links.offerUrl.startsWith("https://bank.example.cn/offers/o/")).toBe(true);
  });

  it("signs each link for its own action, for this delivery, valid for linkTtlDays", () => {
    // prepare
    const links = offerLinks(settings, "camp-1.C-0001", new Date(NOW));
    const offerToken = links.offerUrl.split("/o/")[1];
    const unsubscribeToken = links.unsubscribeUrl.split("/u/")[1];
    // act
    const offer = verifyLink(SECRET, offerToken, "offer", NOW);
    const unsubscribe = verifyLink(SECRET, unsubscribeToken, "unsubscribe", NOW);
    const swapped = thrownBy(() => verifyLink(SECRET, offerToken, "unsubscribe", NOW));
    const after31Days = thrownBy(() => verifyLink(SECRET, offerToken, "offer", NOW + 31 * 86_400_000));
    // assess
    expect(offer).toEqual({
      deliveryId: "camp-1.C-0001",
      action: "offer",
      expiresAt: Math.floor(NOW / 1000) + 30 * 86_400,
    });
    expect(unsubscribe.deliveryId).toBe("camp-1.C-0001");
    expect(swapped).toBeInstanceOf(InvalidLinkError);
    expect(after31Days).toBeInstanceOf(ExpiredLinkError);
  });
});

describe("links in old emails (#12)", () => {
  const DAY = 86_400_000;
  /** Sent `daysAgo` days before NOW with the 30-day expiry every email's links carry (linkToken). */
  const sentDaysAgo = (action: LinkClaims["action"], daysAgo: number) =>
    signLink(SECRET, {
      deliveryId: "camp-1.C-0001",
      action,
      expiresAt: Math.floor((NOW - daysAgo * DAY) / 1000) + 30 * 86_400,
    });

  it("still unsubscribes from an email 400 days old: the customer's choice is never refused for its age", () => {
    // act
    const claims = verifyLink(SECRET, sentDaysAgo("unsubscribe", 400), "unsubscribe", NOW);
    // assess
    expect(claims.deliveryId).toBe("camp-1.C-0001");
  });

  it("refuses a 400-day-old unsubscribe link whose payload was changed, or signed with another secret", () => {
    // prepare
    const token = sentDaysAgo("unsubscribe", 400);
    const [, , expiresAt] = JSON.parse(Buffer.from(token.split(".")[0], "base64url").toString()) as unknown[];
    const otherCustomer = withPayload(token, ["camp-1.C-9999", "unsubscribe", expiresAt]);
    const forged = signLink("another-secret-0123456789", {
      deliveryId: "camp-1.C-0001",
      action: "unsubscribe",
      expiresAt: expiresAt as number,
    });
    // act / assess
    expect(thrownBy(() => verifyLink(SECRET, otherCustomer, "unsubscribe", NOW))).toBeInstanceOf(InvalidLinkError);
    expect(thrownBy(() => verifyLink(SECRET, forged, "unsubscribe", NOW))).toBeInstanceOf(InvalidLinkError);
  });

  it("still expires the offer and preference links after their 30 days", () => {
    // act / assess
    expect(thrownBy(() => verifyLink(SECRET, sentDaysAgo("offer", 31), "offer", NOW))).toBeInstanceOf(ExpiredLinkError);
    expect(thrownBy(() => verifyLink(SECRET, sentDaysAgo("preferences", 40), "preferences", NOW))).toBeInstanceOf(
      ExpiredLinkError,
    );
    expect(verifyLink(SECRET, sentDaysAgo("offer", 29), "offer", NOW).action).toBe("offer");
  });

  it("reads an expired preference link as expired but genuine, and a tampered one not at all", () => {
    // prepare
    const token = sentDaysAgo("preferences", 40);
    // act
    const read = readLink(SECRET, token, "preferences", NOW);
    // assess
    expect(read).toMatchObject({ deliveryId: "camp-1.C-0001", action: "preferences", expired: true });
    expect(thrownBy(() => readLink(SECRET, `${token.slice(0, -2)}xx`, "preferences", NOW))).toBeInstanceOf(
      InvalidLinkError,
    );
  });
});
