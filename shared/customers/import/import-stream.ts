/**
 * Importing a file of any size through the import API, in chunks, with flat memory: bytes are
 * decoded as they arrive, rows are parsed one at a time, and at most `inFlight` chunks of
 * `chunkRows` rows are held at once. Line numbers are the original file's, and a customerId
 * repeated anywhere in the file is rejected the second time, as a single import would.
 *
 * Pure: no HTTP and no files. The caller passes the bytes and a `send` that posts one chunk
 * (see infra/local/import-cli.ts).
 */
import { once } from "node:events";
import { parse } from "csv-parse";
import { z } from "zod";
import { ValidationError } from "../../kernel/errors.js";
import {
  CSV_OPTIONS,
  type CsvRecord,
  checkRow,
  csvReadError,
  detectEncoding,
  HOW_TO_CONVERT,
  hasNul,
  type ImportEncoding,
  type ImportFormat,
  lfLineEnds,
  ndjsonRow,
  type RawRow,
  type RejectedRow,
  UnsupportedEncodingError,
} from "./import-file.js";

/** How much of the file (from its first non-ASCII byte) decides its encoding. */
export const SNIFF_BYTES = 64 * 1024;
/** A longer row is no customer record (a JSON array on one line, an unclosed quote). */
export const MAX_ROW_CHARS = 1024 * 1024;

export const DEFAULT_CHUNK_ROWS = 2000;
export const DEFAULT_IN_FLIGHT = 2;
export const DEFAULT_LIST_REJECTED = 50;

const ascii = new TextDecoder("utf-8");

/**
 * Decodes a byte stream as UTF-8 or GB18030 (GBK), decided on the first SNIFF_BYTES from the
 * first non-ASCII byte on: a file that starts with thousands of ASCII-only rows is not taken
 * for UTF-8 before any Chinese name has been seen. Bytes that stop decoding later end the
 * import with a ValidationError saying where.
 */
export class ImportTextDecoder {
  #encoding?: ImportEncoding;
  #decoder?: InstanceType<typeof TextDecoder>;
  #sample: Uint8Array[] = [];
  #sampleBytes = 0;
  #offset = 0;

  /** UTF-8 until non-ASCII bytes say otherwise. */
  get encoding(): ImportEncoding {
    return this.#encoding ?? "utf-8";
  }

  write(bytes: Uint8Array): string {
    if (hasNul(bytes)) throw new UnsupportedEncodingError();
    if (this.#decoder) return this.#decode(bytes, true);
    if (this.#sampleBytes === 0) {
      const firstNonAscii = bytes.findIndex((b) => b >= 0x80);
      if (firstNonAscii < 0) {
        this.#offset += bytes.length;
        return ascii.decode(bytes);
      }
      const head = ascii.decode(bytes.subarray(0, firstNonAscii));
      this.#offset += firstNonAscii;
      return head + this.#collect(bytes.subarray(firstNonAscii));
    }
    return this.#collect(bytes);
  }

  end(): string {
    const rest = this.#sampleBytes > 0 ? this.#decide(true) : "";
    return rest + (this.#decoder ? this.#decode(new Uint8Array(0), false) : "");
  }

  #collect(bytes: Uint8Array): string {
    this.#sample.push(bytes);
    this.#sampleBytes += bytes.length;
    return this.#sampleBytes >= SNIFF_BYTES ? this.#decide(false) : "";
  }

  #decide(complete: boolean): string {
    const sample = new Uint8Array(this.#sampleBytes);
    let at = 0;
    for (const part of this.#sample) {
      sample.set(part, at);
      at += part.length;
    }
    this.#sample = [];
    this.#sampleBytes = 0;
    this.#encoding = detectEncoding(sample, complete);
    // A BOM is only a BOM at the very start of the file.
    this.#decoder = new TextDecoder(this.#encoding, { fatal: true, ignoreBOM: this.#offset > 0 });
    return this.#decode(sample, !complete);
  }

  #decode(bytes: Uint8Array, stream: boolean): string {
    try {
      const text = this.#decoder!.decode(bytes, { stream });
      this.#offset += bytes.length;
      return text;
    } catch {
      const name = this.#encoding === "utf-8" ? "UTF-8" : "GBK (GB18030)";
      // Not "rows before it were imported": the rows read since the last chunk went are not sent.
      throw new ValidationError(
        `The file began as ${name} but is not valid ${name} between bytes ${this.#offset} and ${this.#offset + bytes.length}: ` +
          `it mixes encodings; ${HOW_TO_CONVERT}, then import it again`,
      );
    }
  }
}

