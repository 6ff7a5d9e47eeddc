// Search in a real browser on the demo: the officer types in the header's search box without diacritics,
// sees the hits with the typed words highlighted, narrows them by type with a facet and opens one; a
// visitor searches the portal's public content. Vietnamese and English, no console error anywhere.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { launchBrowser, startServer, watchedPage, signIn } from "./harness.js";

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  // The demo's index is built in the background when the server starts: wait until /readyz says so.
  const deadline = Date.now() + 60_000;
  for (;;) {
    const body = await (await fetch(server.baseUrl + "/readyz")).text();
    if (body.includes("search: ready")) break;
    if (Date.now() > deadline) throw new Error(`the search index was not ready: ${body}`);
    await new Promise((r) => setTimeout(r, 200));
  }
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test("an officer finds the Quảng Yên visit typed without diacritics, narrows by type and opens it", async () => {
  const { page, problems } = await watchedPage(browser);
  await signIn(page, server.baseUrl, "chuyenvien");

  await page.fill("#header-q", "quang yen");
  await page.press("#header-q", "Enter");
  await page.waitForLoadState("load");
  assert.match(page.url(), /\/search\?q=quang\+yen/);
  assert.match(await page.textContent("#results-summary"), /Tìm thấy \d+ kết quả/);
  const marks = await page.locator(".hit mark").allTextContents();
  assert.ok(marks.some((m) => m === "Quảng") && marks.some((m) => m === "Yên"), `highlighted: ${marks}`);

  // Narrow to working visits with the type facet.
  await page.click(".facet >> text=Đoàn công tác");
  await page.waitForLoadState("load");
  assert.match(page.url(), /kind=visit/);
  assert.equal(await page.getAttribute(".facet a.selected", "aria-current"), "true");
  const kinds = await page.locator(".hit-kind").allTextContents();
  assert.ok(kinds.length > 0 && kinds.every((k) => k.startsWith("Đoàn công tác")), `only visits: ${kinds}`);

  await page.click(".hit-title a >> nth=0");
  await page.waitForLoadState("load");
  assert.match(page.url(), /\/visits\/\d+$/);
  assert.match(await page.textContent("h1"), /Quảng Yên/);

  // A typo two letters away: "did you mean".
  await page.goto(server.baseUrl + "/search?q=chuyeenn");
  assert.match(await page.textContent("#did-you-mean"), /Có phải bạn muốn tìm/);
  // In English.
  await page.goto(server.baseUrl + "/search?q=quang+yen&lang=en");
  assert.match(await page.textContent("#results-summary"), /\d+ results?/);
  assert.deepEqual(problems, []);
});

test("a visitor searches the portal's public content", async () => {
  const { page, problems } = await watchedPage(browser);
  await page.goto(server.baseUrl + "/");
  await page.click(".main-nav >> text=Tìm kiếm");
  await page.waitForLoadState("load");
  await page.fill("#search-q", "khoa hoc cong nghe quang yen");
  await page.click(".search-form button[type=submit]");
  await page.waitForLoadState("load");
  const links = await page.locator(".hit-title a").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
  assert.ok(links.some((href) => href.startsWith("/news/")), `the demo's article is found: ${links}`);
  // Public content only: the portal's articles and the tasks of the approved list, which open on the
  // portal's register (docs/st-tasks.md); never an internal page.
  assert.ok(
    links.every((href) => href.startsWith("/news/") || href.startsWith("/registers/tasks/")),
    `public content only: ${links}`,
  );
  assert.deepEqual(problems, []);
});
