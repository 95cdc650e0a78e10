import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { chromium, type Page } from "playwright-core";
import { DEFAULT_DEV_USERS, parseDevUsers } from "../../infra/local/oidc-provider.js";

/**
 * Debian's Chromium, driven by playwright-core (never a browser download), headless, with a
 * fresh, empty profile per launch (Playwright gives every launch its own). Without Chromium
 * the browser tests are skipped locally; in CI (.ci/run installs it) they are required.
 */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const chromiumAvailable = existsSync(CHROMIUM);
if (!chromiumAvailable && process.env.CI)
  throw new Error(`Chromium is not at ${CHROMIUM}: .ci/run installs Debian's chromium package`);

/** The flags every launch uses: in a container, with nothing running in the background. */
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export const launchChromium = () => chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/**
 * axe-core's serious and critical violations on the page, as "rule: what (nodes)". It is
 * evaluated through the DevTools protocol, which the page's CSP does not block.
 */
export async function accessibilityProblems(page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(`axe.run(document, { resultTypes: ["violations"] }).then((r) => r.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => v.id + ": " + v.help + " (" + v.nodes.map((n) => n.target.join(" ")).join(", ") + ")"))`);
}

/** Console errors and warnings (a CSP violation is one), uncaught errors and 404s on the page, from here on. */
export function problemsOn(page: Page): string[] {
  const problems: string[] = [];
  page.on("console", (m) => (m.type() === "error" || m.type() === "warning" ? problems.push(m.text()) : undefined));
  page.on("pageerror", (error) => problems.push(error.message));
  page.on("response", (r) => (r.status() === 404 ? problems.push(`404 ${r.url()}`) : undefined));
  return problems;
}

const LOCAL_PEOPLE = parseDevUsers(DEFAULT_DEV_USERS);

/** A local person's password, as `npm start` prints it (the local provider's demo people). */
export function passwordOf(username: string): string {
  const person = LOCAL_PEOPLE.find((p) => p.username === username);
  if (!person) throw new Error(`no local person is called ${username}: see DEFAULT_DEV_USERS`);
  return person.password;
}

/**
 * Opens `url` on `page` and signs `username` in through the local provider's login page, as a
 * person would; the page is back at `url` after, in English (inEnglish).
 */
export async function signInAt(page: Page, url: string, username: string) {
  await page.goto(url);
  await page.getByLabel("User name").fill(username);
  await page.getByLabel("Password").fill(passwordOf(username));
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(url);
  await inEnglish(page);
}

/**
 * axe-core's serious and critical findings on the page as it is, and the elements that reach
 * past a phone's 390 px screen (a wide table scrolls in its own box, so the page does not); the
 * viewport is 1280 px again after.
 */
export async function pageProblems(page: Page): Promise<string[]> {
  const found = await accessibilityProblems(page);
  await page.setViewportSize({ width: 390, height: 844 });
  const tooWide = (await page.evaluate(TOO_WIDE)) as string[];
  await page.setViewportSize({ width: 1280, height: 800 });
  if (tooWide.length > 0) found.push(`at 390 px wider than the screen: ${tooWide.join(", ")}`);
  return found;
}

/**
 * Puts a console page just signed in back into English. The console remembers each person's
 * language by their user id, and the integration files share one platform and its people: a
 * file that left mei in Chinese would otherwise open the next file's pages in Chinese.
 */
export async function inEnglish(page: Page) {
  if ((await page.getAttribute("html", "lang")) === "en") return;
  const here = page.url();
  await page.getByRole("button", { name: "English" }).click();
  await page.waitForURL(here);
}

/** CONSOLE_SCREENSHOTS=docs/screenshots/console keeps the console's screenshots for the README; otherwise a temporary folder. */
export const CONSOLE_SHOTS_KEPT = process.env.CONSOLE_SCREENSHOTS;
const SHOT_WIDTHS = [1280, 390] as const;

/**
 * The whole page at a desktop's 1280 px and a phone's 390 px, as `<name>-<width>.png`; the
 * viewport is 1280 px again after. Taken only when someone will look at them
 * (CONSOLE_SCREENSHOTS, KEEP_SCREENSHOTS): in CI they cost the run time and nobody sees them.
 */
export async function screenshots(page: Page, folder: string, name: string) {
  if (!CONSOLE_SHOTS_KEPT && !process.env.KEEP_SCREENSHOTS) return;
  for (const width of SHOT_WIDTHS) {
    await page.setViewportSize({ width, height: width > 600 ? 800 : 844 });
    await page.evaluate("window.scrollTo(0, 0)");
    await page.screenshot({ path: join(folder, `${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 800 });
}

/**
 * The elements that reach past the screen's right edge when the page is wider than the screen
 * (none otherwise), the innermost ones only, each as tag#id.class.
 */
export const TOO_WIDE = `(() => {
  const root = document.documentElement;
  if (root.scrollWidth <= root.clientWidth) return [];
  const past = [...document.body.querySelectorAll("*")].filter((e) => e.getBoundingClientRect().right > root.clientWidth + 1);
  return past
    .filter((e) => !past.some((other) => other !== e && e.contains(other)))
    .slice(0, 5)
    .map((e) => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + [...e.classList].map((c) => "." + c).join(""));
})()`;
