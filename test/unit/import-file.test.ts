import { describe, expect, it } from "vitest";
import {
  decodeImport,
  detectEncoding,
  importFormatFor,
  parseImport,
  UnsupportedEncodingError,
} from "../../shared/customers/import/import-file.js";
import { ValidationError } from "../../shared/kernel/errors.js";
import { concat, gbk, utf8 } from "../support/gbk.js";
import { thrownBy } from "./fixtures.js";

const HEADER = "customerId,type,name,email,aum,products,region,emailConsent";
const csv = (...lines: string[]) => lines.join("\n");
const ndjson = (...lines: (object | string)[]) =>
  lines.map((l) => (typeof l === "string" ? l : JSON.stringify(l))).join("\n");

const goodJson = {
  customerId: "N-1",
  type: "individual",
  name: "Li Wei",
  email: "li.wei@example.cn",
  aum: 250_000,
  products: ["WEALTH_FUND"],
  region: "Changchun",
  emailConsent: true,
};

/** What a row that states only email consent, and no language or time zone, is given. */
const importDefaults = {
  events: [],
  language: "zh-CN",
  timeZone: "Asia/Shanghai",
  statedConsent: { channels: { email: true }, categories: {}, source: "import", ownProof: false },
};

const _rejectionAt = (result: ReturnType<typeof parseImport>, line: number) =>
  result.rejected.find((r) => r.line === line);

