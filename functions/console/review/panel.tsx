/** @jsxImportSource hono/jsx */

import { changedSinceApproval } from "../../../shared/campaigns/approval.js";
import type { Campaign } from "../../../shared/campaigns/campaign.js";
import { campaignHistoryOf } from "../../../shared/campaigns/history.js";
import type { CampaignHistoryEntry, CampaignStatus } from "../../../shared/campaigns/lifecycle.js";
import { SYSTEM_ACTOR } from "../../../shared/campaigns/lifecycle.js";
import type { ConsoleSession } from "../../../shared/console/session.js";
import { scaledToBase } from "../../../shared/customers/scan.js";
import { suppressionFor } from "../../../shared/delivery/decide.js";
import { previewCampaignMessage } from "../../../shared/delivery/preview.js";
import type { Actor, Role } from "../../../shared/kernel/actor.js";
import { DomainError } from "../../../shared/kernel/errors.js";
import type { Language } from "../../../shared/kernel/language.js";
import { isInvestment, PRODUCT_CATALOGUE } from "../../../shared/kernel/products.js";
import { TIER_LABELS, TIER_LABELS_ZH } from "../../../shared/kernel/tiers.js";
import { forSampleOfMembers, ruleContextOf } from "../../../shared/segments/preview.js";
import { latestFinishedRun } from "../../../shared/segments/preview-jobs.js";
import { type ConsoleCopyKey, t } from "../copy/say.js";
import type { ConsolePorts } from "../deps.js";
import { formatsFor } from "../format.js";
import { RuleInWordsList } from "./rule-words.js";

/**
 * What a campaign's page shows and lets each role do, beyond its results: before launch, the
 * review of exactly what goes out (the rule in words, the segment's version and today's count,
 * the product's suitability limits, every language's email) and the approver's decision; at any
 * time the controls the role matrix (functions/api/access.ts) gives the person; and the history.
 */

/** The page's View (pages.tsx), said again here: pages.tsx renders this panel, and an import back would be a cycle. */
type View = { language: Language; base: string; session?: ConsoleSession; path: string };

/** Who decides on a submitted campaign, and who runs one: as functions/api/access.ts says. */
export const DECIDERS: readonly Role[] = ["approver", "admin"];
export const CAMPAIGN_STAFF: readonly Role[] = ["marketer", "approver", "admin"];

/** Before launch, the review shows what would go out; after, the results say what did. */
const BEFORE_LAUNCH: readonly CampaignStatus[] = ["draft", "submitted", "approved"];
const CANCELLABLE: readonly CampaignStatus[] = ["draft", "submitted", "approved", "launching", "sending", "paused"];

/** The flash-like messages an action's redirect asks for (?done=…), and the problems (?problem=…). */
export const DONE = ["approved", "sentBack", "launched", "paused", "resumed", "cancelled"] as const;
export const PROBLEMS = [
  "selfApproval",
  "state",
  "changedSinceApproval",
  "forbidden",
  "reasonRequired",
  "pauseReasonTooLong",
] as const;
export type Done = (typeof DONE)[number];
export type Problem = (typeof PROBLEMS)[number];

/**
 * The statuses in which an action's message still holds: the running page reloads itself when
 * the status moves on, and a "launched" message above a completed campaign would mislead.
 */
const STILL_TRUE: Record<Done, readonly CampaignStatus[]> = {
  approved: ["approved"],
  sentBack: ["draft"],
  launched: ["launching", "sending"],
  paused: ["paused"],
  resumed: ["launching", "sending"],
  cancelled: ["cancelled"],
};

export type CampaignReviewData = {
  history: CampaignHistoryEntry[];
  /**
   * Before launch only: how many meet the rule today, and how many of them may be offered the
   * product; `share` below 1: an estimate from that share of the customers (SYNC_COUNT_MAX_CUSTOMERS).
   */
  today?: { matching: number; eligible: number; exact: boolean; share: number };
  /** The newest finished exact count (preview run) of the campaign's segment version, and the moment it is of. */
  exactRun?: { count: number; at: string };
  /** The segment as it is now, to say when it has moved on from the version the campaign keeps. */
  segment?: { name: string; version: number };
  /** Before launch only: each language's subject as a customer of the segment would read it, placeholders filled. */
  subjects?: Partial<Record<Language, string>>;
};

