import type { Platform } from "../../shared/adapters/platform.js";
import type { Settings } from "../../shared/kernel/settings.js";
import { DEFAULT_TIER_THRESHOLDS } from "../../shared/kernel/tiers.js";

/** A port a test does not expect to be used: any call fails the test, naming the port. */
const unused = (port: string) =>
  new Proxy(
    {},
    { get: (_, method) => () => Promise.reject(new Error(`${port}.${String(method)} is not used by this test`)) },
  );

/** A port implementing only what a test needs; any other method fails the test, naming it. */
export function partOf<T extends object>(port: string, implemented: Partial<T>): T {
  return new Proxy(implemented, {
    get: (target, method) =>
      method in target
        ? (target as Record<string | symbol, unknown>)[method]
        : () => Promise.reject(new Error(`${port}.${String(method)} is not used by this test`)),
  }) as T;
}

const emptySuppressionList: Platform["suppressions"] = {
  suppress: () => Promise.reject(new Error("suppressions.suppress is not used by this test")),
  find: async () => null,
  suppressedAmong: async () => new Set(),
};

export const TEST_SETTINGS: Settings = {
  fanoutShards: 4,
  fanoutPageSize: 100,
  attributionWindowDays: 30,
  linkTtlDays: 30,
  linkSigningSecret: "test-secret-0123456789",
  publicBaseUrl: "https://offers.example.cn",
  tierThresholds: DEFAULT_TIER_THRESHOLDS,
  pauseRecheckSeconds: 60,
  pauseThresholds: { bounceRate: 0.05, complaintRate: 0.001, minSent: 500 },
};

/** A port given to platformWith: a test fakes only the side of a shared adapter (deliveries, queue) it uses. */
type GivenPorts = { [K in Exclude<keyof Platform, "settings">]?: Platform[K] | Partial<Platform[K]> };

/** A Platform with the given ports and a fixed clock; every other port refuses to be called. */
export function platformWith(
  ports: GivenPorts & { settings?: Partial<Settings> },
  now = new Date("2026-06-01T12:00:00.000Z"),
): Platform {
  let ids = 0;
  return {
    customers: unused("customers") as Platform["customers"],
    customerChanges: unused("customerChanges") as Platform["customerChanges"],
    segments: unused("segments") as Platform["segments"],
    segmentExports: unused("segmentExports") as Platform["segmentExports"],
    previews: unused("previews") as Platform["previews"],
    breakdownRuns: unused("breakdownRuns") as Platform["breakdownRuns"],
    campaigns: unused("campaigns") as Platform["campaigns"],
    deliveries: unused("deliveries") as Platform["deliveries"],
    // Nothing has bounced unless a test says so: fan-out and send read the list for every customer.
    suppressions: emptySuppressionList,
    // No brand kit stored unless a test says so: the configured one (or the demo bank's) applies.
    brandKits: partOf<Platform["brandKits"]>("brandKits", { current: async () => null }),
    queue: unused("queue") as Platform["queue"],
    mailer: unused("mailer") as Platform["mailer"],
    deadLetters: unused("deadLetters") as Platform["deadLetters"],
    // No send rate to wait for unless a test says so: every send takes a slot first.
    sendRate: { acquire: async () => true },
    now: () => now,
    newId: () => `id-${++ids}`,
    ...(ports as Partial<Platform>),
    settings: { ...TEST_SETTINGS, ...ports.settings },
  };
}

/**
 * The same platform, with every call to a port's method appended to `calls` as "port.method",
 * in order: the ones a port implements and the ones it refuses alike. The clock, ids and
 * settings are not ports and are not logged.
 */
export function recordingCalls<P extends Platform>(p: P, calls: string[]): P {
  const logged = (port: string, target: object) =>
    new Proxy(target, {
      get: (_, method) => {
        const value = Reflect.get(target, method);
        if (typeof value !== "function") return value;
        return (...args: unknown[]) => {
          calls.push(`${port}.${String(method)}`);
          return value.apply(target, args);
        };
      },
    });
  return Object.fromEntries(
    Object.entries(p).map(([key, value]) => [
      key,
      key !== "settings" && typeof value === "object" && value !== null ? logged(key, value) : value,
    ]),
  ) as P;
}
