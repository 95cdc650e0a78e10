import { describe, expect, it } from "vitest";
import { type CustomerProfile, sameProfile } from "../../shared/customers/import/customer-row.js";
import {
  type ImportFormat,
  parseImport,
  type RejectedRow,
  UnsupportedEncodingError,
} from "../../shared/customers/import/import-file.js";
import {
  balances,
  type ChunkSummary,
  decodeStream,
  ImportTextDecoder,
  MAX_ROW_CHARS,
  readRowStream,
  SNIFF_BYTES,
  type StreamImportOptions,
  streamImport,
} from "../../shared/customers/import/import-stream.js";
import { ValidationError } from "../../shared/kernel/errors.js";
import { concat, gbk, utf8 } from "../support/gbk.js";

const HEADER = "customerId,type,name,email,aum,products,region,emailConsent";

/** The file as a stream that hands out `size` bytes at a time, as a file read does. */
async function* pieces(bytes: Uint8Array, size = 64 * 1024): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

async function* texts(...parts: string[]): AsyncGenerator<string> {
  yield* parts;
}

async function all<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

async function decodeAll(bytes: Uint8Array, size?: number) {
  const decoder = new ImportTextDecoder();
  const text = (await all(decodeStream(pieces(bytes, size), decoder))).join("");
  return { text, encoding: decoder.encoding };
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a rejection, but it resolved");
}

/**
 * The import API as a fake: the same parsing and upsert rules as importCustomers, over a Map.
 * It records the rows of every chunk it was sent.
 */
function fakeApi() {
  const stored = new Map<string, CustomerProfile>();
  const chunks: string[][] = [];
  const send = async (ndjson: string): Promise<ChunkSummary> => {
    const { profiles, rejected } = parseImport(ndjson, "ndjson");
    chunks.push(profiles.map((p) => p.profile.customerId));
    const answer: ChunkSummary = {
      rowsRead: profiles.length + rejected.length,
      imported: 0,
      updated: 0,
      unchanged: 0,
      rejected,
      consentKept: 0,
    };
    for (const { profile } of profiles) {
      const known = stored.get(profile.customerId);
      if (!known) answer.imported++;
      else if (sameProfile(known, profile)) answer.unchanged++;
      else answer.updated++;
      stored.set(profile.customerId, profile);
    }
    return answer;
  };
  return { stored, chunks, send };
}

function run(
  bytes: Uint8Array,
  format: ImportFormat,
  send: StreamImportOptions["send"],
  options: Partial<StreamImportOptions> = {},
) {
  const everyRejection: RejectedRow[] = [];
  // Small reads, so that rows, characters and CRLFs are cut between them.
  const summary = streamImport(pieces(bytes, 997), {
    format,
    send,
    onRejected: (r) => everyRejection.push(r),
    ...options,
  });
  return { summary, everyRejection };
}

const row = (id: string, name = `Customer ${id}`, extra = "") =>
  `${id},individual,${name},${id.toLowerCase()}@example.cn,120000,DEPOSIT_CURRENT,Jilin,true${extra}`;
const csvFile = (...lines: string[]) => `${[HEADER, ...lines].join("\n")}\n`;

