// Two-factor enrolment in the WASM dashboard, as a person with an authenticator app would do it
// (issue 4): sign in on the login page, open "My profile & security" from the user menu, start
// the set-up, read the secret key from the accessibility mirror (web/CONTRACT.md), compute the
// code in Node (RFC 6238, harness.mjs: independent of the server's and the dashboard's code),
// confirm it, see the 10 recovery codes once; then log out and sign in again with password and
// a code through the login page's second step, landing on the dashboard's contacts table.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
    startStack, openPage, request, saveScreenshot, pngStats, signIn, logTail,
    totpStep, totpForStep, wrongTotp,
} from './harness.mjs';
import { sleep, settledBox, reveal, press, waitForAttribute, typeInto, waitReady, openUserMenuItem } from './mirror.mjs';

let stack;
before(async () => {
    stack = await startStack();
    // One contact, so the dashboard after the second sign-in shows a table (not the empty state).
    const login = await request(`${stack.url}/api/v1/auth/login`, {
        method: 'POST', body: { email: stack.owner.email, password: stack.owner.password },
    });
    assert.equal(login.status, 200, login.text);
    const cookie = [].concat(login.headers['set-cookie'] || []).find((c) => c.startsWith('__Host-'));
    assert.ok(cookie, `no session cookie: ${JSON.stringify(login.headers['set-cookie'])}`);
    const created = await request(`${stack.url}/api/v1/accounts/${stack.tenant.account_id}/contacts`, {
        method: 'POST', headers: { Cookie: cookie.split(';')[0] },
        body: { first_name: 'Mary', last_name: 'Jackson', emails: ['mary@acme.test'] },
    });
    assert.equal(created.status, 201, created.text);
    await request(`${stack.url}/api/v1/auth/logout`, { method: 'POST', headers: { Cookie: cookie.split(';')[0] } });
});
after(async () => { if (stack) await stack.stop(); });