/**
 * What the page needs beyond the campaign. Today's count runs the campaign's own rule (the
 * snapshotted version) with the scan the launch uses, over at most SYNC_COUNT_MAX_CUSTOMERS
 * customers (an estimate past that, beside the version's latest exact count), and applies the
 * same suitability checks as the fan-out (suppressionFor), without the bounce list: it is a count
 * for the approver's judgement, not the launch's decision.
 */
export async function campaignReviewOf(
  ports: ConsolePorts,
  campaign: Campaign,
  viewer: Actor | undefined,
): Promise<CampaignReviewData> {
  const history = await campaignHistoryOf(ports, campaign.campaignId);
  if (!BEFORE_LAUNCH.includes(campaign.status)) return { history };
  const context = ruleContextOf(ports);
  const seen = { matching: 0, eligible: 0 };
  const coverage = await forSampleOfMembers(ports, campaign.segmentRule, context, (members) => {
    seen.matching += members.length;
    for (const customer of members) if (!suppressionFor(customer, campaign, undefined, context.at)) seen.eligible++;
  });
  const today = {
    matching: scaledToBase(seen.matching, coverage),
    eligible: scaledToBase(seen.eligible, coverage),
    exact: coverage.complete,
    share: coverage.base === 0 ? 1 : coverage.read / coverage.base,
  };
  const run = await latestFinishedRun(ports, campaign.segmentId, campaign.segmentVersion);
  const segment = await ports.segments.get(campaign.segmentId);
  const subjects: Partial<Record<Language, string>> = {};
  // A segment with nobody in it has no one to render the subject for: the page then shows it as written.
  if (viewer && today.matching > 0)
    for (const language of languagesOf(campaign)) {
      const preview = await previewCampaignMessage(ports, campaign.campaignId, { language }, viewer).catch(
        (error: unknown) => {
          if (error instanceof DomainError) return undefined;
          throw error;
        },
      );
      if (preview) subjects[language] = preview.subject;
    }
  return {
    history,
    today,
    ...(run ? { exactRun: { count: run.count, at: run.at } } : {}),
    subjects,
    ...(segment ? { segment: { name: segment.name, version: segment.version } } : {}),
  };
}

/** English, the campaign's main message (createCampaign), then each language it has a translation in. */
const languagesOf = (campaign: Campaign): Language[] => [
  ...new Set<Language>(["en", ...(Object.keys(campaign.translations ?? {}) as Language[])]),
];

const oneOf = <T extends string>(options: readonly T[], value: string | null): T | undefined =>
  options.find((o) => o === value);

const languageName = (reader: Language, language: string) =>
  t(reader, `review.rule.value.language.${language}` as ConsoleCopyKey);

/** The notice an action left in the address (?done= or ?problem=), as a status or an alert. */
function Notice({ view, campaign }: { view: View; campaign: Campaign }) {
  const { language } = view;
  const query = new URL(view.path, "http://console").searchParams;
  const done = oneOf(DONE, query.get("done"));
  const problem = oneOf(PROBLEMS, query.get("problem"));
  if (problem) {
    const said: Record<Problem, () => string> = {
      selfApproval: () => t(language, "review.error.selfApproval"),
      state: () => t(language, "review.error.state", { status: t(language, `status.${campaign.status}`) }),
      changedSinceApproval: () =>
        t(language, "review.error.changedSinceApproval", { parts: changedSinceApproval(campaign).join(", ") }),
      forbidden: () =>
        t(language, "review.error.forbidden", {
          role: view.session ? t(language, `role.${view.session.user.role}`) : "",
        }),
      reasonRequired: () => t(language, "review.sendBackRequired"),
      pauseReasonTooLong: () => t(language, "review.error.pauseReasonTooLong"),
    };
    const message = said[problem]();
    return (
      <div class="notice problem" role="alert" data-problem={problem}>
        <strong>{t(language, "review.error.title")}</strong> {message}
      </div>
    );
  }
  return done && STILL_TRUE[done].includes(campaign.status) ? (
    <p class="notice done" role="status" data-done={done}>
      {t(language, `review.done.${done}`)}
    </p>
  ) : null;
}

