import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api } from "../integration/client.js";
import {
  CONSOLE_SHOTS_KEPT,
  chromiumAvailable,
  launchChromium,
  pageProblems,
  problemsOn,
  screenshots,
  signInAt,
} from "../support/browser.js";

/**
 * The admin pages in Debian's Chromium (issue #10): the administrator opens Admin from the
 * header, reads the exports trail filtered to one person and downloads it as CSV, reads the
 * audit trail of customer changes filtered to a kind and follows a row to the customer view;
 * the same pages in Chinese. axe-core and the 390 px check on every page; no page logs an error.
 */

const REGION = "ConsoleAdminR";

const CUSTOMERS_CSV = [
  "customerId,type,name,email,phone,aum,products,region,emailConsent",
  `AD-001,individual,Gao Yan,gao.yan@console-admin.test,+86 13712345678,320000,DEPOSIT_CURRENT,${REGION},true`,
  `AD-002,individual,Xu Lin,xu.lin@console-admin.test,,56000,DEPOSIT_CURRENT,${REGION},true`,
].join("\n");

describe.skipIf(!chromiumAvailable)("the admin pages, in a browser", () => {
  let browser: Browser;
  let folder: string;
  let consoleUrl: string;
  let page: Page;
  let seen: string[];

  /** axe-core's serious and critical findings, and whatever reaches past a phone's 390 px screen. */
  const checked = () => pageProblems(page);

  beforeAll(async () => {
    folder = CONSOLE_SHOTS_KEPT ?? mkdtempSync(join(tmpdir(), "console-admin-shots-"));
    mkdirSync(folder, { recursive: true });
    consoleUrl = (await api("GET", "/health", null)).body.console;
    expect((await api("POST", "/api/customers/import", "marketer", CUSTOMERS_CSV, "text/csv")).body.rejected).toEqual(
      [],
    );
    const segmentId = (
      await api("POST", "/api/segments", "marketer", {
        name: "Admin page savers",
        rule: { attr: "region", op: "eq", value: REGION },
      })
    ).body.segmentId;
    for (const reason of ["quarterly call list for the branch", "sample for the data-protection review"])
      expect(
        (await api("GET", `/api/segments/${segmentId}/export?reason=${encodeURIComponent(reason)}`, "admin")).status,
      ).toBe(200);
    const asked = await api("PATCH", "/api/customers/AD-001", "marketer", {
      changes: { occupation: "Architect" },
      reason: "the customer said so at the branch",
    });
    expect(asked.status).toBe(202);
    const deletion = await api("DELETE", "/api/customers/AD-002", "marketer", {
      reason: "duplicate of another record",
    });
    await api("POST", `/api/customers/AD-002/changes/${deletion.body.changeId}/reject`, "approver", {
      reason: "not a duplicate: different id numbers",
    });
    browser = await launchChromium();
    const context = await browser.newContext({ locale: "en-GB", viewport: { width: 1280, height: 800 } });
    page = await context.newPage();
    seen = problemsOn(page);
    await signInAt(page, `${consoleUrl}/admin`, "admin");
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    if (!CONSOLE_SHOTS_KEPT && folder) rmSync(folder, { recursive: true, force: true });
  });

  it("opens Admin from the header: the exports trail, the audit trail and the brand kit", async () => {
    // assess
    expect(await page.textContent("h1")).toBe("Admin");
    expect(await page.getByRole("link", { name: "Admin", exact: true }).getAttribute("aria-current")).toBe("page");
    expect(await page.getByRole("link", { name: /^Exports trail/ }).getAttribute("href")).toBe(
      "/console/admin/exports",
    );
    expect(await page.getByRole("link", { name: /^Audit trail of customer changes/ }).getAttribute("href")).toBe(
      "/console/admin/audit",
    );
    expect(await page.getByRole("link", { name: /^Brand kit/ }).getAttribute("href")).toBe("/console/admin/brand");
    expect(await checked()).toEqual([]);
    await screenshots(page, folder, "admin-en");
  });

  it("lists one person's exports, newest first, linked to the segment, and the CSV holds the rows shown", async () => {
    // prepare
    await page.getByRole("link", { name: /^Exports trail/ }).click();
    await page.waitForURL(`${consoleUrl}/admin/exports`);
    // act
    await page.getByLabel("Exported by (sign-in name)").fill("root");
    await page.getByRole("button", { name: "Show" }).click();
    await page.waitForURL(/\/admin\/exports\?.*actor=root/);
    const rows = page.locator("table[data-table=exports] tbody tr");
    const csvHref = await page.getByRole("link", { name: "Download this page as CSV" }).getAttribute("href");
    const csv = await (await page.request.get(new URL(csvHref!, consoleUrl).toString())).text();
    // assess
    const texts = await rows.allTextContents();
    const ours = texts.filter((text) => text.includes("Admin page savers"));
    expect(ours).toHaveLength(2);
    expect(ours[0]).toContain("sample for the data-protection review");
    expect(ours[1]).toContain("quarterly call list for the branch");
    expect(texts.every((text) => text.includes("root"))).toBe(true);
    expect(await rows.first().getByRole("link").first().getAttribute("href")).toMatch(/^\/console\/segments\//);
    expect(csv.split("\n").filter((line) => line.includes("Admin page savers"))).toHaveLength(2);
    expect(await checked()).toEqual([]);
    await screenshots(page, folder, "admin-exports-en");
  });

  it("lists the requested and rejected changes and follows a row to the customer view", async () => {
    // prepare
    await page.goto(`${consoleUrl}/admin/audit`);
    // act
    await page.getByLabel("Kind").selectOption("rejected");
    await page.getByLabel(/^Done by/).fill("li");
    await page.getByRole("button", { name: "Show" }).click();
    await page.waitForURL(/\/admin\/audit\?.*kind=rejected/);
    const rejected = page.locator("table[data-table=changes] tbody tr", { hasText: "AD-002" });
    // assess
    expect(await rejected.textContent()).toContain("Rejected because: not a duplicate: different id numbers");
    expect(await rejected.textContent()).toContain("asked for by mei");
    expect(await rejected.textContent()).toContain("Deletion of the customer");
    expect(await checked()).toEqual([]);
    await page.getByRole("link", { name: "Clear the filters" }).click();
    await page.getByLabel(/^Done by/).fill("mei");
    await page.getByLabel("Kind").selectOption("requested");
    await page.getByRole("button", { name: "Show" }).click();
    await page.waitForURL(/\/admin\/audit\?.*kind=requested/);
    const requested = page.locator("table[data-table=changes] tbody tr", { hasText: "AD-001" });
    expect(await requested.textContent()).toContain("Occupation: (empty) → Architect");
    expect(await requested.textContent()).toContain("still waiting for an approver");
    expect(await checked()).toEqual([]);
    await screenshots(page, folder, "admin-audit-en");
    await requested.getByRole("link", { name: "AD-001" }).click();
    await page.waitForURL(`${consoleUrl}/customers/AD-001`);
    expect(await page.textContent("h1")).toBe("Customer AD-001");
  });

  it("says the same in Chinese", async () => {
    // prepare
    await page.goto(`${consoleUrl}/admin`);
    // act
    await page.getByRole("button", { name: "中文" }).click();
    await page.waitForURL(`${consoleUrl}/admin`);
    // assess
    expect(await page.textContent("h1")).toBe("管理");
    expect(await page.getByRole("link", { name: /^客户变更审计记录/ }).count()).toBe(1);
    expect(await checked()).toEqual([]);
    await screenshots(page, folder, "admin-zh-CN");
    await page.goto(`${consoleUrl}/admin/exports?actor=root`);
    expect(await page.textContent("h1")).toBe("导出记录");
    expect(await page.getByRole("columnheader", { name: "导出原因" }).count()).toBe(1);
    expect(await checked()).toEqual([]);
    await screenshots(page, folder, "admin-exports-zh-CN");
    await page.goto(`${consoleUrl}/admin/audit?actor=mei&kind=requested`);
    expect(await page.textContent("h1")).toBe("客户变更审计记录");
    expect(await page.locator("table[data-table=changes] tbody tr", { hasText: "AD-001" }).textContent()).toContain(
      "仍在等待审批",
    );
    expect(await checked()).toEqual([]);
    await screenshots(page, folder, "admin-audit-zh-CN");
    await page.getByRole("button", { name: "English" }).click();
  });

  it("logged no error, CSP violation or missing file on any page", () => {
    expect(seen).toEqual([]);
  });
});
