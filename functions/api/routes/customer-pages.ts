import { createHash } from "node:crypto";
import { Hono } from "hono";
import { html, raw } from "hono/html";
import { Answer } from "../../../shared/customers/answers.js";
import type { Language } from "../../../shared/customers/customer.js";
import { ValidationError } from "../../../shared/kernel/errors.js";
import { answerOffer, linkLanguage, openOffer, pageLanguage, unsubscribe } from "../../../shared/responses/respond.js";
import type { ApiPorts } from "../deps.js";
import { linkTokenOf } from "../link-token.js";

/** What the pages say, in each language a campaign may be written in. */
const TEXT = {
  en: {
    answers: {
      interested: "I'm interested",
      call_me: "Please call me",
      not_now: "Not now",
      unsubscribe: "Stop sending me offers",
    } satisfies Record<Answer, string>,
    yourAnswer: (label: string) => html`<strong>Your answer: ${label}.</strong> You can change it below.`,
    thanks: "Thank you",
    noMoreOffers: "You will receive no more offers by email.",
    willCall: "Your relationship manager will call you.",
    recorded: "Your answer is recorded.",
    unsubscribe: "Unsubscribe",
    unsubscribeQuestion: "Stop receiving offers by email from us?",
    unsubscribed: "You are unsubscribed",
  },
  "zh-CN": {
    answers: {
      interested: "我感兴趣",
      call_me: "请给我回电话",
      not_now: "暂时不需要",
      unsubscribe: "不要再给我发送推荐",
    } satisfies Record<Answer, string>,
    yourAnswer: (label: string) => html`<strong>您的回复：${label}。</strong>您可以在下面修改。`,
    thanks: "谢谢",
    noMoreOffers: "您将不再收到我们的电子邮件推荐。",
    willCall: "您的客户经理会给您回电话。",
    recorded: "您的回复已记录。",
    unsubscribe: "退订",
    unsubscribeQuestion: "不再接收我们的电子邮件推荐？",
    unsubscribed: "您已退订",
  },
} as const satisfies Record<Language, unknown>;

/** The pages' only styling: one inline block, no `style=` attribute anywhere, no script. */
const PAGE_STYLE =
  "body{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;color:#1b1b1b}button{display:block;width:100%;margin:.5rem 0;padding:.8rem;font-size:1rem;border-radius:.4rem;border:1px solid #888;background:#f4f4f4;cursor:pointer}button.primary{background:#0b5cad;color:#fff;border-color:#0b5cad}";

/** The Content-Security-Policy source that allows exactly PAGE_STYLE, computed from the text the pages send. */
export const PAGE_STYLE_HASH = `sha256-${createHash("sha256").update(PAGE_STYLE, "utf8").digest("base64")}`;

export const page = (title: string, body: unknown, language: Language = "en") =>
  html`<!doctype html>
<html lang="${language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>${raw(PAGE_STYLE)}</style>
</head><body>${body}</body></html>`;

/** A body that cannot be read is a client's mistake like any other: 400, never 500. */
async function readAnswer(
  contentType: string | undefined,
  read: { json: () => Promise<unknown>; form: () => Promise<Record<string, unknown>> },
) {
  const body: unknown = await ((contentType ?? "").includes("application/json") ? read.json() : read.form()).catch(
    () => ({}),
  );
  const parsed = Answer.safeParse(body && typeof body === "object" ? (body as { answer?: unknown }).answer : undefined);
  if (!parsed.success) throw new ValidationError("answer must be one of interested, call_me, not_now, unsubscribe");
  return parsed.data;
}

const wantsJson = (accept: string | undefined, contentType: string | undefined) =>
  (contentType ?? "").includes("application/json") ||
  ((accept ?? "").includes("application/json") && !(accept ?? "").includes("text/html"));

/** The pages a customer reaches from an email. The signed token is the only credential. */
export const customerPages = (ports: ApiPorts) =>
  new Hono()
    .get("/o/:token", async (c) => {
      const offer = await openOffer(ports, linkTokenOf(c.req.param("token")));
      const text = TEXT[offer.language];
      return c.html(
        page(
          offer.productName,
          html`<h1>${offer.productName}</h1>
<p>${offer.campaignName}</p>
${offer.answer ? html`<p>${text.yourAnswer(text.answers[offer.answer])}</p>` : ""}
<form method="post">
${Answer.options.map((a, i) => html`<button type="submit" name="answer" value="${a}"${i === 0 ? html` class="primary"` : ""}>${text.answers[a]}</button>`)}
</form>`,
          offer.language,
        ),
      );
    })
    .post("/o/:token", async (c) => {
      const token = linkTokenOf(c.req.param("token"));
      const contentType = c.req.header("content-type");
      const answer = await readAnswer(contentType, { json: () => c.req.json(), form: () => c.req.parseBody() });
      const delivery = await answerOffer(ports, token, answer);
      if (wantsJson(c.req.header("accept"), contentType)) return c.json({ recorded: answer });
      const language = await pageLanguage(ports, delivery);
      const text = TEXT[language];
      const said = answer === "unsubscribe" ? text.noMoreOffers : answer === "call_me" ? text.willCall : text.recorded;
      return c.html(page(text.thanks, html`<h1>${text.thanks}</h1><p>${said}</p>`, language));
    })
    .get("/u/:token", async (c) => {
      const language = await linkLanguage(ports, linkTokenOf(c.req.param("token")), "unsubscribe");
      const text = TEXT[language];
      return c.html(
        page(
          text.unsubscribe,
          html`<h1>${text.unsubscribe}</h1><p>${text.unsubscribeQuestion}</p><form method="post"><button type="submit" class="primary">${text.unsubscribe}</button></form>`,
          language,
        ),
      );
    })
    // RFC 8058 one-click: the mail client POSTs List-Unsubscribe=One-Click; no cookie, no other field needed.
    .post("/u/:token", async (c) => {
      const delivery = await unsubscribe(ports, linkTokenOf(c.req.param("token")));
      if (wantsJson(c.req.header("accept"), c.req.header("content-type"))) return c.json({ unsubscribed: true });
      const language = await pageLanguage(ports, delivery);
      const text = TEXT[language];
      return c.html(page(text.unsubscribed, html`<h1>${text.unsubscribed}</h1><p>${text.noMoreOffers}</p>`, language));
    });