test('issue4 enrol 2FA in the dashboard by reading the secret, then sign in with password and code', async () => {
    const { email, password } = stack.owner;
    const { context, page, report } = await openPage(stack);
    try {
        // [1] Sign in through the login page (2FA still off: straight to the dashboard).
        await signIn(page, stack.owner);
        await waitReady(page, report);

        // [2] My profile & security, from the user menu.
        await openUserMenuItem(page, 'My profile & security');
        const title = page.getByRole('heading', { name: 'My profile & security', exact: true, level: 2 });
        await title.waitFor({ state: 'attached', timeout: 10_000 });
        const status = page.getByRole('status', { name: 'Two-factor status', exact: true });
        await status.filter({ hasText: /^Off$/ }).waitFor({ state: 'attached', timeout: 15_000 });

        // [3] Start the set-up. A fresh login is a recent proof, so the server should not ask
        // for the password again; if it does (the policy may change), answer the dialog.
        await press(page, page.getByRole('button', { name: 'Set up two-factor authentication', exact: true }));
        const secretNode = page.getByRole('status', { name: 'Secret key', exact: true });
        const reauth = page.getByRole('dialog', { name: 'Confirm your password' });
        await Promise.race([
            secretNode.waitFor({ state: 'attached', timeout: 15_000 }),
            reauth.waitFor({ state: 'attached', timeout: 15_000 }),
        ]);
        if (await reauth.count()) {
            await typeInto(page, reauth.getByRole('textbox', { name: 'Password', exact: true }), password);
            await press(page, reauth.getByRole('button', { name: 'Confirm', exact: true }));
            await secretNode.waitFor({ state: 'attached', timeout: 15_000 });
        }
        await status.filter({ hasText: /^Setting up$/ }).waitFor({ state: 'attached', timeout: 10_000 });

        // [4] The secret, as the mirror gives it: text = raw base32, also data-secret.
        const secret = ((await secretNode.textContent()) || '').trim();
        assert.match(secret, /^[A-Z2-7]{32}$/, `secret key node text: ${JSON.stringify(secret)}`);
        assert.equal(await secretNode.getAttribute('data-secret'), secret);
        const qr = page.getByRole('img', { name: 'QR code for your authenticator app' });
        await qr.waitFor({ state: 'attached', timeout: 10_000 });
        assert.ok(Number(await qr.getAttribute('data-size')) >= 21, 'QR code has no size');

        // Screenshot of the set-up screen (QR code, key, code field): a drawn page, not blank.
        await page.mouse.move(5, 5);
        await page.waitForTimeout(300);
        const shot = await saveScreenshot(page, 'dashboard-2fa-setup.png');
        const canvas = await page.locator('#canvas').boundingBox();
        assert.ok(canvas && canvas.width >= 1000 && canvas.height >= 700, `canvas does not fill the window: ${JSON.stringify(canvas)}`);
        const stats = pngStats(shot.buffer, canvas);
        assert.ok(stats.distinct >= 50, `2FA set-up screenshot has only ${stats.distinct} colours`);
        assert.ok(stats.dominantShare < 0.95, `2FA set-up screenshot is ${Math.round(stats.dominantShare * 100)}% one colour`);
        const qrBox = await qr.boundingBox();
        const qrStats = pngStats(shot.buffer, qrBox);
        assert.ok(qrStats.distinct >= 2 && qrStats.dominantShare < 0.9, `QR code area looks blank: ${JSON.stringify(qrStats)}`);

        // [5] A wrong code: the field's alert says so, 2FA stays off.
        const codeField = page.getByRole('textbox', { name: 'Authentication code', exact: true });
        await typeInto(page, codeField, wrongTotp(secret));
        await press(page, page.getByRole('button', { name: 'Confirm code', exact: true }));
        const codeAlert = page.locator('[role="alert"][data-field="code"]');
        await codeAlert.filter({ hasText: /\S/ }).waitFor({ state: 'attached', timeout: 15_000 });
        assert.match(await codeAlert.textContent(), /code/i);
        assert.equal(await codeField.getAttribute('aria-invalid'), 'true');

        // [6] The right code, computed here from the secret read off the screen.
        const enrolStep = totpStep(Date.now());
        await typeInto(page, codeField, totpForStep(secret, enrolStep));
        await press(page, page.getByRole('button', { name: 'Confirm code', exact: true }));

        // [7] Ten recovery codes, shown once.
        const codesRegion = page.getByRole('region', { name: 'Recovery codes' });
        await codesRegion.waitFor({ state: 'attached', timeout: 15_000 });
        const items = page.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem');
        assert.equal(await items.count(), 10);
        const codes = (await items.allTextContents()).map((t) => t.trim());
        assert.equal(new Set(codes).size, 10, `recovery codes not distinct: ${JSON.stringify(codes)}`);
        for (const c of codes) assert.match(c, /\S{6,}/, `recovery code ${JSON.stringify(c)}`);
        assert.equal(await secretNode.count(), 0, 'the secret is still shown after confirming');
        await press(page, page.getByRole('button', { name: 'I have saved them', exact: true }));
        await codesRegion.waitFor({ state: 'detached', timeout: 10_000 });
        await status.filter({ hasText: /^On$/ }).waitFor({ state: 'attached', timeout: 10_000 });

        // [8] The server agrees (asked with this browser's session).
        const me = await context.request.get('/api/v1/me');
        assert.equal(me.status(), 200, await me.text());
        assert.equal((await me.json()).user.totp_enabled, true);

        // [9] Log out from the user menu: back on the login page, the session is gone.
        await openUserMenuItem(page, 'Log out');
        await page.waitForURL('**/login.html', { timeout: 15_000 });
        const gone = await context.request.get('/api/v1/me');
        assert.equal(gone.status(), 401, `still signed in after logging out: ${gone.status()}`);

        // [10] Password again: now the second step asks for a code.
        await page.getByLabel('Email').fill(email);
        await page.getByLabel('Password').fill(password);
        await page.getByRole('button', { name: 'Sign in' }).click();
        const loginCode = page.getByLabel('Authentication code');
        await loginCode.waitFor({ timeout: 15_000 });
        assert.match(page.url(), /login\.html/);

        // A wrong code: the alert says so and the page stays.
        await loginCode.fill(wrongTotp(secret));
        await page.getByRole('button', { name: 'Verify' }).click();
        await page.getByRole('alert').filter({ hasText: /code/i }).waitFor({ timeout: 15_000 });
        assert.match(page.url(), /login\.html/);
        assert.equal(await loginCode.getAttribute('aria-invalid'), 'true');

        // The enrolment used up its step, and the server refuses any step not after it. The
        // code of the step after it is valid now (the server accepts one step either side), and
        // stays so for the next 30 s; later than that, the current step is after it anyway.
        const loginStep = Math.max(enrolStep + 1, totpStep(Date.now()));
        await loginCode.fill(totpForStep(secret, loginStep));
        await page.getByRole('button', { name: 'Verify' }).click();
        await page.waitForURL('**/dashboard.html', { timeout: 15_000 });

        // [11] The dashboard with its contacts table.
        await waitReady(page, report);
        const table = page.getByRole('table', { name: 'Contacts' });
        await table.waitFor({ state: 'attached', timeout: 15_000 });
        await table.getByRole('row', { name: 'Mary Jackson', exact: true }).waitFor({ state: 'attached', timeout: 15_000 });
        const meAgain = await context.request.get('/api/v1/me');
        assert.equal(meAgain.status(), 200);
        assert.equal((await meAgain.json()).user.totp_enabled, true);

        assert.deepEqual(report.csp, [], report.csp.join('\n'));
        assert.deepEqual(report.errors, [], report.errors.join('\n'));
    } catch (e) {
        e.message += `\nserver log tail:\n${logTail(stack)}`;
        throw e;
    } finally {
        await context.close();
    }
});
