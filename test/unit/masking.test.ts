import { describe, expect, it } from "vitest";
import { customerView, maskEmail, maskName, maskPhone } from "../../shared/customers/masking.js";
import type { Actor } from "../../shared/kernel/actor.js";

describe("masking contact data", () => {
  it.each([
    ["张伟", "张*"],
    ["欧阳娜娜", "欧***"],
    ["Li Na", "L* N*"],
    ["Songhua Logistics", "S****** L********"],
    ["X", "X*"],
  ])("masks the name %s as %s", (name, masked) => {
    expect(maskName(name)).toBe(masked);
  });

  it.each([
    ["zhangwei@bank.cn", "z***@bank.cn"],
    ["a@b.cn", "a***@b.cn"],
    ["not-an-address", "***"],
  ])("masks the email %s as %s", (email, masked) => {
    expect(maskEmail(email)).toBe(masked);
  });

  it.each([
    ["13812345678", "138****5678"],
    ["+86 13812345678", "+86 138****5678"],
    ["+8613812345678", "+86 138****5678"],
    ["+44 20 7946 0958", "+44 207***0958"],
    ["1234567", "*******"],
  ])("masks the phone %s as %s", (phone, masked) => {
    expect(maskPhone(phone)).toBe(masked);
  });
});

describe("customerView", () => {
  const customer = {
    customerId: "C1",
    name: "张伟",
    email: "zhangwei@bank.cn",
    phone: "13812345678",
    relationshipManager: "chen",
  };
  const as = (name: string, role: Actor["role"]): Actor => ({ name, role });

  it.each([
    ["a marketer", as("mei", "marketer"), true],
    ["an analyst", as("zhou", "analyst"), true],
    ["an approver", as("li", "approver"), true],
    ["an admin", as("root", "admin"), false],
    ["the customer's relationship manager", as("chen", "analyst"), false],
  ])("for %s, masks: %s", (_, actor, masked) => {
    const view = customerView(customer, actor);

    expect(view.masked).toBe(masked);
    expect(view.email === customer.email).toBe(!masked);
    expect(view.name === customer.name).toBe(!masked);
    expect(view.phone === customer.phone).toBe(!masked);
    expect(view.customerId).toBe("C1");
  });

  it("masks for everyone but admin a customer without a relationship manager", () => {
    const view = customerView({ ...customer, relationshipManager: undefined }, as("", "analyst"));

    expect(view.masked).toBe(true);
  });
});
