import type { ProductCode } from "../../shared/kernel/products.js";

/**
 * A small, reproducible bank: individuals in every AUM tier and a few corporate clients, most
 * holding one product, as real customer bases do (the problem cross-selling exists to fix).
 * Same seed, same bank.
 */
const SURNAMES = [
  "Wang",
  "Li",
  "Zhang",
  "Liu",
  "Chen",
  "Yang",
  "Zhao",
  "Huang",
  "Zhou",
  "Wu",
  "Xu",
  "Sun",
  "Ma",
  "Zhu",
  "Hu",
];
const GIVEN = [
  "Wei",
  "Fang",
  "Na",
  "Min",
  "Jing",
  "Lei",
  "Qiang",
  "Yan",
  "Jun",
  "Yong",
  "Xiu",
  "Hui",
  "Ping",
  "Gang",
  "Ling",
];
const REGIONS = ["Changchun", "Jilin", "Siping", "Yanbian", "Tonghua"];
const COMPANIES = [
  "Jilin Grain Trading",
  "Changbai Machinery",
  "Songhua Logistics",
  "Northeast Agri Co-op",
  "Yanbian Pharma",
  "Siping Steelworks",
];

function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type DemoCustomer = {
  customerId: string;
  type: "individual" | "corporate";
  name: string;
  email: string;
  aum: number;
  products: string;
  region: string;
  emailConsent: boolean;
  phone: string;
  relationshipManager?: string;
  relationshipManagerName?: string;
  birthDate?: string;
  occupation?: string;
  incomeBand?: string;
  corporateType?: string;
  industry?: string;
  companySize?: string;
};

const OCCUPATIONS = ["teacher", "engineer", "farmer", "civil servant", "doctor", "shop owner", "retired", "driver"];
const CORPORATE_TYPES = ["manufacturer", "trading", "sme", "agricultural", "public_institution", "government"];
/** Each company's industry, in the order of COMPANIES. */
const INDUSTRIES = ["grain trading", "machinery", "logistics", "agriculture", "pharmaceuticals", "steel"];

/** Details drawn from the customer's number, not the random stream, so the bank stays the same bank. */
const personalDetails = (i: number, aum: number) => ({
  birthDate: `${1950 + ((i * 7) % 52)}-${String((i % 12) + 1).padStart(2, "0")}-${String((i % 28) + 1).padStart(2, "0")}`,
  occupation: OCCUPATIONS[i % OCCUPATIONS.length],
  incomeBand:
    aum < 20_000
      ? "below_5k"
      : aum < 100_000
        ? "5k_10k"
        : aum < 500_000
          ? "10k_30k"
          : aum < 3_000_000
            ? "30k_50k"
            : "above_50k",
});
const corporateDetails = (i: number, aum: number, company: number) => ({
  corporateType: CORPORATE_TYPES[i % CORPORATE_TYPES.length],
  industry: INDUSTRIES[company],
  companySize: aum < 1_000_000 ? "micro" : aum < 10_000_000 ? "small" : aum < 30_000_000 ? "medium" : "large",
});

/**
 * Affluent and wealthier customers have a relationship manager; the demo analyst (zhou) is one
 * of them, so the demo shows an RM seeing their own customers' contact data in full.
 */
const RELATIONSHIP_MANAGERS = ["zhou", "chen.rm", "sun.rm"];
/** The names their customers know them by, which the offer page shows (never the sign-in name). */
const RELATIONSHIP_MANAGER_NAMES: Record<string, string> = { zhou: "周经理", "chen.rm": "陈经理", "sun.rm": "孙经理" };
const relationshipManagerOf = (i: number) => {
  const rm = RELATIONSHIP_MANAGERS[i % RELATIONSHIP_MANAGERS.length];
  return { relationshipManager: rm, relationshipManagerName: RELATIONSHIP_MANAGER_NAMES[rm] };
};

export function demoBank(individuals = 300, corporates = 30, seed = 2026): DemoCustomer[] {
  const random = prng(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
  const customers: DemoCustomer[] = [];
  for (let i = 1; i <= individuals; i++) {
    // Spread over the tiers roughly as a branch's book is: most mass, a few high net worth.
    const band = random();
    const aum =
      band < 0.55
        ? Math.round(random() * 49_000)
        : band < 0.8
          ? 50_000 + Math.round(random() * 149_000)
          : band < 0.95
            ? 200_000 + Math.round(random() * 2_700_000)
            : 3_000_000 + Math.round(random() * 20_000_000);
    const products: ProductCode[] = ["DEPOSIT_CURRENT"];
    if (random() < 0.35)
      products.push(
        pick(["DEPOSIT_TIME", "DEBIT_CARD", "CREDIT_CARD", "WEALTH_FUND", "INSURANCE", "MORTGAGE"] as const),
      );
    const name = `${pick(SURNAMES)} ${pick(GIVEN)}`;
    customers.push({
      customerId: `C${String(i).padStart(5, "0")}`,
      type: "individual",
      name,
      email: `${name.toLowerCase().replace(" ", ".")}.${i}@customers.demo-bank.test`,
      aum,
      products: [...new Set(products)].join(";"),
      region: pick(REGIONS),
      emailConsent: random() < 0.85,
      phone: `+86 138${String(i).padStart(8, "0")}`,
      ...(aum >= 200_000 ? relationshipManagerOf(i) : {}),
      ...personalDetails(i, aum),
    });
  }
  for (let i = 1; i <= corporates; i++) {
    const products: ProductCode[] = ["SETTLEMENT"];
    if (random() < 0.3) products.push("REVOLVING_CREDIT");
    // Drawn in the order the bank has always been drawn in: name, balance, region, consent.
    const company = pick(COMPANIES);
    const name = `${company} #${i}`;
    const aum = Math.round(random() * 50_000_000);
    customers.push({
      customerId: `B${String(i).padStart(4, "0")}`,
      type: "corporate",
      name,
      email: `treasury.${i}@corporate.demo-bank.test`,
      aum,
      products: products.join(";"),
      region: pick(REGIONS),
      emailConsent: random() < 0.9,
      phone: `+86 431${String(i).padStart(8, "0")}`,
      ...relationshipManagerOf(i),
      ...corporateDetails(i, aum, COMPANIES.indexOf(company)),
    });
  }
  return customers;
}

/**
 * The same bank a quarter earlier: most balances as today, about one customer in ten richer
 * then (a declining balance now) and one in ten poorer (growing now, some into a higher
 * tier). Imported first, with the clock set back, it gives the demo tier moves and trends.
 */
export function demoBankLastQuarter(bank: DemoCustomer[], seed = 1999): DemoCustomer[] {
  const random = prng(seed);
  return bank.map((customer) => {
    const draw = random();
    const factor = draw < 0.1 ? 1.5 : draw < 0.2 ? 0.55 : 1;
    return { ...customer, aum: Math.round(customer.aum * factor) };
  });
}

export const asNdjson = (customers: DemoCustomer[]) => customers.map((c) => JSON.stringify(c)).join("\n");

export const DEFAULT_DEV_TOKENS =
  "mei:marketer:demo-marketer-token,li:approver:demo-approver-token,zhou:analyst:demo-analyst-token,admin:admin:demo-admin-token";