/** Decoded text, piece by piece, as the bytes arrive. */
export async function* decodeStream(
  bytes: AsyncIterable<Uint8Array>,
  decoder: ImportTextDecoder,
): AsyncGenerator<string> {
  for await (const chunk of bytes) {
    const text = decoder.write(chunk);
    if (text) yield text;
  }
  const rest = decoder.end();
  if (rest) yield rest;
}

/** Rows with the line numbers parseImport would give them, read incrementally. */
export function readRowStream(texts: AsyncIterable<string>, format: ImportFormat): AsyncGenerator<RawRow> {
  return format === "csv" ? csvRows(texts) : ndjsonRows(texts);
}

async function* ndjsonRows(texts: AsyncIterable<string>): AsyncGenerator<RawRow> {
  let line = 0;
  let carry = "";
  let atStart = true;
  let overlong = false; // inside a line already rejected for its length: skip to its end
  const take = (raw: string): RawRow | undefined => {
    line++;
    if (overlong || raw.length > MAX_ROW_CHARS) {
      overlong = false;
      return { line, error: `line is longer than ${MAX_ROW_CHARS} characters` };
    }
    return ndjsonRow(raw.endsWith("\r") ? raw.slice(0, -1) : raw, line);
  };
  for await (let text of texts) {
    if (atStart && text) {
      text = text.replace(/^\uFEFF/, "");
      atStart = false;
    }
    const parts = (carry + text).split("\n");
    carry = parts.pop()!;
    for (const part of parts) {
      const row = take(part);
      if (row) yield row;
    }
    if (carry.length > MAX_ROW_CHARS) {
      overlong = true;
      carry = "";
    }
  }
  if (carry !== "" || overlong) {
    const row = take(carry);
    if (row) yield row;
  }
}

async function* csvRows(texts: AsyncIterable<string>): AsyncGenerator<RawRow> {
  const parser = parse({ ...CSV_OPTIONS, max_record_size: MAX_ROW_CHARS });
  const stop = new AbortController();
  const feeding = (async () => {
    let cr = ""; // a CR that ended the last piece: the next may start with its LF
    for await (const piece of texts) {
      const text = lfLineEnds(cr + piece);
      cr = text.endsWith("\r") ? "\r" : "";
      if (!parser.write(cr ? text.slice(0, -1) : text)) await once(parser, "drain", { signal: stop.signal });
    }
    if (cr) parser.write(cr);
    parser.end();
  })();
  feeding.catch((error: unknown) => {
    if (!stop.signal.aborted) parser.destroy(error as Error);
  });
  try {
    for await (const { record, info } of parser as AsyncIterable<CsvRecord>) yield { line: info.lines, value: record };
  } catch (error) {
    // A broken CSV (an unclosed quote) cannot be resynchronised: the rest of the file is unreadable.
    throw error instanceof ValidationError ? error : csvReadError(error);
  } finally {
    stop.abort();
    parser.destroy();
  }
}

/** What the import API answers for one chunk; parsed, because it crosses HTTP. */
export const ChunkSummary = z.object({
  rowsRead: z.number().int().nonnegative(),
  imported: z.number().int().nonnegative(),
  updated: z.number().int().nonnegative(),
  unchanged: z.number().int().nonnegative(),
  rejected: z.array(z.object({ line: z.number().int().positive(), reason: z.string() })),
  /** Rows whose consent answer gave way to the customer's own withdrawal; counted within the outcomes above. */
  consentKept: z.number().int().nonnegative(),
});
export type ChunkSummary = z.infer<typeof ChunkSummary>;

export type ImportProgress = { bytesRead: number; rowsRead: number; rowsDone: number };

export type StreamImportOptions = {
  format: ImportFormat;
  /** Posts one chunk (NDJSON, one row a line) and answers what the API did with it. */
  send: (ndjson: string) => Promise<ChunkSummary>;
  chunkRows?: number;
  inFlight?: number;
  /** How many rejections the summary lists; every one goes to onRejected. */
  listRejected?: number;
  /** Every rejected row, in line order. */
  onRejected?: (rejected: RejectedRow) => void;
  onProgress?: (progress: ImportProgress) => void;
};

export type StreamImportSummary = {
  rowsRead: number;
  imported: number;
  updated: number;
  unchanged: number;
  rejected: number;
  /** Rows whose consent answer gave way to the customer's own withdrawal: not an outcome of its own, so not in `balances`. */
  consentKept: number;
  /** The first `listRejected` rejections, in line order. */
  rejectedLines: RejectedRow[];
  encoding: ImportEncoding;
  bytesRead: number;
};

