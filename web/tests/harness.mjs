// Shared set-up for the dashboard smoke tests: Debian's Chromium through playwright-core, and
// the development mock API (dev/mock_server.mjs) on a free port. Every mock started here is
// killed when the test process ends, even after a failed test, so `node --test` always exits.
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '../../tests/e2e/package.json'));
export const { chromium } = require('playwright-core');
export const { PNG } = require('pngjs');

export const MOCK_PASSWORD = 'Correct-Horse-9!';

export function distDir(fallback) {
    return path.resolve(process.env.STRONGHOLD_DIST || path.join(here, '../..', fallback));
}
export function shotsDir(dist) {
    const dir = process.env.STRONGHOLD_SHOTS || path.join(dist, '..', 'screenshots');
    mkdirSync(dir, { recursive: true });
    return dir;
}

const children = new Set();
process.on('exit', () => { for (const c of children) c.kill('SIGKILL'); });

// Starts a mock for `dist`; resolves once it listens. `base` is its origin, `url` the dashboard.
export async function startMock(dist, extra = []) {
    const child = spawn(process.execPath, [path.join(here, 'dev/mock_server.mjs'), '--web', dist, '--port', '0', ...extra],
        { stdio: ['ignore', 'pipe', 'inherit'] });
    children.add(child);
    child.once('exit', () => children.delete(child));
    const line = await new Promise((resolve, reject) => {
        let seen = '';
        child.stdout.on('data', (d) => {
            seen += d;
            if (seen.includes('\n')) resolve(seen);
        });
        child.once('exit', (code) => reject(new Error(`mock server exited ${code}`)));
    });
    // Neither the child nor its pipe keeps this process alive: a failed test that never reached
    // stop() must not hang `node --test` until ctest's timeout.
    child.unref();
    child.stdout.unref();
    const base = line.match(/http:\/\/127\.0\.0\.1:\d+/)[0];
    return { base, url: `${base}/dashboard.html`, stop: () => child.kill() };
}

export function launchBrowser() {
    return chromium.launch({
        executablePath: '/usr/bin/chromium',
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
            '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
}

// Collects page errors and console errors (HTTP 4xx answers the tests provoke are expected).
export function watchProblems(page) {
    const problems = [];
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => { if (m.type() === 'error' && !/status of 4\d\d/.test(m.text())) problems.push(m.text()); });
    return problems;
}

// The dashboard renders on demand: waits until the frame count stands still.
export async function settle(page) {
    await page.waitForFunction(() => new Promise((resolve) => {
        const f = window.__stronghold.frames();
        setTimeout(() => resolve(window.__stronghold.frames() === f), 150);
    }), null, { timeout: 10000, polling: 50 });
}

// Replaces the text of the mirror's textbox `name` (inside `scope`, the page by default).
export async function typeInto(page, name, text, scope = page) {
    await scope.getByRole('textbox', { name, exact: true }).click({ force: true });
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Backspace');
    await page.keyboard.type(text);
}

// Answers the "Confirm your password" prompt with the mock's password and waits until it closes.
export async function reauthenticate(page) {
    const reauth = page.getByRole('dialog', { name: 'Confirm your password' });
    await reauth.waitFor({ timeout: 10000 });
    await reauth.getByRole('textbox', { name: 'Password', exact: true }).click({ force: true });
    await page.keyboard.type(MOCK_PASSWORD);
    await page.keyboard.press('Enter');
    await reauth.waitFor({ state: 'detached', timeout: 10000 });
}

// Opens a drop-down of the mirror, picks the option, and waits until the dashboard shows it chosen.
export async function choose(page, scope, combobox, option) {
    await settle(page);
    await scope.getByRole('combobox', { name: combobox, exact: true }).click({ force: true });
    await page.getByRole('option', { name: option, exact: true }).click({ force: true });
    await page.waitForFunction(([n, o]) => Array.from(document.querySelectorAll('#stronghold-a11y [role=combobox]'))
        .some((e) => e.getAttribute('aria-label') === n && e.textContent === o && e.getAttribute('aria-expanded') === 'false'), [combobox, option]);
    await settle(page);
}
