import { type Context, Hono } from "hono";
import { html } from "hono/html";
import { Answer, CallTime } from "../../../shared/customers/answers.js";
import {
  Channel,
  PREFERENCE_CATEGORIES,
  type PreferenceCategory,
  type Preferences,
} from "../../../shared/customers/consent.js";
import type { BrandKit } from "../../../shared/kernel/brand.js";
import { say } from "../../../shared/kernel/copy/say.js";
import {
  ExpiredLinkError,
  ExpiredLinkOptInError,
  LinkStillValidError,
  ValidationError,
} from "../../../shared/kernel/errors.js";
import type { Language } from "../../../shared/kernel/language.js";
import { INTERESTED_CONTACT_WORKING_DAYS, NOT_NOW_QUIET_DAYS } from "../../../shared/responses/next-steps.js";
import {
  type Choice,
  changePreferences,
  openPreferences,
  optOut,
  type PreferencesView,
} from "../../../shared/responses/preferences.js";
import { type RenewableLink, type RenewalOutcome, renewLink } from "../../../shared/responses/renew.js";
import {
  type AnswerView,
  answerOffer,
  expiredLinkLanguage,
  type OfferView,
  openOffer,
  openUnsubscribe,
  pageLanguage,
  unsubscribe,
} from "../../../shared/responses/respond.js";
import type { ApiPorts } from "../deps.js";
import { linkTokenOf } from "../link-token.js";
import type { ApiEnv } from "../router.js";
import { brandWords, page, sayWithHotline, sentences } from "./customer-page-layout.js";

/** A body that cannot be read is a client's mistake like any other: 400, never 500. */
async function readAnswer(
  contentType: string | undefined,
  read: { json: () => Promise<unknown>; form: () => Promise<Record<string, unknown>> },
) {
  const body: unknown = await ((contentType ?? "").includes("application/json") ? read.json() : read.form()).catch(
    () => ({}),
  );
  const fields = (body && typeof body === "object" ? body : {}) as { answer?: unknown; callTime?: unknown };
  const answer = Answer.safeParse(fields.answer);
  if (!answer.success) throw new ValidationError("answer must be one of interested, call_me, not_now, unsubscribe");
  if (fields.callTime === undefined || fields.callTime === "") return { answer: answer.data };
  const callTime = CallTime.safeParse(fields.callTime);
  if (!callTime.success) throw new ValidationError("callTime must be one of morning, afternoon, evening");
  return { answer: answer.data, callTime: callTime.data };
}

const wantsJson = (accept: string | undefined, contentType: string | undefined) =>
  (contentType ?? "").includes("application/json") ||
  ((accept ?? "").includes("application/json") && !(accept ?? "").includes("text/html"));

/** The offer: its customer-facing title and description, the product's details, the risk statement, the answers. */
function offerBody(brand: BrandKit, offer: OfferView) {
  const { language: l, product } = offer;
  const answerLabel = (a: Answer) => say(l, `answer.${a}`);
  return html`<h1>${offer.title}</h1>
${offer.description ? html`<p class="lead">${offer.description}</p>` : ""}
<h2>${say(l, "offer.details")}</h2>
<dl><dt>${say(l, "offer.product")}</dt><dd>${product.name}</dd><dt>${say(l, "offer.kind")}</dt><dd>${say(l, `kind.${product.kind}`)}</dd>${
    product.riskLevel
      ? html`<dt>${say(l, "offer.riskLevel")}</dt><dd>${say(l, "offer.riskLevelValue", { level: product.riskLevel, label: say(l, `risk.${product.riskLevel}`) })}</dd>`
      : ""
  }</dl>
${product.investment ? html`<section class="risk" aria-label="${say(l, "offer.riskTitle")}"><h2>${say(l, "offer.riskTitle")}</h2><p>${say(l, "offer.riskStatement")}</p></section>` : ""}
${
  offer.answer
    ? html`<p class="note"><strong>${say(l, "offer.yourAnswer", { answer: answerLabel(offer.answer) })}</strong>${l === "zh-CN" ? "" : " "}${sentences(
        l,
        offer.callTime ? say(l, "answered.callTimeChosen", { time: say(l, `callTime.${offer.callTime}`) }) : "",
        say(l, "offer.changeBelow"),
      )}</p>`
    : ""
}
<form method="post"><fieldset><legend>${say(l, "offer.question")}</legend>
${Answer.options.map((a, i) => html`<button type="submit" name="answer" value="${a}"${i === 0 ? html` class="primary"` : ""}>${answerLabel(a)}</button>`)}
</fieldset></form>
${offer.relationshipManager ? html`<p>${say(l, "offer.relationshipManager", { name: offer.relationshipManager })}</p>` : ""}
<p>${sayWithHotline(brand, l, "offer.questions")}</p>`;
}