/** The session's CSRF token, which every form of the console posts (kit.csrfChecked reads it). */
function CsrfField({ view }: { view: View }) {
  return <input type="hidden" name="csrf" value={view.session?.csrfToken ?? ""} />;
}

/** Approve, or send back with a reason; for the campaign's author, neither: a line saying why. */
function Decision({ view, campaign, here }: { view: View; campaign: Campaign; here: string }) {
  const { language } = view;
  const own = campaign.createdBy === view.session?.user.name;
  return (
    <section class="card decision" aria-labelledby="review-decision">
      <h2 id="review-decision">{t(language, "review.decision")}</h2>
      {own ? (
        <p class="notice" data-self-approval>
          {t(language, "review.selfApproval")}
        </p>
      ) : (
        <div class="decide">
          <form method="post" action={`${here}/approve`} class="approve">
            <CsrfField view={view} />
            <p class="muted" id="approve-help">
              {t(language, "review.approveHelp")}
            </p>
            <button type="submit" class="primary" aria-describedby="approve-help">
              {t(language, "review.approve")}
            </button>
          </form>
          <form method="post" action={`${here}/send-back`} class="send-back">
            <CsrfField view={view} />
            <label for="send-back-reason">{t(language, "review.sendBackReason")}</label>
            <textarea
              id="send-back-reason"
              name="reason"
              rows={3}
              maxlength={500}
              required
              aria-describedby="send-back-help"
            />
            <p class="muted" id="send-back-help">
              {t(language, "review.sendBackHelp")}
            </p>
            <button type="submit">{t(language, "review.sendBack")}</button>
          </form>
        </div>
      )}
    </section>
  );
}

/** Launch, pause, resume, cancel: what the person's role and the campaign's status allow. */
function Controls({ view, campaign, here }: { view: View; campaign: Campaign; here: string }) {
  const { language } = view;
  const f = formatsFor(language);
  const role = view.session?.user.role as Role | undefined;
  if (!role || !CAMPAIGN_STAFF.includes(role) || !CANCELLABLE.includes(campaign.status)) return null;
  const { status } = campaign;
  return (
    <section class="card controls" aria-labelledby="review-controls">
      <h2 id="review-controls">{t(language, "review.controls")}</h2>
      {status === "paused" && campaign.pausedAt && (
        <p class="notice" data-paused-because>
          {t(language, "review.pausedBecause", {
            when: f.dateTime(campaign.pausedAt),
            name: campaign.pausedBy === SYSTEM_ACTOR ? t(language, "review.pausedBySystem") : (campaign.pausedBy ?? ""),
            reason: campaign.pauseReason ?? "",
          })}
        </p>
      )}
      <div class="actions">
        {status === "approved" && (
          <form method="post" action={`${here}/launch`}>
            <CsrfField view={view} />
            <p class="muted" id="launch-help">
              {t(language, "review.launchHelp")}
            </p>
            <button type="submit" class="primary" aria-describedby="launch-help">
              {t(language, "review.launch")}
            </button>
          </form>
        )}
        {(status === "launching" || status === "sending") && (
          <form method="post" action={`${here}/pause`}>
            <CsrfField view={view} />
            <label for="pause-reason">{t(language, "review.pauseReason")}</label>
            <input id="pause-reason" name="reason" type="text" maxlength={200} aria-describedby="pause-help" />
            <p class="muted" id="pause-help">
              {t(language, "review.pauseHelp")}
            </p>
            <button type="submit">{t(language, "review.pause")}</button>
          </form>
        )}
        {status === "paused" && (
          <form method="post" action={`${here}/resume`}>
            <CsrfField view={view} />
            <button type="submit" class="primary">
              {t(language, "review.resume")}
            </button>
          </form>
        )}
        <p class="cancel">
          <a href={`${here}/cancel`}>{t(language, "review.cancel")}</a>
        </p>
      </div>
    </section>
  );
}

