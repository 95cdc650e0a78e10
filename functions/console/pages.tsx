/** @jsxImportSource hono/jsx */
import type { Child } from "hono/jsx";
import type { Campaign } from "../../shared/campaigns/campaign.js";
import { CampaignStatus } from "../../shared/campaigns/lifecycle.js";
import type { ConsoleSession } from "../../shared/console/session.js";
import type { CampaignBreakdown } from "../../shared/delivery/breakdown.js";
import type { ResultsBreakdown } from "../../shared/delivery/breakdown-run.js";
import type { CampaignSummary } from "../../shared/delivery/campaign-list.js";
import { type Lift, MIN_CONTROL_SIZE, MIN_EXPECTED_CONTROL_CONVERSIONS } from "../../shared/delivery/lift.js";
import type { CampaignStats } from "../../shared/delivery/stats.js";
import type { Role } from "../../shared/kernel/actor.js";
import { Language } from "../../shared/kernel/language.js";
import { PRODUCT_CATALOGUE, type ProductCode } from "../../shared/kernel/products.js";
import { ASSETS } from "./assets.js";
import { DraftPanel } from "./campaign-editor/draft-panel.js";
import { CONSOLE_CATALOGUES, type ConsoleCopyKey, t } from "./copy/say.js";
import { formatsFor } from "./format.js";
import { BreakdownRunPanel, BreakdownSections } from "./results/breakdown.js";
import type { Table } from "./results/tables.js";
import { CampaignHistory, CampaignReview, type CampaignReviewData } from "./review/panel.js";

/** What every page of a signed-in person knows: their language, the console's base path, who they are. */
export type View = { language: Language; base: string; session?: ConsoleSession; path: string };

const LANGUAGE_NAMES: Record<Language, string> = { "zh-CN": "中文", en: "English" };

export const productName = (language: Language, code: string) => {
  const product = PRODUCT_CATALOGUE[code as ProductCode];
  return product ? (language === "zh-CN" ? product.nameZh : product.nameEn) : code;
};

/** The console's areas, each shown to the roles whose work it is (the API refuses the rest anyway). */
const AREAS = [
  { path: "/campaigns", key: "nav.campaigns", roles: undefined },
  { path: "/segments", key: "nav.segments", roles: ["marketer", "admin"] },
  { path: "/campaigns/new", key: "nav.newCampaign", roles: ["marketer", "admin"] },
  { path: "/inbox", key: "nav.inbox", roles: ["approver", "admin"] },
  { path: "/customers", key: "nav.customers", roles: undefined },
  { path: "/compare", key: "nav.compare", roles: ["analyst", "marketer", "approver", "admin"] },
  { path: "/data-quality", key: "nav.dataQuality", roles: ["analyst", "approver", "admin"] },
  { path: "/admin", key: "nav.admin", roles: ["admin"] },
] as const satisfies readonly { path: string; key: ConsoleCopyKey; roles?: readonly Role[] }[];

function Header({ view }: { view: View }) {
  const { language, base, session } = view;
  const current = view.path.split("?")[0];
  const areas = AREAS.filter(
    (a) => !a.roles || (session && (a.roles as readonly Role[]).includes(session.user.role as Role)),
  );
  return (
    <header class="top">
      <a class="app" href={`${base}/campaigns`}>
        {t(language, "app.title")}
      </a>
      {session && (
        <nav class="areas" aria-label={t(language, "nav.label")}>
          {areas.map((a) => (
            <a href={`${base}${a.path}`} aria-current={current === `${base}${a.path}` ? "page" : undefined}>
              {t(language, a.key)}
            </a>
          ))}
        </nav>
      )}
      {session && (
        <div class="who">
          <span>
            {t(language, "header.signedInAs", {
              name: session.user.name,
              role: t(language, `role.${session.user.role}`),
            })}
          </span>
          <form method="post" action={`${base}/language`} aria-label={t(language, "header.language")}>
            <input type="hidden" name="csrf" value={session.csrfToken} />
            <input type="hidden" name="returnTo" value={view.path} />
            {Language.options.map((option) => (
              <button type="submit" name="language" value={option} lang={option} aria-pressed={option === language}>
                {LANGUAGE_NAMES[option]}
              </button>
            ))}
          </form>
          <form method="post" action={`${base}/logout`}>
            <input type="hidden" name="csrf" value={session.csrfToken} />
            <button type="submit">{t(language, "header.signOut")}</button>
          </form>
        </div>
      )}
    </header>
  );
}