describe("ImportTextDecoder", () => {
  it("reads GBK bytes as GBK, even with characters cut between reads", async () => {
    // prepare: "张伟" is d5 c5 ce b0 in GBK; 3-byte reads cut through it
    const bytes = gbk(csvFile("G1,individual,张伟,,100,,长春,true"));
    // act
    const { text, encoding } = await decodeAll(bytes, 3);
    // assess
    expect(encoding).toBe("gb18030");
    expect(text).toContain("G1,individual,张伟,,100,,长春,true");
  });

  it("reads UTF-8 with a byte-order mark, dropping the mark", async () => {
    // prepare
    const bytes = concat(Uint8Array.of(0xef, 0xbb, 0xbf), utf8(csvFile("U1,individual,张伟,,100,,长春,true")));
    // act
    const { text, encoding } = await decodeAll(bytes, 2);
    // assess
    expect(encoding).toBe("utf-8");
    expect(text.startsWith("customerId,type")).toBe(true);
    expect(text).toContain("张伟");
  });

  it.each([
    ["GBK", gbk, "gb18030"],
    ["UTF-8", utf8, "utf-8"],
  ] as const)(
    "detects %s when the first Chinese name comes after more than 64 KiB of ASCII rows",
    async (_, encode, expected) => {
      // prepare: about 100 KiB of ASCII-only rows, then one Chinese name
      const ascii = Array.from({ length: 1500 }, (_, i) => row(`A${i}`));
      const bytes = encode(csvFile(...ascii, "Z1,individual,王芳,,100,,吉林,true"));
      expect(encode(csvFile(...ascii)).length).toBeGreaterThan(SNIFF_BYTES);
      // act
      const { text, encoding } = await decodeAll(bytes);
      // assess
      expect(encoding).toBe(expected);
      expect(text).toContain("Z1,individual,王芳,,100,,吉林,true");
    },
  );

  it.each([
    ["Latin-1 text", Uint8Array.from([...utf8(`${HEADER}\nC1,individual,Jos`), 0xe9, ...utf8(",,100,,Jilin,true\n")])],
    ["binary data", Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256)],
    ["UTF-16 text", Uint8Array.from([...utf8(HEADER)].flatMap((b) => [b, 0]))],
  ])("refuses %s, saying how to convert the file", async (_, bytes) => {
    // prepare / act
    const error = await rejection(decodeAll(bytes));
    // assess
    expect(error).toBeInstanceOf(UnsupportedEncodingError);
    expect(error.message).toMatch(/neither UTF-8 nor GBK \(GB18030\).*iconv -f GBK -t UTF-8/);
  });

  it("fails on a file that switches from UTF-8 to GBK, naming the byte range where it does", async () => {
    // prepare: more than 64 KiB of UTF-8 Chinese names, then GBK ones
    const utf8Part = utf8(csvFile(...Array.from({ length: 2000 }, (_, i) => row(`U${i}`, "张伟"))));
    const gbkPart = gbk(Array.from({ length: 100 }, (_, i) => row(`G${i}`, "王芳")).join("\n"));
    expect(utf8Part.length).toBeGreaterThan(SNIFF_BYTES);
    const switchesAt = utf8Part.length + gbkPart.indexOf(0xcd);
    // act
    const error = await rejection(decodeAll(concat(utf8Part, gbkPart), 4096));
    // assess
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.message).toMatch(
      /began as UTF-8 but is not valid UTF-8 between bytes \d+ and \d+: it mixes encodings; convert it to UTF-8/,
    );
    const [, from, to] = /between bytes (\d+) and (\d+)/.exec(error.message)!.map(Number);
    expect(from).toBeLessThanOrEqual(switchesAt);
    expect(to).toBeGreaterThan(switchesAt);
  });
});

