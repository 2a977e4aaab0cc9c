// End-to-end harness: a real `stronghold` server on a free loopback port with a temp data dir,
// and Debian's Chromium driven by playwright-core. Everything started here is stopped by
// stop() (call it from an `after` hook), and the server child is also killed if the test
// process exits without it, so a failing test never leaves a server or browser behind.
//
// Inputs (environment): STRONGHOLD_BIN (server binary), STRONGHOLD_WEB_ROOT (dist folder),
// STRONGHOLD_SCREENSHOT_DIR (optional; default <repo>/build/e2e-screenshots),
// STRONGHOLD_CHROMIUM (optional; default /usr/bin/chromium).

import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import { mkdtemp, rm, mkdir } from 'node:fs/promises';
import { existsSync, rmSync } from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(here, '..', '..');

// [SECTION] Configuration

export function config() {
    const bin = process.env.STRONGHOLD_BIN;
    const webRoot = process.env.STRONGHOLD_WEB_ROOT;
    if (!bin || !existsSync(bin)) {
        throw new Error(`STRONGHOLD_BIN must name the server binary (got ${JSON.stringify(bin)})`);
    }
    if (!webRoot || !existsSync(path.join(webRoot, 'login.html'))) {
        throw new Error(`STRONGHOLD_WEB_ROOT must name the dist folder with login.html (got ${JSON.stringify(webRoot)})`);
    }
    return {
        bin,
        webRoot,
        screenshotDir: process.env.STRONGHOLD_SCREENSHOT_DIR || path.join(REPO_ROOT, 'build', 'e2e-screenshots'),
        chromium: process.env.STRONGHOLD_CHROMIUM || '/usr/bin/chromium',
    };
}

// [SECTION] Processes

// Runs the CLI to completion; `input` goes to stdin (passwords never go on the command line,
// where `ps` would show them). Resolves with the parsed JSON of stdout (DESIGN.md: CLI prints
// one JSON object on success).
export function runCli(bin, args, input = '') {
    return new Promise((resolve, reject) => {
        const child = spawn(bin, args, { stdio: ['pipe', 'pipe', 'pipe'] });
        let out = '';
        let err = '';
        child.stdout.on('data', (d) => { out += d; });
        child.stderr.on('data', (d) => { err += d; });
        child.on('error', reject);
        child.on('close', (code) => {
            if (code !== 0) {
                return reject(new Error(`${path.basename(bin)} ${args.join(' ')} exited ${code}: ${err.trim()}`));
            }
            try {
                resolve(JSON.parse(out.trim().split('\n').filter(Boolean).pop()));
            } catch (e) {
                reject(new Error(`${args.join(' ')}: stdout is not JSON: ${out}\n${err}`));
            }
        });
        child.stdin.end(input);
    });
}

// A free port on 127.0.0.1: bind port 0, read it, release it. The server binds it right
// after; a collision in that window is possible but rare, and shows as a clear start failure.
export function freePort() {
    return new Promise((resolve, reject) => {
        const srv = net.createServer();
        srv.unref();
        srv.on('error', reject);
        srv.listen(0, '127.0.0.1', () => {
            const { port } = srv.address();
            srv.close(() => resolve(port));
        });
    });
}

// Tests only: the server's certificate is self-signed (made in the data dir on first run).
const insecureAgent = new https.Agent({ rejectUnauthorized: false, keepAlive: false });

// Minimal HTTPS client for API set-up and checks from Node (not through the browser).
export function request(url, { method = 'GET', headers = {}, body } = {}) {
    return new Promise((resolve, reject) => {
        const data = body === undefined ? undefined : (typeof body === 'string' ? body : JSON.stringify(body));
        const req = https.request(url, {
            method,
            agent: insecureAgent,
            headers: {
                ...(data !== undefined ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(data) } : {}),
                ...headers,
            },
            timeout: 10_000,
        }, (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (d) => { text += d; });
            res.on('end', () => {
                let json = null;
                try { json = JSON.parse(text); } catch (_) { /* not JSON */ }
                resolve({ status: res.statusCode, headers: res.headers, text, json });
            });
        });
        req.on('timeout', () => req.destroy(new Error(`timeout: ${method} ${url}`)));
        req.on('error', reject);
        if (data !== undefined) req.write(data);
        req.end();
    });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// [SECTION] Stack: server + browser

export const OWNER_EMAIL = 'owner@acme.test';

