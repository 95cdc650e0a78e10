/** This area's part of the console's one stylesheet (no style attributes: the CSP allows none). */
export const CAMPAIGN_EDITOR_STYLE = "";

/** This area's script, served as its own asset; a page that needs it links ASSETS.campaignEditor. */
export const CAMPAIGN_EDITOR_SCRIPT = "";
