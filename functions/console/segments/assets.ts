/** This area's part of the console's one stylesheet (no style attributes: the CSP allows none). */
export const SEGMENTS_STYLE = "";

/** This area's script, served as its own asset; a page that needs it links ASSETS.segments. */
export const SEGMENTS_SCRIPT = "";
