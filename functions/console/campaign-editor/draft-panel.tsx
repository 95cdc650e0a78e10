/** @jsxImportSource hono/jsx */
import type { Campaign } from "../../../shared/campaigns/campaign.js";
import type { Language } from "../../../shared/kernel/language.js";
import { t } from "../copy/say.js";
import { formatsFor } from "../format.js";

/**
 * The campaign page's pointer to the wizard's own page for a campaign not yet approved: its
 * preview, test email and submission live there (draft-page.tsx). Nothing for any other status.
 */
export function DraftPanel({ language, base, campaign }: { language: Language; base: string; campaign: Campaign }) {
  if (campaign.status !== "draft" && campaign.status !== "submitted") return null;
  const f = formatsFor(language);
  return (
    <section class="card draft-panel" aria-labelledby="draft-panel">
      <h2 id="draft-panel">
        {t(language, campaign.status === "draft" ? "campaignEditor.summary" : "campaignEditor.waiting")}
      </h2>
      {campaign.status === "draft" && campaign.sentBack && (
        <p class="sent-back">
          {t(language, "campaignEditor.sentBack", {
            name: campaign.sentBack.by,
            when: f.dateTime(campaign.sentBack.at),
          })}
          <span class="sub">{t(language, "campaignEditor.sentBackReason", { reason: campaign.sentBack.reason })}</span>
        </p>
      )}
      <p>
        <a href={`${base}/campaigns/${encodeURIComponent(campaign.campaignId)}/draft`}>
          {t(language, campaign.status === "draft" ? "campaignEditor.openDraft" : "campaignEditor.openSubmitted")}
        </a>
      </p>
    </section>
  );
}
