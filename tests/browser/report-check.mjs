// Opens a Plugfest report.html in the machine's Chromium as a reader would, and checks it.
//
//   node tests/browser/report-check.mjs REPORT.html SCREENSHOT.png
//
// Driven by crates/plugfest/tests/browser.rs. Playwright (playwright-core, no browser download)
// launches Chromium headless (PLUGFEST_CHROMIUM, default /usr/bin/chromium) with the flags this
// machine needs offline, each time with a fresh, empty user-data dir. Two passes:
//
// 1. As a reader sees it (the page's Content-Security-Policy in force): every failed request,
//    every HTTP error response, console error and page error is recorded; a full-page screenshot
//    goes to SCREENSHOT.png and the first screen (1280×900) next to it as *.first-screen.png.
// 2. Accessibility: axe-core is injected (the page's CSP forbids scripts, so this pass bypasses
//    CSP) and run twice, as loaded and with every <details> (evidence) opened.
//
// Prints one JSON object on stdout; exit code 0 when it could check, 2 on a usage or launch error.
import { chromium } from 'playwright-core';
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const [reportArg, shotArg] = process.argv.slice(2);
if (!reportArg || !shotArg) {
  console.error('usage: node tests/browser/report-check.mjs REPORT.html SCREENSHOT.png');
  process.exit(2);
}
const url = pathToFileURL(resolve(reportArg)).href;
const shot = resolve(shotArg);
const firstScreen = shot.replace(/\.png$/i, '') + '.first-screen.png';
const executablePath = process.env.PLUGFEST_CHROMIUM || '/usr/bin/chromium';
const ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
const VIEWPORT = { width: 1280, height: 900 };

async function withBrowser(options, fn) {
  const profile = mkdtempSync(join(tmpdir(), 'plugfest-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath, headless: true, args: ARGS, viewport: VIEWPORT, timeout: 60_000, ...options,
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    return await fn(page);
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

const out = { url, executablePath, failedRequests: [], consoleErrors: [], pageErrors: [] };

// Pass 1: as a reader sees it.
await withBrowser({}, async (page) => {
  page.on('requestfailed', (r) =>
    out.failedRequests.push({ url: r.url(), error: r.failure()?.errorText ?? 'failed' }));
  page.on('response', (r) => {
    if (r.status() >= 400) out.failedRequests.push({ url: r.url(), error: `HTTP ${r.status()}` });
  });
  page.on('console', (m) => {
    if (m.type() === 'error') out.consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => out.pageErrors.push(String(e)));
  await page.goto(url, { waitUntil: 'load', timeout: 30_000 });
  out.title = await page.title();
  out.h1 = (await page.locator('h1').first().textContent())?.trim() ?? null;
  out.scripts = await page.locator('script').count();
  out.height = await page.evaluate(() => document.documentElement.scrollHeight);
  await page.screenshot({ path: firstScreen });
  await page.screenshot({ path: shot, fullPage: true });
  out.screenshots = { fullPage: shot, firstScreen };
});

// Pass 2: axe-core.
await withBrowser({ bypassCSP: true }, async (page) => {
  await page.goto(url, { waitUntil: 'load', timeout: 30_000 });
  await page.addScriptTag({ path: require.resolve('axe-core') });
  const run = async (label) => {
    const r = await page.evaluate(async () => {
      const res = await window.axe.run(document);
      const nodes = (list) => list.reduce((n, x) => n + x.nodes.length, 0);
      return {
        version: res.testEngine?.version,
        nodesChecked: nodes(res.passes) + nodes(res.violations) + nodes(res.incomplete),
        rulesPassed: res.passes.length,
        violations: res.violations.map((v) => ({
          id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length,
          targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),
        })),
      };
    });
    return { label, ...r };
  };
  const asLoaded = await run('as loaded');
  const opened = await page.evaluate(() => {
    const all = document.querySelectorAll('details');
    all.forEach((d) => { d.open = true; });
    return all.length;
  });
  const withEvidence = await run(`with ${opened} evidence sections opened`);
  out.axe = {
    version: asLoaded.version,
    runs: [asLoaded, withEvidence],
    nodesChecked: Math.max(asLoaded.nodesChecked, withEvidence.nodesChecked),
    serious: [...asLoaded.violations, ...withEvidence.violations]
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ ...v }))
      .filter((v, i, a) => a.findIndex((w) => w.id === v.id) === i),
    other: [...asLoaded.violations, ...withEvidence.violations]
      .filter((v) => v.impact !== 'serious' && v.impact !== 'critical')
      .filter((v, i, a) => a.findIndex((w) => w.id === v.id) === i),
  };
});

process.stdout.write(JSON.stringify(out, null, 2) + '\n');
