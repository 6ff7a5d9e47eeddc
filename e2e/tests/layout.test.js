// Every kind of page on a phone (390 px wide), the certificates' among them (the register, a certificate,
// the applications, the dossier's form and an application, for the public, the leader and an enterprise):
// the page itself never scrolls sideways (a wide table scrolls inside its own box, which then takes the
// keyboard focus), and no table squeezes a column to a word's width (lists stack their rows instead). And
// the error pages (403, 404) pass the same accessibility check as the others (axe-core: no serious or
// critical violation).

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { after, before, test } from "node:test";
import { launchBrowser, startServer, watchedPage, signIn } from "./harness.js";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** Runs axe-core in the page (through the DevTools protocol, which the page's CSP does not govern). */
async function seriousViolations(page) {
  await page.evaluate(axeSource);
  const results = await page.evaluate(async () =>
    // eslint-disable-next-line no-undef
    axe.run(document, { resultTypes: ["violations"], runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] } }),
  );
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

/** How many pixels the page is wider than the screen (0 when it fits). */
async function overflow(page) {
  return page.evaluate(() => Math.max(0, document.documentElement.scrollWidth - window.innerWidth));
}

/**
 * Table cells whose text is squeezed to a word's width (under 80 px inside their padding) while holding four words or more: a list that should
 * stack its rows on a phone (`table.stacked`) or let its wide headers wrap.
 */
async function squeezedCells(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll("main td, main tbody th")]
      .filter((cell) => {
        const style = getComputedStyle(cell);
        const width = cell.getBoundingClientRect().width - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
        return width > 0 && width < 80 && cell.innerText.trim().split(/\s+/).length >= 4;
      })
      .map((cell) => cell.innerText.trim().slice(0, 40)),
  );
}

/**
 * The pages to check: fixed addresses, and for a record page the first record linked from its list
 * (`[list, prefix]`), so that the test does not depend on the demo's numbering.
 */
const PAGES = {
  "": [
    "/", "/news", "/registers", "/registers/localities", "/units", "/address", "/search?q=khoa+h%E1%BB%8Dc", "/api/docs",
    "/login", "/news/so-khcn-lam-viec-voi-thi-xa-quang-yen-va-thanh-pho-ha-long", ["/units", "/units/"],
    "/registers/certificates", ["/registers/certificates", "/certificates/"],
  ],
  lanhdao: [
    "/dashboard", "/assignments", "/plans", "/documents", "/organizations", "/people", "/reports", "/reports/queue",
    "/reports/completeness", "/reports/aggregates", "/localities", "/overdue", "/visits", "/notifications", "/account",
    "/scorecard", "/scorecard?year=2025", "/indicators", ["/indicators", "/indicators/"],
    ["/assignments", "/assignments/"], ["/plans", "/plans/"], ["/documents", "/documents/"],
    ["/organizations", "/organizations/"], ["/people", "/people/"], ["/visits", "/visits/"],
    "/certificates/applications", ["/certificates/applications", "/certificates/applications/"],
    ["/registers/certificates", "/certificates/"],
  ],
  minhhan: [
    "/work", "/reports", "/certificates/applications", "/certificates/applications/new",
    ["/certificates/applications", "/certificates/applications/"], ["/registers/certificates", "/certificates/"],
  ],
  quantri: [
    "/admin", "/admin/users", "/admin/audit", "/admin/templates", "/admin/templates/certificate", "/admin/portal",
    "/admin/report-templates", ["/admin/users", "/admin/users/"],
  ],
};

/** The first link of the page at `list` whose address starts with `prefix` and goes on with a number. */
async function firstRecord(page, list, prefix) {
  await page.goto(server.baseUrl + list);
  const hrefs = await page.evaluate(() => [...document.querySelectorAll("main a[href]")].map((a) => a.getAttribute("href")));
  return hrefs.find((h) => h.startsWith(prefix) && /^\d/.test(h.slice(prefix.length)) && !h.includes("#"));
}

for (const [username, pages] of Object.entries(PAGES)) {
  test(`no page scrolls sideways nor squeezes a column to a word's width at 390 px (${username || "the public"})`, async () => {
    const { context, page, problems } = await watchedPage(browser, { context: PHONE });
    if (username) await signIn(page, server.baseUrl, username);
    const wide = [];
    for (const entry of pages) {
      const path = Array.isArray(entry) ? await firstRecord(page, entry[0], entry[1]) : entry;
      assert.ok(path, `a record linked from ${entry[0]}`);
      const response = await page.goto(server.baseUrl + path);
      assert.equal(response.status(), 200, path);
      await page.waitForLoadState("load");
      const extra = await overflow(page);
      if (extra > 0) wide.push(`${path}: ${extra}px wider than the screen`);
      const squeezed = await squeezedCells(page);
      if (squeezed.length > 0) wide.push(`${path}: ${squeezed.length} cells a word wide: ${squeezed.slice(0, 3).join(" | ")}`);
    }
    assert.deepEqual(wide, []);
    assert.deepEqual(problems, []);
    await context.close();
  });
}

test("the 404 and 403 pages have no serious accessibility problem", async () => {
  const missing = "/khong-co-trang-nay";
  const { context, page, problems } = await watchedPage(browser, { expectedStatuses: { [missing]: [404], "/admin/users": [403] } });
  assert.equal((await page.goto(server.baseUrl + missing)).status(), 404);
  assert.deepEqual(await seriousViolations(page), [], "404 page");
  await signIn(page, server.baseUrl, "phuong.haan");
  assert.equal((await page.goto(server.baseUrl + "/admin/users")).status(), 403);
  assert.deepEqual(await seriousViolations(page), [], "403 page");
  assert.deepEqual(problems, []);
  await context.close();
});

test("a wide table scrolls in a box that takes the focus, at 390 px", async () => {
  const { context, page, problems } = await watchedPage(browser, { context: PHONE });
  await page.goto(server.baseUrl + "/registers/localities");
  assert.deepEqual(await seriousViolations(page), [], "/registers/localities");
  await signIn(page, server.baseUrl, "quantri");
  await page.goto(server.baseUrl + "/admin/templates/certificate");
  assert.deepEqual(await seriousViolations(page), [], "/admin/templates/certificate");
  assert.deepEqual(problems, []);
  await context.close();
});