/** The choice of a time of day, posted with call_me again. */
function callTimeForm(language: Language, chosen?: CallTime) {
  return html`<form method="post"><input type="hidden" name="answer" value="call_me"><fieldset><legend>${say(language, chosen ? "answered.callTimeChange" : "answered.callTimeQuestion")}</legend>
${CallTime.options.map((t) => html`<button type="submit" name="callTime" value="${t}"${t === chosen ? html` class="primary" aria-pressed="true"` : ""}>${say(language, `callTimeOption.${t}`)}</button>`)}
</fieldset></form>`;
}

/** After an answer: what happens next, in the customer's language. */
function answeredBody(brand: BrandKit, view: AnswerView, offerPath: string) {
  const { language: l } = view;
  const words = brandWords(brand, l);
  const title = say(l, view.answer === "unsubscribe" ? "unsubscribed.title" : "answered.title");
  const next = {
    interested: () =>
      html`<p>${say(l, "answered.recorded")}</p><p class="note">${say(l, "answered.interested", { days: INTERESTED_CONTACT_WORKING_DAYS })}</p>`,
    call_me: () =>
      html`<p class="note">${sentences(
        l,
        say(l, "answered.callMe"),
        view.callTime ? say(l, "answered.callTimeChosen", { time: say(l, `callTime.${view.callTime}`) }) : "",
      )}</p>${callTimeForm(l, view.callTime)}`,
    not_now: () =>
      html`<p>${say(l, "answered.recorded")}</p><p class="note">${say(l, "answered.notNow", { product: view.product.name, days: NOT_NOW_QUIET_DAYS })}</p>`,
    unsubscribe: () => html`<p class="note">${say(l, "unsubscribed.body", words)}</p>`,
  }[view.answer];
  // Once unsubscribed, another answer on the offer page would not bring the emails back: no such link then.
  const changeMind =
    view.answer === "unsubscribe" ? "" : html`<p><a href="${offerPath}">${say(l, "answered.changeMind")}</a></p>`;
  return html`<h1>${title}</h1>${next()}${changeMind}
${preferencesLink(l, view.preferencesToken)}
<p>${sayWithHotline(brand, l, "offer.questions")}</p>`;
}

/** The way to the preference centre from the pages after an answer and the unsubscribe pages. */
const preferencesLink = (language: Language, token: string) =>
  html`<p><a href="/p/${token}">${say(language, "preferences.link")}</a></p>`;

/**
 * A preference form names every choice: a checked box posts "yes", an unchecked one nothing.
 * The hidden `form` field tells such a form from a post that names none (which would otherwise
 * read as "everything off").
 */
async function readPreferences(form: () => Promise<Record<string, unknown>>): Promise<Preferences> {
  const fields = await form().catch(() => ({}) as Record<string, unknown>);
  if (fields.form !== "preferences")
    throw new ValidationError("Post the preference centre's own form: it names every channel and category");
  const on = (name: string) => fields[name] === "yes";
  return {
    channels: { email: on("email"), sms: on("sms"), phone: on("phone") },
    categories: {
      deposits: on("deposits"),
      wealth: on("wealth"),
      asset: on("asset"),
      intermediary: on("intermediary"),
    },
  };
}

/**
 * The preference centre: a box for each channel and each kind of product, in two fieldsets with
 * their legends, and after a save what it did. No script: the boxes and the button are the
 * browser's own, reachable by keyboard.
 */