describe("parseImport (CSV)", () => {
  it("reads good rows into profiles with their editor line numbers", () => {
    // prepare
    const text = csv(
      HEADER,
      "C1,individual,Wang Fang,wang@example.cn,120000,DEPOSIT_CURRENT,Jilin,true",
      "C2,corporate,Jilin Grain Trading Co,finance@grain.example.cn,0,SETTLEMENT,Changchun,yes",
    );
    // act
    const result = parseImport(text, "csv");
    // assess
    expect(result.rejected).toEqual([]);
    expect(result.profiles).toEqual([
      {
        line: 2,
        profile: {
          customerId: "C1",
          type: "individual",
          name: "Wang Fang",
          email: "wang@example.cn",
          aum: 120_000,
          tier: "mass_affluent",
          products: ["DEPOSIT_CURRENT"],
          region: "Jilin",
          emailConsent: true,
          ...importDefaults,
        },
      },
      {
        line: 3,
        profile: {
          customerId: "C2",
          type: "corporate",
          name: "Jilin Grain Trading Co",
          email: "finance@grain.example.cn",
          aum: 0,
          tier: null,
          products: ["SETTLEMENT"],
          region: "Changchun",
          emailConsent: true,
          ...importDefaults,
        },
      },
    ]);
  });

  it.each([
    ["bad email", "C1,individual,Ann,not-an-email,100,,Jilin,true", /email/],
    ["negative aum", "C1,individual,Ann,ann@example.cn,-5,,Jilin,true", /aum.*negative/],
    ["non-numeric aum", "C1,individual,Ann,ann@example.cn,lots,,Jilin,true", /aum.*number/],
    ["unknown product code", "C1,individual,Ann,ann@example.cn,100,CREDIT_CARD;GOLD_BAR,Jilin,true", /GOLD_BAR/],
    ["missing name", "C1,individual,,ann@example.cn,100,,Jilin,true", /name/],
    ["bad emailConsent", "C1,individual,Ann,ann@example.cn,100,,Jilin,maybe", /emailConsent/],
    ["unknown customer type", "C1,person,Ann,ann@example.cn,100,,Jilin,true", /type/],
    ["missing region", "C1,individual,Ann,ann@example.cn,100,,,true", /region/],
  ])("rejects a row with %s on its own line, with a reason", (_, badRow, reason) => {
    // prepare: the bad row sits on line 3, between two good rows
    const text = csv(
      HEADER,
      "G1,individual,Good One,g1@example.cn,10,,Jilin,true",
      badRow,
      "G2,individual,Good Two,g2@example.cn,20,,Jilin,false",
    );
    // act
    const result = parseImport(text, "csv");
    // assess
    expect(result.rejected).toHaveLength(1);
    expect(result.rejected[0].line).toBe(3);
    expect(result.rejected[0].reason).toMatch(reason);
    expect(result.profiles.map((p) => [p.line, p.profile.customerId])).toEqual([
      [2, "G1"],
      [4, "G2"],
    ]);
  });

  it("says what emailConsent accepts when the value is not a yes/no", () => {
    // prepare
    const text = csv(HEADER, "C1,individual,Ann,ann@example.cn,100,,Jilin,maybe");
    // act
    const result = parseImport(text, "csv");
    // assess: "Invalid input" alone does not tell the marketer how to fix the file
    expect(result.rejected[0].reason).toMatch(/emailConsent must be true or false/);
  });

  it("rejects an empty aum instead of reading it as 0", () => {
    // prepare: a missing balance is missing data, not a zero balance (the bank checks completeness)
    const text = csv(HEADER, "C1,individual,Ann,ann@example.cn,,,Jilin,true");
    // act
    const result = parseImport(text, "csv");
    // assess
    expect(result.profiles).toEqual([]);
    expect(result.rejected).toEqual([{ line: 2, reason: expect.stringMatching(/aum/) }]);
  });

  it("rejects a repeated customerId, naming the line where it first appears", () => {
    // prepare
    const text = csv(
      HEADER,
      "C1,individual,Ann,ann@example.cn,100,,Jilin,true",
      "C2,individual,Bob,bob@example.cn,100,,Jilin,true",
      "C1,individual,Ann Again,ann2@example.cn,900000,,Jilin,true",
    );
    // act
    const result = parseImport(text, "csv");
    // assess
    expect(result.profiles.map((p) => p.profile.customerId)).toEqual(["C1", "C2"]);
    expect(result.profiles[0].profile.name).toBe("Ann");
    expect(result.rejected).toHaveLength(1);
    expect(result.rejected[0].line).toBe(4);
    expect(result.rejected[0].reason).toContain("C1");
    expect(result.rejected[0].reason).toMatch(/line 2\b/);
  });

  it("reports every bad row and keeps every good row of a mixed file", () => {
    // prepare
    const text = csv(
      HEADER,
      "C1,individual,Ann,bad-email,100,,Jilin,true",
      "C2,individual,Bob,bob@example.cn,100,,Jilin,true",
      "C3,individual,Cy,cy@example.cn,-1,,Jilin,true",
      "C4,individual,Di,di@example.cn,100,,Jilin,true",
    );
    // act
    const result = parseImport(text, "csv");
    // assess
    expect(result.rejected.map((r) => r.line)).toEqual([2, 4]);
    expect(result.profiles.map((p) => p.profile.customerId)).toEqual(["C2", "C4"]);
  });

  it("reads a file with a BOM, a padded header and blank lines, counting lines as an editor does", () => {
    // prepare
    const text =
      "\uFEFF" +
      csv(
        " customerId , type ,name,email,aum,products,region,emailConsent",
        "",
        "C1,individual,Ann,ann@example.cn,100,,Jilin,true",
        "",
        "",
        "C2,individual,Bob,not-an-email,100,,Jilin,true",
        "C3,individual,Cy,cy@example.cn,100,,Jilin,true",
        "",
      );
    // act
    const result = parseImport(text, "csv");
    // assess
    expect(result.profiles.map((p) => [p.line, p.profile.customerId])).toEqual([
      [3, "C1"],
      [7, "C3"],
    ]);
    expect(result.rejected.map((r) => r.line)).toEqual([6]);
  });

  it("reads Windows line endings", () => {
    // prepare
    const text = [
      HEADER,
      "C1,individual,Ann,ann@example.cn,100,,Jilin,true",
      "C2,individual,Bob,x,100,,Jilin,true",
    ].join("\r\n");
    // act
    const result = parseImport(text, "csv");
    // assess
    expect(result.profiles.map((p) => p.profile.region)).toEqual(["Jilin"]);
    expect(result.rejected.map((r) => r.line)).toEqual([3]);
  });

  it("gives individuals their tier and corporate customers none", () => {
    // prepare
    const text = csv(
      HEADER,
      "I1,individual,Ann,ann@example.cn,3000000,,Jilin,true",
      "K1,corporate,Big Steel Works,cfo@steel.example.cn,3000000,,Jilin,true",
    );
    // act
    const result = parseImport(text, "csv");
    // assess
    expect(result.profiles.map((p) => p.profile.tier)).toEqual(["high_net_worth", null]);
  });

  it("tiers individuals with the configured thresholds", () => {
    // prepare
    const text = csv(HEADER, "I1,individual,Ann,ann@example.cn,60000,,Jilin,true");
    // act
    const result = parseImport(text, "csv", [100_000, 500_000, 5_000_000]);
    // assess
    expect(result.profiles[0].profile.tier).toBe("mass");
  });

  it("de-duplicates and sorts a customer's products", () => {
    // prepare
    const text = csv(
      HEADER,
      "C1,individual,Ann,ann@example.cn,100, MORTGAGE;CREDIT_CARD; MORTGAGE ;;DEPOSIT_TIME,Jilin,true",
    );
    // act
    const result = parseImport(text, "csv");
    // assess
    expect(result.profiles[0].profile.products).toEqual(["CREDIT_CARD", "DEPOSIT_TIME", "MORTGAGE"]);
  });

  it("takes an empty email as no email address, not as a bad one", () => {
    // prepare
    const text = csv(HEADER, "C1,individual,Ann,,100,,Jilin,true");
    // act
    const result = parseImport(text, "csv");
    // assess
    expect(result.rejected).toEqual([]);
    expect(result.profiles[0].profile.email).toBeUndefined();
  });

  it.each([
    ["true", true],
    ["TRUE", true],
    ["yes", true],
    ["1", true],
    ["false", false],
    ["No", false],
    ["0", false],
  ])("reads emailConsent %s as %s", (text, expected) => {
    // prepare
    const file = csv(HEADER, `C1,individual,Ann,ann@example.cn,100,,Jilin,${text}`);
    // act
    const result = parseImport(file, "csv");
    // assess
    expect(result.profiles[0].profile.emailConsent).toBe(expected);
  });

  it("refuses a CSV it cannot read at all with a ValidationError", () => {
    // prepare: an unclosed quote
    const text = csv(HEADER, 'C1,individual,"Ann,ann@example.cn,100,,Jilin,true');
    // act
    const error = thrownBy(() => parseImport(text, "csv"));
    // assess
    expect(error).toBeInstanceOf(ValidationError);
  });
});