describe("readRowStream", () => {
  it("numbers CSV rows as parseImport does: quoted line breaks, blank lines, Windows line endings", async () => {
    // prepare
    const text = [
      HEADER,
      'Q1,individual,"Line one',
      'line two",,100,,Jilin,true',
      "",
      "Q2,individual,Bob,,100,,Jilin,true",
      "",
      "",
    ].join("\r\n");
    const expected = parseImport(text, "csv");
    // act: every split of the text into two pieces
    for (let cut = 0; cut <= text.length; cut++) {
      const rows = await all(readRowStream(texts(text.slice(0, cut), text.slice(cut)), "csv"));
      // assess
      expect(rows.map((r) => r.line)).toEqual(expected.profiles.map((p) => p.line));
    }
    expect(expected.profiles.map((p) => p.line)).toEqual([3, 5]); // Q1 ends on line 3, Q2 sits on line 5
  });

  it("numbers NDJSON lines as an editor does: blank lines count, CRLF and a BOM are read", async () => {
    // prepare
    const a = JSON.stringify({ customerId: "N1" });
    const text = `\uFEFF${a}\r\n\r\n   \n{not json\r\n${a}`;
    // act: every split of the text into two pieces, the CRLF included
    for (let cut = 0; cut <= text.length; cut++) {
      const rows = await all(readRowStream(texts(text.slice(0, cut), text.slice(cut)), "ndjson"));
      // assess
      expect(rows).toEqual([
        { line: 1, value: { customerId: "N1" } },
        { line: 4, error: "not valid JSON" },
        { line: 5, value: { customerId: "N1" } },
      ]);
    }
  });

  it("rejects an NDJSON line longer than any customer record and goes on with the next", async () => {
    // prepare: a 1 MiB line, given in 64 KiB pieces
    const long = `{"name":"${"x".repeat(MAX_ROW_CHARS)}"}`;
    const text = `${long}\n{"customerId":"N2"}\n`;
    const parts = Array.from({ length: Math.ceil(text.length / 65536) }, (_, i) =>
      text.slice(i * 65536, (i + 1) * 65536),
    );
    // act
    const rows = await all(readRowStream(texts(...parts), "ndjson"));
    // assess
    expect(rows).toEqual([
      { line: 1, error: `line is longer than ${MAX_ROW_CHARS} characters` },
      { line: 2, value: { customerId: "N2" } },
    ]);
  });

  it("refuses a CSV with an unclosed quote as parseImport does", async () => {
    // prepare
    const text = `${HEADER}\nQ1,individual,"Ann,,100,,Jilin,true\n`;
    // act
    const error = await rejection(all(readRowStream(texts(text), "csv")));
    // assess
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.message).toMatch(/^The CSV could not be read/);
  });
});