function preferencesBody(brand: BrandKit, view: PreferencesView) {
  const { language: l, preferences } = view;
  const box = (name: string, label: string, checked: boolean) =>
    html`<label class="choice"><input type="checkbox" name="${name}" value="yes"${checked ? html` checked` : ""}><span>${label}</span></label>`;
  const label = (choice: Channel | PreferenceCategory) =>
    say(
      l,
      Channel.safeParse(choice).success ? `channel.${choice as Channel}` : `category.${choice as PreferenceCategory}`,
    );
  const isOn = (choice: Channel | PreferenceCategory) =>
    Channel.safeParse(choice).success
      ? preferences.channels[choice as Channel]
      : preferences.categories[choice as PreferenceCategory];
  const changes = (view.changed ?? [])
    .map((choice) => say(l, isOn(choice) ? "preferences.on" : "preferences.off", { what: label(choice) }))
    .join(l === "zh-CN" ? "；" : ", ");
  const saved =
    view.changed === undefined
      ? ""
      : html`<p class="note" role="status">${view.changed.length > 0 ? say(l, "preferences.saved", { changes }) : say(l, "preferences.unchanged")}</p>`;
  return html`<h1>${say(l, "preferences.title")}</h1>${saved}
<p>${sentences(l, view.address ? say(l, "preferences.for", { address: view.address }) : "", say(l, "preferences.intro", brandWords(brand, l)))}</p>
<form method="post"><input type="hidden" name="form" value="preferences">
<fieldset><legend>${say(l, "preferences.channels")}</legend>
${Channel.options.map((c) => box(c, say(l, `channel.${c}`), preferences.channels[c]))}
</fieldset>
<fieldset><legend>${say(l, "preferences.categories")}</legend>
${PREFERENCE_CATEGORIES.map((c) => box(c, say(l, `category.${c}`), preferences.categories[c]))}
</fieldset>
<button type="submit" class="primary">${say(l, "preferences.save")}</button></form>
<p class="small">${sentences(l, say(l, "preferences.scope"), say(l, "preferences.recorded"))}</p>
<p>${sayWithHotline(brand, l, "offer.questions")}</p>`;
}

/**
 * An expired link's way back: one button that posts to `<link>/renew`, which emails a current
 * link to the address on file. No address field: the page never asks for one, nor shows it.
 */
const renewForm = (language: Language, path: string, label: string) =>
  html`<form method="post" action="${path}/renew"><button type="submit" class="primary">${label}</button></form>
<p class="small">${say(language, "renew.privacy")}</p>`;

/** An expired offer link (410): what happened, and the renewal. */
function expiredOfferBody(brand: BrandKit, language: Language, path: string, days: number) {
  return html`<h1>${say(language, "expiredOffer.title")}</h1>
<p>${say(language, "expiredOffer.body", { days })}</p>
${renewForm(language, path, say(language, "renew.button"))}
<p>${sayWithHotline(brand, language, "offer.questions")}</p>`;
}

/** After a press of the renewal button: sent, sent already today, or why nothing can be. */
function renewedBody(brand: BrandKit, language: Language, outcome: RenewalOutcome, days: number) {
  const title = say(
    language,
    outcome === "sent" || outcome === "already_sent" ? "renewed.title" : "renewed.notSentTitle",
  );
  const message =
    outcome === "not_allowed"
      ? sayWithHotline(brand, language, "renewed.not_allowed")
      : say(language, `renewed.${outcome}`, { days });
  return {
    title,
    body: html`<h1>${title}</h1><p class="note" role="status">${message}</p><p>${sayWithHotline(brand, language, "offer.questions")}</p>`,
  };
}

/** The opt-out form's fields: a ticked `stop` per choice, or the button that stops everything. */
function readOptOut(fields: Record<string, unknown>): Choice[] | "everything" {
  if (fields.everything === "yes") return "everything";
  const named = ([] as unknown[]).concat(fields.stop ?? []);
  const known: readonly string[] = [...Channel.options, ...PREFERENCE_CATEGORIES];
  const unknown = named.filter((n) => typeof n !== "string" || !known.includes(n));
  if (unknown.length > 0) throw new ValidationError(`stop must name channels or categories among ${known.join(", ")}`);
  if (named.length === 0)
    throw new ValidationError("Tick at least one thing to stop, or press the button that stops all offers");
  return named as Choice[];
}

/**
 * An expired link's preference centre: boxes to tick what to stop, with no box ticked and no
 * address shown, since an old email may be in someone else's hands; and the way to a new link.
 */
