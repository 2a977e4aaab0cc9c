// "My profile & security" in Debian's Chromium against the development mock API
// (tests/dev/mock_server.mjs: password Correct-Horse-9!, TOTP code 123456, DELETE /me/2fa/totp
// always wants a re-authentication first), driven only through the accessibility mirror.
//   STRONGHOLD_DIST=build/h4-web/dist node --test web/tests/profile_smoke.test.mjs
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { launchBrowser, startMock as startMockFor, distDir, shotsDir, watchProblems, PNG, MOCK_PASSWORD } from './harness.mjs';

const dist = distDir('build/h4-web/dist');
const shots = shotsDir(dist);
const startMock = () => startMockFor(dist, ['--accounts', '1']);

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

async function openProfile({ dpr = 1 } = {}) {
    const mock = await startMock();
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: dpr });
    const problems = watchProblems(page);
    await page.goto(mock.url);
    await page.waitForFunction(() => window.__stronghold && window.__stronghold.state() === 'ready', null, { timeout: 30000 });
    await page.getByRole('button', { name: 'User menu' }).click({ force: true });
    await page.getByRole('menuitem', { name: 'My profile & security' }).click({ force: true });
    await page.getByRole('heading', { name: 'My profile & security' }).waitFor();
    return { page, problems, close: async () => { await page.close(); mock.stop(); } };
}

const textbox = (scope, name) => scope.getByRole('textbox', { name, exact: true });
async function type(page, scope, name, text) {
    await textbox(scope, name).click({ force: true });
    await page.keyboard.type(text);
}
const attr = (locator, name) => locator.getAttribute(name);

// Counts near-black and near-white pixels in a screenshot region, and how often a row changes
// between them: a QR code is a dense pattern of both, not a blank square or a grey blur.
function modulePattern(png) {
    const img = PNG.sync.read(png);
    let dark = 0, light = 0, grey = 0, edges = 0;
    for (let y = 0; y < img.height; y++) {
        let prev = null;
        for (let x = 0; x < img.width; x++) {
            const i = (y * img.width + x) * 4;
            const v = (img.data[i] + img.data[i + 1] + img.data[i + 2]) / 3;
            const c = v < 60 ? 'd' : v > 230 ? 'l' : 'g';
            if (c === 'd') dark++; else if (c === 'l') light++; else grey++;
            if (prev && c !== 'g' && prev !== c) edges++;
            if (c !== 'g') prev = c;
        }
    }
    return { dark, light, grey, edges, total: img.width * img.height };
}