export function Layout({ view, title, children }: { view: View; title: string; children: Child }) {
  return (
    <html lang={view.language}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} · ${t(view.language, "app.title")}`}</title>
        <link rel="icon" href={`${view.base}/assets/${ASSETS.icon.name}`} type="image/svg+xml" />
        <link rel="stylesheet" href={`${view.base}/assets/${ASSETS.style.name}`} />
      </head>
      <body>
        <a class="skip" href="#main">
          {t(view.language, "app.skip")}
        </a>
        <Header view={view} />
        <main id="main">{children}</main>
      </body>
    </html>
  );
}

/** A bar for a share of 0..1, drawn as SVG attributes (no style attribute: the CSP allows none); the number is beside it as text. */
const Bar = ({ share, kind }: { share: number; kind: "treated" | "control" }) => (
  <svg class="bar" viewBox="0 0 100 6" preserveAspectRatio="none" aria-hidden="true" focusable="false">
    <rect class="track" x="0" y="0" width="100" height="6" />
    <rect class={kind} x="0" y="0" width={String(Math.max(0, Math.min(100, share * 100)))} height="6" />
  </svg>
);

export function CampaignListPage({
  view,
  status,
  page,
  nextCursor,
  first,
}: {
  view: View;
  status: CampaignStatus;
  page: CampaignSummary[];
  nextCursor?: string;
  first: boolean;
}) {
  const { language, base } = view;
  const f = formatsFor(language);
  const statusName = t(language, `status.${status}`);
  return (
    <Layout view={view} title={t(language, "list.title")}>
      <h1>{t(language, "list.title")}</h1>
      <nav class="statuses" aria-label={t(language, "list.byStatus")}>
        <ul>
          {CampaignStatus.options.map((s) => (
            <li>
              <a href={`${base}/campaigns?status=${s}`} aria-current={s === status ? "page" : undefined}>
                {t(language, `status.${s}`)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {page.length === 0 ? (
        <p class="card">{t(language, "list.none")}</p>
      ) : (
        <section class="scroll" aria-label={t(language, "list.scroll")}>
          <table class="list">
            <caption>{t(language, "list.caption", { status: statusName })}</caption>
            <thead>
              <tr>
                <th scope="col">{t(language, "list.campaign")}</th>
                <th scope="col">{t(language, "list.product")}</th>
                <th scope="col">{t(language, "list.created")}</th>
                <th scope="col" class="n">
                  {t(language, "list.targeted")}
                </th>
                <th scope="col" class="n">
                  {t(language, "list.control")}
                </th>
                <th scope="col" class="n">
                  {t(language, "list.sent")}
                </th>
                <th scope="col" class="n">
                  {t(language, "list.clicked")}
                </th>
                <th scope="col" class="n">
                  {t(language, "list.converted")}
                </th>
              </tr>
            </thead>
            <tbody>
              {page.map((c) => (
                <tr>
                  <th scope="row">
                    <a href={`${base}/campaigns/${encodeURIComponent(c.campaignId)}`}>{c.name}</a>
                  </th>
                  <td data-label={t(language, "list.product")}>{productName(language, c.productCode)}</td>
                  <td data-label={t(language, "list.created")}>
                    <span>
                      <span class="when">{f.dateTime(c.createdAt)}</span>
                      <span class="sub">{t(language, "list.createdBy", { name: c.createdBy })}</span>
                    </span>
                  </td>
                  <td class="n" data-label={t(language, "list.targeted")}>
                    {f.integer(c.stats.targeted)}
                  </td>
                  <td class="n" data-label={t(language, "list.control")}>
                    {f.integer(c.stats.control)}
                  </td>
                  <td class="n" data-label={t(language, "list.sent")}>
                    {f.integer(c.stats.sent)}
                  </td>
                  <td class="n" data-label={t(language, "list.clicked")}>
                    {f.integer(c.stats.clicked)}
                  </td>
                  <td class="n" data-label={t(language, "list.converted")}>
                    {f.integer(c.stats.converted)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      <div class="pager">
        {!first && <a href={`${base}/campaigns?status=${status}`}>{t(language, "list.first")}</a>}
        {nextCursor && (
          <a href={`${base}/campaigns?status=${status}&cursor=${encodeURIComponent(nextCursor)}`}>
            {t(language, "list.next")}
          </a>
        )}
      </div>
    </Layout>
  );
}

const RUNNING: readonly CampaignStatus[] = ["launching", "sending"];

/** Why a lift cannot be measured, in the words of the results page and of the comparison beside it. */
export function liftTooSmallWords(language: Language, lift: Extract<Lift, { kind: "too_small" }>) {
  const f = formatsFor(language);
  return t(language, `results.tooSmall.${lift.reason}`, {
    control: f.integer(lift.controlSize),
    expected: f.decimal(lift.expectedControlConversions),
    minimum: lift.reason === "control_too_small" ? MIN_CONTROL_SIZE : MIN_EXPECTED_CONTROL_CONVERSIONS,
  });
}

function LiftPanel({ language, lift }: { language: Language; lift: Lift }) {
  const f = formatsFor(language);
  if (lift.kind === "too_small") return <p>{liftTooSmallWords(language, lift)}</p>;
  const verdict =
    lift.low > 0 ? "results.liftPositive" : lift.high < 0 ? "results.liftNegative" : "results.liftUnclear";
  return (
    <>
      <p class={`lift ${lift.low > 0 ? "good" : lift.high < 0 ? "bad" : ""}`} data-lift>
        {t(language, "results.liftValue", { lift: f.points(lift.lift) })}
      </p>
      <p data-interval>{t(language, "results.liftInterval", { low: f.points(lift.low), high: f.points(lift.high) })}</p>
      <p>{t(language, verdict)}</p>
      <p class="muted">{t(language, "results.liftExplained")}</p>
    </>
  );
}

export function CampaignResultsPage({
  view,
  campaign,
  stats,
  lift,
  review,
  breakdown,
}: {
  view: View;
  campaign: Campaign;
  stats: CampaignStats;
  lift: Lift;
  /** The review, the actions the person may take, and the history (review/panel.tsx). */
  review?: CampaignReviewData;
  /**
   * Launched campaigns only: the tables by reason, answer, tier, region and day (results/), and
   * where they come from (`found`: read now, or a large campaign's breakdown run).
   */
  breakdown?: { found: ResultsBreakdown; breakdown: CampaignBreakdown; tables: Table[] };
}) {
  const { language, base } = view;
  const f = formatsFor(language);
  const running = RUNNING.includes(campaign.status);
  const showProgress = running || campaign.status === "paused";
  const done = stats.sent + stats.failed + stats.unconfirmed;
  const suppressed = Object.values(stats.suppressed).reduce((a, b) => a + (b ?? 0), 0);
  const share = (n: number, of: number) => (of === 0 ? 0 : n / of);
  const steps = [
    { key: "results.step.customers", treated: stats.targeted, control: stats.control as number | null },
    { key: "results.step.sent", treated: stats.sent, control: null, stat: "sent" },
    { key: "results.step.clicked", treated: stats.clicked, control: null, stat: "clicked" },
    { key: "results.step.responded", treated: stats.responded, control: null, stat: "responded" },
    { key: "results.step.converted", treated: stats.converted, control: stats.controlConverted },
  ] as const;
  const who = (when: string | undefined, name: string | undefined) =>
    when ? t(language, "results.byWhom", { when: f.dateTime(when), name: name ?? "" }) : undefined;
  const facts: [string, string | undefined][] = [
    [t(language, "results.product"), productName(language, campaign.offer.productCode)],
    [
      t(language, "results.controlShare"),
      t(language, "results.controlShareValue", { percent: f.percent(campaign.controlGroupPercent / 100) ?? "" }),
    ],
    [t(language, "results.createdBy"), who(campaign.createdAt, campaign.createdBy)],
    [t(language, "results.approvedBy"), who(campaign.approvedAt, campaign.approvedBy)],
    [t(language, "results.launched"), who(campaign.launchedAt, campaign.launchedBy)],
    [t(language, "results.completed"), campaign.completedAt && f.dateTime(campaign.completedAt)],
  ];
  const rate = (r: number | null) => f.percent(r) ?? t(language, "results.noRate");
  return (
    <Layout view={view} title={campaign.name}>
      <p>
        <a href={`${base}/campaigns?status=${campaign.status}`}>{t(language, "results.back")}</a>
      </p>
      <h1>{campaign.name}</h1>
      {review && <CampaignReview view={view} campaign={campaign} review={review} />}
      <section class="card" aria-labelledby="about">
        <h2 id="about">{t(language, "results.about")}</h2>
        <dl class="facts">
          <dt>{t(language, "results.status")}</dt>
          <dd>
            <span class={`badge ${campaign.status}`}>{t(language, `status.${campaign.status}`)}</span>
            {campaign.status === "paused" && campaign.pauseReason && (
              <span class="sub">{t(language, "results.paused", { reason: campaign.pauseReason })}</span>
            )}
          </dd>
          {facts
            .filter(([, value]) => value)
            .map(([term, value]) => (
              <>
                <dt>{term}</dt>
                <dd>{value}</dd>
              </>
            ))}
        </dl>
      </section>
      <DraftPanel language={language} base={base} campaign={campaign} />
      {showProgress && (
        <section
          class="card"
          aria-labelledby="progress"
          data-progress-url={
            running ? `${base}/campaigns/${encodeURIComponent(campaign.campaignId)}/progress` : undefined
          }
          data-status={campaign.status}
        >
          <h2 id="progress">{t(language, "results.progress")}</h2>
          <progress data-progress max={Math.max(1, stats.targeted)} value={done} aria-labelledby="progress" />
          <p aria-live="polite">
            {CONSOLE_CATALOGUES[language]["results.progressValue"]
              .split(/(\{done\}|\{targeted\})/)
              .map((part) =>
                part === "{done}" ? (
                  <span data-stat="done">{f.integer(done)}</span>
                ) : part === "{targeted}" ? (
                  <span data-stat="targeted">{f.integer(stats.targeted)}</span>
                ) : (
                  part
                ),
              )}
          </p>
          {running && <p class="muted">{t(language, "results.refreshes")}</p>}
        </section>
      )}
      {/* Before a launch nothing went out: the review above says what would; a funnel of zeros would only confuse. */}
      {campaign.launchedAt && (
        <>
          <section class="card" aria-labelledby="funnel">
            <h2 id="funnel">{t(language, "results.funnel")}</h2>
            <section class="scroll" aria-labelledby="funnel" tabindex={0}>
              <table>
                <caption>{t(language, "results.funnelCaption")}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t(language, "results.step")}</th>
                    <th scope="col">{t(language, "results.treated")}</th>
                    <th scope="col">{t(language, "results.controlGroup")}</th>
                  </tr>
                </thead>
                <tbody>
                  {steps.map((step) => (
                    <tr>
                      <th scope="row">{t(language, step.key)}</th>
                      <td>
                        <span data-stat={"stat" in step ? step.stat : undefined}>{f.integer(step.treated)}</span>
                        <span class="sub">
                          {t(language, "results.ofGroup", {
                            percent: f.percent(share(step.treated, stats.targeted)) ?? "",
                          })}
                        </span>
                        <Bar share={share(step.treated, stats.targeted)} kind="treated" />
                      </td>
                      <td>
                        {step.control === null ? (
                          <span class="muted">{t(language, "results.notEmailed")}</span>
                        ) : (
                          <>
                            {f.integer(step.control)}
                            <span class="sub">
                              {t(language, "results.ofGroup", {
                                percent: f.percent(share(step.control, stats.control)) ?? "",
                              })}
                            </span>
                            <Bar share={share(step.control, stats.control)} kind="control" />
                          </>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
            {suppressed > 0 && (
              <p class="muted">{t(language, "results.suppressed", { count: f.integer(suppressed) })}</p>
            )}
            {stats.renewed > 0 && (
              <p class="muted" data-renewed>
                {t(language, "results.renewed", { count: f.integer(stats.renewed) })}
              </p>
            )}
          </section>
          <section class="card" aria-labelledby="rates">
            <h2 id="rates">{t(language, "results.rates")}</h2>
            <dl class="facts">
              <dt>{t(language, "results.clickRate")}</dt>
              <dd>{rate(stats.rates.clickRate)}</dd>
              <dt>{t(language, "results.responseRate")}</dt>
              <dd>{rate(stats.rates.responseRate)}</dd>
              <dt>{t(language, "results.conversionTreated")}</dt>
              <dd>{rate(stats.rates.conversionRate)}</dd>
              <dt>{t(language, "results.conversionControl")}</dt>
              <dd>{rate(stats.rates.controlConversionRate)}</dd>
            </dl>
          </section>
          <section class="card" aria-labelledby="lift">
            <h2 id="lift">{t(language, "results.lift")}</h2>
            <LiftPanel language={language} lift={lift} />
            <p>
              <a href={`${base}/compare?c=${encodeURIComponent(campaign.campaignId)}`}>
                {t(language, "analysis.compare.fromResults")}
              </a>
            </p>
          </section>
        </>
      )}
      {breakdown && breakdown.found.source !== "live" && (
        <BreakdownRunPanel
          language={language}
          base={base}
          path={view.path}
          csrf={view.session?.csrfToken ?? ""}
          campaignId={campaign.campaignId}
          found={breakdown.found}
        />
      )}
      {breakdown && (
        <BreakdownSections
          language={language}
          base={base}
          campaignId={campaign.campaignId}
          tables={breakdown.tables}
          breakdown={breakdown.breakdown}
        />
      )}
      {review && <CampaignHistory view={view} history={review.history} />}
      {running && <script src={`${base}/assets/${ASSETS.progress.name}`} defer />}
    </Layout>
  );
}

/** A page with a title, a message and perhaps a link: signed out, not found, refused, sign-in failed. */
export function MessagePage({
  view,
  title,
  message,
  link,
}: {
  view: View;
  title: string;
  message: string;
  link?: { href: string; text: string };
}) {
  return (
    <Layout view={view} title={title}>
      <h1>{title}</h1>
      <p>{message}</p>
      {link && (
        <p>
          <a href={link.href}>{link.text}</a>
        </p>
      )}
    </Layout>
  );
}
