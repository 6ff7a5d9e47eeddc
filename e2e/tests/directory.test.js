// Geography in a real browser: the units page with its old-map/new-map switch (fragment swapping and
// without script), a unit's lineage, and address resolution, with no console error or failed request.
// The directory pages need an account; the demo's accounts come with issue 4.

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

test("the units page switches between the old and the new map of Quảng Ninh", async () => {
  const { context, page, problems } = await watchedPage(browser);
  await page.goto(server.baseUrl + "/units");
  assert.match(await page.textContent("h1"), /Đơn vị hành chính theo thời gian/);
  assert.match(await page.textContent(".results-summary"), /34 tỉnh, thành phố/);

  await page.selectOption("#province", "22");
  await page.click("form.filters button[type=submit]");
  await page.waitForSelector("text=Các đơn vị của Tỉnh Quảng Ninh");
  assert.match(page.url(), /province=22/, "the address bar follows the filter");
  assert.equal(await page.locator("text=Phường Hà An").count() > 0, true);
  assert.equal(await page.locator(".unit-group h3").count(), 0, "no districts on the new map");

  // The old map: swapped in place by the script, with the districts and their communes.
  await page.click(".map-switch >> text=Bản đồ trước 01/07/2025");
  await page.waitForSelector(".unit-group h3 >> text=Thị xã Quảng Yên");
  assert.equal(await page.locator(".unit-group h3").count(), 13);
  assert.match(page.url(), /map=old/);
  assert.equal(await page.getAttribute(".map-switch a[aria-current=true]", "href"), "/units?map=old&province=22");
  assert.equal(await page.locator("text=Xã Hoàng Tân").count(), 1);

  // And back to the new map.
  // The summary reads the same on both maps, so wait for the swap itself: no district headings left.
  await page.click(".map-switch >> text=Bản đồ hiện hành");
  await page.waitForFunction(() => document.querySelectorAll(".unit-group h3").length === 0);
  await page.waitForSelector(".results-summary >> text=Các đơn vị của Tỉnh Quảng Ninh");
  assert.doesNotMatch(page.url(), /map=old/);
  assert.deepEqual(problems, []);
  await context.close();
});

test("without the script the map switch is a plain link", async () => {
  const { context, page, problems } = await watchedPage(browser, { context: { javaScriptEnabled: false } });
  await page.goto(server.baseUrl + "/units?province=22");
  await page.click(".map-switch >> text=Bản đồ trước 01/07/2025");
  await page.waitForLoadState("load");
  assert.match(page.url(), /map=old&province=22/);
  assert.equal(await page.locator(".unit-group h3").count(), 13);
  assert.deepEqual(problems, []);
  await context.close();
});

test("an old commune's page tells what it is today", async () => {
  const { context, page, problems } = await watchedPage(browser);
  await page.goto(server.baseUrl + "/units?map=old&province=22");
  await page.click("text=Xã Hoàng Tân");
  await page.waitForSelector("h1 >> text=Xã Hoàng Tân");
  assert.match(await page.textContent(".card.today"), /Phường Hà An/);
  await page.click(".card.today >> text=Phường Hà An");
  await page.waitForSelector("h1 >> text=Phường Hà An");
  assert.match(await page.textContent("#origins-heading"), /Trước ngày 01\/07\/2025 là/);
  assert.equal(await page.locator("#origins-heading + ul >> text=Xã Hoàng Tân").count(), 1);
  assert.deepEqual(problems, []);
  await context.close();
});

test("an address written before the reform resolves to today's ward, in both languages", async () => {
  const { context, page, problems } = await watchedPage(browser);
  await page.goto(server.baseUrl + "/address");
  await page.fill("#text", "thôn 3, xã Hoàng Tân, thị xã Quảng Yên, Quảng Ninh");
  await page.click("form button[type=submit]");
  await page.waitForSelector(".candidate");
  const best = page.locator(".candidate").first();
  assert.match(await best.textContent(), /Xã Hoàng Tân, Thị xã Quảng Yên, Tỉnh Quảng Ninh/);
  assert.match(await best.locator(".today-unit").textContent(), /Phường Hà An/);
  assert.match(await best.textContent(), /thôn 3/);
  assert.match(await best.textContent(), /Độ tin cậy \d+%/);

  await page.fill("#text", "khong co dia danh nao");
  await page.click("form button[type=submit]");
  await page.waitForSelector("text=Không có phần nào của địa chỉ");

  await page.click("text=English");
  await page.waitForLoadState("load");
  assert.match(await page.textContent("h1"), /Find the administrative unit of an address/);
  assert.match(await page.textContent(".resolution"), /No part of the address/);
  assert.deepEqual(problems, []);
  await context.close();
});

test("an unknown unit code gets the friendly 404 page", async () => {
  const { context, page, problems } = await watchedPage(browser, { expectedStatuses: { "/units/99999": [404] } });
  const response = await page.goto(server.baseUrl + "/units/99999");
  assert.equal(response.status(), 404);
  assert.match(await page.textContent("h1"), /Không có đơn vị hành chính này/);
  assert.deepEqual(problems, []);
  await context.close();
});
