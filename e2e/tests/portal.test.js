// The public portal in a real browser, on the demo story: the home page and the article about the working
// visit of 27/02/2020 pass an accessibility check (axe-core: no serious or critical violation); a reader
// posts a comment, sees it awaiting moderation, and a moderator approves it from the queue, after which
// every reader sees it. No console error anywhere (the Content-Security-Policy included).

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { after, before, test } from "node:test";
import { launchBrowser, startServer, watchedPage, signIn } from "./harness.js";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const ARTICLE = "/news/so-khcn-lam-viec-voi-thi-xa-quang-yen-va-thanh-pho-ha-long";

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

/** Runs axe-core in the page (through the DevTools protocol, which the page's CSP does not govern). */
async function seriousViolations(page) {
  await page.evaluate(axeSource);
  const results = await page.evaluate(async () =>
    // eslint-disable-next-line no-undef
    axe.run(document, { resultTypes: ["violations"], runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] } }),
  );
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}


test("the home page and the article page have no serious accessibility problem", async () => {
  const { context, page, problems } = await watchedPage(browser);
  await page.goto(server.baseUrl + "/");
  assert.match(await page.textContent("main"), /Sở Khoa học và Công nghệ cùng Viện Nghiên cứu và Phát triển Vùng/);
  assert.deepEqual(await seriousViolations(page), [], "home page");

  await page.click("text=Sở Khoa học và Công nghệ cùng Viện Nghiên cứu và Phát triển Vùng làm việc");
  await page.waitForLoadState("load");
  assert.equal(new URL(page.url()).pathname, ARTICLE);
  assert.equal(await page.locator("figure.article-photo").count(), 2, "two photos");
  assert.match(await page.textContent("figure.article-photo figcaption"), /Hoàng Bá Nam/);
  assert.equal(await page.getAttribute("meta[property='og:title']", "content"), await page.textContent("h1"));
  assert.match(await page.getAttribute("meta[property='og:image']", "content"), /\/media\/\d+\/large\.jpg$/);
  // The photos load (same origin, as the CSP requires).
  const natural = await page.evaluate(() => [...document.querySelectorAll("figure.article-photo img")].map((i) => i.naturalWidth));
  assert.ok(natural.every((w) => w > 0), `photos decoded: ${natural}`);
  assert.match(await page.textContent("#comments"), /Trần Thị Lan/, "the approved comment");
  assert.doesNotMatch(await page.textContent("#comments"), /Nguyễn Văn Hùng/, "not the pending one");
  assert.deepEqual(await seriousViolations(page), [], "article page");

  // Copy link says so, through the page's own script.
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.baseUrl });
  await page.click("button[data-copy]");
  await page.waitForFunction(() => document.querySelector(".share-status").textContent.length > 0);
  assert.match(await page.textContent(".share-status"), /Đã sao chép liên kết/);
  assert.deepEqual(problems, []);
  await context.close();
});

test("a reader's comment awaits moderation and appears once a moderator approves it", async () => {
  const reader = await watchedPage(browser);
  const page = reader.page;
  await page.goto(server.baseUrl + ARTICLE);
  await page.fill("#name", "Phạm Minh Đức");
  await page.fill("#email", "duc@example.vn");
  await page.fill("#text", "Đề nghị Sở công bố danh mục nhiệm vụ khoa học và công nghệ của thị xã Quảng Yên.");
  await page.click(".comment-form button[type=submit]");
  await page.waitForLoadState("load");
  assert.match(await page.textContent(".notice"), /đang chờ kiểm duyệt/);
  assert.match(await page.textContent(".comment.pending"), /Phạm Minh Đức/);
  assert.match(await page.textContent(".comment.pending .badge"), /Đang chờ kiểm duyệt/);
  // Others do not see it yet.
  const other = await watchedPage(browser);
  await other.page.goto(server.baseUrl + ARTICLE);
  assert.doesNotMatch(await other.page.textContent("#comments"), /Phạm Minh Đức/);

  const mod = await watchedPage(browser);
  await signIn(mod.page, server.baseUrl, "kiemduyet");
  await mod.page.goto(server.baseUrl + "/notifications");
  assert.match(await mod.page.textContent("main"), /Có bình luận chờ duyệt/);
  await mod.page.goto(server.baseUrl + "/admin/comments");
  const item = mod.page.locator(".queue-item", { hasText: "Phạm Minh Đức" });
  assert.match(await item.textContent(), /duc@example\.vn/, "moderators see the e-mail");
  await item.locator("button[name=one][value^=approve]").click();
  await mod.page.waitForLoadState("load");
  assert.match(await mod.page.textContent(".notice"), /Đã xử lý 1 bình luận/);

  await other.page.reload();
  assert.match(await other.page.textContent("#comments"), /Phạm Minh Đức/);
  assert.doesNotMatch(await other.page.textContent("#comments"), /duc@example\.vn/, "the e-mail is never shown");
  assert.deepEqual(reader.problems, []);
  assert.deepEqual(other.problems, []);
  assert.deepEqual(mod.problems, []);
  await reader.context.close();
  await other.context.close();
  await mod.context.close();
});