describe("parseImport (NDJSON)", () => {
  it("reads good rows with typed values and products given as an array", () => {
    // prepare
    const text = ndjson(goodJson, {
      ...goodJson,
      customerId: "N-2",
      type: "corporate",
      products: ["SETTLEMENT", "SETTLEMENT"],
    });
    // act
    const result = parseImport(text, "ndjson");
    // assess
    expect(result.rejected).toEqual([]);
    expect(result.profiles).toEqual([
      { line: 1, profile: { ...goodJson, ...importDefaults, tier: "affluent" } },
      {
        line: 2,
        profile: {
          ...goodJson,
          ...importDefaults,
          customerId: "N-2",
          type: "corporate",
          products: ["SETTLEMENT"],
          tier: null,
        },
      },
    ]);
  });

  it("rejects a line that is not JSON and goes on with the next", () => {
    // prepare
    const text = ndjson(goodJson, '{"customerId": "N-2", "type":', { ...goodJson, customerId: "N-3" });
    // act
    const result = parseImport(text, "ndjson");
    // assess
    expect(result.rejected).toEqual([{ line: 2, reason: expect.stringMatching(/JSON/) }]);
    expect(result.profiles.map((p) => [p.line, p.profile.customerId])).toEqual([
      [1, "N-1"],
      [3, "N-3"],
    ]);
  });

  it.each([
    ["bad email", { email: "nope" }, /email/],
    ["negative aum", { aum: -1 }, /aum/],
    ["non-numeric aum", { aum: "a lot" }, /aum/],
    ["unknown product code", { products: ["GOLD_BAR"] }, /GOLD_BAR/],
    ["missing name", { name: undefined }, /name/],
    ["blank name", { name: "   " }, /name/],
    ["bad emailConsent", { emailConsent: "sometimes" }, /emailConsent/],
  ])("rejects a row with %s on its own line", (_, change, reason) => {
    // prepare: blank line 2 still counts, so the bad row is on line 4
    const text = ndjson(
      goodJson,
      "",
      { ...goodJson, customerId: "N-2" },
      { ...goodJson, customerId: "N-3", ...change },
    );
    // act
    const result = parseImport(text, "ndjson");
    // assess
    expect(result.rejected).toEqual([{ line: 4, reason: expect.stringMatching(reason) }]);
    expect(result.profiles.map((p) => p.line)).toEqual([1, 3]);
  });

  it("rejects a JSON line that is not an object", () => {
    // prepare
    const text = ndjson(goodJson, "42", "null");
    // act
    const result = parseImport(text, "ndjson");
    // assess
    expect(result.rejected.map((r) => r.line)).toEqual([2, 3]);
    expect(result.profiles).toHaveLength(1);
  });

  it("rejects a null aum instead of reading it as 0", () => {
    // prepare
    const text = ndjson({ ...goodJson, aum: null });
    // act
    const result = parseImport(text, "ndjson");
    // assess
    expect(result.profiles).toEqual([]);
    expect(result.rejected).toEqual([{ line: 1, reason: expect.stringMatching(/aum/) }]);
  });

  it("rejects a repeated customerId, naming the first line", () => {
    // prepare
    const text = ndjson(goodJson, { ...goodJson, customerId: "N-2" }, { ...goodJson, name: "Someone Else" });
    // act
    const result = parseImport(text, "ndjson");
    // assess
    expect(result.profiles.map((p) => p.profile.customerId)).toEqual(["N-1", "N-2"]);
    expect(result.rejected).toEqual([{ line: 3, reason: expect.stringMatching(/N-1.*line 1\b/) }]);
  });

  it("reads Windows line endings and skips blank lines without renumbering", () => {
    // prepare
    const text = [JSON.stringify(goodJson), "", "   ", JSON.stringify({ ...goodJson, customerId: "N-2" }), ""].join(
      "\r\n",
    );
    // act
    const result = parseImport(text, "ndjson");
    // assess
    expect(result.rejected).toEqual([]);
    expect(result.profiles.map((p) => p.line)).toEqual([1, 4]);
  });

  it("reads a file that starts with a BOM", () => {
    // prepare: editors on Windows save UTF-8 with a BOM; the CSV reader already strips it
    const text = `\uFEFF${ndjson(goodJson)}`;
    // act
    const result = parseImport(text, "ndjson");
    // assess
    expect(result.rejected).toEqual([]);
    expect(result.profiles.map((p) => p.profile.customerId)).toEqual(["N-1"]);
  });
});

