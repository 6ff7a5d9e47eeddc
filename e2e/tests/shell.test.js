// The web shell in a real browser: home page, language switch remembered across pages, the 404 page,
// the phone menu and the API reference, with no console error or failed request anywhere.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { launchBrowser, startServer, watchedPage } from "./harness.js";

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

test("the home page loads in Vietnamese and switches to English and back", async () => {
  const { context, page, problems } = await watchedPage(browser);
  await page.goto(server.baseUrl + "/");
  assert.equal(await page.getAttribute("html", "lang"), "vi");
  assert.match(await page.textContent("h1"), /Theo dõi thực hiện nghị quyết/);

  await page.click("text=English");
  await page.waitForLoadState("load");
  assert.equal(await page.getAttribute("html", "lang"), "en");
  assert.match(await page.textContent("h1"), /Following through on resolutions/);

  // The choice is remembered: a plain link without ?lang stays in English.
  await page.click(".main-nav >> text=API reference");
  await page.waitForLoadState("load");
  assert.equal(await page.getAttribute("html", "lang"), "en");
  assert.match(await page.textContent("h1"), /Tiến Độ API/);

  await page.click("text=Tiếng Việt");
  await page.waitForLoadState("load");
  assert.equal(await page.getAttribute("html", "lang"), "vi");
  assert.deepEqual(problems, []);
  await context.close();
});

test("an unknown address shows the friendly 404 page", async () => {
  const { context, page, problems } = await watchedPage(browser, { expectedStatuses: { "/khong-co-trang-nay": [404] } });
  const response = await page.goto(server.baseUrl + "/khong-co-trang-nay");
  assert.equal(response.status(), 404);
  assert.match(await page.textContent("h1"), /Không tìm thấy trang/);
  await page.click("text=Về trang chủ");
  await page.waitForLoadState("load");
  assert.equal(new URL(page.url()).pathname, "/");
  assert.deepEqual(problems, []);
  await context.close();
});

test("on a phone the menu opens with the menu button", async () => {
  const { context, page, problems } = await watchedPage(browser, {
    context: { viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true },
  });
  await page.goto(server.baseUrl + "/");
  assert.equal(await page.isVisible("#main-nav"), false);
  await page.click(".nav-toggle");
  assert.equal(await page.isVisible("#main-nav"), true);
  assert.equal(await page.getAttribute(".nav-toggle", "aria-expanded"), "true");
  // Nothing overflows the screen horizontally.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `page is ${overflow}px wider than the screen`);
  assert.deepEqual(problems, []);
  await context.close();
});
