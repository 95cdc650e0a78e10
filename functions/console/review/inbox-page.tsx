/** @jsxImportSource hono/jsx */
import type { Campaign } from "../../../shared/campaigns/campaign.js";
import type { CustomerChange } from "../../../shared/customers/changes.js";
import { PRODUCT_CATALOGUE } from "../../../shared/kernel/products.js";
import { CONSOLE_CATALOGUES, type ConsoleCopyKey, t } from "../copy/say.js";
import { formatsFor } from "../format.js";
import { Layout, type View } from "../pages.js";

/** A submitted campaign as the inbox lists it, with its segment's name. */
export type WaitingCampaign = { campaign: Campaign; segmentName?: string };

const DONE = ["applied", "rejected"] as const;
/** What a decision on a change can meet: the checker's own change, one decided meanwhile, a reason too short. */
export const CHANGE_PROBLEMS = ["ownChange", "decided", "reason"] as const;

/** A field's name in the reader's language; a field the catalogue does not know is shown as it is stored. */
const fieldName = (view: View, field: string) => {
  const key = `review.field.${field}`;
  return Object.hasOwn(CONSOLE_CATALOGUES[view.language], key) ? t(view.language, key as ConsoleCopyKey) : field;
};

/**
 * The approver's inbox: the campaigns that wait for their decision, oldest first (the one that
 * has waited longest is the first to look at), and the customer changes that wait for a checker,
 * their values as the approver's role may see them.
 */