describe("importFormatFor", () => {
  it.each([
    ["text/csv", "csv"],
    ["text/csv; charset=utf-8", "csv"],
    ["TEXT/CSV", "csv"],
    ["application/x-ndjson", "ndjson"],
    ["application/ndjson", "ndjson"],
  ])("maps %s to %s", (contentType, expected) => {
    // prepare / act
    const format = importFormatFor(contentType);
    // assess
    expect(format).toBe(expected);
  });

  it.each([["application/json"], ["text/plain"], [""], [undefined]])(
    "refuses content type %s with a ValidationError that names text/csv",
    (contentType) => {
      // prepare / act
      const error = thrownBy(() => importFormatFor(contentType));
      // assess
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).message).toContain("text/csv");
      expect((error as ValidationError).status).toBe(400);
    },
  );
});

describe("parseImport line numbers", () => {
  it("counts a quoted line break in a Windows (CRLF) file as one line", () => {
    // prepare: the quoted name spans lines 2-3; the next row is on line 4
    const text = [
      HEADER,
      'W1,individual,"Two',
      'lines",,100,,Jilin,true',
      "W2,individual,Ann,bad,100,,Jilin,true",
    ].join("\r\n");
    // act
    const result = parseImport(text, "csv");
    // assess
    expect(result.profiles.map((p) => p.line)).toEqual([3]);
    expect(result.rejected.map((r) => r.line)).toEqual([4]);
  });
});