// Starts everything one test file needs. Returns an object whose stop() undoes all of it.
// `serverArgs`: extra `stronghold serve` flags (e.g. --smtp-host/--smtp-port for a mail sink).
export async function startStack({ serverArgs = [] } = {}) {
    const cfg = config();
    const stack = {
        cfg,
        dataDir: await mkdtemp(path.join(os.tmpdir(), 'stronghold-e2e-')),
        server: null,
        serverLog: '',
        browser: null,
        url: '',
        owner: { email: OWNER_EMAIL, password: 'Correct-Horse-Battery-9' },
        tenant: null,
        serverArgs,
        stop: () => stopStack(stack),
    };
    try {
        stack.tenant = await runCli(cfg.bin, ['admin', 'create-agency', '--data', stack.dataDir,
            '--name', 'Acme Agency', '--owner-email', OWNER_EMAIL, '--password-stdin'], stack.owner.password + '\n');
        for (const key of ['agency_id', 'account_id', 'owner_id']) {
            if (typeof stack.tenant[key] !== 'string') throw new Error(`create-agency output lacks ${key}: ${JSON.stringify(stack.tenant)}`);
        }
        await startServer(stack);
        stack.browser = await chromium.launch({
            executablePath: cfg.chromium,
            // Playwright gives every launch a fresh temporary profile (user data dir) and
            // removes it on close, so no state leaks between runs.
            args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
                '--disable-background-networking', '--disable-component-update', '--disable-sync'],
            timeout: 60_000,
        });
    } catch (e) {
        await stopStack(stack);
        throw e;
    }
    return stack;
}

