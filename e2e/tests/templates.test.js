// Document templates in a real browser: an administrator edits the template of a decision, sees the
// live preview change, downloads the draft as DOCX, saves it, is told which field and line are wrong
// when a placeholder is unknown (with the text kept), and restores the default; the preview button also
// works without JavaScript. No console error anywhere.

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


test("an administrator edits a template with a live preview, saves it and is told about an unknown field", async () => {
  const { context, page, problems } = await watchedPage(browser, {
    expectedStatuses: { "/admin/templates/decision": [422] },
  });
  await signIn(page, server.baseUrl, "quantri");
  await page.click(".main-nav >> text=Quản trị");
  await page.waitForLoadState("load");
  await page.click("main >> text=Mẫu văn bản");
  await page.waitForLoadState("load");
  await page.click("text=Quyết định");
  await page.waitForLoadState("load");
  assert.match(await page.textContent("h1"), /Mẫu văn bản: Quyết định/);
  assert.match(await page.textContent("#template-preview .doc"), /Theo đề nghị của Trưởng phòng Quản lý khoa học\./);
  assert.ok(await page.isVisible("#template-fields >> text={{decision.subject}}"));

  // Typing changes the preview without reloading the page.
  const original = await page.inputValue("#source");
  const edited = original.replace("Theo đề nghị của {{proposer}}.", "Theo đề nghị của {{proposer}} (bản thử nghiệm).");
  assert.notEqual(edited, original);
  await page.fill("#source", edited);
  await page.waitForFunction(() =>
    document.querySelector("#template-preview .doc")?.textContent.includes("Trưởng phòng Quản lý khoa học (bản thử nghiệm)."),
  );
  assert.equal(page.url(), server.baseUrl + "/admin/templates/decision");

  // The draft downloads as a Word file without being saved.
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("text=Tải bản DOCX")]);
  assert.equal(download.suggestedFilename(), "quyet-dinh-so-01-qd-skhcn.docx");
  assert.ok((await download.path()) !== null, "the file arrived");
  // Chromium reports the form submission that turned into a download as an aborted request: expected.
  const aborted = problems.findIndex((p) => /\/admin\/templates\/decision\/preview net::ERR_ABORTED$/.test(p));
  if (aborted >= 0) problems.splice(aborted, 1);

  await page.click("text=Lưu thành phiên bản mới");
  await page.waitForLoadState("load");
  assert.match(await page.textContent("#template-notice"), /Đã lưu phiên bản 1/);
  assert.match(await page.textContent("#active-version"), /Đang dùng phiên bản 1, do quantri lưu lúc/);
  assert.match(await page.textContent("#template-versions"), /Lưu nội dung mới/);
  assert.match(await page.textContent(".history"), /Lưu mẫu Quyết định phiên bản 1/);

  // An unknown field: the live preview names it, and saving is refused with the line and the text kept.
  const wrong = edited.replace("{{decision.subject}}", "{{decision.subjet}}");
  await page.fill("#source", wrong);
  await page.waitForSelector("#preview-error");
  assert.match(await page.textContent("#preview-error"), /«decision\.subjet»/);
  await page.click("text=Lưu thành phiên bản mới");
  await page.waitForLoadState("load");
  const message = await page.textContent("#source-error");
  assert.match(message, /Dòng 1/);
  assert.match(message, /không có trường «decision\.subjet»/);
  assert.match(message, /Có phải ý bạn là «decision\.subject»\?/);
  assert.equal(await page.inputValue("#source"), wrong);
  assert.equal(await page.evaluate(() => document.activeElement?.id), "source", "the cursor is on the wrong line");
  assert.equal(await page.locator("#template-versions tbody tr").count(), 1);

  // Back to the program's default.
  page.once("dialog", (dialog) => dialog.accept());
  await page.click("#restore-default");
  await page.waitForLoadState("load");
  assert.match(await page.textContent("#template-notice"), /Đã khôi phục mẫu mặc định \(phiên bản 2\)/);
  assert.doesNotMatch(await page.textContent("#template-preview .doc"), /bản thử nghiệm/);

  assert.deepEqual(problems, []);
  await context.close();
});

test("the preview button works without JavaScript", async () => {
  const { context, page, problems } = await watchedPage(browser, { context: { javaScriptEnabled: false } });
  await signIn(page, server.baseUrl, "quantri");
  await page.goto(server.baseUrl + "/admin/templates/certificate");
  const original = await page.inputValue("#source");
  await page.fill("#source", original.replace("! CHỨNG NHẬN", "! CHỨNG NHẬN (BẢN XEM THỬ)"));
  await page.click("button[data-preview-button]");
  await page.waitForLoadState("load");
  assert.match(await page.textContent("#template-preview .doc"), /CHỨNG NHẬN \(BẢN XEM THỬ\)/);
  assert.match(await page.inputValue("#source"), /BẢN XEM THỬ/);
  assert.match(await page.textContent("#active-version"), /mẫu mặc định/, "nothing was saved");
  assert.deepEqual(problems, []);
  await context.close();
});
