import { Hono } from "hono";
import { html } from "hono/html";
import { platform } from "../../../shared/adapters/platform.js";
import { Answer } from "../../../shared/domain/delivery.js";
import { ValidationError } from "../../../shared/domain/errors.js";
import { answerOffer, checkUnsubscribeLink, openOffer, unsubscribe } from "../../../shared/domain/respond.js";

const ANSWER_LABELS: Record<Answer, string> = {
  interested: "I'm interested",
  call_me: "Please call me",
  not_now: "Not now",
  unsubscribe: "Stop sending me offers",
};

export const page = (title: string, body: unknown) =>
  html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;color:#1b1b1b}button{display:block;width:100%;margin:.5rem 0;padding:.8rem;font-size:1rem;border-radius:.4rem;border:1px solid #888;background:#f4f4f4;cursor:pointer}button.primary{background:#0b5cad;color:#fff;border-color:#0b5cad}</style>
</head><body>${body}</body></html>`;

/** A body that cannot be read is a client's mistake like any other: 400, never 500. */
async function readAnswer(contentType: string | undefined, read: { json: () => Promise<unknown>; form: () => Promise<Record<string, unknown>> }) {
  const body: unknown = await ((contentType ?? "").includes("application/json") ? read.json() : read.form()).catch(() => ({}));
  const parsed = Answer.safeParse(body && typeof body === "object" ? (body as { answer?: unknown }).answer : undefined);
  if (!parsed.success) throw new ValidationError("answer must be one of interested, call_me, not_now, unsubscribe");
  return parsed.data;
}

const wantsJson = (accept: string | undefined, contentType: string | undefined) =>
  (contentType ?? "").includes("application/json") || ((accept ?? "").includes("application/json") && !(accept ?? "").includes("text/html"));

/** The pages a customer reaches from an email. The signed token is the only credential. */
export const customerPages = new Hono()
  .get("/o/:token", async (c) => {
    const offer = await openOffer(await platform(), c.req.param("token"));
    return c.html(
      page(
        offer.productName,
        html`<h1>${offer.productName}</h1>
<p>${offer.campaignName}</p>
${offer.answer ? html`<p><strong>Your answer: ${ANSWER_LABELS[offer.answer]}.</strong> You can change it below.</p>` : ""}
<form method="post">
${Answer.options.map((a, i) => html`<button type="submit" name="answer" value="${a}"${i === 0 ? html` class="primary"` : ""}>${ANSWER_LABELS[a]}</button>`)}
</form>`,
      ),
    );
  })
  .post("/o/:token", async (c) => {
    const contentType = c.req.header("content-type");
    const answer = await readAnswer(contentType, { json: () => c.req.json(), form: () => c.req.parseBody() });
    await answerOffer(await platform(), c.req.param("token"), answer);
    if (wantsJson(c.req.header("accept"), contentType)) return c.json({ recorded: answer });
    return c.html(
      page(
        "Thank you",
        html`<h1>Thank you</h1><p>${answer === "unsubscribe" ? "You will receive no more offers by email." : answer === "call_me" ? "Your relationship manager will call you." : "Your answer is recorded."}</p>`,
      ),
    );
  })
  .get("/u/:token", async (c) => {
    await checkUnsubscribeLink(await platform(), c.req.param("token"));
    return c.html(
      page("Unsubscribe", html`<h1>Unsubscribe</h1><p>Stop receiving offers by email from us?</p><form method="post"><button type="submit" class="primary">Unsubscribe</button></form>`),
    );
  })
  // RFC 8058 one-click: the mail client POSTs List-Unsubscribe=One-Click; no cookie, no other field needed.
  .post("/u/:token", async (c) => {
    await unsubscribe(await platform(), c.req.param("token"));
    if (wantsJson(c.req.header("accept"), c.req.header("content-type"))) return c.json({ unsubscribed: true });
    return c.html(page("Unsubscribed", html`<h1>You are unsubscribed</h1><p>You will receive no more offers by email.</p>`));
  });