describe("streamImport", () => {
  it("sends the rows in chunks of chunkRows, as NDJSON, and counts them", async () => {
    // prepare
    const api = fakeApi();
    const bytes = utf8(csvFile(...Array.from({ length: 10 }, (_, i) => row(`S${i}`))));
    // act
    const summary = await run(bytes, "csv", api.send, { chunkRows: 4 }).summary;
    // assess
    expect(api.chunks.map((c) => c.length)).toEqual([4, 4, 2]);
    expect(api.chunks.flat()).toEqual(Array.from({ length: 10 }, (_, i) => `S${i}`));
    expect(summary).toMatchObject({
      rowsRead: 10,
      imported: 10,
      updated: 0,
      unchanged: 0,
      rejected: 0,
      rejectedLines: [],
      encoding: "utf-8",
      bytesRead: bytes.length,
    });
  });

  it("reports CSV rejections on the file's own lines, a quoted line break and blank lines included", async () => {
    // prepare
    const api = fakeApi();
    const text = [
      HEADER, //                                               1
      row("L1"), //                                            2
      'L2,individual,"Two',
      'lines",bad-email,100,,Jilin,true', // 3-4: rejected on 4
      "", //                                                   5
      row("L3"), //                                            6
      "L4,individual,Dan,,-1,,Jilin,true", //                  7: rejected
      row("L5"), //                                            8
    ].join("\n");
    // act
    const { summary, everyRejection } = run(utf8(text), "csv", api.send, { chunkRows: 1 });
    // assess
    expect((await summary).rejectedLines.map((r) => r.line)).toEqual([4, 7]);
    expect(everyRejection).toEqual(parseImport(text, "csv").rejected);
    expect(everyRejection[0].reason).toMatch(/email/);
  });

  it("maps a rejection the API makes in a chunk back to the file's line", async () => {
    // prepare: an API that refuses the second row of every chunk it is sent
    const api = fakeApi();
    const refusing = async (ndjson: string): Promise<ChunkSummary> => {
      const lines = ndjson.split("\n");
      const answer = await api.send([lines[0], "{}", ...lines.slice(2)].join("\n"));
      return { ...answer, rejected: answer.rejected.map((r) => ({ ...r, reason: "refused by the API" })) };
    };
    const text = [
      JSON.stringify({ customerId: "x" }),
      "",
      ...Array.from({ length: 6 }, (_, i) =>
        JSON.stringify({
          customerId: `N${i}`,
          type: "individual",
          name: "N",
          aum: 1,
          region: "Jilin",
          emailConsent: true,
        }),
      ),
    ].join("\n");
    // act: line 1 is refused here; chunks of 3 are lines 3-5 and 6-8
    const { summary, everyRejection } = run(utf8(text), "ndjson", refusing, { chunkRows: 3 });
    const result = await summary;
    // assess
    expect(everyRejection.map((r) => r.line)).toEqual([1, 4, 7]);
    expect(everyRejection.slice(1).map((r) => r.reason)).toEqual(["refused by the API", "refused by the API"]);
    expect(result).toMatchObject({ rowsRead: 7, imported: 4, rejected: 3 });
    expect(balances(result)).toBe(true);
  });

  it("rejects a customerId repeated in a later chunk, naming the line it first appeared on, and never sends it", async () => {
    // prepare
    const api = fakeApi();
    const text = csvFile(row("D1"), row("D2"), row("D3"), row("D4"), row("D1", "Again"));
    // act
    const result = await run(utf8(text), "csv", api.send, { chunkRows: 2 }).summary;
    // assess
    expect(result.rejectedLines).toEqual([{ line: 6, reason: "customerId 'D1' already appears on line 2" }]);
    expect(api.chunks.flat()).toEqual(["D1", "D2", "D3", "D4"]);
    expect(api.stored.get("D1")?.name).toBe("Customer D1");
  });

  it("counts every row exactly once, and a second import of the same file is all unchanged", async () => {
    // prepare: 1,000 rows, every 7th bad, in chunks that do not divide the file
    const lines = Array.from({ length: 1000 }, (_, i) =>
      i % 7 === 0 ? row(`B${i}`, "Bad", ",extra").replace("120000", "lots") : row(`B${i}`),
    );
    const bytes = utf8(csvFile(...lines));
    const api = fakeApi();
    // act
    const first = await run(bytes, "csv", api.send, { chunkRows: 64 }).summary;
    const second = await run(bytes, "csv", api.send, { chunkRows: 64 }).summary;
    // assess
    expect(first).toMatchObject({ rowsRead: 1000, imported: 857, updated: 0, unchanged: 0, rejected: 143 });
    expect(second).toMatchObject({ rowsRead: 1000, imported: 0, updated: 0, unchanged: 857, rejected: 143 });
    expect(balances(first) && balances(second)).toBe(true);
  });

  it("adds up the rows whose consent the customer's withdrawal kept, outside the balance of outcomes", async () => {
    // prepare: an API that kept the consent of every third row of each chunk, which it still counts as unchanged
    const keeping = async (ndjson: string): Promise<ChunkSummary> => {
      const rows = ndjson.split("\n").length;
      return {
        rowsRead: rows,
        imported: 0,
        updated: 0,
        unchanged: rows,
        rejected: [],
        consentKept: Math.ceil(rows / 3),
      };
    };
    // act
    const summary = await run(utf8(csvFile(...Array.from({ length: 10 }, (_, i) => row(`K${i}`)))), "csv", keeping, {
      chunkRows: 4,
    }).summary;
    // assess: chunks of 4, 4 and 2 rows keep 2 + 2 + 1
    expect(summary).toMatchObject({ rowsRead: 10, unchanged: 10, consentKept: 5 });
    expect(balances(summary)).toBe(true);
  });

  it("lists the first listRejected rejections and hands every one, in line order, to onRejected", async () => {
    // prepare
    const api = fakeApi();
    const text = csvFile(
      ...Array.from({ length: 30 }, (_, i) => (i % 2 ? row(`R${i}`) : `R${i},individual,,,100,,Jilin,true`)),
    );
    // act
    const { summary, everyRejection } = run(utf8(text), "csv", api.send, { chunkRows: 4, listRejected: 5 });
    const result = await summary;
    // assess
    expect(result.rejected).toBe(15);
    expect(result.rejectedLines.map((r) => r.line)).toEqual([2, 4, 6, 8, 10]);
    expect(everyRejection.map((r) => r.line)).toEqual(Array.from({ length: 15 }, (_, i) => 2 + 2 * i));
  });

  it("imports a GBK file with Chinese names intact", async () => {
    // prepare
    const api = fakeApi();
    const bytes = gbk(csvFile("G1,individual,张伟,,100,,长春,true", "G2,corporate,吉林陈,,0,,吉林,false"));
    // act
    const result = await run(bytes, "csv", api.send).summary;
    // assess
    expect(result).toMatchObject({ rowsRead: 2, imported: 2, encoding: "gb18030" });
    expect(api.stored.get("G1")).toMatchObject({ name: "张伟", region: "长春" });
    expect(api.stored.get("G2")).toMatchObject({ name: "吉林陈", tier: null });
  });

  it.each([
    ["csv", "\n"],
    ["csv", "\r\n"],
    ["ndjson", "\n"],
    ["ndjson", "\r\n"],
  ] as const)(
    "gives the same result as the single-request import for the same %s file (line ends %j)",
    async (format, eol) => {
      // prepare: good rows, bad rows, repeats far apart, quoted line breaks (CSV) and blank lines
      const rows = Array.from({ length: 400 }, (_, i) => ({
        customerId: `E${i % 350}`,
        type: i % 11 === 0 ? "corporate" : "individual",
        name: i % 13 === 0 ? "" : i % 17 === 0 ? `Two${eol}Lines` : `张 ${i}`,
        email: i % 19 === 0 ? "nope" : `e${i}@example.cn`,
        aum: String((i * 7919) % 4_000_000),
        products: i % 5 === 0 ? "WEALTH_FUND;DEPOSIT_CURRENT" : "",
        region: "Jilin",
        emailConsent: i % 2 ? "true" : "no",
      }));
      const quote = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
      const text =
        format === "csv"
          ? [HEADER, ...rows.map((r, i) => Object.values(r).map(quote).join(",") + (i % 37 === 0 ? eol : ""))].join(eol)
          : rows.map((r, i) => JSON.stringify(r) + (i % 37 === 0 ? eol : "")).join(eol);
      const expected = parseImport(text, format);
      const api = fakeApi();
      // act
      const { summary, everyRejection } = run(utf8(text), format, api.send, { chunkRows: 32 });
      const result = await summary;
      // assess
      expect(everyRejection).toEqual(expected.rejected);
      expect([...api.stored.values()]).toEqual(expected.profiles.map((p) => p.profile));
      expect(result).toMatchObject({
        rowsRead: expected.profiles.length + expected.rejected.length,
        imported: expected.profiles.length,
      });
      expect(balances(result)).toBe(true);
    },
  );

  it("fails when the API answers for a different number of rows than it was sent", async () => {
    // prepare
    const short = async (): Promise<ChunkSummary> => ({
      rowsRead: 1,
      imported: 1,
      updated: 0,
      unchanged: 0,
      rejected: [],
      consentKept: 0,
    });
    // act
    const error = await rejection(run(utf8(csvFile(row("W1"), row("W2"))), "csv", short).summary);
    // assess
    expect(error.message).toBe("The API read 1 rows of a chunk of 2");
  });

  it("passes on the error of a chunk that could not be sent", async () => {
    // prepare
    const failing = async (): Promise<ChunkSummary> => {
      throw new Error("The API answered 400: nope");
    };
    // act
    const error = await rejection(
      run(utf8(csvFile(...Array.from({ length: 20 }, (_, i) => row(`F${i}`)))), "csv", failing, { chunkRows: 3 })
        .summary,
    );
    // assess
    expect(error.message).toBe("The API answered 400: nope");
  });
});
