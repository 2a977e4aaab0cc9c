// Shell pages in a real browser against the real server: the login form, the session cookie,
// the dashboard host's guards (no session, no WebGL2), CSP cleanliness and screenshots.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, openPage, request, saveScreenshot, pngStats, signIn } from './harness.mjs';

let stack;
before(async () => { stack = await startStack(); });
after(async () => { if (stack) await stack.stop(); });

// The headers the page was served with must carry the product's CSP; otherwise "no violation"
// would prove nothing.
function assertStrictCsp(response) {
    const csp = response.headers()['content-security-policy'] || '';
    assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'/, `CSP: ${csp}`);
    assert.doesNotMatch(csp, /'unsafe-inline'|'unsafe-eval'|\*/, `CSP too broad: ${csp}`);
}

test('iam7 wrong password shows the server message and keeps the user on the form', async () => {
    // What the server says for a wrong password, asked directly: the page must show exactly it.
    const direct = await request(`${stack.url}/api/v1/auth/login`, {
        method: 'POST', body: { email: stack.owner.email, password: 'not-the-password-1' },
    });
    assert.equal(direct.status, 401);
    assert.equal(direct.json.error.code, 'unauthenticated');
    const serverMessage = direct.json.error.message;
    assert.ok(serverMessage.length > 0);

    const { context, page, report } = await openPage(stack);
    try {
        await page.goto('/login.html');
        // Keyboard only: the email field has the focus on arrival, Tab reaches the password,
        // Enter submits.
        await page.getByLabel('Email').waitFor();
        assert.equal(await page.evaluate(() => document.activeElement && document.activeElement.id), 'email');
        await page.keyboard.type(stack.owner.email);
        await page.keyboard.press('Tab');
        await page.keyboard.type('also-wrong-Password-2');
        await page.keyboard.press('Enter');
        const alert = page.getByRole('alert');
        await alert.filter({ hasText: serverMessage }).waitFor({ timeout: 15_000 });
        assert.equal((await alert.textContent()).trim(), serverMessage);
        assert.match(page.url(), /\/login\.html$/);
        // The password field is focused and marked invalid, ready to retype.
        assert.equal(await page.getByLabel('Password').getAttribute('aria-invalid'), 'true');
        assert.equal(await page.evaluate(() => document.activeElement && document.activeElement.id), 'password');
        // The button is usable again after the failure.
        assert.equal(await page.getByRole('button', { name: 'Sign in' }).isEnabled(), true);
        assert.deepEqual(report.csp, []);
    } finally {
        await context.close();
    }
});

test('iam5 right password sets an HttpOnly session cookie and lands on the dashboard', async () => {
    const { context, page, report } = await openPage(stack);
    try {
        await signIn(page, stack.owner);
        const cookies = await context.cookies();
        const session = cookies.find((c) => c.name.startsWith('__Host-'));
        assert.ok(session, `no __Host- cookie in ${JSON.stringify(cookies.map((c) => c.name))}`);
        assert.equal(session.httpOnly, true);
        assert.equal(session.secure, true);
        assert.equal(session.sameSite, 'Strict');
        // HttpOnly: the page's own script cannot read it.
        assert.equal(await page.evaluate(() => document.cookie.includes('__Host-')), false);
        // Back on the login page while signed in: it sends the user on to the dashboard.
        await page.goto('/login.html');
        await page.waitForURL('**/dashboard.html', { timeout: 10_000 });
        assert.deepEqual(report.csp, []);
    } finally {
        await context.close();
    }
});

test('net1 login page runs under the strict CSP with no violation, and its screenshot is not blank', async () => {
    const { context, page, report } = await openPage(stack);
    try {
        const response = await page.goto('/login.html');
        assertStrictCsp(response);
        await page.getByRole('button', { name: 'Sign in' }).waitFor();
        // Fonts come from the dist folder (font-src 'self'): Inter must really be loaded.
        await page.evaluate(() => document.fonts.ready);
        assert.equal(await page.evaluate(() => document.fonts.check('15px Inter')), true, 'Inter not loaded');
        // Show the error state too, so the screenshot documents it.
        await page.getByLabel('Email').fill('someone@acme.test');
        await page.getByLabel('Password').fill('wrong-Password-3');
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.getByRole('alert').filter({ hasText: /\S/ }).waitFor({ timeout: 15_000 });
        const shot = await saveScreenshot(page, 'login.png');
        const stats = pngStats(shot.buffer);
        assert.ok(stats.distinct >= 50, `login screenshot has only ${stats.distinct} colours`);
        assert.ok(stats.dominantShare < 0.95, `login screenshot is ${Math.round(stats.dominantShare * 100)}% one colour`);
        assert.deepEqual(report.csp, [], report.csp.join('\n'));
        assert.deepEqual(report.errors, [], report.errors.join('\n'));
    } finally {
        await context.close();
    }
});

test('iam5 dashboard without a session goes to the login page', async () => {
    const { context, page } = await openPage(stack);
    try {
        await page.goto('/dashboard.html');
        await page.waitForURL('**/login.html', { timeout: 15_000 });
        await page.getByLabel('Email').waitFor();
    } finally {
        await context.close();
    }
});

test('dashboard without WebGL2 shows a plain notice, never a blank page', async () => {
    // Pretend the browser has no WebGL2: every webgl2 context request fails.
    const noWebGL2 = () => {
        const original = HTMLCanvasElement.prototype.getContext;
        HTMLCanvasElement.prototype.getContext = function (type, ...rest) {
            return type === 'webgl2' ? null : original.call(this, type, ...rest);
        };
    };
    const { context, page, report } = await openPage(stack, { initScript: noWebGL2 });
    try {
        await signIn(page, stack.owner);
        const requested = [];
        page.on('request', (r) => requested.push(r.url()));
        await page.reload();
        const notice = page.getByRole('alert');
        await notice.filter({ hasText: 'Your browser does not support WebGL 2' }).waitFor({ timeout: 10_000 });
        assert.equal(await page.locator('#loader').isVisible(), false);
        // Nothing of the program is downloaded when it cannot run.
        assert.equal(requested.some((u) => /stronghold_dashboard\.(js|wasm)/.test(u)), false, requested.join('\n'));
        const shot = await saveScreenshot(page, 'dashboard-no-webgl2.png');
        const stats = pngStats(shot.buffer);
        assert.ok(stats.distinct >= 20 && stats.dominantShare < 0.97, `notice screenshot looks blank: ${JSON.stringify(stats)}`);
        assert.deepEqual(report.csp, [], report.csp.join('\n'));
    } finally {
        await context.close();
    }
});
