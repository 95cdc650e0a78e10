import { createHmac } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type LinkAction, signLink, verifyLink } from "../../shared/delivery/links.js";
import { ExpiredLinkError, InvalidLinkError } from "../../shared/kernel/errors.js";

/**
 * Properties of the signed links (shared/delivery/links.ts), on generated input. fast-check
 * prints the seed and the shrunk counterexample of a failure; `fc.assert(..., { seed })`
 * replays it.
 */
const NOW = Date.parse("2026-06-01T12:00:00.000Z");
const NOW_SECONDS = Math.floor(NOW / 1000);
const RUNS = { numRuns: 500 };

const action = fc.constantFrom<LinkAction>("offer", "unsubscribe");
/** Any text: astral characters, lone surrogates, dots, slashes, quotes, control characters. */
const anyText = fc.string({ unit: "binary", maxLength: 200 });
const secret = fc.string({ unit: "binary", minLength: 1, maxLength: 64 });
const claims = fc.record({
  deliveryId: anyText,
  action,
  expiresAt: fc.integer({ min: NOW_SECONDS, max: NOW_SECONDS + 10 * 365 * 86_400 }),
});
const URL_SAFE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/** The error verifyLink throws, or undefined when it returns. */
function refusal(run: () => unknown): unknown {
  try {
    run();
    return undefined;
  } catch (error) {
    return error;
  }
}
const isLinkError = (error: unknown) => error instanceof InvalidLinkError || error instanceof ExpiredLinkError;

/** A token as a one-character edit of another: a character replaced, removed or added. */
type Edit = { kind: "replace" | "remove" | "insert"; at: number; char: string };
function applyEdit(token: string, edit: Edit): string {
  const at = edit.at % (edit.kind === "insert" ? token.length + 1 : token.length);
  if (edit.kind === "remove") return token.slice(0, at) + token.slice(at + 1);
  if (edit.kind === "insert") return token.slice(0, at) + edit.char + token.slice(at);
  return token.slice(0, at) + edit.char + token.slice(at + 1);
}
const edit = fc.record({
  kind: fc.constantFrom<Edit["kind"]>("replace", "remove", "insert"),
  at: fc.nat(),
  // Mostly the token's own alphabet (the edits a sloppy copy makes), sometimes anything.
  char: fc.oneof(
    fc.constantFrom(..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_."),
    fc.string({ unit: "binary", minLength: 1, maxLength: 1 }),
  ),
});

describe("link tokens, on generated input", () => {
  it("verify returns exactly the claims signed, for any delivery id, action, expiry and key", () => {
    fc.assert(
      fc.property(secret, claims, (key, signed) => {
        // act
        const token = signLink(key, signed);

        // assess
        expect(token).toMatch(URL_SAFE);
        expect(verifyLink(key, token, signed.action, NOW)).toEqual(signed);
      }),
      RUNS,
    );
  });

  it("refuses a token with any one character changed, removed or added, as invalid", () => {
    fc.assert(
      fc.property(secret, claims, edit, (key, signed, change) => {
        // prepare
        const token = signLink(key, signed);
        const edited = applyEdit(token, change);
        fc.pre(edited !== token); // replacing a character with itself is no change

        // act
        const error = refusal(() => verifyLink(key, edited, signed.action, NOW));

        // assess
        expect(error).toBeInstanceOf(InvalidLinkError);
      }),
      RUNS,
    );
  });

  it("refuses a token signed with another key, or for the other action", () => {
    fc.assert(
      fc.property(secret, secret, claims, (key, other, signed) => {
        // prepare
        fc.pre(key !== other);
        const token = signLink(key, signed);
        const otherAction = signed.action === "offer" ? "unsubscribe" : "offer";

        // act / assess
        expect(refusal(() => verifyLink(other, token, signed.action, NOW))).toBeInstanceOf(InvalidLinkError);
        expect(refusal(() => verifyLink(key, token, otherAction, NOW))).toBeInstanceOf(InvalidLinkError);
      }),
      RUNS,
    );
  });

  it("says expired, not invalid, once the expiry has passed, but for the unsubscribe link, which never expires", () => {
    fc.assert(
      fc.property(secret, claims, fc.integer({ min: 1, max: 10 * 365 * 86_400 }), (key, signed, late) => {
        // prepare
        const token = signLink(key, signed);
        const later = (signed.expiresAt + late) * 1000;

        // act / assess
        if (signed.action === "unsubscribe") expect(verifyLink(key, token, "unsubscribe", later)).toEqual(signed);
        else expect(refusal(() => verifyLink(key, token, signed.action, later))).toBeInstanceOf(ExpiredLinkError);
      }),
      RUNS,
    );
  });

  it("throws nothing but the invalid or expired link errors on any string", () => {
    // prepare: any text, and strings that look like tokens
    const b64 = fc.string({
      unit: fc.constantFrom(..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
    });
    const lookalike = fc
      .tuple(b64, b64, fc.constantFrom("", ".", ".x", ".."))
      .map(([p, s, tail]) => `${p}.${s}${tail}`);

    fc.assert(
      fc.property(secret, fc.oneof(anyText, lookalike), action, (key, text, wanted) => {
        // act
        const error = refusal(() => verifyLink(key, text, wanted, NOW));

        // assess: a random string never carries a valid signature
        expect(error).toBeInstanceOf(InvalidLinkError);
      }),
      RUNS,
    );
  });

  it("throws nothing but the link errors on a correctly signed payload that is not what signLink writes", () => {
    // prepare: payloads signed with the key, so the checks after the signature are reached
    const payloadText = fc.oneof(
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc.tuple(fc.jsonValue(), fc.jsonValue(), fc.jsonValue()).map((v) => JSON.stringify(v)),
      fc
        .tuple(fc.oneof(anyText, fc.jsonValue()), action, fc.oneof(fc.double(), fc.jsonValue()))
        .map((v) => JSON.stringify(v)),
      anyText,
    );
    const payload = fc.oneof(
      payloadText.map((text) => Buffer.from(text).toString("base64url")),
      fc.uint8Array({ maxLength: 120 }).map((bytes) => Buffer.from(bytes).toString("base64url")),
      fc.string({ unit: "binary", maxLength: 60 }),
    );

    fc.assert(
      fc.property(secret, payload, action, (key, body, wanted) => {
        // prepare
        const token = `${body}.${createHmac("sha256", key).update(body).digest("base64url")}`;

        // act
        let claims: ReturnType<typeof verifyLink> | undefined;
        const error = refusal(() => {
          claims = verifyLink(key, token, wanted, NOW);
        });

        // assess: refused as a link, or claims of the right shape
        if (error !== undefined) expect(isLinkError(error), String(error)).toBe(true);
        else {
          expect(typeof claims?.deliveryId).toBe("string");
          expect(claims?.action).toBe(wanted);
          expect(typeof claims?.expiresAt).toBe("number");
        }
      }),
      RUNS,
    );
  });
});