/** The product the offer is for, with what limits whom it may go to. */
function Suitability({ language, campaign }: { language: Language; campaign: Campaign }) {
  const product = PRODUCT_CATALOGUE[campaign.offer.productCode];
  const tiers = language === "zh-CN" ? TIER_LABELS_ZH : TIER_LABELS;
  return (
    <dl class="facts">
      <dt>{t(language, "review.productName")}</dt>
      <dd>{language === "zh-CN" ? product.nameZh : product.nameEn}</dd>
      <dt>{t(language, "review.category")}</dt>
      <dd>{t(language, `review.rule.category.${product.category}`)}</dd>
      <dt>{t(language, "review.riskLevel")}</dt>
      <dd>
        {t(language, "review.riskLevelValue", { level: product.riskLevel })}
        {isInvestment(campaign.offer.productCode) && <span class="sub">{t(language, "review.investment")}</span>}
      </dd>
      <dt>{t(language, "review.minimumTier")}</dt>
      <dd>{product.minimumTier ? tiers[product.minimumTier] : t(language, "review.anyTier")}</dd>
    </dl>
  );
}

/** Every language's email: its subject, and the finished email for a real customer of the segment, framed. */
function Messages({
  view,
  campaign,
  review,
  here,
}: {
  view: View;
  campaign: Campaign;
  review: CampaignReviewData;
  here: string;
}) {
  const { language } = view;
  const translations = campaign.translations ?? {};
  const languages = languagesOf(campaign);
  // The preview renders the email for a member of the segment: with nobody in it today, there is no one to show it for.
  const anyone = (review.today?.matching ?? 0) > 0;
  return (
    <section class="card" aria-labelledby="review-messages">
      <h2 id="review-messages">{t(language, "review.messages")}</h2>
      {languages.map((l) => {
        const message = translations[l] ?? campaign.message;
        const name = languageName(language, l);
        const src = `${here}/preview.html?language=${encodeURIComponent(l)}`;
        return (
          <section class="message" aria-labelledby={`message-${l}`} data-message-language={l}>
            <h3 id={`message-${l}`}>
              {l === "en" && !translations.en ? t(language, "review.messageDefault", { language: name }) : name}
            </h3>
            <dl class="facts">
              <dt>{t(language, "review.subject")}</dt>
              <dd lang={l} data-subject>
                {review.subjects?.[l] ?? message.subject}
              </dd>
            </dl>
            {anyone ? (
              <>
                {/* No script runs in the frame (its own policy and the sandbox); allow-same-origin only spares the
                browser an opaque origin, which it cannot place in the agent cluster the console's pages ask for. */}
                <iframe
                  class="email"
                  sandbox="allow-same-origin"
                  title={t(language, "review.preview", { language: name })}
                  src={src}
                />
                <p>
                  <a href={src} target="_blank" rel="noopener">
                    {t(language, "review.openPreview", { language: name })}
                  </a>
                </p>
              </>
            ) : (
              <p class="muted" data-no-preview>
                {t(language, "review.noPreview")}
              </p>
            )}
          </section>
        );
      })}
    </section>
  );
}

/**
 * The review and the actions, placed under the campaign's name: the notice an action left, then,
 * before launch, what goes out and (for an approver, on a submitted campaign) the decision;
 * then the controls.
 */