describe("decodeImport (the encoding of a whole file)", () => {
  it("reads GBK, the encoding Chinese core-banking exports use, and says so", () => {
    // prepare: "张伟" is d5 c5 ce b0 in GBK
    const bytes = gbk(`${HEADER}\nG1,individual,张伟,zw@example.cn,100,,长春,true`);
    // act
    const { text, encoding } = decodeImport(bytes);
    // assess
    expect(encoding).toBe("gb18030");
    expect(parseImport(text, "csv").profiles[0].profile).toMatchObject({ name: "张伟", region: "长春" });
  });

  it("reads a GBK name whose second byte is an ASCII letter (a traditional character)", () => {
    // prepare: 陳 is ea 90, and 陳a puts 0x61 right after a GBK lead byte
    const bytes = gbk(`${HEADER}\nG1,individual,陳a,,100,,Jilin,true`);
    // act
    const { text, encoding } = decodeImport(bytes);
    // assess
    expect(encoding).toBe("gb18030");
    expect(text).toContain("陳a");
  });

  it("reads UTF-8, and drops its byte-order mark", () => {
    // prepare
    const bytes = concat(
      Uint8Array.of(0xef, 0xbb, 0xbf),
      utf8(`${HEADER}\nU1,individual,张伟,zw@example.cn,100,,长春,true`),
    );
    // act
    const { text, encoding } = decodeImport(bytes);
    // assess
    expect(encoding).toBe("utf-8");
    expect(text.startsWith("customerId,")).toBe(true);
    expect(parseImport(text, "csv").profiles[0].profile.name).toBe("张伟");
  });

  it("takes plain ASCII as UTF-8", () => {
    // prepare / act / assess
    expect(detectEncoding(utf8(`${HEADER}\nA1,individual,Ann,,100,,Jilin,true`))).toBe("utf-8");
  });

  it.each([
    [
      "Latin-1 text (José, then a comma)",
      Uint8Array.from([...utf8("C1,individual,Jos"), 0xe9, ...utf8(",,100,,Jilin,true")]),
    ],
    [
      "a spreadsheet (a zip archive)",
      Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0xff, 0xd8, 0xff, 0xe0]),
    ],
    ["UTF-16 with a byte-order mark", Uint8Array.from([0xff, 0xfe, 0x43, 0x00, 0x31, 0x00])],
    ["UTF-16 without a byte-order mark (NUL bytes)", Uint8Array.from([0x43, 0x00, 0x31, 0x00, 0x2c, 0x00])],
  ])("refuses %s with a 400 that says how to convert the file", (_, bytes) => {
    // prepare / act
    const error = thrownBy(() => decodeImport(bytes));
    // assess
    expect(error).toBeInstanceOf(UnsupportedEncodingError);
    expect((error as ValidationError).status).toBe(400);
    expect((error as ValidationError).message).toMatch(/neither UTF-8 nor GBK.*iconv -f GBK -t UTF-8/);
  });

  it("judges a prefix cut in the middle of a character without refusing it", () => {
    // prepare: "张伟" cut after its first byte in UTF-8 (e5 bc a0 e4 bc 9f) and in GBK (d5 c5 ce b0)
    const utf8Prefix = utf8("Name 张伟").subarray(0, 6);
    const gbkPrefix = gbk("Name 张伟").subarray(0, 8);
    // act / assess
    expect(detectEncoding(utf8Prefix, false)).toBe("utf-8");
    expect(detectEncoding(gbkPrefix, false)).toBe("gb18030");
  });
});
