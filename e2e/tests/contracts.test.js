// Tasks under contract in a real browser, on the demo (issue 17): the officer finds the task whose milestone
// and instalment are late on the work page, opens it, records a payment beyond what the instalment owes
// (refused on the form, the amount typed kept), then the right amount; the leader reads the portfolio on a
// phone and the shrimp task's acceptance, graded Khá, with the rules that gave it; the host submits a progress
// report on a phone (refused first, what it typed kept) and the officer returns it with a reason. No console
// error anywhere.

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

const GREENHOUSE = "Ứng dụng công nghệ nhà màng thông minh trong sản xuất rau an toàn tại thành phố Hạ Long";

test("the officer pays a late instalment, refused beyond what it owes; the leader reads the portfolio and a grade", async () => {
  const expectedStatuses = {};
  const office = await watchedPage(browser, { expectedStatuses });
  const page = office.page;
  await signIn(page, server.baseUrl, "chuyenvien");

  // The work page names the task whose deadlines have passed.
  await page.click(`.work-list >> text=${GREENHOUSE}`);
  await page.waitForLoadState("load");
  const path = new URL(page.url()).pathname;
  assert.match(path, /^\/contracts\/\d+$/);
  assert.match(await page.textContent("main"), /Chưa cấp đủ/);
  expectedStatuses[`${path}/payments`] = [422];

  // Too much for the second instalment: refused on the form, what was typed kept.
  await page.click("text=Ghi nhận cấp kinh phí");
  await page.selectOption("#instalment", "2");
  await page.fill("#amount", "350.000.000");
  const today = new Date().toLocaleDateString("en-GB", { timeZone: "Asia/Ho_Chi_Minh" });
  await page.fill("#paid_on", today);
  await page.fill("#voucher", "UNC 412/KBNN-QN");
  await page.click("#instalments form button[type=submit]");
  await page.waitForLoadState("load");
  assert.match(await page.textContent("#amount-error"), /Vượt số còn lại của đợt cấp \(300\.000\.000 đ\)/);
  assert.equal(await page.inputValue("#amount"), "350.000.000");
  assert.equal(await page.inputValue("#voucher"), "UNC 412/KBNN-QN");

  await page.fill("#amount", "300.000.000");
  await page.click("#instalments form button[type=submit]");
  await page.waitForLoadState("load");
  assert.match(await page.textContent("main"), /Đã ghi nhận cấp kinh phí\./);
  assert.match(await page.textContent("main"), /750\.000\.000 đ/);
  assert.deepEqual(office.problems, []);
  await office.context.close();

  // The leader on a phone: the portfolio, then the shrimp task's grade and why.
  const lead = await watchedPage(browser, { context: { viewport: { width: 390, height: 844 } } });
  const leader = lead.page;
  await signIn(leader, server.baseUrl, "lanhdao");
  await leader.goto(server.baseUrl + "/contracts");
  assert.match(await leader.textContent("main"), /3 nhiệm vụ/);
  const overflow = await leader.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the portfolio fits the phone (${overflow}px too wide)`);
  await leader.click("main >> text=Ứng dụng công nghệ nuôi tôm thẻ chân trắng");
  await leader.waitForLoadState("load");
  assert.match(await leader.textContent("#acceptance"), /Khá/);
  assert.match(await leader.textContent("#acceptance"), /tiêu chí xuất sắc/);
  assert.deepEqual(lead.problems, []);
  await lead.context.close();
});

test("the host submits a progress report on a phone, refused first with what it typed kept; the officer returns it", async () => {
  const expectedStatuses = {};
  const host = await watchedPage(browser, { expectedStatuses, context: { viewport: { width: 390, height: 844 } } });
  const page = host.page;
  await signIn(page, server.baseUrl, "agritech");
  await page.goto(server.baseUrl + "/contracts");
  await page.click(`main >> text=${GREENHOUSE}`);
  await page.waitForLoadState("load");
  assert.match(await page.textContent("#reports"), /Đã chấp nhận/, "the first report was accepted");
  await page.click("#reports >> text=Báo cáo định kỳ lần 2");
  await page.waitForLoadState("load");
  const path = new URL(page.url()).pathname;
  assert.match(path, /^\/contracts\/\d+\/reports\/progress\/2$/);
  expectedStatuses[path] = [422];

  await page.fill("#work_done", "Lắp đặt nhà màng 5.000 m² và 24 cảm biến; sản xuất thử vụ đông.");
  await page.fill("#percent", "150");
  await page.fill("#spent_state", "100.000.000");
  await page.click("button[name=submit][value='1']");
  await page.waitForLoadState("load");
  assert.match(await page.textContent("#percent-error"), /Tiến độ phải từ 0 đến 100/);
  assert.match(await page.textContent("#products-error"), /bắt buộc/);
  assert.equal(await page.inputValue("#work_done"), "Lắp đặt nhà màng 5.000 m² và 24 cảm biến; sản xuất thử vụ đông.");
  assert.equal(await page.inputValue("#spent_state"), "100.000.000");
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the report's form fits the phone (${overflow}px too wide)`);

  await page.fill("#percent", "60");
  await page.fill("#products", "Nhà màng lắp đặt xong; hệ thống cảm biến vận hành thử.");
  await page.click("button[name=submit][value='1']");
  await page.waitForLoadState("load");
  assert.match(await page.textContent("main"), /Đã nộp báo cáo/);
  assert.match(await page.textContent("main"), /Chờ xem xét/);
  assert.deepEqual(host.problems, []);
  await host.context.close();

  // The officer finds it on the work page, cannot return it without a reason, then returns it with one.
  const office = await watchedPage(browser, { expectedStatuses: { [`${path}/decision`]: [422] } });
  const officer = office.page;
  await signIn(officer, server.baseUrl, "chuyenvien");
  await officer.click("text=Báo cáo định kỳ lần 2");
  await officer.waitForLoadState("load");
  assert.equal(new URL(officer.url()).pathname, path);
  assert.match(await officer.textContent("main"), /Lắp đặt nhà màng 5\.000 m²/);
  await officer.click("button[name=decision][value=return]");
  await officer.waitForLoadState("load");
  assert.match(await officer.textContent("#comment-error"), /bắt buộc/);
  await officer.fill("#comment", "Bổ sung ảnh hiện trường và nhật ký vận hành cảm biến.");
  await officer.click("button[name=decision][value=return]");
  await officer.waitForLoadState("load");
  assert.match(await officer.textContent("main"), /Đã trả lại báo cáo/);
  assert.deepEqual(office.problems, []);
  await office.context.close();
});