export function CampaignReview({
  view,
  campaign,
  review,
}: {
  view: View;
  campaign: Campaign;
  review: CampaignReviewData;
}) {
  const { language, base } = view;
  const f = formatsFor(language);
  const here = `${base}/campaigns/${encodeURIComponent(campaign.campaignId)}`;
  const role = view.session?.user.role as Role | undefined;
  const { status } = campaign;
  const deciding = status === "submitted" && role !== undefined && DECIDERS.includes(role);
  return (
    <div class="review-area">
      <Notice view={view} campaign={campaign} />
      {BEFORE_LAUNCH.includes(status) && (
        <section class="card review" aria-labelledby="review">
          <h2 id="review">{t(language, status === "submitted" ? "review.titleSubmitted" : "review.title")}</h2>
          <p data-asked-by>
            {status === "submitted" && campaign.submittedAt
              ? t(language, "review.askedBy", {
                  when: f.dateTime(campaign.submittedAt),
                  name: campaign.submittedBy ?? "",
                })
              : status === "approved" && campaign.approvedAt
                ? t(language, "review.approved", {
                    when: f.dateTime(campaign.approvedAt),
                    name: campaign.approvedBy ?? "",
                  })
                : t(language, "review.notSubmitted")}
          </p>
          <h3>{t(language, "review.rule")}</h3>
          <p>{t(language, "review.ruleIntro")}</p>
          <RuleInWordsList rule={campaign.segmentRule} language={language} />
          <dl class="facts">
            <dt>{t(language, "review.segment")}</dt>
            <dd>
              {t(language, "review.segmentVersion", {
                name: review.segment?.name ?? campaign.segmentId,
                version: campaign.segmentVersion,
              })}
              {review.segment && review.segment.version !== campaign.segmentVersion && (
                <span class="sub">
                  {t(language, "review.segmentNewer", {
                    current: review.segment.version,
                    version: campaign.segmentVersion,
                  })}
                </span>
              )}
            </dd>
            {review.today && (
              <>
                <dt>{t(language, "review.today")}</dt>
                <dd data-today>
                  {t(language, review.today.exact ? "review.todayCount" : "review.todayCountAbout", {
                    matching: f.integer(review.today.matching),
                    eligible: f.integer(review.today.eligible),
                    share: f.percent(review.today.share) ?? "",
                  })}
                  <span class="sub">{t(language, "review.todayHeldBack")}</span>
                  {review.exactRun && (
                    <span class="sub" data-exact-run>
                      {t(language, "review.exactRun", {
                        count: f.integer(review.exactRun.count),
                        at: f.dateTime(review.exactRun.at),
                      })}
                    </span>
                  )}
                  {!review.today.exact && (
                    <form
                      method="post"
                      action={`${view.base}/segments/${encodeURIComponent(campaign.segmentId)}/counts`}
                      class="inline"
                    >
                      <CsrfField view={view} />
                      <input type="hidden" name="segmentVersion" value={String(campaign.segmentVersion)} />
                      <button type="submit">{t(language, "review.countExactly")}</button>
                    </form>
                  )}
                </dd>
              </>
            )}
            <dt>{t(language, "review.controlGroup")}</dt>
            <dd>
              {t(language, "review.todayControl", { percent: f.percent(campaign.controlGroupPercent / 100) ?? "" })}
            </dd>
          </dl>
          <h3>{t(language, "review.product")}</h3>
          <Suitability language={language} campaign={campaign} />
        </section>
      )}
      {BEFORE_LAUNCH.includes(status) && <Messages view={view} campaign={campaign} review={review} here={here} />}
      {deciding && <Decision view={view} campaign={campaign} here={here} />}
      <Controls view={view} campaign={campaign} here={here} />
    </div>
  );
}

/** Who did what, and when, with the reasons given (a send-back's comment, a pause's cause). */
export function CampaignHistory({ view, history }: { view: View; history: CampaignHistoryEntry[] }) {
  const { language } = view;
  const f = formatsFor(language);
  return (
    <section class="card" aria-labelledby="history">
      <h2 id="history">{t(language, "review.history")}</h2>
      <section class="scroll" aria-labelledby="history" tabindex={0}>
        <table class="list history" data-history>
          <caption>{t(language, "review.historyCaption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t(language, "review.historyWhen")}</th>
              <th scope="col">{t(language, "review.historyWhat")}</th>
              <th scope="col">{t(language, "review.historyWho")}</th>
              <th scope="col">{t(language, "review.historyWhy")}</th>
            </tr>
          </thead>
          <tbody>
            {history.map((entry) => (
              <tr>
                <th scope="row">
                  <span class="when">{f.dateTime(entry.at)}</span>
                </th>
                <td data-label={t(language, "review.historyWhat")}>{t(language, `review.event.${entry.event}`)}</td>
                <td data-label={t(language, "review.historyWho")}>
                  {entry.by === SYSTEM_ACTOR ? t(language, "review.system") : entry.by}
                </td>
                <td data-label={t(language, "review.historyWhy")}>{entry.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </section>
  );
}