/** Every row read is imported, updated, unchanged or rejected: exactly one of them. */
export const balances = (s: StreamImportSummary) => s.imported + s.updated + s.unchanged + s.rejected === s.rowsRead;

type Chunk = { lines: number[]; rows: string[]; rejected: RejectedRow[] };
const emptyChunk = (): Chunk => ({ lines: [], rows: [], rejected: [] });
const NOTHING_SENT: ChunkSummary = { rowsRead: 0, imported: 0, updated: 0, unchanged: 0, rejected: [], consentKept: 0 };

export async function streamImport(
  bytes: AsyncIterable<Uint8Array>,
  options: StreamImportOptions,
): Promise<StreamImportSummary> {
  const chunkRows = options.chunkRows ?? DEFAULT_CHUNK_ROWS;
  const inFlight = options.inFlight ?? DEFAULT_IN_FLIGHT;
  const listRejected = options.listRejected ?? DEFAULT_LIST_REJECTED;
  const decoder = new ImportTextDecoder();
  const summary: StreamImportSummary = {
    rowsRead: 0,
    imported: 0,
    updated: 0,
    unchanged: 0,
    rejected: 0,
    consentKept: 0,
    rejectedLines: [],
    encoding: "utf-8",
    bytesRead: 0,
  };
  let rowsDone = 0;
  const report = () => options.onProgress?.({ bytesRead: summary.bytesRead, rowsRead: summary.rowsRead, rowsDone });

  // Every valid customerId of the file with the line it first appeared on, so that a repeat in a
  // later chunk is still rejected. This is the one thing that grows with the file: O(customers)
  // short strings (about 100 bytes each), which is acceptable; the rows themselves are not kept.
  const firstLine = new Map<string, number>();

  // Chunks in flight, oldest first; they are settled in order, so rejections come out in line order.
  const pending: Promise<{ chunk: Chunk; answer: ChunkSummary }>[] = [];

  const settle = async (next: Promise<{ chunk: Chunk; answer: ChunkSummary }>) => {
    const { chunk, answer } = await next;
    if (answer.rowsRead !== chunk.lines.length) {
      throw new Error(`The API read ${answer.rowsRead} rows of a chunk of ${chunk.lines.length}`);
    }
    const fromApi = answer.rejected.map(({ line, reason }) => {
      const original = chunk.lines[line - 1];
      if (original === undefined)
        throw new Error(`The API rejected line ${line} of a chunk of ${chunk.lines.length} rows`);
      return { line: original, reason };
    });
    summary.imported += answer.imported;
    summary.updated += answer.updated;
    summary.unchanged += answer.unchanged;
    summary.consentKept += answer.consentKept;
    for (const rejected of [...chunk.rejected, ...fromApi].sort((a, b) => a.line - b.line)) {
      summary.rejected++;
      if (summary.rejectedLines.length < listRejected) summary.rejectedLines.push(rejected);
      options.onRejected?.(rejected);
    }
    rowsDone += chunk.lines.length + chunk.rejected.length;
    report();
  };

  const dispatch = async (chunk: Chunk) => {
    const sent = chunk.rows.length > 0 ? options.send(chunk.rows.join("\n")) : Promise.resolve(NOTHING_SENT);
    const next = sent.then((answer) => ({ chunk, answer }));
    next.catch(() => undefined); // awaited in settle; this only keeps an early failure from being "unhandled"
    pending.push(next);
    while (pending.length >= inFlight) await settle(pending.shift()!);
  };

  const counted = async function* () {
    for await (const part of bytes) {
      summary.bytesRead += part.length;
      report();
      yield part;
    }
  };

  let chunk = emptyChunk();
  for await (const raw of readRowStream(decodeStream(counted(), decoder), options.format)) {
    summary.rowsRead++;
    const checked = checkRow(raw, firstLine);
    if (checked.rejected) {
      chunk.rejected.push(checked.rejected);
    } else {
      chunk.lines.push(checked.line);
      chunk.rows.push(JSON.stringify(raw.value));
    }
    if (chunk.rows.length >= chunkRows || chunk.rejected.length >= chunkRows) {
      await dispatch(chunk);
      chunk = emptyChunk();
    }
  }
  if (chunk.rows.length > 0 || chunk.rejected.length > 0) await dispatch(chunk);
  while (pending.length > 0) await settle(pending.shift()!);
  summary.encoding = decoder.encoding;
  return summary;
}

/** The rejections file: one CSV row per rejected line. */
export const REJECTS_CSV_HEADER = "line,reason\n";
export const rejectsCsvRow = ({ line, reason }: RejectedRow) => `${line},"${reason.replace(/"/g, '""')}"\n`;
