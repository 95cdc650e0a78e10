/**
 * Every word the console says to the bank's staff, in English. zh-cn.ts has the same keys (a
 * unit test checks it). `{name}` is filled in by say() (say.ts).
 */
import { ADMIN_EN } from "../admin/copy.js";
import { ANALYSIS_EN } from "../analysis/copy.js";
import { BRAND_KIT_EN } from "../brand-kit/copy.js";
import { CAMPAIGN_EDITOR_EN } from "../campaign-editor/copy.js";
import { CUSTOMERS_EN } from "../customers/copy.js";
import { RESULTS_EN } from "../results/copy.js";
import { REVIEW_EN } from "../review/copy.js";
import { SEGMENTS_EN } from "../segments/copy.js";

export const EN = {
  ...SEGMENTS_EN,
  ...CAMPAIGN_EDITOR_EN,
  ...REVIEW_EN,
  ...RESULTS_EN,
  ...CUSTOMERS_EN,
  ...ANALYSIS_EN,
  ...BRAND_KIT_EN,
  ...ADMIN_EN,
  "app.title": "Cross-sell campaigns",
  "app.skip": "Skip to the content",
  "header.signedInAs": "Signed in as {name}, {role}",
  "header.language": "Language",
  "header.signOut": "Sign out",
  "nav.label": "Areas of the console",
  "nav.campaigns": "Campaigns",
  "nav.segments": "Segments",
  "nav.newCampaign": "New campaign",
  "nav.inbox": "Approvals",
  "nav.customers": "Customers",
  "nav.compare": "Compare",
  "nav.dataQuality": "Data quality",
  "nav.admin": "Admin",
  "role.marketer": "marketer",
  "role.approver": "approver",
  "role.analyst": "analyst",
  "role.admin": "administrator",
  "role.relationship_manager": "relationship manager",

  "status.draft": "Draft",
  "status.submitted": "Waiting for approval",
  "status.approved": "Approved",
  "status.launching": "Launching",
  "status.sending": "Sending",
  "status.paused": "Paused",
  "status.completed": "Completed",
  "status.cancelled": "Cancelled",

  "list.title": "Campaigns",
  "list.byStatus": "Campaigns by status",
  "list.caption": "{status} campaigns, newest first",
  "list.none": "No campaign is in this status.",
  "list.campaign": "Campaign",
  "list.product": "Product",
  "list.created": "Created",
  "list.createdBy": "by {name}",
  "list.targeted": "Customers targeted",
  "list.control": "Control group",
  "list.sent": "Emails sent",
  "list.clicked": "Clicked",
  "list.converted": "Converted",
  "list.next": "Next page",
  "list.first": "First page",
  "list.scroll": "The table scrolls sideways",

  "results.back": "← Back to the campaign list",
  "results.about": "About this campaign",
  "results.status": "Status",
  "results.product": "Product offered",
  "results.controlShare": "Control group",
  "results.controlShareValue": "{percent} of the eligible customers, not emailed",
  "results.createdBy": "Created",
  "results.approvedBy": "Approved",
  "results.launched": "Launched",
  "results.completed": "Completed",
  "results.byWhom": "{when} by {name}",
  "results.progress": "Progress",
  "results.progressValue": "{done} of {targeted} emails handled",
  "results.refreshes": "This part updates by itself every few seconds.",
  "results.queued": "Waiting to send",
  "results.sending": "Being sent",
  "results.paused": "Paused: {reason}",
  "results.funnel": "Funnel: treated and control side by side",
  "results.funnelCaption":
    "Customers at each step. Treated customers were emailed the offer; the control group was held back.",
  "results.step": "Step",
  "results.treated": "Treated (emailed)",
  "results.controlGroup": "Control (not emailed)",
  "results.step.customers": "Customers in the group",
  "results.step.sent": "Emails sent",
  "results.step.clicked": "Opened the offer",
  "results.step.responded": "Answered the offer",
  "results.step.converted": "Opened the product",
  "results.notEmailed": "not emailed",
  "results.ofGroup": "{percent} of the group",
  "results.rates": "Rates",
  "results.clickRate": "Click rate (of emails sent)",
  "results.responseRate": "Answer rate (of emails sent)",
  "results.conversionTreated": "Conversion rate, treated",
  "results.conversionControl": "Conversion rate, control",
  "results.noRate": "not yet known",
  "results.lift": "Lift over the control group",
  "results.liftValue": "{lift} percentage points",
  "results.liftInterval": "95% confidence interval: {low} to {high} percentage points",
  "results.liftExplained":
    "The conversion rate of the treated customers minus that of the control group. The interval is Newcombe's hybrid score interval.",
  "results.liftPositive":
    "The whole interval is above zero: the campaign very likely brought more customers to the product.",
  "results.liftNegative": "The whole interval is below zero: the campaign very likely did worse than sending nothing.",
  "results.liftUnclear": "The interval includes zero: the campaign cannot yet be told apart from sending nothing.",
  "results.tooSmall.control_too_small":
    "The control group has {control} customers: too few to measure a lift (at least {minimum} are needed).",
  "results.tooSmall.too_few_conversions_expected":
    "Too few conversions to expect in the control group ({expected}; at least {minimum} are needed) to measure a lift yet.",
  "results.suppressed": "Held back before sending: {count}",
  "results.renewed":
    "Sent again at the customer's request, from a link that had expired: {count}. Not counted as sent, so each customer counts once in the funnel and the rates.",

  "signedOut.title": "You have signed out",
  "signedOut.body": "Your console session has ended, here and at the sign-in service.",
  "signedOut.again": "Sign in again",
  "error.title": "Something is not right",
  "error.notFound": "There is no such campaign.",
  "error.forbidden": "This request did not come from a console page, so nothing was changed. Go back and try again.",
  "error.signIn": "The sign-in could not be completed: {reason}",
  "error.signInAgain": "Start the sign-in again",
  "error.notConfigured": "The console is not configured on this platform: it needs OIDC_ISSUER and CONSOLE_CLIENT_ID.",
} as const;

export type ConsoleCopyKey = keyof typeof EN;
