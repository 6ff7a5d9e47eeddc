// Working visits in a real browser, on the demo story: the department officer finds the visit of 27/02/2020
// in the calendar, downloads its notice of conclusions, records a conclusion at the Quảng Yên stop (a
// directive without a deadline is refused with the text kept), and the new directive shows on Quảng Yên's
// page and, for the leader, in the assignments with where it came from. An editor drafts the visit's news
// article for the portal. No console error anywhere.

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


const VISIT = "Làm việc tại thị xã Quảng Yên và thành phố Hạ Long về thực hiện Nghị quyết 07-NQ/TU";
const CONCLUSION = "Rà soát nhu cầu đổi mới công nghệ của các doanh nghiệp thủy sản trên địa bàn thị xã";

/** Drops the "aborted" report of a link that turned into a download. */
function forgetDownload(problems, pattern) {
  const aborted = problems.findIndex((p) => pattern.test(p) && /net::ERR_ABORTED$/.test(p));
  if (aborted >= 0) problems.splice(aborted, 1);
}

test("an officer opens the demo visit, downloads the notice and records a directive the locality then owes", async () => {
  const expectedStatuses = {};
  const office = await watchedPage(browser, { expectedStatuses });
  const page = office.page;
  await signIn(page, server.baseUrl, "chuyenvien");

  // The calendar: the month of the visit shows it on its day.
  await page.click(".main-nav >> text=Đoàn công tác");
  await page.waitForLoadState("load");
  assert.match(await page.textContent("#past-heading"), /Đã diễn ra/);
  await page.goto(server.baseUrl + "/visits?view=month&month=2020-02");
  assert.match(await page.textContent("#month-heading"), /Tháng 2\/2020/);
  await page.click(`.day-visits >> text=${VISIT}`);
  await page.waitForLoadState("load");
  assert.ok((await page.textContent("h1")).startsWith(VISIT));
  const visitUrl = page.url();

  // The notice of conclusions of the whole visit, as Word.
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.click(".page-head .actions >> text=Thông báo kết luận (Word)"),
  ]);
  assert.match(download.suggestedFilename(), /^thong-bao.*\.docx$/);
  assert.ok((await download.path()) !== null, "the file arrived");
  forgetDownload(office.problems, /notice\.docx/);

  // A conclusion at the Quảng Yên stop; first without a deadline: refused, nothing lost.
  const stop = page.locator("article.stop", { hasText: "UBND thị xã Quảng Yên" }).first();
  await stop.locator("text=Thêm kết luận").click();
  await page.waitForLoadState("load");
  // The refusal below answers 422 on the address the form posts to.
  expectedStatuses[await page.getAttribute("form.form", "action")] = [422];
  await page.fill("#text", CONCLUSION);
  // The town ended with the 2025 reform; the form still offers it, among those that ended, for a visit of 2020.
  const town = await page.locator("#lead_id option", { hasText: "UBND thị xã Quảng Yên" }).first().getAttribute("value");
  await page.selectOption("#lead_id", town);
  await page.check("input[name=deadline_kind][value=fixed]");
  await page.click("form.form button[type=submit]");
  await page.waitForLoadState("load");
  assert.match(await page.textContent("#deadline-error"), /Chỉ đạo cần có thời hạn/);
  assert.equal(await page.inputValue("#text"), CONCLUSION);
  await page.fill("#due_on", "30/06/2020");
  await page.click("form.form button[type=submit]");
  await page.waitForLoadState("load");
  assert.ok(page.url().startsWith(visitUrl), page.url());
  assert.match(await page.textContent(".notice"), /Đã thêm kết luận và chỉ đạo/);
  const conclusion = page.locator(".conclusion", { hasText: CONCLUSION });
  assert.match(await conclusion.textContent(), /30\/06\/2020/);

  // Quảng Yên's page: the visit it received and the directive it now owes.
  await page.locator("article.stop h3 >> text=UBND thị xã Quảng Yên").first().click();
  await page.waitForLoadState("load");
  assert.match(await page.textContent("#visits-received-heading + *"), new RegExp(VISIT.slice(0, 30)));
  const owed = await page.textContent("section[aria-labelledby=directives-owed-heading]");
  assert.match(owed, new RegExp(CONCLUSION));
  assert.deepEqual(office.problems, []);
  await office.context.close();

  // The leader sees it among the assignments, and where it came from.
  const lead = await watchedPage(browser);
  await signIn(lead.page, server.baseUrl, "lanhdao");
  await lead.page.goto(server.baseUrl + "/assignments");
  await lead.page.click(`text=${CONCLUSION}`);
  await lead.page.waitForLoadState("load");
  assert.match(await lead.page.textContent(".directive-origin"), /UBND thị xã Quảng Yên/);
  await lead.page.click(".directive-origin a");
  await lead.page.waitForLoadState("load");
  assert.ok(lead.page.url().startsWith(visitUrl), lead.page.url());
  assert.deepEqual(lead.problems, []);
  await lead.context.close();
});

test("an editor drafts the news article of the demo visit for the portal", async () => {
  const { context, page, problems } = await watchedPage(browser);
  await signIn(page, server.baseUrl, "bientap");
  await page.goto(server.baseUrl + "/visits?view=month&month=2020-02");
  await page.click(`.day-visits >> text=${VISIT}`);
  await page.waitForLoadState("load");
  const visitUrl = page.url();
  await page.click("#articles button[type=submit]");
  await page.waitForLoadState("load");
  assert.match(page.url(), /\/admin\/articles\/\d+\?done=created$/);
  assert.match(await page.textContent("main"), /Đã tạo bản nháp/);
  assert.equal(await page.inputValue("#title"), VISIT);
  // The draft is about the visit, and the visit's page lists it.
  const visitPath = new URL(visitUrl).pathname;
  assert.equal(await page.locator(`input[name=visits]`).first().getAttribute("value"), visitPath.split("/").pop());
  const articlePath = new URL(page.url()).pathname;
  await page.goto(visitUrl);
  assert.ok((await page.locator(`#articles a[href="${articlePath}"]`).count()) === 1, "the visit lists its draft");
  assert.deepEqual(problems, []);
  await context.close();
});
