/** @jsxImportSource hono/jsx */
import type { Campaign } from "../../../shared/campaigns/campaign.js";
import type { ClientGap, EmailClient } from "../../../shared/campaigns/email-clients.js";
import type { MessagePreview } from "../../../shared/delivery/preview.js";
import type { Language } from "../../../shared/kernel/language.js";
import { t } from "../copy/say.js";
import { formatsFor } from "../format.js";
import { Layout, type View } from "../pages.js";
import { productName } from "./editor-page.js";

export type { MessagePreview } from "../../../shared/delivery/preview.js";

/** What the draft page confirms after the person's last action. */
export type Notice =
  | { kind: "saved" | "submitted" }
  | { kind: "tested"; language: Language; to: string }
  | { kind: "noEmail" }
  | { kind: "failed"; reason: string };

/**
 * A customer id as staff see it on a page that is about the email, not the customer: enough to
 * tell two apart, not to look one up. "F-123456" → "F-1***56".
 */
export function maskedId(customerId: string): string {
  const chars = [...customerId];
  if (chars.length <= 4) return `${chars[0] ?? ""}***`;
  return `${chars.slice(0, 3).join("")}***${chars.slice(-2).join("")}`;
}

function NoticeLine({ language, notice }: { language: Language; notice: Notice }) {
  const text = (() => {
    switch (notice.kind) {
      case "saved":
        return t(language, "campaignEditor.saved");
      case "submitted":
        return t(language, "campaignEditor.submitted");
      case "tested":
        return t(language, "campaignEditor.testSent", {
          language: t(language, `campaignEditor.language.${notice.language}`),
          to: notice.to,
        });
      case "noEmail":
        return t(language, "campaignEditor.noEmail");
      case "failed":
        return t(language, "campaignEditor.failed", { reason: notice.reason });
    }
  })();
  const bad = notice.kind === "noEmail" || notice.kind === "failed";
  return (
    <p class={`card notice ${bad ? "warning" : "done"}`} role={bad ? "alert" : "status"}>
      {text}
    </p>
  );
}

const FAMILIES: Record<string, string> = {
  outlook: "Outlook",
  gmail: "Gmail",
  "apple-mail": "Apple Mail",
  yahoo: "Yahoo Mail",
};
const PLATFORMS: Record<string, string> = {
  windows: "Windows",
  macos: "macOS",
  ios: "iOS",
  android: "Android",
  "outlook-com": "Outlook.com",
};

/** "Outlook (Windows)", "Gmail（手机网页版）": caniemail's names, in the reader's words where they are words. */
function clientName(language: Language, { family, platform }: EmailClient): string {
  // caniemail files the Windows Mail app under Outlook; it is a client of its own to a reader.
  if (family === "outlook" && platform === "windows-mail") return "Windows Mail";
  const where =
    platform === "desktop-webmail"
      ? t(language, "campaignEditor.clientWeb")
      : platform === "mobile-webmail"
        ? t(language, "campaignEditor.clientMobileWeb")
        : (PLATFORMS[platform] ?? platform);
  const name = FAMILIES[family] ?? family;
  return language === "zh-CN" ? `${name}（${where}）` : `${name} (${where})`;
}

/**
 * What some email clients will drop in this version's content, by caniemail.com's data, so that
 * the marketer can choose: change it, or accept that Outlook for Windows shows it plainer.
 */
function ClientGaps({ language, gaps }: { language: Language; gaps: ClientGap[] }) {
  const list = (names: string[]) => names.join(language === "zh-CN" ? "、" : ", ");
  return (
    <div class="client-gaps" data-client-gaps>
      <h3>{t(language, "campaignEditor.clients")}</h3>
      {gaps.length === 0 ? (
        <p class="muted">{t(language, "campaignEditor.clientsNone")}</p>
      ) : (
        <>
          <p>{t(language, "campaignEditor.clientsSome")}</p>
          <ul>
            {gaps.map((gap) => (
              <li>
                <code>{gap.feature}</code>
                {t(language, "campaignEditor.clientsIgnoredBy", {
                  clients: list(gap.clients.map((c) => clientName(language, c))),
                })}
              </li>
            ))}
          </ul>
        </>
      )}
      <p class="muted">{t(language, "campaignEditor.clientsUnknown")}</p>
    </div>
  );
}

