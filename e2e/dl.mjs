import { writeFileSync } from "node:fs";
import { launchBrowser, startServer, signIn } from "./tests/harness.js";
const server = await startServer();
const browser = await launchBrowser();
const [user, ...paths] = process.argv.slice(2);
try {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await signIn(page, server.baseUrl, user);
  for (const p of paths) {
    const r = await page.request.get(server.baseUrl + p);
    const name = "/tmp/shots/" + p.replace(/[^a-z0-9.]+/gi, "_");
    writeFileSync(name, await r.body());
    console.log(r.status(), r.headers()["content-type"], name);
  }
} finally { await browser.close(); await server.stop(); }
