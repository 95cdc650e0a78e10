/** This area's part of the console's one stylesheet (no style attributes: the CSP allows none). */
export const REVIEW_STYLE = "";

/** This area's script, served as its own asset; a page that needs it links ASSETS.review. */
export const REVIEW_SCRIPT = "";