describe('profile & security (mock API)', () => {
    test('iam2_live_strength_meter_follows_the_core_policy_and_server_errors_sit_under_fields', async () => {
        const { page, problems, close } = await openProfile();
        const meter = page.getByRole('meter', { name: 'Password strength' });
        await type(page, page, 'New password', 'abc');
        await meter.waitFor();
        const weak = Number(await attr(meter, 'aria-valuenow'));
        assert.ok(await page.getByRole('list', { name: 'Password requirements' }).getByRole('listitem').count() > 0, 'problems listed');
        // The mirror never carries the password itself.
        assert.equal(await textbox(page, 'New password').inputValue(), '***');
        await page.keyboard.type('-Glacier-Mortar-Pelican-42!');
        await page.waitForFunction((w) => Number(document.querySelector('#stronghold-a11y [role=meter]')?.getAttribute('aria-valuenow')) > w,
            weak, { timeout: 5000 });
        await page.getByRole('listitem').filter({ hasText: 'Meets the password policy' }).waitFor();
        await page.screenshot({ path: path.join(shots, 'web-profile-password.png') });

        // Wrong current password: the server's 422 lands under "Current password".
        await type(page, page, 'Current password', 'not-my-password');
        await type(page, page, 'Confirm new password', 'abc-Glacier-Mortar-Pelican-42!');
        await page.getByRole('button', { name: 'Change password' }).click({ force: true });
        const err = page.locator('#stronghold-a11y [role=alert][data-field=current_password]');
        await err.waitFor({ timeout: 10000 });
        assert.match(await err.textContent(), /current password is not correct/);
        assert.equal(await attr(textbox(page, 'Current password'), 'aria-invalid'), 'true');

        // Right one: success toast, fields wiped, the other sessions are gone.
        await textbox(page, 'Current password').click({ force: true });
        await page.keyboard.press('Control+A');
        await page.keyboard.press('Backspace');
        await page.keyboard.type(MOCK_PASSWORD);
        await page.getByRole('button', { name: 'Change password' }).click({ force: true });
        await page.locator('#stronghold-a11y [data-toast]').filter({ hasText: 'Password changed' }).waitFor({ timeout: 10000 });
        assert.equal(await textbox(page, 'New password').inputValue(), '');
        await page.waitForFunction(() => document.querySelectorAll('#stronghold-a11y [role=table][aria-label=Sessions] [role=row][data-id]').length === 1,
            null, { timeout: 10000 });
        assert.deepEqual(problems, []);
        await close();
    });

    test('iam3_setup_draws_a_crisp_qr_code_shows_the_secret_and_recovery_codes_once', async () => {
        const { page, problems, close } = await openProfile({ dpr: 2 });
        assert.equal(await page.getByRole('status', { name: 'Two-factor status' }).textContent(), 'Off');
        await page.getByRole('button', { name: 'Set up two-factor authentication' }).click({ force: true });
        const qr = page.getByRole('img', { name: 'QR code for your authenticator app' });
        await qr.waitFor({ timeout: 10000 });
        assert.equal(await attr(qr, 'data-size'), '29');
        assert.equal(await page.getByRole('status', { name: 'Secret key' }).textContent(), 'JBSWY3DPEHPK3PXP');
        const box = await qr.boundingBox();
        assert.ok(box.width > 150 && Math.abs(box.width - box.height) < 1, `square QR of a good size: ${JSON.stringify(box)}`);
        const png = await page.screenshot({ clip: box });
        const pattern = modulePattern(png);
        // Dark and light modules both plentiful, almost nothing in between (crisp at DPR 2), many edges.
        assert.ok(pattern.dark > pattern.total * 0.15, `dark modules: ${JSON.stringify(pattern)}`);
        assert.ok(pattern.light > pattern.total * 0.35, `light modules and quiet zone: ${JSON.stringify(pattern)}`);
        assert.ok(pattern.grey < pattern.total * 0.01, `no blur: ${JSON.stringify(pattern)}`);
        assert.ok(pattern.edges > 2000, `a module pattern, not a block: ${JSON.stringify(pattern)}`);
        await page.screenshot({ path: path.join(shots, 'web-profile-2fa-qr.png') });

        // A wrong code is refused under the field; the right one turns 2FA on.
        await type(page, page, 'Authentication code', '000000');
        await page.getByRole('button', { name: 'Confirm code' }).click({ force: true });
        await page.locator('#stronghold-a11y [role=alert][data-field=code]').waitFor({ timeout: 10000 });
        await textbox(page, 'Authentication code').click({ force: true });
        await page.keyboard.press('Control+A');
        await page.keyboard.type('123456');
        await page.getByRole('button', { name: 'Confirm code' }).click({ force: true });
        const codes = page.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem');
        await codes.first().waitFor({ timeout: 10000 });
        assert.equal(await codes.count(), 10);
        assert.equal(await page.getByRole('img', { name: 'QR code for your authenticator app' }).count(), 0, 'the QR is gone');
        await page.screenshot({ path: path.join(shots, 'web-profile-recovery-codes.png') });
        await page.getByRole('button', { name: 'I have saved them' }).click({ force: true });
        await page.getByRole('list', { name: 'Recovery codes' }).waitFor({ state: 'detached' });
        assert.equal(await page.getByRole('status', { name: 'Two-factor status' }).textContent(), 'On');
        assert.deepEqual(problems, []);
        await close();
    });

    test('iam6_turning_2fa_off_asks_for_the_password_then_retries_by_itself', async () => {
        const { page, problems, close } = await openProfile();
        await page.getByRole('button', { name: 'Set up two-factor authentication' }).click({ force: true });
        await type(page, page, 'Authentication code', '123456');
        await page.getByRole('button', { name: 'Confirm code' }).click({ force: true });
        await page.getByRole('button', { name: 'I have saved them' }).click({ force: true });
        await page.getByRole('button', { name: 'Turn off two-factor authentication' }).click({ force: true });
        const confirm = page.getByRole('dialog', { name: 'Turn off two-factor authentication' });
        await confirm.waitFor();
        await confirm.getByRole('button', { name: 'Turn off' }).click({ force: true });

        // The server says reauth_required: the modal opens (no trip to the login page).
        const reauth = page.getByRole('dialog', { name: 'Confirm your password' });
        await reauth.waitFor({ timeout: 10000 });
        assert.match(page.url(), /dashboard\.html$/);
        await type(page, reauth, 'Password', 'wrong-password');
        await reauth.getByRole('button', { name: 'Confirm' }).click({ force: true });
        await reauth.locator('[role=alert][data-field=password]').waitFor({ timeout: 10000 });
        assert.equal(await page.getByRole('status', { name: 'Two-factor status' }).textContent(), 'On', 'nothing turned off yet');
        await page.screenshot({ path: path.join(shots, 'web-profile-reauth.png') });

        await textbox(reauth, 'Password').click({ force: true });
        await page.keyboard.type(MOCK_PASSWORD);
        await page.keyboard.press('Enter');
        await reauth.waitFor({ state: 'detached', timeout: 10000 });
        // The original DELETE went out again on its own and succeeded.
        await page.waitForFunction(() => document.querySelector('#stronghold-a11y [role=status][aria-label="Two-factor status"]')?.textContent === 'Off',
            null, { timeout: 10000 });
        await page.locator('#stronghold-a11y [data-toast]').filter({ hasText: 'Two-factor authentication is off' }).waitFor();
        assert.deepEqual(problems, []);
        await close();
    });

    test('iam6_cancelling_the_prompt_changes_nothing', async () => {
        const { page, close } = await openProfile();
        await page.getByRole('button', { name: 'Set up two-factor authentication' }).click({ force: true });
        await type(page, page, 'Authentication code', '123456');
        await page.getByRole('button', { name: 'Confirm code' }).click({ force: true });
        await page.getByRole('button', { name: 'I have saved them' }).click({ force: true });
        await page.getByRole('button', { name: 'Turn off two-factor authentication' }).click({ force: true });
        await page.getByRole('dialog', { name: 'Turn off two-factor authentication' }).getByRole('button', { name: 'Turn off' }).click({ force: true });
        const reauth = page.getByRole('dialog', { name: 'Confirm your password' });
        await reauth.waitFor({ timeout: 10000 });
        await reauth.getByRole('button', { name: 'Cancel' }).click({ force: true });
        await reauth.waitFor({ state: 'detached' });
        assert.equal(await page.getByRole('status', { name: 'Two-factor status' }).textContent(), 'On');
        assert.equal(await attr(page.getByRole('button', { name: 'Turn off two-factor authentication' }), 'aria-disabled'), null, 'usable again');
        await close();
    });

    test('iam5_sessions_list_with_this_device_and_sign_out_of_another', async () => {
        const { page, problems, close } = await openProfile();
        const table = page.getByRole('table', { name: 'Sessions' });
        await table.waitFor();
        const rows = table.locator('[role=row][data-id]');
        assert.equal(await rows.count(), 3);
        const current = table.locator('[role=row][data-current=true]');
        assert.equal(await current.getAttribute('aria-label'), 'Chrome on Linux');
        await current.getByRole('status', { name: 'This device' }).waitFor();
        assert.equal(await current.getByRole('button', { name: 'Sign out' }).count(), 0, 'no sign out for this device');
        const phone = table.getByRole('row', { name: 'Safari on iPhone' });
        assert.ok((await phone.getByRole('cell').allTextContents()).includes('3 min ago'));
        // The page scrolls with the wheel; the mirror follows the drawn positions.
        const before = (await phone.boundingBox()).y;
        await page.mouse.move(640, 500);
        await page.mouse.wheel(0, 600);
        await page.waitForFunction((y) => {
            const row = document.querySelector('#stronghold-a11y [role=row][aria-label="Safari on iPhone"]');
            return row && row.getBoundingClientRect().y < y - 100;
        }, before, { timeout: 5000 });
        await page.screenshot({ path: path.join(shots, 'web-profile-sessions.png') });
        await phone.getByRole('button', { name: 'Sign out' }).click({ force: true });
        await phone.waitFor({ state: 'detached', timeout: 10000 });
        assert.equal(await rows.count(), 2);
        await page.locator('#stronghold-a11y [data-toast]').filter({ hasText: 'Signed out of Safari on iPhone' }).waitFor();

        // Back to contacts.
        await page.getByRole('button', { name: 'Back to contacts' }).click({ force: true });
        await page.getByRole('table', { name: 'Contacts' }).waitFor();
        assert.deepEqual(problems, []);
        await close();
    });
});
