/** A member of the bank's staff, as the API authenticated them. */
export type Role = "marketer" | "approver" | "analyst" | "admin";
export type Actor = { name: string; role: Role };
