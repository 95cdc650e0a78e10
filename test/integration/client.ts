import { inject } from "vitest";

export type Role = "marketer" | "approver" | "analyst" | "admin";
/** The test users' bearer tokens, as global-setup.ts gives them to the platform (TEST_TOKENS). */
export const TOKENS: Record<Role, string> = {
  marketer: "it-marketer-token",
  approver: "it-approver-token",
  analyst: "it-analyst-token",
  admin: "it-admin-token",
};

export type Reply<T = any> = { status: number; body: T; text: string; headers: Headers };

/** Calls the running local API as one of the test users (or anonymously). */
export async function api<T = any>(
  method: string,
  path: string,
  as: Role | null,
  body?: unknown,
  contentType = "application/json",
): Promise<Reply<T>> {
  const response = await fetch(`${inject("apiUrl")}${path}`, {
    method,
    headers: {
      ...(as ? { authorization: `Bearer ${TOKENS[as]}` } : {}),
      ...(body !== undefined ? { "content-type": contentType } : {}),
      accept: "application/json",
    },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: response.status, body: parsed as T, text, headers: response.headers };
}

export type InboxEmail = {
  messageId: string;
  from: string;
  destination: { to: string[] };
  subject: string;
  body: { text?: string; html?: string };
};

/** Every email the SES emulator has accepted. */
export async function inbox(): Promise<InboxEmail[]> {
  const response = await fetch(`${inject("inboxUrl")}/store`);
  return ((await response.json()) as { emails: InboxEmail[] }).emails;
}

/** The offer (o), unsubscribe (u) or preference centre (p) link in an email's text. */
export const linkIn = (text: string, kind: "o" | "u" | "p") =>
  new RegExp(`(https?://\\S+/${kind}/[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+)`).exec(text)?.[1];

export async function waitFor<T>(
  what: string,
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 45_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}; last value: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A campaign message whose subject starts with `subject`, so a test finds its emails in the inbox. */
export const messageTitled = (subject: string) => ({
  subject: `${subject}: a {{product}} for you`,
  html: '<p>Dear {{name}}, <a href="{{offerUrl}}">see the offer</a></p>',
  text: "Dear {{name}}, see the offer: {{offerUrl}}",
});

/**
 * Creates a campaign of `productCode` to the segment with no control group, has the marketer
 * submit it, the approver approve it and the marketer launch it, and waits until it completes; its id and final stats.
 */
export async function runCampaign(segmentId: string, subject: string, productCode: string) {
  const created = await api("POST", "/api/campaigns", "marketer", {
    name: `${subject} offer`,
    segmentId,
    offer: { productCode },
    message: messageTitled(subject),
    controlGroupPercent: 0,
  });
  if (created.status !== 201) throw new Error(`Creating the ${subject} campaign: ${JSON.stringify(created.body)}`);
  const campaignId: string = created.body.campaignId;
  for (const [step, role] of [
    ["submit", "marketer"],
    ["approve", "approver"],
    ["launch", "marketer"],
  ] as const) {
    const reply = await api("POST", `/api/campaigns/${campaignId}/${step}`, role);
    if (reply.status !== 200) throw new Error(`${step} of the ${subject} campaign: ${JSON.stringify(reply.body)}`);
  }
  const stats = await waitFor(
    `the ${subject} campaign to complete`,
    () => api("GET", `/api/campaigns/${campaignId}/stats`, "analyst").then((r) => r.body),
    (s) => s.status === "completed",
  );
  return { campaignId, stats };
}
