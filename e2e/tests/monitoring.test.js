// Resolution monitoring in a real browser, on the demo story: a ward official finishes the draft report on
// Minh Hàn's application (a percent out of range is refused with the text kept, then the report goes with a
// PDF as evidence); the department officer accepts it; the leader follows the dashboard's overdue number to
// the list behind it and downloads it as Excel. No console error anywhere.

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


const TASK = "5. Hỗ trợ Công ty TNHH thủy sản Minh Hàn hoàn thiện hồ sơ chứng nhận doanh nghiệp KH&CN";

test("a ward reports progress with evidence and the department accepts it", async () => {
  const expectedStatuses = {};
  const ward = await watchedPage(browser, { expectedStatuses });
  const page = ward.page;
  await signIn(page, server.baseUrl, "phuong.haan");
  await page.click(".main-nav >> text=Nhiệm vụ");
  await page.waitForLoadState("load");
  await page.click(`text=${TASK}`);
  await page.waitForLoadState("load");
  assert.match(await page.textContent(".facts"), /Có nguy cơ chậm/, "little progress close to the deadline");
  const assignmentUrl = page.url();

  // The draft: a percent out of range is named, and what was typed stays.
  await page.click(".update-draft >> text=Sửa");
  await page.waitForLoadState("load");
  // Refusing the percent below answers 422 on this form's address.
  expectedStatuses[new URL(page.url()).pathname] = [422];
  await page.fill("#narrative", "Doanh nghiệp đã hoàn thiện thuyết minh; hồ sơ nộp Sở trong tuần.");
  await page.fill("#percent", "150");
  await page.click("button[value=submit]");
  await page.waitForLoadState("load");
  assert.match(await page.textContent("#percent-error"), /Tiến độ phải từ 0 đến 100/);
  assert.equal(await page.inputValue("#narrative"), "Doanh nghiệp đã hoàn thiện thuyết minh; hồ sơ nộp Sở trong tuần.");

  await page.fill("#percent", "90");
  await page.setInputFiles("#evidence", {
    name: "Thuyết minh Minh Hàn.pdf",
    mimeType: "application/pdf",
    buffer: Buffer.from("%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"),
  });
  await page.click("button[value=submit]");
  await page.waitForLoadState("load");
  assert.equal(page.url(), assignmentUrl + "?done=submitted");
  assert.match(await page.textContent(".notice"), /Đã gửi báo cáo tiến độ/);
  assert.match(await page.textContent(".update-list"), /Thuyết minh Minh Hàn\.pdf/);
  assert.deepEqual(ward.problems, []);
  await ward.context.close();

  // The officer who assigned it is told, and accepts.
  const office = await watchedPage(browser);
  await signIn(office.page, server.baseUrl, "chuyenvien");
  await office.page.goto(server.baseUrl + "/notifications");
  assert.match(await office.page.textContent("main"), /Có báo cáo tiến độ mới/);
  await office.page.goto(assignmentUrl);
  await office.page.fill(".update-submitted textarea[name=comment]", "Đề nghị nộp hồ sơ trước ngày 05/12.");
  await office.page.click(".update-submitted button[value=accept]");
  await office.page.waitForLoadState("load");
  assert.match(await office.page.textContent(".notice"), /Đã chấp nhận báo cáo/);
  assert.match(await office.page.textContent(".facts"), /90%/);
  assert.deepEqual(office.problems, []);
  await office.context.close();
});

test("the leader drills down from the dashboard to the overdue list and downloads it", async () => {
  const { context, page, problems } = await watchedPage(browser);
  await signIn(page, server.baseUrl, "lanhdao");
  await page.click(".main-nav >> text=Điều hành");
  await page.waitForLoadState("load");
  const overdue = Number(await page.textContent(".kpi-danger .kpi-value"));
  assert.ok(overdue > 0, "the demo has overdue work");
  await page.click(".status-counts >> text=Quá hạn chưa hoàn thành");
  await page.waitForLoadState("load");
  assert.match(page.url(), /status=overdue/);
  assert.match(await page.textContent("#assignment-list"), new RegExp(`${overdue} nhiệm vụ`));
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("text=Tải Excel")]);
  assert.match(download.suggestedFilename(), /^giao-viec-\d{8}\.xlsx$/);
  assert.ok((await download.path()) !== null, "the file arrived");
  // The link turned into a download: Chromium reports the navigation as aborted.
  const aborted = problems.findIndex((p) => /assignments\.xlsx.*net::ERR_ABORTED$/.test(p));
  if (aborted >= 0) problems.splice(aborted, 1);
  // The old and the new map.
  await page.goto(server.baseUrl + "/localities?map=old");
  assert.match(await page.textContent("main"), /Thị xã Quảng Yên|thị xã Quảng Yên/);
  assert.deepEqual(problems, []);
  await context.close();
});
