// S&T tasks in a real browser, on the demo: Minh Hàn's applicant finds its unsent proposal on its work page,
// sees the similar tasks change as it retypes the name (the province's approved shrimp task among them),
// loses a save to a dropped link and gets what it typed back from the browser, is refused on sending
// because the budget's sources do not add up (nothing typed lost), fixes it and sends; the officer then
// finds it in the call and a council's rubric on its own page. No console error anywhere.

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

const DRAFT = "Ứng dụng công nghệ biofloc trong nuôi tôm thẻ chân trắng tại phường Hà An";
const APPROVED = "Ứng dụng công nghệ nuôi tôm thẻ chân trắng trong hệ thống tuần hoàn tại thị xã Quảng Yên";
const OBJECTIVES = "Giảm một nửa lượng nước thay và 20% thức ăn trong nuôi tôm tại phường Hà An.";

test("an applicant completes its draft: similar tasks, a lost save restored, a budget refused then sent", async () => {
  const expectedStatuses = {};
  const applicant = await watchedPage(browser, { expectedStatuses });
  const page = applicant.page;
  await signIn(page, server.baseUrl, "minhhan");

  // The work page says what to do next: the draft to send before the call's deadline.
  await page.click(`.work-list >> text=${DRAFT}`);
  await page.waitForLoadState("load");
  const proposalUrl = page.url();
  const id = new URL(proposalUrl).pathname.split("/").pop();
  const editPath = `/proposals/${id}/edit`;
  expectedStatuses[editPath] = [422];
  await page.click(`a[href="${editPath}"]`);
  await page.waitForLoadState("networkidle");

  // Similar tasks follow the name as it is typed: the province's approved task is public.
  await page.fill("#title", "Nuôi tôm thẻ chân trắng trong hệ thống tuần hoàn");
  await page.waitForFunction(
    (approved) => document.querySelector("#similar")?.textContent.includes(approved),
    APPROVED,
    { timeout: 10_000 },
  );
  await page.fill("#title", DRAFT);

  // A save lost on a dropped link: what was typed comes back from the browser.
  await page.fill("#objectives", OBJECTIVES);
  await page.route(`**${editPath}`, (route) =>
    route.request().method() === "POST" ? route.abort("internetdisconnected") : route.continue(),
  );
  await page.click("button[name=save]");
  await page.waitForTimeout(500);
  await page.unroute(`**${editPath}`);
  const lost = applicant.problems.findIndex((p) => p.includes(editPath) && p.includes("ERR_INTERNET_DISCONNECTED"));
  assert.ok(lost >= 0, `the save was cut: ${applicant.problems.join("\n")}`);
  applicant.problems.splice(lost, 1);
  await page.goto(server.baseUrl + editPath);
  await page.waitForLoadState("networkidle");
  assert.equal(await page.inputValue("#objectives"), "", "the server never got it");
  const restore = page.locator("[data-restore-for] button");
  await restore.waitFor({ state: "visible" });
  await restore.click();
  assert.equal(await page.inputValue("#objectives"), OBJECTIVES);

  // Sending with sources that do not add up to the total: refused, naming the total; nothing typed lost.
  await page.fill("#duration_months", "24");
  await page.click("button[name=send]");
  await page.waitForLoadState("load");
  assert.match(await page.textContent("#budget_total-error"), /khác tổng kinh phí/);
  assert.equal(await page.inputValue("#objectives"), OBJECTIVES);
  assert.equal(await page.inputValue("#duration_months"), "24");

  // Fixed, sent: the proposal waits for screening and the browser forgets the draft.
  await page.fill("[id='budget[0].amount']", "800.000.000");
  await page.click("button[name=send]");
  await page.waitForLoadState("load");
  assert.equal(new URL(page.url()).pathname, `/proposals/${id}`);
  assert.match(await page.textContent("main"), /Đã gửi đề xuất đến Sở Khoa học và Công nghệ\./);
  assert.match(await page.textContent("main"), /Đã gửi, chờ kiểm tra/);
  const kept = await page.evaluate(() => Object.keys(window.localStorage).filter((k) => k.startsWith("proposal-draft:")));
  assert.deepEqual(kept, [], "the draft kept in the browser is forgotten once saved");
  assert.deepEqual(applicant.problems, []);
  await applicant.context.close();

  // The officer finds it in the call, sent, and reads the 2020 council's rubric and rules.
  const office = await watchedPage(browser);
  const officer = office.page;
  await signIn(officer, server.baseUrl, "chuyenvien");
  await officer.goto(server.baseUrl + `/proposals/${id}`);
  assert.match(await officer.textContent("h1"), /biofloc/);
  await officer.goto(server.baseUrl + "/councils");
  await officer.click("main >> text=Hội đồng tư vấn xác định nhiệm vụ khoa học và công nghệ cấp tỉnh năm 2021");
  await officer.waitForLoadState("load");
  assert.match(await officer.textContent("main"), /Ít nhất 2\/3 số thành viên có mặt/);
  assert.equal(await officer.locator("a[href$='/settings']").count(), 0, "a closed council's rubric is fixed");
  assert.deepEqual(office.problems, []);
  await office.context.close();
});
