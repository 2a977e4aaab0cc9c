#!/usr/bin/env node
// Opens the dashboard in Debian's headless Chromium, waits until it says "ready", saves a
// screenshot and prints console errors and CSP violations. A developer's eye, not a test.
//   node look.mjs URL OUT.png [WIDTHxHEIGHT] [DPR]
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '../../../tests/e2e/package.json'));
const { chromium } = require('playwright-core');

const [url, out, size = '1280x800', dpr = '1'] = process.argv.slice(2);
const [width, height] = size.split('x').map(Number);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage({ viewport: { width, height }, deviceScaleFactor: Number(dpr) });
const problems = [];
page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`); });
page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
await page.goto(url);
await page.waitForFunction(() => window.__stronghold && window.__stronghold.state() !== 'loading', null, { timeout: 20000 })
    .catch(() => problems.push('never left "loading"'));
await page.waitForTimeout(400);
if (process.env.LOOK_SCRIPT) await (await import(path.resolve(process.env.LOOK_SCRIPT))).default(page);
await page.screenshot({ path: out });
console.log('state:', await page.evaluate(() => window.__stronghold && window.__stronghold.state()));
console.log('frames:', await page.evaluate(() => window.__stronghold && window.__stronghold.frames()));
console.log('mirror:', await page.evaluate(() => Array.from(document.querySelectorAll('#stronghold-a11y *')).slice(0, 40)
    .map((e) => `${e.getAttribute('role') || e.tagName.toLowerCase()}:${e.getAttribute('aria-label') || e.textContent}`).join(' | ')));
for (const p of problems) console.log(p);
await browser.close();