async function startServer(stack) {
    const port = await freePort();
    stack.url = `https://127.0.0.1:${port}`;
    const child = spawn(stack.cfg.bin, ['serve', '--data', stack.dataDir, '--listen', `127.0.0.1:${port}`,
        '--web', stack.cfg.webRoot, ...stack.serverArgs], { stdio: ['ignore', 'pipe', 'pipe'] });
    stack.server = child;
    const keep = (d) => {
        // Keep the tail only: enough to explain a failure, bounded for long runs.
        stack.serverLog = (stack.serverLog + d).slice(-64 * 1024);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    let exited = null;
    child.on('exit', (code, signal) => { exited = { code, signal }; });
    // If the test process ends without running stop() (a crash, or ctest's timeout sending
    // SIGTERM), do not leave the server running.
    const killOnExit = () => {
        if (!exited) child.kill('SIGKILL');
        rmSync(stack.dataDir, { recursive: true, force: true });
    };
    const onSignal = (signal) => { killOnExit(); process.exit(signal === 'SIGINT' ? 130 : 143); };
    process.once('exit', killOnExit);
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    stack.removeExitHook = () => {
        process.removeListener('exit', killOnExit);
        process.removeListener('SIGINT', onSignal);
        process.removeListener('SIGTERM', onSignal);
    };

    const deadline = Date.now() + 30_000;
    let last = 'no answer';
    for (;;) {
        if (exited) {
            throw new Error(`server exited (${JSON.stringify(exited)}) before /healthz answered:\n${logTail(stack)}`);
        }
        try {
            const res = await request(`${stack.url}/healthz`);
            if (res.status === 200) return;
            last = `${res.status} ${res.text}`;
        } catch (e) { last = e.message; /* not listening yet */ }
        if (Date.now() > deadline) {
            throw new Error(`server not healthy within 30 s (last /healthz: ${last}); log tail:\n${logTail(stack)}`);
        }
        await sleep(150);
    }
}

// The last lines of the server's output, without the health polls that would drown them.
export function logTail(stack, lines = 30) {
    return stack.serverLog.split('\n').filter((l) => !l.includes('"/healthz"')).slice(-lines).join('\n');
}

async function stopStack(stack) {
    const errors = [];
    if (stack.browser) {
        await stack.browser.close().catch((e) => errors.push(e));
        stack.browser = null;
    }
    const child = stack.server;
    if (child && child.exitCode === null && child.signalCode === null) {
        const gone = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await gone;
        clearTimeout(timer);
    }
    if (stack.removeExitHook) stack.removeExitHook();
    stack.server = null;
    await rm(stack.dataDir, { recursive: true, force: true }).catch((e) => errors.push(e));
    if (errors.length) throw errors[0];
}

// [SECTION] Pages

// A fresh browser context (its own cookies) and page that records everything a test may want
// to assert on: CSP violations (from the DOM event and from console reports), page errors.
export async function openPage(stack, { initScript } = {}) {
    const context = await stack.browser.newContext({
        baseURL: stack.url,
        ignoreHTTPSErrors: true, // tests only: the self-signed certificate
        viewport: { width: 1280, height: 800 },
        deviceScaleFactor: 1,
    });
    // Runs before any page script, through the DevTools protocol, so the CSP does not block it.
    await context.addInitScript(() => {
        document.addEventListener('securitypolicyviolation', (e) => {
            console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile}:${e.lineNumber}`);
        });
    });
    if (initScript) await context.addInitScript(initScript);
    const page = await context.newPage();
    const report = { csp: [], errors: [], console: [] };
    page.on('console', (msg) => {
        const text = msg.text();
        report.console.push(`${msg.type()}: ${text}`);
        if (/Content Security Policy|CSP violation/i.test(text)) report.csp.push(text);
    });
    page.on('pageerror', (err) => report.errors.push(String(err && err.stack || err)));
    return { context, page, report };
}

// Signs in through the real login form, as a person would, and waits for the dashboard URL.
export async function signIn(page, { email, password }) {
    await page.goto('/login.html');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL('**/dashboard.html', { timeout: 15_000 });
}

// [SECTION] TOTP (RFC 6238), independent of the server's code

export const TOTP_PERIOD_S = 30;

export function base32Decode(text) {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
    let bits = 0;
    let value = 0;
    const out = [];
    for (const c of text.replace(/=+$/, '').toUpperCase()) {
        const v = alphabet.indexOf(c);
        if (v < 0) throw new Error(`not base32: ${c}`);
        value = (value << 5) | v;
        bits += 5;
        if (bits >= 8) {
            out.push((value >>> (bits - 8)) & 0xff);
            bits -= 8;
        }
    }
    return Buffer.from(out);
}

// The time step (counter) of a moment: floor(unix seconds / 30).
export function totpStep(unixMs) {
    return Math.floor(unixMs / 1000 / TOTP_PERIOD_S);
}

// The 6-digit code of one time step: HMAC-SHA1 over the 8-byte big-endian counter, dynamic
// truncation.
export function totpForStep(secret, step) {
    const counter = Buffer.alloc(8);
    counter.writeBigUInt64BE(BigInt(step));
    const mac = crypto.createHmac('sha1', base32Decode(secret)).update(counter).digest();
    const offset = mac[19] & 0x0f;
    const bin = ((mac[offset] & 0x7f) << 24) | (mac[offset + 1] << 16) | (mac[offset + 2] << 8) | mac[offset + 3];
    return String(bin % 1_000_000).padStart(6, '0');
}

// The code at a moment.
export function totp(secret, unixMs) {
    return totpForStep(secret, totpStep(unixMs));
}

// A 6-digit code that is none of the codes the server would accept around now (steps -1..+1,
// with a step of margin either side).
export function wrongTotp(secret, unixMs = Date.now()) {
    const valid = new Set([-2, -1, 0, 1, 2].map((d) => totpForStep(secret, totpStep(unixMs) + d)));
    let wrong = 100000;
    while (valid.has(String(wrong))) wrong += 1;
    return String(wrong);
}

// [SECTION] Screenshots

export async function saveScreenshot(page, name) {
    const dir = config().screenshotDir;
    await mkdir(dir, { recursive: true });
    const file = path.join(dir, name);
    const buffer = await page.screenshot({ path: file, fullPage: false });
    return { file, buffer };
}

// Colour statistics of a PNG region: how many distinct colours, and the share of the most
// common one. A blank (or single-colour) page has 1 colour and a share near 1.
export function pngStats(buffer, region) {
    const png = PNG.sync.read(buffer);
    const { width, height, data } = png;
    const x0 = region ? Math.max(0, Math.floor(region.x)) : 0;
    const y0 = region ? Math.max(0, Math.floor(region.y)) : 0;
    const x1 = region ? Math.min(width, Math.ceil(region.x + region.width)) : width;
    const y1 = region ? Math.min(height, Math.ceil(region.y + region.height)) : height;
    const counts = new Map();
    for (let y = y0; y < y1; ++y) {
        for (let x = x0; x < x1; ++x) {
            const i = (y * width + x) * 4;
            const key = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2];
            counts.set(key, (counts.get(key) || 0) + 1);
        }
    }
    const pixels = Math.max(1, (x1 - x0) * (y1 - y0));
    let top = 0;
    for (const n of counts.values()) top = Math.max(top, n);
    return { width, height, distinct: counts.size, dominantShare: top / pixels };
}

// A stack whose server mails through a local SMTP sink (mail-sink.mjs): tests read the mailed
// links as a person would. stop() ends both.
export async function startStackWithMail() {
    const { startMailSink } = await import('./mail-sink.mjs');
    const mail = await startMailSink();
    try {
        const stack = await startStack({ serverArgs: ['--smtp-host', '127.0.0.1', '--smtp-port', String(mail.port),
            '--mail-from', 'noreply@acme.test'] });
        return { stack, mail, stop: async () => { await stack.stop(); await mail.close(); } };
    } catch (e) {
        await mail.close();
        throw e;
    }
}
