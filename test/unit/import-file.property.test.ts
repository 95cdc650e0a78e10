import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type ImportFormat, type ParsedImport, parseImport } from "../../shared/customers/import/import-file.js";
import { DomainError } from "../../shared/kernel/errors.js";
import { ProductCode } from "../../shared/kernel/products.js";

/**
 * Properties of the import parser (shared/customers/import/import-file.ts), on generated
 * files. fast-check prints the seed and the shrunk counterexample of a failure;
 * `fc.assert(..., { seed })` replays it.
 */
const RUNS = { numRuns: 300 };

/** parseImport's answer, or the error it threw. */
function parse(text: string, format: ImportFormat): { parsed?: ParsedImport; error?: unknown } {
  try {
    return { parsed: parseImport(text, format) };
  } catch (error) {
    return { error };
  }
}

/** The lines of a text, counting a lone CR as a line break too: an upper bound for any reader. */
const lineCount = (text: string) => text.split(/\r\n|\r|\n/).length;

/** Each row's line, whether it became a profile or a rejection. */
const outcomeLines = (parsed: ParsedImport) => [
  ...parsed.profiles.map((p) => p.line),
  ...parsed.rejected.map((r) => r.line),
];

/** What holds for any file: a domain error or one outcome per row, at a line of the file. */
function expectSoundAnswer(text: string, format: ImportFormat, firstDataLine: number) {
  const { parsed, error } = parse(text, format);
  if (error !== undefined) {
    expect(error, String(error)).toBeInstanceOf(DomainError);
    return undefined;
  }
  const lines = outcomeLines(parsed!);
  for (const line of lines) {
    expect(Number.isInteger(line)).toBe(true);
    expect(line).toBeGreaterThanOrEqual(firstDataLine);
    expect(line).toBeLessThanOrEqual(lineCount(text));
  }
  expect(new Set(lines).size).toBe(lines.length); // no row counted twice, as a profile and a rejection
  for (const rejection of parsed!.rejected) expect(rejection.reason).toMatch(/\S/);
  return parsed!;
}

// --- cells, valid and not ----------------------------------------------------------------------

const anyText = fc.string({ unit: "binary", maxLength: 30 });
const ids = fc.constantFrom("C-1", "C-2", "C-3", "K-1"); // a small pool: repeated ids are rejected
const cells = {
  customerId: fc.oneof(ids, fc.stringMatching(/^[A-Za-z0-9_-]{1,20}$/), anyText),
  type: fc.oneof(fc.constantFrom("individual", "corporate"), anyText),
  name: fc.oneof(fc.constantFrom("Wang Fang", "王芳", 'Loop & "Co"', "Li, Na", "Line\nbreak"), anyText),
  email: fc.oneof(fc.constantFrom("wang.fang@example.cn", "", "not-an-email"), anyText),
  phone: fc.oneof(fc.constantFrom("13812345678", "+86 138-1234-5678", "", "12"), anyText),
  aum: fc.oneof(
    fc.integer({ min: 0, max: 10_000_000 }).map(String),
    fc.constantFrom("-5", "1e400", "", "abc", "0x10", " 250000 "),
    anyText,
  ),
  products: fc.oneof(
    fc.subarray([...ProductCode.options]).map((codes) => codes.join(";")),
    fc.constantFrom("GOLD_BAR", ";;", ""),
    anyText,
  ),
  region: fc.oneof(fc.constantFrom("Jilin", "长春", ""), anyText),
  emailConsent: fc.oneof(fc.constantFrom("true", "false", "yes", "0", "maybe", ""), anyText),
  birthDate: fc.oneof(fc.constantFrom("1985-04-12", "1985-02-30", "", "yesterday"), anyText),
  events: fc.oneof(
    fc.constantFrom('[{"kind":"service","description":"visit","at":"2025-01-02T03:04:05Z"}]', "[", "[]", ""),
    fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)),
    anyText,
  ),
  timeZone: fc.oneof(fc.constantFrom("Asia/Shanghai", "Mars/Olympus", ""), anyText),
};
const COLUMNS = Object.keys(cells) as (keyof typeof cells)[];
const row = fc.record(cells);

/** A CSV cell as a spreadsheet writes it: quoted when it holds a comma, quote, CR or LF. */
const quoted = (cell: string) => (/[",\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell);

describe("the import parser, on generated files", () => {
  it("answers a well-formed CSV of any rows with exactly one outcome per row, at the row's own line", () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof({ weight: 5, arbitrary: row }, { weight: 1, arbitrary: fc.constant(null) }), {
          maxLength: 15,
        }),
        fc.constantFrom("\n", "\r\n"),
        fc.boolean(),
        (rows, lineEnd, bom) => {
          // prepare: a null is an empty line, which is no row
          const body = rows.map((r) => (r === null ? "" : COLUMNS.map((c) => quoted(r[c])).join(",")));
          const text = `${bom ? "\uFEFF" : ""}${[COLUMNS.join(","), ...body].join(lineEnd)}`;
          const written = rows.filter((r) => r !== null).length;

          // act
          const parsed = expectSoundAnswer(text, "csv", 2);

          // assess: a well-formed file is read, and rowsRead (profiles + rejections) balances
          expect(parsed).toBeDefined();
          expect(parsed!.profiles.length + parsed!.rejected.length).toBe(written);
        },
      ),
      RUNS,
    );
  });

  it("answers any NDJSON with exactly one outcome per non-blank line, at that line", () => {
    const line = fc.oneof(
      row.map((r) => JSON.stringify(r)),
      row.map((r) => JSON.stringify({ ...r, aum: Number(r.aum), products: r.products.split(";") })),
      fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
      fc.constantFrom("", "   ", "{", "null", "[]", '{"customerId":"C-1"}'),
      fc.string({ unit: "binary", maxLength: 40 }).map((s) => s.replace(/[\r\n]/g, " ")),
    );

    fc.assert(
      fc.property(fc.array(line, { maxLength: 20 }), fc.constantFrom("\n", "\r\n"), fc.boolean(), (lines, end, bom) => {
        // prepare
        const text = `${bom ? "\uFEFF" : ""}${lines.join(end)}`;
        const rowLines = lines.flatMap((l, i) => (l.trim() === "" ? [] : [i + 1]));

        // act
        const parsed = expectSoundAnswer(text, "ndjson", 1);

        // assess
        expect(parsed).toBeDefined();
        expect(outcomeLines(parsed!).sort((a, b) => a - b)).toEqual(rowLines);
      }),
      RUNS,
    );
  });

  it.each<ImportFormat>(["csv", "ndjson"])(
    "throws nothing but a domain error on any %s text, and places every row within the file",
    (format) => {
      // prepare: any text, and text made of a CSV's characters (quotes, separators, line ends)
      const csvish = fc.string({ unit: fc.constantFrom(...'ab,;"\r\n \t{}[]:'), maxLength: 80 });
      const withHeader = fc
        .tuple(fc.constantFrom("", `${COLUMNS.join(",")}\n`), fc.oneof(fc.string({ unit: "binary" }), csvish))
        .map(([header, text]) => header + text);

      fc.assert(
        fc.property(withHeader, (text) => {
          // act / assess
          expectSoundAnswer(text, format, format === "csv" ? 2 : 1);
        }),
        { numRuns: 1000 },
      );
    },
  );
});
