// Prints, for each HTML file, how wide its page is laid out in headless Chromium at each width
// asked for: {file: {width: scrollWidth}}. A page that fits never scrolls sideways:
// document.scrollingElement.scrollWidth <= the viewport's width.
// Usage: node tests/width_check.js CHROMIUM WIDTH[,WIDTH...] FILE.html...
"use strict";
const path = require("path");
const { chromium } = require("playwright-core");

async function main() {
  const [executablePath, widths, ...files] = process.argv.slice(2);
  if (!executablePath || !widths || files.length === 0) {
    console.error("usage: node tests/width_check.js CHROMIUM WIDTH[,WIDTH...] FILE.html...");
    process.exit(2);
  }
  const browser = await chromium.launch({
    executablePath,
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
           "--disable-component-update", "--disable-sync"],
  });
  const report = {};
  try {
    for (const file of files) {
      report[file] = {};
      for (const width of widths.split(",").map(Number)) {
        const page = await browser.newPage({ viewport: { width, height: 740 } });
        await page.goto("file://" + path.resolve(file));
        report[file][width] = await page.evaluate(() => document.scrollingElement.scrollWidth);
        await page.close();
      }
    }
  } finally {
    await browser.close();
  }
  console.log(JSON.stringify(report));
}

main().catch((error) => { console.error(String(error && error.stack || error)); process.exit(3); });