export function InboxPage({
  view,
  campaigns,
  changes,
}: {
  view: View;
  campaigns: WaitingCampaign[];
  changes: CustomerChange[];
}) {
  const { language, base, session } = view;
  const f = formatsFor(language);
  const me = session?.user.name;
  const done = DONE.find((d) => new URL(view.path, "http://console").searchParams.get("done") === d);
  const problem = CHANGE_PROBLEMS.find((p) => new URL(view.path, "http://console").searchParams.get("problem") === p);
  const empty = t(language, "review.inbox.empty");
  return (
    <Layout view={view} title={t(language, "review.inbox.title")}>
      <div class="review-area inbox">
        <h1>{t(language, "review.inbox.title")}</h1>
        <p>{t(language, "review.inbox.intro")}</p>
        {done && (
          <p class="notice done" role="status">
            {t(language, `review.done.${done}`)}
          </p>
        )}
        {problem && (
          <div class="notice problem" role="alert">
            <strong>{t(language, "review.error.title")}</strong> {t(language, `review.inbox.problem.${problem}`)}
          </div>
        )}
        <section class="card" aria-labelledby="waiting-campaigns">
          <h2 id="waiting-campaigns">
            {t(language, "review.inbox.campaigns", { count: f.integer(campaigns.length) })}
          </h2>
          {campaigns.length === 0 ? (
            <p data-empty="campaigns">{t(language, "review.inbox.noCampaigns")}</p>
          ) : (
            <section class="scroll" aria-labelledby="waiting-campaigns">
              <table class="list" data-waiting="campaigns">
                <caption>{t(language, "review.inbox.campaignsCaption")}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t(language, "review.inbox.campaign")}</th>
                    <th scope="col">{t(language, "review.inbox.product")}</th>
                    <th scope="col">{t(language, "review.inbox.segment")}</th>
                    <th scope="col">{t(language, "review.inbox.submitted")}</th>
                  </tr>
                </thead>
                <tbody>
                  {campaigns.map(({ campaign, segmentName }) => {
                    const product = PRODUCT_CATALOGUE[campaign.offer.productCode];
                    return (
                      <tr>
                        <th scope="row">
                          <a href={`${base}/campaigns/${encodeURIComponent(campaign.campaignId)}`}>{campaign.name}</a>
                          {campaign.createdBy === me && <span class="sub">{t(language, "review.inbox.yours")}</span>}
                        </th>
                        <td data-label={t(language, "review.inbox.product")}>
                          {language === "zh-CN" ? product.nameZh : product.nameEn}
                        </td>
                        <td data-label={t(language, "review.inbox.segment")}>
                          <span>
                            {segmentName ?? campaign.segmentId}
                            <span class="sub">
                              {t(language, "review.inbox.segmentVersion", { version: campaign.segmentVersion })}
                            </span>
                          </span>
                        </td>
                        <td data-label={t(language, "review.inbox.submitted")}>
                          {t(language, "review.inbox.byWhom", {
                            when: f.dateTime(campaign.submittedAt ?? campaign.createdAt),
                            name: campaign.submittedBy ?? campaign.createdBy,
                          })}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </section>
          )}
        </section>
        <section class="card" aria-labelledby="waiting-changes">
          <h2 id="waiting-changes">{t(language, "review.inbox.changes", { count: f.integer(changes.length) })}</h2>
          {changes.length === 0 ? (
            <p data-empty="changes">{t(language, "review.inbox.noChanges")}</p>
          ) : (
            <ul class="changes" data-waiting="changes">
              {changes.map((change) => {
                const id = `change-${change.changeId}`;
                const action = `${base}/inbox/changes/${encodeURIComponent(change.customerId)}/${encodeURIComponent(change.changeId)}`;
                return (
                  <li class="change" aria-labelledby={id}>
                    <h3 id={id}>
                      {t(language, `review.inbox.kind.${change.kind}`)} · {t(language, "review.inbox.customer")}{" "}
                      <code>{change.customerId}</code>
                    </h3>
                    <dl class="facts">
                      {change.kind === "edit" && (
                        <>
                          <dt>{t(language, "review.inbox.change")}</dt>
                          <dd>
                            <ul>
                              {Object.entries(change.fields).map(([field, { before, after }]) => (
                                <li>
                                  {t(language, "review.inbox.field", {
                                    field: fieldName(view, field),
                                    before: before ?? empty,
                                    after: after ?? empty,
                                  })}
                                </li>
                              ))}
                            </ul>
                          </dd>
                        </>
                      )}
                      <dt>{t(language, "review.inbox.reason")}</dt>
                      <dd>{change.reason}</dd>
                      <dt>{t(language, "review.inbox.requested")}</dt>
                      <dd>
                        {t(language, "review.inbox.byWhom", {
                          when: f.dateTime(change.requestedAt),
                          name: change.requestedBy,
                        })}
                      </dd>
                    </dl>
                    <div class="decide">
                      {change.requestedBy === me ? (
                        <p class="muted">{t(language, "review.inbox.ownChange")}</p>
                      ) : (
                        <form method="post" action={`${action}/apply`}>
                          <input type="hidden" name="csrf" value={session?.csrfToken ?? ""} />
                          <button type="submit" class="primary" aria-describedby={id}>
                            {t(language, "review.inbox.apply")}
                          </button>
                        </form>
                      )}
                      <details>
                        <summary>{t(language, "review.inbox.reject")}</summary>
                        <form method="post" action={`${action}/reject`}>
                          <input type="hidden" name="csrf" value={session?.csrfToken ?? ""} />
                          <label for={`${id}-reason`}>{t(language, "review.inbox.rejectReason")}</label>
                          <textarea id={`${id}-reason`} name="reason" rows={2} minlength={5} maxlength={500} required />
                          <button type="submit">{t(language, "review.inbox.rejectConfirm")}</button>
                        </form>
                      </details>
                    </div>
                  </li>
                );
              })}
            </ul>
          )}
        </section>
      </div>
    </Layout>
  );
}

/** The step before a cancel: what it means, and a box to tick, so that no one cancels by a slip. */
export function CancelPage({ view, campaign }: { view: View; campaign: Campaign }) {
  const { language, base, session } = view;
  const here = `${base}/campaigns/${encodeURIComponent(campaign.campaignId)}`;
  const title = t(language, "review.cancelTitle", { name: campaign.name });
  return (
    <Layout view={view} title={title}>
      <div class="review-area cancel-confirm">
        <h1>{title}</h1>
        <p class="notice problem">{t(language, "review.cancelWarning")}</p>
        <form method="post" action={`${here}/cancel`} class="card">
          <input type="hidden" name="csrf" value={session?.csrfToken ?? ""} />
          <p class="check">
            <input type="checkbox" id="cancel-confirm" name="confirm" value="yes" required />
            <label for="cancel-confirm">{t(language, "review.cancelConfirmLabel")}</label>
          </p>
          <p class="actions">
            <button type="submit" class="danger">
              {t(language, "review.cancelConfirm")}
            </button>
            <a href={here}>{t(language, "review.cancelKeep")}</a>
          </p>
        </form>
      </div>
    </Layout>
  );
}
