// Periodic reporting in a real browser, on the demo story: the department leader notes the province's
// 2025 total of S&T personnel; the Hà An ward officer opens the ward's 2025 yearly S&T report, types "N/A"
// in a number (refused beside the field, everything typed kept), fills it and submits; the leader approves
// it and the aggregate on today's map shows the ward's figure at once. No console error anywhere.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { launchBrowser, startServer, watchedPage, signIn } from "./harness.js";

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


const PERSONNEL = "Nhân lực khoa học và công nghệ";

/** The 2025 total of S&T personnel on today's map, as the aggregates page shows it ("1.234" → 1234). */
async function personnel2025(page) {
  await page.goto(server.baseUrl + "/reports/aggregates?map=current&province=22&from=2025&to=2025");
  const text = await page.textContent(`#aggregates tr:has(th:has-text("${PERSONNEL}")) td.num`);
  return Number(text.trim().replaceAll(".", ""));
}

test("a ward fills and submits its yearly report, the department approves, the aggregate shows it", async () => {
  const leader = await watchedPage(browser);
  await signIn(leader.page, server.baseUrl, "lanhdao");
  const before = await personnel2025(leader.page);
  assert.ok(before > 0, "the other wards' 2025 reports are counted already");

  const expectedStatuses = {};
  const ward = await watchedPage(browser, { expectedStatuses });
  const page = ward.page;
  await signIn(page, server.baseUrl, "phuong.haan");
  await page.goto(server.baseUrl + "/reports");
  await page.click('#due-reports tr:has-text("Năm 2025") button[type=submit]');
  await page.waitForLoadState("load");
  assert.match(page.url(), /\/reports\/\d+\/edit$/);
  const formUrl = new URL(page.url());
  // Refusing "N/A" answers 422 on the form's address.
  expectedStatuses[formUrl.pathname] = [422];

  await page.fill("#f_orgs", "2");
  await page.fill("#f_staff", "N/A");
  await page.fill("#f_allocated", "2.000.000.000");
  await page.fill("#f_spent", "1.750.000.000");
  await page.fill("#f_tasks", "3");
  await page.click("button[value=submit]");
  await page.waitForLoadState("load");
  assert.match(await page.textContent("#f_staff-error"), /“N\/A” không phải là số/);
  assert.equal(await page.inputValue("#f_staff"), "N/A", "what was typed stays");
  assert.equal(await page.inputValue("#f_allocated"), "2.000.000.000");

  await page.fill("#f_staff", "321");
  await page.click("button[value=submit]");
  await page.waitForLoadState("load");
  assert.match(page.url(), /\/reports\/\d+\?done=submitted$/);
  const reportUrl = page.url().replace(/\?.*$/, "");
  assert.deepEqual(ward.problems, []);
  await ward.context.close();

  await leader.page.goto(reportUrl);
  await leader.page.click("button[value=approve]");
  await leader.page.waitForLoadState("load");
  assert.match(await leader.page.textContent(".badge.report-status-approved"), /./);
  const afterApproval = await personnel2025(leader.page);
  assert.equal(afterApproval, before + 321, "the approval is in the aggregate at once");
  assert.deepEqual(leader.problems, []);
  await leader.context.close();
});
