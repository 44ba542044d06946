// Live reload in Firefox (Debian's firefox-esr, driven over WebDriver BiDi by puppeteer-core), with the
// browser's default settings and the site's real CSP. Run by tests/test_serve_browser.py:
//   node tests/firefox_reload.mjs http://127.0.0.1:PORT/actors/anna.html /path/to/anna.yaml
// It edits the YAML as a journalist would and prints one JSON line: the steps seen and every console error.
import { writeFileSync } from "node:fs";
import puppeteer from "puppeteer-core";

const [url, yamlPath] = process.argv.slice(2);
const CONNECTED = "!!window.LiveReload && window.LiveReload.connector.protocol >= 7";
const browser = await puppeteer.launch({ browser: "firefox", executablePath: "/usr/bin/firefox-esr", headless: true });
const result = { steps: [], errors: [] };
try {
  const page = await browser.newPage();
  page.on("console", (message) => message.type() === "error" && result.errors.push(message.text()));
  page.on("pageerror", (error) => result.errors.push(String(error)));
  await page.goto(url);

  async function saveAndWait(name, text, until) {
    await page.waitForFunction(CONNECTED, { timeout: 15000 });
    await page.evaluate("window.__beforeSave = true");
    writeFileSync(yamlPath, text);
    await page.waitForFunction(`window.__beforeSave === undefined && (${until})`, { timeout: 15000 });
    result.steps.push(name);
    await new Promise((resolve) => setTimeout(resolve, 600)); // the indexes' second reload lands
  }

  const h1 = "document.querySelector('h1').textContent";
  await saveAndWait("edit", "name: Anna Edited\nkind: person\nsources: [report]\n", `${h1}.includes('Anna Edited')`);
  await saveAndWait("break", "name: Anna Broken\nkind: persn\nsources: [report]\n", "!!document.querySelector('.casefile-errors')");
  await saveAndWait(
    "fix",
    "name: Anna Fixed\nkind: person\nsources: [report]\n",
    `!document.querySelector('.casefile-errors') && ${h1}.includes('Anna Fixed')`,
  );
} catch (error) {
  result.errors.push(`test: ${error}`);
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));
