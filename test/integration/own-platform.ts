import { freePort } from "../../infra/local/emulators.js";
import { type LocalOptions, type LocalPlatform, startLocalPlatform } from "../../infra/local/runtime.js";

/** An API call that must succeed: its JSON body, or the test fails naming the call and the answer. */
export type Call = (method: string, path: string, body?: unknown, token?: string, contentType?: string) => Promise<any>;

export type OwnPlatform = {
  platform: LocalPlatform;
  /** The answer's status and JSON body, whatever the status. */
  request: (
    method: string,
    path: string,
    body?: unknown,
    token?: string,
    contentType?: string,
  ) => Promise<{ status: number; body: any }>;
  call: Call;
  /** Stops the platform and gives the test worker back the environment it had. */
  stop: () => Promise<void>;
};

/**
 * A platform of a test file's own, in the file's process, for settings the shared integration
 * platform must not have (a send rate that bites, low pause thresholds, short visibility
 * timeouts). One per process at a time: the handlers read process.env, which this sets.
 */
export async function startOwnPlatform(
  options: Pick<LocalOptions, "devTokens" | "settings" | "visibilityTimeouts">,
  defaultToken: string,
): Promise<OwnPlatform> {
  const savedEnv = { ...process.env };
  const platform = await startLocalPlatform({
    apiPort: await freePort(),
    dynamodbPort: await freePort(),
    sqsPort: await freePort(),
    sesPort: await freePort(),
    seedDemo: false,
    ...options,
  });
  const request: OwnPlatform["request"] = async (
    method,
    path,
    body,
    token = defaultToken,
    contentType = "application/json",
  ) => {
    const response = await fetch(`${platform.apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": contentType },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    return { status: response.status, body: await response.json() };
  };
  const call: Call = async (method, path, body, token, contentType) => {
    const reply = await request(method, path, body, token, contentType);
    if (reply.status >= 300) throw new Error(`${method} ${path}: ${reply.status} ${JSON.stringify(reply.body)}`);
    return reply.body;
  };
  return {
    platform,
    request,
    call,
    stop: async () => {
      await platform.stop();
      for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
      Object.assign(process.env, savedEnv);
    },
  };
}

/** One NDJSON customer row of a test town: an individual with email consent and a current account. */
export const townCustomer = (town: string, i: number, email: string) =>
  JSON.stringify({
    customerId: `${town.toUpperCase()}-${i}`,
    type: "individual",
    name: `${town} Customer ${i}`,
    email,
    aum: 80_000,
    products: "DEPOSIT_CURRENT",
    region: town,
    emailConsent: true,
  });

/**
 * Imports the rows, saves the segment of their town, creates a wealth-fund campaign for it with
 * no control group, and has the approver approve it; returns the campaign's id, not launched.
 */
export async function approvedCampaignFor(
  call: Call,
  town: string,
  rows: string[],
  tokens: { maker: string; approver: string },
): Promise<string> {
  await call("POST", "/api/customers/import", rows.join("\n"), tokens.maker, "application/x-ndjson");
  const { segmentId } = await call(
    "POST",
    "/api/segments",
    { name: town, rule: { attr: "region", op: "eq", value: town } },
    tokens.maker,
  );
  const { campaignId } = await call(
    "POST",
    "/api/campaigns",
    {
      name: town,
      segmentId,
      offer: { productCode: "WEALTH_FUND" },
      message: { subject: "Hello {{name}}", html: '<a href="{{offerUrl}}">offer</a>', text: "{{offerUrl}}" },
      controlGroupPercent: 0,
    },
    tokens.maker,
  );
  await call("POST", `/api/campaigns/${campaignId}/submit`, undefined, tokens.maker);
  await call("POST", `/api/campaigns/${campaignId}/approve`, undefined, tokens.approver);
  return campaignId;
}
