import { describe, expect, it } from "vitest";
import { isResidentId } from "../../shared/customers/details.js";
import { CustomerRow, profileFromRow } from "../../shared/customers/import/customer-row.js";
import { customerView, maskIdNumber } from "../../shared/customers/masking.js";
import { ageOn, matches, SegmentRule } from "../../shared/segments/rule.js";
import { aCustomer } from "./fixtures.js";

const individual = {
  customerId: "C1",
  type: "individual",
  name: "Ann",
  aum: "100",
  region: "Jilin",
  emailConsent: "true",
};
const corporate = { ...individual, customerId: "K1", type: "corporate", name: "Grain Co" };
// 11010519491231002X is the standard's worked example of a valid check character.
const VALID_ID = "11010519491231002X";

describe("the six kinds of customer information from an import row", () => {
  it("reads basic, address, events, resources and relationships for an individual", () => {
    const row = CustomerRow.parse({
      ...individual,
      birthDate: "1985-04-12",
      gender: "female",
      occupation: "teacher",
      idType: "resident_id",
      idNumber: VALID_ID,
      address: "吉林省长春市朝阳区人民大街 100 号",
      events: JSON.stringify([{ kind: "complaint", description: "card fee", at: "2026-05-01T09:00:00+08:00" }]),
      deposits: "80000",
      loans: "0",
      incomeBand: "10k_30k",
      creditRating: "AA",
      householdId: "H-17",
      employer: "Jilin University",
    });

    expect(profileFromRow(row)).toMatchObject({
      birthDate: "1985-04-12",
      gender: "female",
      idNumber: VALID_ID,
      deposits: 80_000,
      loans: 0,
      incomeBand: "10k_30k",
      events: [{ kind: "complaint", description: "card fee", at: "2026-05-01T01:00:00.000Z" }],
    });
  });

  it("reads a corporate client's type, industry and size", () => {
    const row = CustomerRow.parse({
      ...corporate,
      corporateType: "manufacturer",
      industry: "machinery",
      companySize: "medium",
      idType: "business_license",
      idNumber: "91220101MA0Y3XXX1K",
    });

    expect(row).toMatchObject({ corporateType: "manufacturer", industry: "machinery", companySize: "medium" });
  });

  it.each([
    ["a malformed birth date", { ...individual, birthDate: "12/04/1985" }, "birthDate", "birthDate must be a date"],
    ["an impossible birth date", { ...individual, birthDate: "1985-02-30" }, "birthDate", "birthDate must be a date"],
    [
      "a wrong check digit",
      { ...individual, idType: "resident_id", idNumber: "110105194912310021" },
      "idNumber",
      "not a valid resident id",
    ],
    ["an id number without its type", { ...individual, idNumber: VALID_ID }, "idType", "idType is required"],
    [
      "a corporate type on an individual",
      { ...individual, corporateType: "sme" },
      "corporateType",
      "for corporate customers only",
    ],
    [
      "a birth date on a corporate client",
      { ...corporate, birthDate: "1990-01-01" },
      "birthDate",
      "for individual customers only",
    ],
    ["negative deposits", { ...individual, deposits: "-1" }, "deposits", "deposits must not be negative"],
    ["an unknown income band", { ...individual, incomeBand: "rich" }, "incomeBand", "incomeBand must be one of"],
    ["events that are not a list", { ...individual, events: "{oops" }, "events", "events must be a JSON array"],
  ])("rejects %s with its own reason", (_, raw, path, message) => {
    const result = CustomerRow.safeParse(raw);

    expect(result.success).toBe(false);
    expect(result.error?.issues).toContainEqual(
      expect.objectContaining({ path: [path], message: expect.stringContaining(message) }),
    );
  });

  it("checks a resident id's check character", () => {
    expect(isResidentId(VALID_ID)).toBe(true);
    expect(isResidentId(VALID_ID.toLowerCase())).toBe(true);
    expect(isResidentId("110105194912310021")).toBe(false);
    expect(isResidentId("11010519491231002")).toBe(false);
  });
});

describe("confidential details", () => {
  it("masks the id number and the address with the contact data", () => {
    const customer = aCustomer({
      idType: "resident_id",
      idNumber: VALID_ID,
      address: "吉林省长春市朝阳区人民大街 100 号",
    });

    const view = customerView(customer, { name: "mei", role: "marketer" });

    expect(view.idNumber).toBe("110***********002X");
    expect(view.address).toBe("吉林省长春市***");
    expect(maskIdNumber("123")).toBe("***");
  });
});

describe("rules over the details", () => {
  const at = new Date("2026-04-12T00:00:00.000Z");
  const young = aCustomer({ customerId: "YOUNG", birthDate: "2000-04-13", incomeBand: "5k_10k" });
  const older = aCustomer({
    customerId: "OLDER",
    birthDate: "1960-04-12",
    incomeBand: "above_50k",
    creditRating: "AAA",
  });
  const maker = aCustomer({
    customerId: "MAKER",
    type: "corporate",
    tier: null,
    corporateType: "manufacturer",
    industry: "machinery",
    companySize: "medium",
    loans: 0,
  });
  const who = (rule: unknown) =>
    [young, older, maker].filter((c) => matches(SegmentRule.parse(rule), c, { at })).map((c) => c.customerId);

  it("derives age in whole years, the birthday itself included", () => {
    expect(ageOn("2000-04-13", at)).toBe(25);
    expect(ageOn("1960-04-12", at)).toBe(66);
    expect(who({ attr: "age", op: "gte", value: 26 })).toEqual(["OLDER"]);
    expect(who({ attr: "age", op: "exists", value: false })).toEqual(["MAKER"]);
  });

  it("finds corporate clients by type, industry and size, and individuals by income and rating", () => {
    expect(
      who({
        all: [
          { attr: "corporateType", op: "eq", value: "manufacturer" },
          { attr: "companySize", op: "in", value: ["medium", "large"] },
          { attr: "loans", op: "eq", value: 0 },
        ],
      }),
    ).toEqual(["MAKER"]);
    expect(who({ attr: "industry", op: "eq", value: "machinery" })).toEqual(["MAKER"]);
    expect(who({ attr: "incomeBand", op: "in", value: ["30k_50k", "above_50k"] })).toEqual(["OLDER"]);
    expect(SegmentRule.safeParse({ attr: "corporateType", op: "eq", value: "bank" }).success).toBe(false);
  });
});
