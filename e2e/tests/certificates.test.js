// S&T enterprise certificates in a real browser, on the demo: Hoàng Tân, whose certificate was revoked in
// 2024, applies again from its enterprise account. A tax code with a wrong check digit is named on the
// form and nothing typed is lost; fixed, the draft is saved, the checklist's documents attached and the
// dossier sent. The officer starts the check and asks for a supplement (the statutory clock shows paused),
// the enterprise answers, the officer finds it valid and the leader issues the certificate; the public
// register finds it by tax code. No console error anywhere.

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

const TAX_CODE = "5799990037";
const RESULT = "Chế phẩm vi sinh xử lý đáy ao nuôi tôm thế hệ hai";
const SUPPLEMENT = "Đề nghị bổ sung báo cáo tài chính năm đã kiểm toán.";

/** Today in Vietnam as the forms type it, dd/mm/yyyy. */
function today() {
  return new Intl.DateTimeFormat("en-GB", { timeZone: "Asia/Ho_Chi_Minh" }).format(new Date());
}

/** Takes a step of the application's page: opens its panel, fills `fields` (selector → value), sends it. */
async function step(page, action, fields = {}) {
  const panel = page.locator(`details:has(input[name="action"][value="${action}"])`);
  await panel.locator("summary").click();
  for (const [selector, value] of Object.entries(fields)) {
    await panel.locator(selector).fill(value);
  }
  await Promise.all([page.waitForNavigation(), panel.locator("button[type=submit]").click()]);
  await page.waitForLoadState("load");
}

/** Signs in as `username` in a fresh context and opens `path`; the page, and the problems seen. */
async function as(username, path) {
  const watched = await watchedPage(browser);
  watched.page.on("dialog", (d) => d.accept());
  await signIn(watched.page, server.baseUrl, username);
  await watched.page.goto(server.baseUrl + path);
  await watched.page.waitForLoadState("load");
  return watched;
}

test("an enterprise applies, is asked for a supplement, answers and is certified; the register finds it", async () => {
  const lastYear = String(new Date().getFullYear() - 1);
  const enterprise = await watchedPage(browser, {
    expectedStatuses: { "/certificates/applications/new": [422] },
  });
  const page = enterprise.page;
  page.on("dialog", (d) => d.accept());
  await signIn(page, server.baseUrl, "hoangtan");
  await page.goto(server.baseUrl + "/certificates/applications");
  await page.click('a[href="/certificates/applications/new"]');
  await page.waitForLoadState("load");

  // The dossier, with a tax code whose check digit is wrong.
  await page.fill("#enterprise_name", "Công ty TNHH công nghệ sinh học Hoàng Tân");
  await page.fill("#tax_code", "5799990038");
  await page.fill("#address", "Thôn 5, phường Hà An, tỉnh Quảng Ninh");
  await page.fill("#representative", "Lê Thị Thu, Giám đốc");
  await page.fill("#established_on", "03/04/2014");
  await page.selectOption("#size", "small");
  await page.selectOption("#result_kind_0", "patent");
  await page.fill("#result_title_0", RESULT);
  await page.fill("#result_reference_0", "1-0041234");
  await page.fill("#result_issued_on_0", "12/01/2026");
  await page.fill("#result_issuer_0", "Cục Sở hữu trí tuệ");
  await page.fill("#product_name_0", "Chế phẩm vi sinh BIO-HT2");
  await page.fill("#product_result_0", "1");
  await page.fill("#year_0", lastYear);
  await page.fill("#total_revenue_0", "9.000.000.000");
  await page.fill("#st_revenue_0", "3.600.000.000");
  await Promise.all([page.waitForNavigation(), page.click("button[name=save]")]);
  await page.waitForLoadState("load");
  assert.match(await page.textContent("#tax_code-error"), /sai chữ số kiểm tra/);
  assert.equal(await page.inputValue("#tax_code"), "5799990038", "the code typed is kept to correct");
  assert.equal(await page.inputValue("#result_title_0"), RESULT);
  assert.equal(await page.inputValue("#st_revenue_0"), "3.600.000.000");

  // Corrected, the draft is kept; the checklist's documents are attached and the dossier sent.
  await page.fill("#tax_code", TAX_CODE);
  await Promise.all([page.waitForNavigation(), page.click("button[name=save]")]);
  await page.waitForLoadState("load");
  const applicationPath = new URL(page.url()).pathname;
  assert.match(applicationPath, /^\/certificates\/applications\/\d+$/);
  assert.match(await page.textContent("main"), /Bản nháp/);
  for (const [document, name] of [["application_form", "don-de-nghi.pdf"], ["result_evidence", "bang-sang-che.pdf"]]) {
    await page.selectOption("#document", document);
    await page.setInputFiles("#file", {
      name,
      mimeType: "application/pdf",
      buffer: Buffer.from("%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"),
    });
    await Promise.all([page.waitForNavigation(), page.click('#documents button[type=submit]:not(.link-button)')]);
    await page.waitForLoadState("load");
  }
  assert.equal(await page.locator('#documents li[data-document="application_form"] a').count(), 1);
  await step(page, "submit");
  assert.match(await page.textContent("main"), /Đã tiếp nhận/);
  assert.match(await page.textContent("#clock"), /Còn 15 ngày/);

  // The officer starts the check and asks for a supplement: the clock pauses.
  const officer = await as("chuyenvien", applicationPath);
  await step(officer.page, "start_check");
  await step(officer.page, "request_supplement", { "textarea[name=note]": SUPPLEMENT });
  assert.match(await officer.page.textContent("#clock"), /Tạm dừng chờ bổ sung/);

  // The enterprise reads what is asked, and answers.
  await page.goto(server.baseUrl + applicationPath);
  await page.waitForLoadState("load");
  assert.match(await page.textContent("#timeline"), new RegExp(SUPPLEMENT));
  assert.match(await page.textContent("#clock"), /Tạm dừng chờ bổ sung/);
  await step(page, "answer_supplement");
  assert.match(await page.textContent("main"), /Đang kiểm tra hợp lệ/);
  assert.doesNotMatch(await page.textContent("#clock"), /Tạm dừng/);

  // The officer finds it valid; the leader issues the certificate.
  await officer.page.goto(server.baseUrl + applicationPath);
  await step(officer.page, "accept");
  const number = `07/${new Date().getFullYear()}/DNKHCN`;
  const leader = await as("lanhdao", applicationPath);
  await step(leader.page, "issue", {
    "input[name=number]": number,
    "input[name=decision_symbol]": "118/QĐ-SKHCN",
    "input[name=decision_date]": today(),
    "input[name=decision_signer]": "Hoàng Bá Nam, Giám đốc Sở Khoa học và Công nghệ",
  });
  assert.match(await leader.page.textContent("main"), /Đã cấp Giấy chứng nhận/);
  assert.match(await leader.page.textContent("main"), new RegExp(number));

  // The public register finds it by tax code, in force, beside the certificate revoked in 2024.
  const visitor = await watchedPage(browser);
  await visitor.page.goto(`${server.baseUrl}/registers/certificates?q=${TAX_CODE}`);
  const register = await visitor.page.textContent("main");
  assert.match(register, new RegExp(number));
  assert.match(register, /Còn hiệu lực/);
  assert.match(register, /Đã thu hồi/);
  assert.match(register, /BIO-HT2/);

  for (const w of [enterprise, officer, leader, visitor]) {
    assert.deepEqual(w.problems, []);
    await w.context.close();
  }
});