export function DraftPage({
  view,
  campaign,
  segmentName,
  preview,
  anotherCustomer,
  notice,
  clientGaps,
}: {
  view: View;
  campaign: Campaign;
  segmentName: string;
  preview?: MessagePreview;
  /** The page again with the next customer of the segment, in the preview's language. */
  anotherCustomer?: string;
  notice?: Notice;
  /** What some email clients drop in the previewed version's content (email-clients.ts). */
  clientGaps?: ClientGap[];
}) {
  const { language, base, session } = view;
  const f = formatsFor(language);
  const here = `${base}/campaigns/${encodeURIComponent(campaign.campaignId)}`;
  const isDraft = campaign.status === "draft";
  const email = session?.user.email;
  const languages: Language[] = preview?.languages ?? [
    "en",
    ...(Object.keys(campaign.translations ?? {}) as Language[]).filter((l) => l !== "en"),
  ];
  const languageName = (l: Language) => t(language, `campaignEditor.language.${l}`);
  const title = campaign.title ? Object.values(campaign.title).filter(Boolean).join(" / ") : undefined;
  return (
    <Layout view={view} title={t(language, "campaignEditor.draftTitle", { name: campaign.name })}>
      <div class="draft-page">
        <p>
          <a href={`${base}/campaigns?status=${campaign.status}`}>{t(language, "results.back")}</a>
        </p>
        <h1>
          {campaign.name}{" "}
          <span class={`badge ${campaign.status}`}>
            {campaign.status === "submitted"
              ? t(language, "campaignEditor.waiting")
              : t(language, `status.${campaign.status}`)}
          </span>
        </h1>
        {notice && <NoticeLine language={language} notice={notice} />}
        {isDraft && campaign.sentBack && (
          <section class="card sent-back" aria-labelledby="sent-back">
            <h2 id="sent-back">
              {t(language, "campaignEditor.sentBack", {
                name: campaign.sentBack.by,
                when: f.dateTime(campaign.sentBack.at),
              })}
            </h2>
            <p>{t(language, "campaignEditor.sentBackReason", { reason: campaign.sentBack.reason })}</p>
          </section>
        )}
        {campaign.status === "submitted" && (
          <section class="card waiting" aria-labelledby="waiting">
            <h2 id="waiting">{t(language, "campaignEditor.waiting")}</h2>
            <p>{t(language, "campaignEditor.waitingHelp")}</p>
          </section>
        )}

        <section class="card" aria-labelledby="summary">
          <h2 id="summary">{t(language, "campaignEditor.summary")}</h2>
          <dl class="facts">
            <dt>{t(language, "campaignEditor.summarySegment")}</dt>
            <dd>
              {t(language, "campaignEditor.segmentOption", { name: segmentName, version: campaign.segmentVersion })}
            </dd>
            <dt>{t(language, "campaignEditor.summaryProduct")}</dt>
            <dd>{productName(language, campaign.offer.productCode)}</dd>
            <dt>{t(language, "campaignEditor.summaryControl")}</dt>
            <dd>
              {t(language, "results.controlShareValue", {
                percent: f.percent(campaign.controlGroupPercent / 100) ?? "",
              })}
            </dd>
            <dt>{t(language, "campaignEditor.summaryLanguages")}</dt>
            <dd>{languages.map(languageName).join(language === "zh-CN" ? "、" : ", ")}</dd>
            {title && (
              <>
                <dt>{t(language, "campaignEditor.summaryTitle")}</dt>
                <dd>{title}</dd>
              </>
            )}
            <dt>{t(language, "results.createdBy")}</dt>
            <dd>{t(language, "results.byWhom", { when: f.dateTime(campaign.createdAt), name: campaign.createdBy })}</dd>
          </dl>
          {isDraft && (
            <p class="actions">
              <a class="button" href={`${here}/edit`}>
                {t(language, "campaignEditor.edit")}
              </a>
            </p>
          )}
        </section>

        <section class="card" aria-labelledby="preview">
          <h2 id="preview">{t(language, "campaignEditor.preview")}</h2>
          {languages.length > 1 && (
            <nav class="languages" aria-label={t(language, "campaignEditor.previewLanguage")}>
              {languages.map((l) => (
                <a
                  href={`${here}/draft?language=${encodeURIComponent(l)}`}
                  aria-current={preview?.language === l ? "page" : undefined}
                  lang={l}
                >
                  {languageName(l)}
                </a>
              ))}
            </nav>
          )}
          {preview ? (
            <>
              <p>
                {t(language, "campaignEditor.previewFor", {
                  customer: maskedId(preview.customerId),
                  language: languageName(preview.language),
                })}{" "}
                {anotherCustomer && <a href={anotherCustomer}>{t(language, "campaignEditor.previewAnother")}</a>}
              </p>
              <dl class="facts">
                <dt>{t(language, "campaignEditor.previewSubject")}</dt>
                <dd lang={preview.language} data-preview-subject>
                  {preview.subject}
                </dd>
              </dl>
              <iframe
                class="email"
                sandbox="allow-same-origin"
                title={t(language, "campaignEditor.previewFrame")}
                src={`${here}/preview.html?language=${encodeURIComponent(preview.language)}&customerId=${encodeURIComponent(preview.customerId)}`}
              />
              {clientGaps && <ClientGaps language={language} gaps={clientGaps} />}
              <details>
                <summary>{t(language, "campaignEditor.previewText")}</summary>
                <pre class="email-text" lang={preview.language} tabindex={0}>
                  {preview.text}
                </pre>
              </details>
            </>
          ) : (
            <p>{t(language, "campaignEditor.previewNone")}</p>
          )}
          <form method="get" action={`${here}/draft`} class="preview-customer">
            {preview && <input type="hidden" name="language" value={preview.language} />}
            <label for="preview-customer">{t(language, "campaignEditor.previewCustomer")}</label>
            <input id="preview-customer" name="customerId" type="text" required maxlength={100} autocomplete="off" />
            <button type="submit">{t(language, "campaignEditor.previewCustomerButton")}</button>
          </form>
        </section>

        {preview && (isDraft || campaign.status === "submitted") && (
          <section class="card" aria-labelledby="test-send">
            <h2 id="test-send">{t(language, "campaignEditor.testSend")}</h2>
            {email ? (
              <form method="post" action={`${here}/test`}>
                <input type="hidden" name="csrf" value={session?.csrfToken ?? ""} />
                <input type="hidden" name="language" value={preview.language} />
                <input type="hidden" name="customerId" value={preview.customerId} />
                <p class="muted">
                  {t(language, "campaignEditor.testSendHelp", { language: languageName(preview.language), to: email })}
                </p>
                <button type="submit">{t(language, "campaignEditor.testSendButton")}</button>
              </form>
            ) : (
              <p>{t(language, "campaignEditor.noEmail")}</p>
            )}
          </section>
        )}

        {isDraft && (
          <section class="card" aria-labelledby="submit">
            <h2 id="submit">{t(language, "campaignEditor.submit")}</h2>
            <form method="post" action={`${here}/submit`}>
              <input type="hidden" name="csrf" value={session?.csrfToken ?? ""} />
              <p class="muted">{t(language, "campaignEditor.submitHelp")}</p>
              <button type="submit" class="primary">
                {t(language, "campaignEditor.submitButton")}
              </button>
            </form>
          </section>
        )}
      </div>
    </Layout>
  );
}
