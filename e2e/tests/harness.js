// Shared set-up of the browser tests: start the real tiendo binary on a free port with a fresh demo,
// launch Debian's Chromium through playwright-core, and record every console error, failed request
// and unexpected HTTP error so that a test can fail on them.

import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromium } from "playwright-core";

const root = resolve(import.meta.dirname, "..", "..");
const binary = process.env.TIENDO_BIN || join(root, "target", "debug", "tiendo");
const chromiumPath = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

function freePort() {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => ok(port));
    });
    server.on("error", fail);
  });
}

async function waitFor(url, child, output) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`tiendo exited early:\n${output.join("")}`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`tiendo did not answer ${url} within 60 s:\n${output.join("")}`);
}

/** Starts `tiendo demo` on a free port; returns { baseUrl, stop }. */
export async function startServer() {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), "tiendo-e2e-"));
  const output = [];
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("TIENDO_")));
  const child = spawn(binary, ["demo", "--listen", `127.0.0.1:${port}`, "--data-dir", join(dataDir, "demo")], {
    env: { ...env, NO_COLOR: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout.on("data", (d) => output.push(d.toString()));
  child.stderr.on("data", (d) => output.push(d.toString()));
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitFor(`${baseUrl}/healthz`, child, output);
  return {
    baseUrl,
    output,
    async stop() {
      child.kill("SIGTERM");
      await new Promise((r) => (child.exitCode !== null ? r() : child.on("exit", r)));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Launches headless Chromium with the flags this machine needs (no background networking). */
export async function launchBrowser() {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/**
 * A new page that records problems: console errors, page errors, failed requests and HTTP errors
 * (except the statuses listed in `expectedStatuses` for the URL paths that expect them).
 */
export async function watchedPage(browser, options = {}) {
  const context = await browser.newContext(options.context || {});
  const page = await context.newPage();
  const problems = [];
  const expected = options.expectedStatuses || {};
  page.on("console", (msg) => {
    if (msg.type() !== "error") return;
    // Chromium logs the expected error status of a page as "Failed to load resource"; that one is fine.
    const where = msg.location()?.url;
    const path = where ? new URL(where).pathname : "";
    const expectedHere = (expected[path] || []).some((s) => msg.text().includes(`status of ${s}`));
    if (!expectedHere) problems.push(`console error: ${msg.text()} (${where})`);
  });
  page.on("pageerror", (err) => problems.push(`page error: ${err.message}`));
  page.on("requestfailed", (req) => {
    // A resource the browser stops loading because the test leaves the page (the portal's lazy photos after
    // signing in, the logo, a stylesheet, a script) is not a fault, whatever its type; a resource that is
    // missing still shows as an HTTP error below. An aborted document is reported: it is either a
    // navigation that failed or a download, which the tests that expect one take out by name.
    if (req.resourceType() !== "document" && req.failure()?.errorText === "net::ERR_ABORTED") return;
    problems.push(`request failed: ${req.url()} ${req.failure()?.errorText}`);
  });
  page.on("response", (res) => {
    const path = new URL(res.url()).pathname;
    if (res.status() >= 400 && !(expected[path] || []).includes(res.status())) {
      problems.push(`HTTP ${res.status()}: ${res.url()}`);
    }
  });
  return { context, page, problems };
}

/** The password of every demo account. */
export const DEMO_PASSWORD = "TienDo@2026";

/**
 * Signs in through the sign-in form as a demo account and waits until the landing page has loaded
 * completely (its photos too, so that leaving it does not abort them).
 */
export async function signIn(page, baseUrl, username) {
  await page.goto(baseUrl + "/login");
  await page.fill("#username", username);
  await page.fill("#password", DEMO_PASSWORD);
  await page.click("form.form button[type=submit]");
  await page.waitForLoadState("networkidle");
}
