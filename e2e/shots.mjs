// Ad-hoc screenshots (not a test, not committed).
import { launchBrowser, startServer, signIn } from "./tests/harness.js";
const server = await startServer();
const browser = await launchBrowser();
const plan = JSON.parse(process.argv[2]);
try {
  for (const [user, paths] of Object.entries(plan)) {
    for (const width of [1366, 390]) {
      const ctx = await browser.newContext({ viewport: { width, height: 900 }, locale: "vi-VN" });
      const page = await ctx.newPage();
      if (user !== "public") await signIn(page, server.baseUrl, user);
      for (const p of paths) {
        await page.goto(server.baseUrl + p);
        const name = `${user}_${p.replace(/[^a-z0-9]+/gi, "_")}_${width}.png`;
        await page.screenshot({ path: `/tmp/shots/${name}`, fullPage: true });
        console.log(name, page.url());
      }
      await ctx.close();
    }
  }
} finally {
  await browser.close();
  await server.stop();
}
