// Signing in and out in a real browser with a demo account, the account page and a personal API token,
// the administration area, and the generic message for a wrong password.

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


test("a wrong password gets the generic message and keeps the username", async () => {
  const { context, page, problems } = await watchedPage(browser, { expectedStatuses: { "/login": [401] } });
  await page.goto(server.baseUrl + "/login");
  await page.fill("#username", "quantri");
  await page.fill("#password", "sai mật khẩu");
  await page.click("button[type=submit]");
  await page.waitForLoadState("load");
  assert.match(await page.textContent(".alert"), /Tên đăng nhập hoặc mật khẩu không đúng/);
  assert.equal(await page.inputValue("#username"), "quantri");
  assert.equal(await page.inputValue("#password"), "");
  assert.deepEqual(problems, []);
  await context.close();
});

test("an administrator signs in, creates an API token, opens the user list and signs out", async () => {
  const { context, page, problems } = await watchedPage(browser);
  await signIn(page, server.baseUrl, "quantri");
  assert.match(await page.textContent(".user-menu"), /Quản trị hệ thống/);

  await page.click(".user-menu a");
  await page.waitForLoadState("load");
  assert.match(await page.textContent("h1"), /Tài khoản của tôi/);
  await page.fill("#token-name", "Kết nối LGSP");
  await page.click("form[action=\"/account/tokens\"] button[type=submit]");
  await page.waitForLoadState("load");
  const token = (await page.textContent("#new-token")).trim();
  assert.match(token, /^tdk_[0-9a-f]{40}$/);
  const me = await fetch(server.baseUrl + "/api/v1/me", { headers: { authorization: `Bearer ${token}` } });
  assert.equal(me.status, 200);
  assert.equal((await me.json()).username, "quantri");

  await page.click(".main-nav >> text=Quản trị");
  await page.waitForLoadState("load");
  await page.click("main >> text=Người dùng");
  await page.waitForLoadState("load");
  assert.ok(await page.isVisible("text=phuong.haan"));
  await page.click("text=phuong.haan");
  await page.waitForLoadState("load");
  assert.match(await page.textContent("h1"), /Trần Văn Hải/);
  assert.ok(await page.isVisible("text=Lịch sử thay đổi"));

  await page.click("text=Đăng xuất");
  await page.waitForLoadState("load");
  assert.ok(await page.isVisible(".signin-link"));
  assert.deepEqual(problems, []);
  await context.close();
});

test("a locality officer cannot open the administration", async () => {
  const { context, page, problems } = await watchedPage(browser, { expectedStatuses: { "/admin/users": [403] } });
  await signIn(page, server.baseUrl, "phuong.haan");
  assert.equal(await page.isVisible(".main-nav >> text=Quản trị"), false);
  const response = await page.goto(server.baseUrl + "/admin/users");
  assert.equal(response.status(), 403);
  assert.match(await page.textContent("h1"), /Không có quyền truy cập/);
  assert.deepEqual(problems, []);
  await context.close();
});
