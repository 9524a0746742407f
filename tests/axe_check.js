// Runs axe-core (every rule but the experimental ones) on HTML files in headless Chromium.
// Usage: node tests/axe_check.js CHROMIUM FILE.html...
// Prints one JSON object {file: {viewport: [violations]}} and exits 1 when any violation is found.
"use strict";
const path = require("path");
const { chromium } = require("playwright-core");
const axePath = require.resolve("axe-core/axe.min.js");

const VIEWPORTS = { desktop: { width: 1280, height: 900 }, phone: { width: 375, height: 740 } };

async function main() {
  const [executablePath, ...files] = process.argv.slice(2);
  if (!executablePath || files.length === 0) {
    console.error("usage: node tests/axe_check.js CHROMIUM FILE.html...");
    process.exit(2);
  }
  const browser = await chromium.launch({
    executablePath,
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
           "--disable-component-update", "--disable-sync"],
  });
  const report = {};
  let failed = false;
  try {
    for (const file of files) {
      report[file] = {};
      for (const [name, viewport] of Object.entries(VIEWPORTS)) {
        const page = await browser.newPage({ viewport });
        const requests = [];
        page.on("request", (r) => { if (!r.url().startsWith("file:") && !r.url().startsWith("data:")) requests.push(r.url()); });
        await page.goto("file://" + path.resolve(file));
        await page.addScriptTag({ path: axePath });
        const result = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ["violations"] }));
        const violations = result.violations.map((v) => ({
          id: v.id, impact: v.impact, help: v.help,
          nodes: v.nodes.map((n) => ({ target: n.target, summary: n.failureSummary })),
        }));
        if (requests.length) violations.push({ id: "external-request", help: "the page made requests", nodes: requests });
        report[file][name] = violations;
        failed = failed || violations.length > 0;
        await page.close();
      }
    }
  } finally {
    await browser.close();
  }
  console.log(JSON.stringify(report, null, 2));
  process.exit(failed ? 1 : 0);
}

main().catch((error) => { console.error(String(error && error.stack || error)); process.exit(3); });
