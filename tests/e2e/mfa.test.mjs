// Two-step sign-in in a real browser (IAM-3): 2FA is turned on through the API with a code
// computed here from the secret (RFC 6238, HMAC-SHA1 by node:crypto, independent of the
// server's code), then the login page asks for a code after the password and lands on the
// dashboard once it is right.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, openPage, request, saveScreenshot, totp } from './harness.mjs';

let stack;
before(async () => { stack = await startStack(); });
after(async () => { if (stack) await stack.stop(); });

function sessionCookie(response) {
    const set = [].concat(response.headers['set-cookie'] || []);
    const cookie = set.find((c) => c.startsWith('__Host-stronghold_session='));
    assert.ok(cookie, `no session cookie in ${JSON.stringify(set)}`);
    return cookie.split(';')[0];
}

test('iam3 enrol 2FA through the API, then sign in with password and code in the browser', async () => {
    const { email, password } = stack.owner;
    const login = await request(`${stack.url}/api/v1/auth/login`, { method: 'POST', body: { email, password } });
    assert.equal(login.status, 200, login.text);
    const cookie = sessionCookie(login);

    const enrol = await request(`${stack.url}/api/v1/me/2fa/totp`, { method: 'POST', headers: { Cookie: cookie } });
    assert.equal(enrol.status, 200, enrol.text);
    const secret = enrol.json.secret;
    assert.match(secret, /^[A-Z2-7]{32}$/);
    assert.ok(enrol.json.otpauth_uri.includes(`secret=${secret}`));
    assert.equal(enrol.json.qr.modules.split('\n').length, enrol.json.qr.size);

    const confirm = await request(`${stack.url}/api/v1/me/2fa/totp/confirm`, {
        method: 'POST', headers: { Cookie: cookie }, body: { code: totp(secret, Date.now()) },
    });
    assert.equal(confirm.status, 200, confirm.text);
    assert.equal(confirm.json.recovery_codes.length, 10);

    // Password alone: no session any more.
    const first = await request(`${stack.url}/api/v1/auth/login`, { method: 'POST', body: { email, password } });
    assert.equal(first.status, 200);
    assert.equal(first.json.mfa_required, true);
    assert.equal(first.headers['set-cookie'], undefined);

    const { context, page, report } = await openPage(stack);
    try {
        await page.goto('/login.html');
        await page.getByLabel('Email').fill(email);
        await page.getByLabel('Password').fill(password);
        await page.getByRole('button', { name: 'Sign in' }).click();

        const codeInput = page.getByLabel('Authentication code');
        await codeInput.waitFor({ timeout: 15_000 });
        assert.equal(await codeInput.getAttribute('autocomplete'), 'one-time-code');
        assert.equal(await codeInput.getAttribute('inputmode'), 'numeric');
        assert.equal(await page.getByLabel('Password').isVisible(), false);
        assert.equal(await page.evaluate(() => document.activeElement && document.activeElement.id), 'mfa-code');
        await saveScreenshot(page, 'login-2fa.png');

        // The recovery-code toggle swaps the input and back.
        await page.getByRole('button', { name: 'Use a recovery code instead' }).click();
        await page.getByLabel('Recovery code').waitFor();
        assert.equal(await codeInput.isVisible(), false);
        await page.getByRole('button', { name: 'Use an authenticator code instead' }).click();
        await codeInput.waitFor();

        // A wrong code: the alert says so and the page stays.
        const valid = new Set([-30_000, 0, 30_000].map((d) => totp(secret, Date.now() + d)));
        let wrong = 100000;
        while (valid.has(String(wrong))) wrong += 1;
        await codeInput.fill(String(wrong));
        await page.getByRole('button', { name: 'Verify' }).click();
        await page.getByRole('alert').filter({ hasText: /code/i }).waitFor({ timeout: 15_000 });
        assert.match(page.url(), /login\.html/);

        // The confirming code's step is used up; the next step's code is inside the ±1 window.
        await codeInput.fill(totp(secret, Date.now() + 30_000));
        await page.getByRole('button', { name: 'Verify' }).click();
        await page.waitForURL('**/dashboard.html', { timeout: 15_000 });
        const cookies = await context.cookies();
        assert.ok(cookies.some((c) => c.name === '__Host-stronghold_session'));
        assert.deepEqual(report.csp, [], report.csp.join('\n'));
    } finally {
        await context.close();
    }
});
