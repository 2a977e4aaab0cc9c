// The pages opened from mailed links, in a real browser against the real server, with the mail
// really sent over SMTP (to mail-sink.mjs): an invitation accepted on invite.html lands in the
// dashboard signed in; a password reset on reset.html leads back to a working sign-in. Both
// pages drop the token from the address bar and run under the strict CSP.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStackWithMail, openPage, request, signIn, saveScreenshot } from './harness.mjs';

let stack;
let mail;
let stopAll;
before(async () => { ({ stack, mail, stop: stopAll } = await startStackWithMail()); });
after(async () => { if (stopAll) await stopAll(); });

function cookieOf(response) {
    const set = [].concat(response.headers['set-cookie'] || []);
    const session = set.find((c) => c.startsWith('__Host-'));
    assert.ok(session, `no session cookie: ${JSON.stringify(response.headers)}`);
    return session.split(';')[0];
}

// The link of the first mail to `to` that holds `/<page>#token=`.
async function linkFromMail(to, page) {
    const text = await mail.waitFor((m) => m.includes(`To: <${to}>`) && m.includes(`/${page}#token=`));
    const link = text.match(new RegExp(`https://\\S+/${page.replace('.', '\\.')}#token=[A-Za-z0-9_-]+`));
    assert.ok(link, `no ${page} link in:\n${text}`);
    return link[0];
}

test('acc2 invitation link: invite.html shows the invitation, refuses a mismatch, accepts and opens the dashboard', async () => {
    const login = await request(`${stack.url}/api/v1/auth/login`, {
        method: 'POST', body: { email: stack.owner.email, password: stack.owner.password },
    });
    assert.equal(login.status, 200, login.text);
    const invitee = 'invitee@acme.test';
    const invited = await request(`${stack.url}/api/v1/agencies/${stack.tenant.agency_id}/users`, {
        method: 'POST',
        headers: { Cookie: cookieOf(login) },
        body: { email: invitee, role: 'account_user', account_id: stack.tenant.account_id },
    });
    assert.equal(invited.status, 201, invited.text);
    const link = await linkFromMail(invitee, 'invite.html');
    assert.ok(link.startsWith(`${stack.url}/invite.html#token=`), link);

    const { context, page, report } = await openPage(stack);
    try {
        await page.goto(link);
        await page.getByText(`You're invited to Acme Agency as ${invitee}.`).waitFor({ timeout: 15_000 });
        // The token is gone from the address bar (and so from history).
        assert.equal(new URL(page.url()).hash, '');
        assert.match(page.url(), /\/invite\.html$/);

        await page.getByLabel('Your name').fill('Ivy Invitee');
        await page.getByLabel('Password', { exact: true }).fill('Blue-Kettle-42!x');
        await page.getByLabel('Confirm password').fill('Blue-Kettle-42!y');
        await page.getByRole('button', { name: 'Join and sign in' }).click();
        await page.locator('#confirm-error').filter({ hasText: 'The two passwords differ.' }).waitFor();
        assert.equal(await page.getByLabel('Confirm password').getAttribute('aria-invalid'), 'true');

        // The server's policy answer lands under the password field.
        await page.getByLabel('Password', { exact: true }).fill('short');
        await page.getByLabel('Confirm password').fill('short');
        await page.getByRole('button', { name: 'Join and sign in' }).click();
        await page.locator('#password-error').filter({ hasText: /\S/ }).waitFor({ timeout: 15_000 });
        await saveScreenshot(page, 'invite.png');

        await page.getByLabel('Password', { exact: true }).fill('Blue-Kettle-42!x');
        await page.getByLabel('Confirm password').fill('Blue-Kettle-42!x');
        await page.getByRole('button', { name: 'Join and sign in' }).click();
        await page.waitForURL('**/dashboard.html', { timeout: 15_000 });
        const cookies = await context.cookies();
        assert.ok(cookies.some((c) => c.name.startsWith('__Host-') && c.httpOnly), 'no session cookie');
        assert.deepEqual(report.csp, [], report.csp.join('\n'));
        assert.deepEqual(report.errors, [], report.errors.join('\n'));
    } finally {
        await context.close();
    }

    // The link is spent: opening it again says so.
    const again = await openPage(stack);
    try {
        await again.page.goto(link);
        await again.page.getByRole('alert').filter({ hasText: 'invalid or has expired' }).waitFor({ timeout: 15_000 });
        assert.equal(await again.page.locator('#invite-form').isVisible(), false);
    } finally {
        await again.context.close();
    }
});

test('iam1 reset link: reset.html sets a new password and the sign-in works with it', async () => {
    const asked = await request(`${stack.url}/api/v1/auth/password-reset`, {
        method: 'POST', body: { email: stack.owner.email },
    });
    assert.equal(asked.status, 202, asked.text);
    const link = await linkFromMail(stack.owner.email, 'reset.html');
    const fresh = 'Green-Teapot-73!z';

    const { context, page, report } = await openPage(stack);
    try {
        await page.goto(link);
        await page.getByLabel('New password', { exact: true }).waitFor();
        assert.equal(new URL(page.url()).hash, '');
        await page.getByLabel('New password', { exact: true }).fill(fresh);
        await page.getByLabel('Confirm new password').fill(fresh);
        await page.getByRole('button', { name: 'Set new password' }).click();
        await page.getByText('Your password is set.').waitFor({ timeout: 15_000 });
        await page.getByRole('link', { name: 'Go to sign in' }).click();
        await page.waitForURL('**/login.html');
        assert.deepEqual(report.csp, [], report.csp.join('\n'));
        assert.deepEqual(report.errors, [], report.errors.join('\n'));
        await signIn(page, { email: stack.owner.email, password: fresh });
    } finally {
        await context.close();
    }
    // The old password is gone.
    const old = await request(`${stack.url}/api/v1/auth/login`, {
        method: 'POST', body: { email: stack.owner.email, password: stack.owner.password },
    });
    assert.equal(old.status, 401);
});