function expiredPreferencesBody(brand: BrandKit, view: PreferencesView, path: string, days: number) {
  const { language: l } = view;
  const box = (value: string, label: string) =>
    html`<label class="choice"><input type="checkbox" name="stop" value="${value}"><span>${label}</span></label>`;
  const saved =
    view.changed === undefined
      ? ""
      : html`<p class="note" role="status">${
          view.changed.length > 0
            ? say(l, "preferences.saved", {
                changes: view.changed
                  .map((c) =>
                    say(l, "preferences.off", {
                      what: say(
                        l,
                        Channel.safeParse(c).success
                          ? `channel.${c as Channel}`
                          : `category.${c as PreferenceCategory}`,
                      ),
                    }),
                  )
                  .join(l === "zh-CN" ? "；" : ", "),
              })
            : say(l, "preferences.unchanged")
        }</p>`;
  return html`<h1>${say(l, "preferences.expiredTitle")}</h1>${saved}
<p>${say(l, "preferences.expired", { days })}</p>
<form method="post"><input type="hidden" name="form" value="opt-out">
<fieldset><legend>${say(l, "preferences.stopChannels")}</legend>
${Channel.options.map((c) => box(c, say(l, `channel.${c}`)))}
</fieldset>
<fieldset><legend>${say(l, "preferences.stopCategories")}</legend>
${PREFERENCE_CATEGORIES.map((c) => box(c, say(l, `category.${c}`)))}
</fieldset>
<button type="submit">${say(l, "preferences.stopChosen")}</button>
<button type="submit" name="everything" value="yes" class="primary">${say(l, "preferences.stopEverything")}</button></form>
<h2>${say(l, "preferences.newLinkTitle")}</h2>
${renewForm(l, path, say(l, "preferences.newLink"))}
<p class="small">${say(l, "preferences.scope")}</p>
<p>${sayWithHotline(brand, l, "offer.questions")}</p>`;
}

