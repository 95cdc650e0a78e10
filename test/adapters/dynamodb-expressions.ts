/**
 * Writes a DynamoDB expression out with its placeholders filled in, so a test asserts what the
 * write means (`status = "queued"`) rather than which placeholder names the adapter picked.
 * Values are written as JSON: strings quoted, numbers bare.
 */
export function resolveExpression(
  expression: string | undefined,
  names: Record<string, string> | undefined = {},
  values: Record<string, unknown> | undefined = {},
): string {
  if (expression === undefined) return "";
  return expression
    .replace(/#[A-Za-z0-9_]+/g, (token) => {
      if (!(token in names))
        throw new Error(`expression uses ${token}, which ExpressionAttributeNames does not define`);
      return names[token];
    })
    .replace(/:[A-Za-z0-9_]+/g, (token) => {
      if (!(token in values))
        throw new Error(`expression uses ${token}, which ExpressionAttributeValues does not define`);
      return JSON.stringify(values[token]);
    });
}

type Expressed = {
  ConditionExpression?: string;
  UpdateExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, unknown>;
};

export const conditionOf = (x: Expressed | undefined) =>
  resolveExpression(x?.ConditionExpression, x?.ExpressionAttributeNames, x?.ExpressionAttributeValues);

export const updateOf = (x: Expressed | undefined) =>
  resolveExpression(x?.UpdateExpression, x?.ExpressionAttributeNames, x?.ExpressionAttributeValues);

/**
 * The attribute -> amount pairs of an `ADD a :x, b :y` update expression, as a record. Throws
 * when the expression is not a pure ADD.
 */
export function addsOf(x: Expressed | undefined): Record<string, number> {
  const resolved = updateOf(x).trim();
  const match = /^ADD\s+(.*)$/s.exec(resolved);
  if (!match) throw new Error(`not an ADD update: ${resolved}`);
  return Object.fromEntries(
    match[1].split(",").map((pair) => {
      const [name, amount] = pair.trim().split(/\s+/);
      return [name, Number(amount)];
    }),
  );
}

/** The attribute -> value pairs of a `SET a = :x, b = :y` update expression, as a record. */
/** The attributes an update expression's REMOVE clause takes away. */
export function removesOf(x: Expressed | undefined): string[] {
  const match = /\sREMOVE\s+([^=]*)$/s.exec(x?.UpdateExpression ?? "");
  return match ? match[1].split(",").map((s) => s.trim()) : [];
}

export function setsOf(x: Expressed | undefined): Record<string, unknown> {
  const names = x?.ExpressionAttributeNames ?? {};
  const values = x?.ExpressionAttributeValues ?? {};
  const match = /^\s*SET\s+(.*?)(?:\s+REMOVE\s+[^=]*)?$/s.exec(x?.UpdateExpression ?? "");
  if (!match) throw new Error(`not a SET update: ${x?.UpdateExpression}`);
  return Object.fromEntries(
    match[1].split(",").map((assignment) => {
      const [left, right] = assignment.split("=").map((s) => s.trim());
      const name = left.startsWith("#") ? names[left] : left;
      if (!right.startsWith(":") || !(right in values)) throw new Error(`unexpected assignment: ${assignment}`);
      return [name, values[right]];
    }),
  );
}
