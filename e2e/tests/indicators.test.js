// Indicators in a real browser, on the demo, on a phone (390 px): the leader opens the province's
// scorecard for 2025 (the tree of NQ 57 indicators with their figure, target, inline trend and status, the
// rule stated), which fits the screen and passes the accessibility check; clicks the share of S&T funds
// spent down to the approved reports behind it, with the arithmetic; and the share of reports sent on time
// in 2026 down to the reports counted. No console error anywhere.

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

async function seriousViolations(page) {
  await page.evaluate(axeSource);
  const results = await page.evaluate(async () =>
    // eslint-disable-next-line no-undef
    axe.run(document, { resultTypes: ["violations"], runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }),
  );
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

const SPENT = "Tỷ lệ giải ngân kinh phí khoa học và công nghệ";
const ON_TIME = "Tỷ lệ báo cáo định kỳ gửi đúng hạn";

test("the leader's scorecard fits a phone and every figure opens its sources with the arithmetic", async () => {
  const { context, page, problems } = await watchedPage(browser, { context: PHONE });
  await signIn(page, server.baseUrl, "lanhdao");
  const response = await page.goto(server.baseUrl + "/scorecard?year=2025");
  assert.equal(response.status(), 200);
  await page.waitForLoadState("load");
  assert.equal(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth), 0, "no sideways scroll");
  assert.deepEqual(await seriousViolations(page), []);
  assert.match(await page.textContent("#rule"), /80%/, "the status rule is stated");

  // The share of funds spent: a percentage computed from the wards' approved 2025 reports, with a trend.
  const row = page.locator(`#scorecard tr:has(th:has-text("${SPENT}"))`);
  const figure = (await row.locator("a.figure-value").textContent()).trim();
  assert.match(figure, /^\d+(,\d+)?$/, `a percentage: ${figure}`);
  assert.equal(await row.locator("svg.sparkline").count(), 1, "the trend is drawn");
  assert.match(await row.locator(".badge[class*=\"status-\"]").textContent(), /\S/, "a status");

  await row.locator("a.figure-value").click();
  await page.waitForLoadState("load");
  assert.match(page.url(), /\/indicators\/\d+\/sources\?/);
  assert.equal((await page.textContent("#result")).trim(), figure, "the same figure, with its arithmetic");
  assert.match(await page.textContent("#arithmetic"), /100 × \(KHCN\.CHI\.THUC\) \/ \(KHCN\.CHI\.CAP\)/);
  const reports = page.locator("table.sources tbody tr a[href^='/reports/']");
  assert.ok((await reports.count()) > 10, "the wards' approved reports are listed");
  await reports.first().click();
  await page.waitForLoadState("load");
  assert.match(page.url(), /\/reports\/\d+$/, "a source opens the report");

  // Reports sent on time in 2026 (the 2025 yearly reports, due in January): counted from the reports
  // themselves, each listed.
  await page.goto(server.baseUrl + "/scorecard?year=2026");
  await page.locator(`#scorecard tr:has(th:has-text("${ON_TIME}")) a`).nth(1).click();
  await page.waitForLoadState("load");
  assert.match(await page.textContent("main"), /Báo cáo định kỳ gửi đúng hạn/);
  assert.ok((await page.locator("table.sources tbody tr").count()) > 0, "the reports counted are listed");
  assert.deepEqual(problems, []);
  await context.close();
});