/** The pages a customer reaches from an email. The signed token is the only credential. */
export const customerPages = (ports: ApiPorts) => {
  const days = ports.settings.linkTtlDays;
  const preferencesPage = (brand: BrandKit, view: PreferencesView, path: string) =>
    view.expired
      ? page(
          brand,
          view.language,
          say(view.language, "preferences.expiredTitle"),
          expiredPreferencesBody(brand, view, path, days),
        )
      : page(brand, view.language, say(view.language, "preferences.title"), preferencesBody(brand, view));
  /** A press of "Email me a current link" from an expired offer or preference-centre link. */
  const renewal = (action: RenewableLink) => async (c: Context<ApiEnv>) => {
    const brand = await c.get("brand")();
    const token = linkTokenOf(c.req.param("token") ?? "");
    const json = wantsJson(c.req.header("accept"), c.req.header("content-type"));
    const path = `/${action === "offer" ? "o" : "p"}/${token}`;
    let renewed: Awaited<ReturnType<typeof renewLink>>;
    try {
      renewed = await renewLink(ports, token, action);
    } catch (error) {
      // A page opened just before its link expired and posted after, or the other way round: back to the link.
      if (!(error instanceof LinkStillValidError) || json) throw error;
      const language = await expiredLinkLanguage(ports, token, action);
      const title = say(language, "error.title");
      const back = say(language, action === "offer" ? "answered.changeMind" : "preferences.link");
      return c.html(
        page(
          brand,
          language,
          title,
          html`<h1>${title}</h1><p>${say(language, "error.link_still_valid")}</p><p><a href="${path}">${back}</a></p>`,
        ),
        409,
      );
    }
    const { outcome, language } = renewed;
    if (json) return c.json({ renewal: outcome });
    const { title, body } = renewedBody(brand, language, outcome, days);
    return c.html(page(brand, language, title, body));
  };
  return (
    // The brand kit in force, read once for the request (app.ts), whose CSP then allows its style.
    new Hono<ApiEnv>()
      .get("/o/:token", async (c) => {
        const brand = await c.get("brand")();
        const token = linkTokenOf(c.req.param("token"));
        try {
          const offer = await openOffer(ports, token);
          return c.html(page(brand, offer.language, offer.title, offerBody(brand, offer)));
        } catch (error) {
          // A person's browser gets the way to a current link; an API client, the problem as before.
          if (!(error instanceof ExpiredLinkError) || wantsJson(c.req.header("accept"), undefined)) throw error;
          const language = await expiredLinkLanguage(ports, token, "offer");
          const title = say(language, "expiredOffer.title");
          return c.html(page(brand, language, title, expiredOfferBody(brand, language, `/o/${token}`, days)), 410);
        }
      })
      .post("/o/:token/renew", renewal("offer"))
      .post("/o/:token", async (c) => {
        const brand = await c.get("brand")();
        const token = linkTokenOf(c.req.param("token"));
        const contentType = c.req.header("content-type");
        const given = await readAnswer(contentType, { json: () => c.req.json(), form: () => c.req.parseBody() });
        const view = await answerOffer(ports, token, given.answer, given.callTime);
        if (wantsJson(c.req.header("accept"), contentType))
          return c.json({ recorded: view.answer, ...(view.callTime ? { callTime: view.callTime } : {}) });
        const title = say(view.language, view.answer === "unsubscribe" ? "unsubscribed.title" : "answered.title");
        return c.html(page(brand, view.language, title, answeredBody(brand, view, `/o/${token}`)));
      })
      .get("/u/:token", async (c) => {
        const brand = await c.get("brand")();
        const { language, preferencesToken: preferences } = await openUnsubscribe(
          ports,
          linkTokenOf(c.req.param("token")),
        );
        const words = brandWords(brand, language);
        const title = say(language, "unsubscribe.title");
        return c.html(
          page(
            brand,
            language,
            title,
            html`<h1>${title}</h1><p>${say(language, "unsubscribe.question", words)}</p><form method="post"><button type="submit" class="primary">${say(language, "unsubscribe.button")}</button></form>${preferencesLink(language, preferences)}<p>${sayWithHotline(brand, language, "offer.questions")}</p>`,
          ),
        );
      })
      // RFC 8058 one-click: the mail client POSTs List-Unsubscribe=One-Click; no cookie, no other field needed.
      .post("/u/:token", async (c) => {
        const brand = await c.get("brand")();
        const { delivery, preferencesToken: preferences } = await unsubscribe(ports, linkTokenOf(c.req.param("token")));
        if (wantsJson(c.req.header("accept"), c.req.header("content-type"))) return c.json({ unsubscribed: true });
        const language = await pageLanguage(ports, delivery);
        const words = brandWords(brand, language);
        const title = say(language, "unsubscribed.title");
        return c.html(
          page(
            brand,
            language,
            title,
            html`<h1>${title}</h1><p class="note">${say(language, "unsubscribed.body", words)}</p>${preferencesLink(language, preferences)}<p>${sayWithHotline(brand, language, "offer.questions")}</p>`,
          ),
        );
      })
      .get("/p/:token", async (c) => {
        const brand = await c.get("brand")();
        const token = linkTokenOf(c.req.param("token"));
        return c.html(preferencesPage(brand, await openPreferences(ports, token), `/p/${token}`));
      })
      // Posted from the page itself only (app.ts refuses a cross-site post, as for /o/). The full
      // form sets every choice (an expired link's may turn none on); the expired page's names what to stop.
      .post("/p/:token", async (c) => {
        const brand = await c.get("brand")();
        const token = linkTokenOf(c.req.param("token"));
        const fields = await c.req.parseBody({ all: true }).catch(() => ({}) as Record<string, unknown>);
        const json = wantsJson(c.req.header("accept"), c.req.header("content-type"));
        let view: PreferencesView;
        try {
          view =
            fields.form === "opt-out"
              ? await optOut(ports, token, readOptOut(fields))
              : await changePreferences(ports, token, await readPreferences(async () => fields));
        } catch (error) {
          // The full form, opened while its link worked and posted after: it says why, and offers what still works.
          if (!(error instanceof ExpiredLinkOptInError) || json) throw error;
          const refused = await openPreferences(ports, token);
          const l = refused.language;
          const why = html`<p class="note" role="alert">${say(l, "error.expired_link_opt_in")}</p>`;
          const body = html`${why}${expiredPreferencesBody(brand, refused, `/p/${token}`, days)}`;
          return c.html(page(brand, l, say(l, "preferences.expiredTitle"), body), 403);
        }
        if (json)
          return c.json({ ...(view.expired ? {} : { preferences: view.preferences }), changed: view.changed ?? [] });
        return c.html(preferencesPage(brand, view, `/p/${token}`));
      })
      .post("/p/:token/renew", renewal("preferences"))
  );
};
