import { z } from "zod";

/**
 * What an id looks like: the UUIDs the platform generates (segments, campaigns, changes, preview
 * runs) and the bank's own customer ids. 64 characters keep every DynamoDB key built from ids far
 * below its limits (2,048 bytes for a partition key, 1,024 for a sort key).
 */
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
export const ID_MAX_LENGTH = 64;

/** The rule in words, naming the id: `segmentId must be 1-64 letters, digits, '_' or '-'`. */
export const idRule = (name: string) => `${name} must be 1-64 letters, digits, '_' or '-'`;

/**
 * An id named `name`, as a request (path, body or file row) gives it. One message whatever is
 * wrong: length and characters are the same rule. The length checks come first and stop there,
 * so a long id is not also run through the pattern; both appear in the OpenAPI document.
 */
export const idNamed = (name: string) =>
  z
    .string()
    .min(1, { error: idRule(name), abort: true })
    .max(ID_MAX_LENGTH, { error: idRule(name), abort: true })
    .regex(ID_PATTERN, idRule(name));
