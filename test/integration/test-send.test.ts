import { beforeAll, describe, expect, inject, it } from "vitest";
import { DEFAULT_DEV_USERS, parseDevUsers } from "../../infra/local/oidc-provider.js";
import { exchangeCode, signInWithPassword } from "../support/oidc-client.js";
import { api, inbox, waitFor } from "./client.js";

/**
 * A campaign's test email on the local platform: the demo marketer signs in at the local
 * provider (whose token names her address), previews the campaign and sends herself a test in
 * each language; the SES emulator's inbox has them, marked as tests, and the campaign, run
 * afterwards, counts only its customers' emails.
 */
const REGION = "TestSendTown";
const mei = parseDevUsers(DEFAULT_DEV_USERS).find((u) => u.username === "mei")!;

let token: string;
let campaignId: string;

async function asMei(method: string, path: string, body?: unknown) {
  const response = await fetch(`${inject("apiUrl")}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

/** This file's test emails to mei: other files' tests send her some too, into the same inbox. */
const testsToMei = async () =>
  (await inbox()).filter(
    (e) => e.subject.includes("TESTSEND") && e.destination.to.some((to) => to.includes(mei.email!)),
  );

beforeAll(async () => {
  const issuer = (await api("GET", "/health", null)).body.issuer;
  const redirect = `${inject("apiUrl")}/console/callback`;
  const { code, verifier } = await signInWithPassword(issuer, redirect, mei.username, mei.password);
  token = (await exchangeCode(issuer, code!, redirect, verifier)).body.access_token!;

  const file = [
    "customerId,type,name,email,aum,products,region,emailConsent,language",
    `TS-ZH,individual,王芳,wang.fang@testsend.test,250000,DEPOSIT_CURRENT,${REGION},true,zh-CN`,
    `TS-EN,individual,Li Na,li.na@testsend.test,250000,DEPOSIT_CURRENT,${REGION},true,en`,
  ].join("\n");
  await api("POST", "/api/customers/import", "marketer", file, "text/csv");
  const segment = await api("POST", "/api/segments", "marketer", {
    name: REGION,
    rule: { attr: "region", op: "eq", value: REGION },
  });
  const created = await api("POST", "/api/campaigns", "marketer", {
    name: "Test-send fund offer",
    segmentId: segment.body.segmentId,
    offer: { productCode: "WEALTH_FUND" },
    message: { subject: "TESTSEND {{name}}, a {{product}}", html: "<p>{{offerUrl}}</p>", text: "{{offerUrl}}" },
    translations: {
      "zh-CN": { subject: "TESTSEND {{name}}，{{product}}", html: "<p>{{offerUrl}}</p>", text: "{{offerUrl}}" },
    },
    controlGroupPercent: 0,
  });
  campaignId = created.body.campaignId;
});

describe("a campaign's test email, on the local platform", () => {
  it("previews the Chinese version for the Chinese-speaking member, her name masked for a marketer", async () => {
    // act
    const preview = await asMei("GET", `/api/campaigns/${campaignId}/preview?language=zh-CN`);
    // assess
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({
      customerId: "TS-ZH",
      language: "zh-CN",
      subject: "TESTSEND 王*，理财产品",
      languages: ["en", "zh-CN"],
    });
  });

  it("lands in the inbox at the signed-in person's own address, marked [测试] or [TEST] in the email's language", async () => {
    // act
    const zh = await asMei("POST", `/api/campaigns/${campaignId}/test-send`, { language: "zh-CN" });
    const en = await asMei("POST", `/api/campaigns/${campaignId}/test-send`, { language: "en" });
    const emails = await waitFor("both test emails", testsToMei, (found) => found.length === 2);
    // assess
    expect(zh.body).toMatchObject({ to: mei.email, language: "zh-CN" });
    expect(en.body).toMatchObject({ to: mei.email, language: "en" });
    expect(emails.map((e) => e.subject).sort()).toEqual([
      "[TEST] TESTSEND L* N*, a Wealth Management Fund",
      "[测试] TESTSEND 王*，理财产品",
    ]);
    // The links are inert: the offer page refuses the preview's token.
    const offer = /(https?:\/\/\S+\/o\/preview)/.exec(emails[0].body.text ?? "")?.[1];
    expect(offer).toBeDefined();
    expect((await fetch(offer!)).status).toBe(400);
  });

  it("is never counted: the campaign, run afterwards, sends and counts its two customers only", async () => {
    // prepare
    const history = await api("GET", `/api/campaigns/${campaignId}/history`, "analyst");
    // act
    for (const [step, role] of [
      ["submit", "marketer"],
      ["approve", "approver"],
      ["launch", "marketer"],
    ] as const) {
      expect((await api("POST", `/api/campaigns/${campaignId}/${step}`, role)).status).toBe(200);
    }
    const stats = await waitFor(
      "the campaign to complete",
      () => api("GET", `/api/campaigns/${campaignId}/stats`, "analyst").then((r) => r.body),
      (s) => s.status === "completed",
    );
    // assess
    expect(history.body.history.filter((e: { event: string }) => e.event === "test_sent")).toEqual([
      expect.objectContaining({ by: "mei", status: "draft" }),
      expect.objectContaining({ by: "mei", status: "draft" }),
    ]);
    expect(JSON.stringify(history.body)).not.toContain(mei.email);
    expect(stats).toMatchObject({ targeted: 2, sent: 2 });
    expect(await testsToMei()).toHaveLength(2);
  });

  it("answers 422 to a static token, which names no address", async () => {
    // act
    const reply = await api("POST", `/api/campaigns/${campaignId}/test-send`, "marketer", {});
    // assess
    expect(reply.status).toBe(422);
    expect(reply.body.message).toContain("has no email address");
  });
});
