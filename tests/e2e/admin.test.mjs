// Users administration in the real dashboard against the real server (issue 4, ACC-2, IAM-5):
// the owner invites a colleague from the Users screen, the invitation really goes out by SMTP,
// the colleague joins through the mailed link and works in the dashboard; the owner then sees
// them active, deactivates them (their open session stops working), and looks at the Roles
// screen. Screenshots of both screens with real data go to build/e2e-screenshots.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStackWithMail, openPage, request, signIn, saveScreenshot } from './harness.mjs';
import { press, typeInto, waitReady, openUserMenuItem, choose, sleep } from './mirror.mjs';

let stack;
let mail;
let stopAll;
before(async () => { ({ stack, mail, stop: stopAll } = await startStackWithMail()); });
after(async () => { if (stopAll) await stopAll(); });

async function toast(page, text) {
    await page.locator('#stronghold-a11y [data-toast]').filter({ hasText: text }).waitFor({ state: 'attached', timeout: 15_000 });
}

test('acc2 iam5 owner invites from the Users screen, the colleague joins by the mailed link, then is deactivated', async () => {
    const invitee = 'colleague@acme.test';
    const owner = await openPage(stack);
    const colleague = await openPage(stack);
    try {
        await signIn(owner.page, stack.owner);
        await waitReady(owner.page, owner.report);
        await openUserMenuItem(owner.page, 'Users');
        await owner.page.getByRole('heading', { name: 'Users', level: 2 }).waitFor({ state: 'attached', timeout: 15_000 });
        const users = owner.page.getByRole('table', { name: 'Users' });
        await users.getByRole('row').filter({ hasText: stack.owner.email }).waitFor({ state: 'attached', timeout: 15_000 });

        // [1] Invite: a sub-account user of the agency's first sub-account.
        await press(owner.page, owner.page.getByRole('button', { name: 'Invite user' }));
        const dialog = owner.page.getByRole('dialog', { name: 'Invite user' });
        await dialog.waitFor({ state: 'attached', timeout: 10_000 });
        await typeInto(owner.page, dialog.getByRole('textbox', { name: 'Email', exact: true }), invitee);
        await typeInto(owner.page, dialog.getByRole('textbox', { name: 'Name', exact: true }), 'Cole League');
        await choose(owner.page, dialog, 'Access', 'Acme Agency');
        await choose(owner.page, dialog, 'Role', 'Sub-account user');
        await press(owner.page, dialog.getByRole('button', { name: 'Send invite' }));
        await toast(owner.page, `Invitation sent to ${invitee}`);
        const invitedRow = users.getByRole('row').filter({ hasText: invitee });
        await invitedRow.waitFor({ state: 'attached', timeout: 15_000 });
        assert.equal(await invitedRow.getAttribute('data-status'), 'invited');
        await saveScreenshot(owner.page, 'users.png');

        // [2] The mail arrives over SMTP; the colleague joins through its link.
        const text = await mail.waitFor((m) => m.includes(`To: <${invitee}>`) && m.includes('/invite.html#token='));
        const link = text.match(/https:\/\/\S+\/invite\.html#token=[A-Za-z0-9_-]+/);
        assert.ok(link, `no invitation link in:\n${text}`);
        await colleague.page.goto(link[0]);
        await colleague.page.getByLabel('Your name').fill('Cole League');
        await colleague.page.getByLabel('Password', { exact: true }).fill('Blue-Kettle-42!x');
        await colleague.page.getByLabel('Confirm password').fill('Blue-Kettle-42!x');
        await colleague.page.getByRole('button', { name: 'Join and sign in' }).click();
        await colleague.page.waitForURL('**/dashboard.html', { timeout: 15_000 });
        await waitReady(colleague.page, colleague.report);
        // A sub-account user sees contacts but neither Users nor Roles in the menu.
        await press(colleague.page, colleague.page.getByRole('button', { name: 'User menu' }));
        await colleague.page.getByRole('menuitem', { name: 'My profile & security' }).waitFor({ state: 'attached' });
        assert.equal(await colleague.page.getByRole('menuitem', { name: 'Users' }).count(), 0);
        assert.equal(await colleague.page.getByRole('menuitem', { name: 'Roles' }).count(), 0);
        await colleague.page.keyboard.press('Escape');
        const me = await colleague.page.evaluate(async () => (await fetch('/api/v1/me')).status);
        assert.equal(me, 200);

        // [3] The owner sees them active (reopen the screen to reload), then deactivates them.
        await openUserMenuItem(owner.page, 'Users');
        const row = users.getByRole('row').filter({ hasText: invitee });
        for (let i = 0; i < 50 && (await row.getAttribute('data-status')) !== 'active'; ++i) {
            await sleep(200);
            if (i % 10 === 9) await openUserMenuItem(owner.page, 'Users');
        }
        assert.equal(await row.getAttribute('data-status'), 'active');
        await press(owner.page, row.getByRole('button', { name: 'Deactivate' }));
        const confirm = owner.page.getByRole('dialog', { name: 'Deactivate user' });
        await confirm.waitFor({ state: 'attached', timeout: 10_000 });
        await press(owner.page, confirm.getByRole('button', { name: 'Deactivate' }));
        const reauth = owner.page.getByRole('dialog', { name: 'Confirm your password' });
        // Deactivation may ask for the password again (the dashboard sends it through re-authentication).
        await Promise.race([toast(owner.page, 'was deactivated'), reauth.waitFor({ state: 'attached', timeout: 15_000 })]);
        if (await reauth.count()) {
            await typeInto(owner.page, reauth.getByRole('textbox', { name: 'Password', exact: true }), stack.owner.password);
            await owner.page.keyboard.press('Enter');
            await toast(owner.page, 'was deactivated');
        }
        for (let i = 0; i < 50 && (await row.getAttribute('data-status')) !== 'deactivated'; ++i) await sleep(200);
        assert.equal(await row.getAttribute('data-status'), 'deactivated');
        // Their open session is gone at once.
        const after = await colleague.page.evaluate(async () => (await fetch('/api/v1/me')).status);
        assert.equal(after, 401);
        const login = await request(`${stack.url}/api/v1/auth/login`, {
            method: 'POST', body: { email: invitee, password: 'Blue-Kettle-42!x' },
        });
        assert.equal(login.status, 401);

        // [4] Roles: the six built-ins, read-only.
        await openUserMenuItem(owner.page, 'Roles');
        const roles = owner.page.getByRole('table', { name: 'Roles' });
        await roles.waitFor({ state: 'attached', timeout: 15_000 });
        for (const name of ['Agency owner', 'Agency admin', 'Agency user', 'Sub-account admin', 'Sub-account user', 'Read only'])
            await roles.getByRole('row', { name, exact: true }).waitFor({ state: 'attached', timeout: 10_000 });
        await saveScreenshot(owner.page, 'roles.png');
        assert.deepEqual(owner.report.csp, []);
        assert.deepEqual(owner.report.errors, []);
        assert.deepEqual(colleague.report.errors, []);
    } finally {
        await owner.context.close();
        await colleague.context.close();
    }
});
