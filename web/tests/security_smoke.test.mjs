// "Security settings" in Debian's Chromium against the development mock API
// (tests/dev/mock_server.mjs: password Correct-Horse-9!; PATCH of the policy always wants a
// re-authentication first), driven only through the accessibility mirror.
//   STRONGHOLD_DIST=build/h4-secweb/dist node --test web/tests/security_smoke.test.mjs
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { launchBrowser, settle, startMock as startMockFor, distDir, shotsDir, watchProblems, MOCK_PASSWORD } from './harness.mjs';
// The page scrolls inside the canvas (below the CRM navigation strip, Save sits under the fold; with the
// Staff access card the first fields can be above it once Save was pressed): every click reveals its widget.
import { press } from '../../tests/e2e/mirror.mjs';

const dist = distDir('build/h4-secweb/dist');
const shots = shotsDir(dist);
const startMock = (extra = []) => startMockFor(dist, ['--accounts', '1', ...extra]);

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

async function openDashboard(extra = []) {
    const mock = await startMock(extra);
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const problems = watchProblems(page);
    await page.goto(mock.url);
    await page.waitForFunction(() => window.__stronghold && window.__stronghold.state() === 'ready', null, { timeout: 30000 });
    await page.getByRole('button', { name: 'User menu' }).click({ force: true });
    await page.getByRole('menu', { name: 'User menu' }).waitFor();
    return { page, problems, mock, close: async () => { await page.close(); mock.stop(); } };
}

async function openSecurity() {
    const s = await openDashboard();
    await s.page.getByRole('menuitem', { name: 'Security settings' }).click({ force: true });
    await s.page.getByRole('heading', { name: 'Security settings' }).waitFor();
    await s.page.getByRole('button', { name: 'Save changes' }).waitFor({ timeout: 10000 }); // the policy has loaded
    return s;
}

const policyOf = async (mock) => (await fetch(`${mock.base}/api/v1/agencies/ag_mock/security-policy`)).json();
const checked = (locator) => locator.getAttribute('aria-checked');
const textbox = (page, name) => page.getByRole('textbox', { name, exact: true });
async function retype(page, name, text) {
    // From the top of the page: press() wheels down to a field below the fold, but one scrolled up
    // under the page's fixed header would still count as in view and the click would hit the header.
    await page.mouse.move(640, 600);
    await page.mouse.wheel(0, -5000);
    await settle(page);
    await press(page, textbox(page, name));
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Backspace');
    await page.keyboard.type(text);
}
// Clicks a checkbox and waits until the dashboard has drawn the new state (so a following
// click on "Save changes" never lands on the frame before, when there was nothing to save).
async function toggle(page, name, want) {
    await press(page, page.getByRole('checkbox', { name }));
    await page.waitForFunction(([n, w]) => document.querySelector(`#stronghold-a11y [role=checkbox][aria-label="${n}"]`)
        ?.getAttribute('aria-checked') === w, [name, want]);
}
async function reauthenticate(page) {
    const reauth = page.getByRole('dialog', { name: 'Confirm your password' });
    await reauth.waitFor({ timeout: 10000 });
    await textbox(reauth, 'Password').click({ force: true });
    await page.keyboard.type(MOCK_PASSWORD);
    await page.keyboard.press('Enter');
    await reauth.waitFor({ state: 'detached', timeout: 10000 });
}

describe('security settings (mock API)', () => {
    test('iam3_require_2fa_is_saved_after_reauthentication', async () => {
        const { page, problems, mock, close } = await openSecurity();
        // The mirror's outline: the product name h1, the page title h2, card titles h3.
        await page.getByRole('heading', { name: 'Stronghold', level: 1 }).waitFor();
        await page.getByRole('heading', { name: 'Security settings', level: 2 }).waitFor();
        for (const h of ['Password policy', 'Two-factor authentication', 'Sessions'])
            await page.getByRole('heading', { name: h, exact: true, level: 3 }).waitFor();
        const save = page.getByRole('button', { name: 'Save changes' });
        assert.equal(await save.getAttribute('aria-disabled'), 'true', 'nothing to save yet');
        const require2fa = page.getByRole('checkbox', { name: 'Require 2FA for every user' });
        assert.equal(await checked(require2fa), 'false');
        await page.screenshot({ path: path.join(shots, 'web-security.png') });

        await toggle(page, 'Require 2FA for every user', 'true');
        await press(page, save);
        // The mock answers reauth_required first; after the password the PATCH goes again by itself.
        await reauthenticate(page);
        await page.locator('#stronghold-a11y [data-toast]').filter({ hasText: 'Security settings saved' }).waitFor({ timeout: 10000 });
        const saved = await policyOf(mock);
        assert.equal(saved.require_2fa, true);
        assert.equal(saved.version, 1);
        assert.equal(saved.session_idle_minutes, 30, 'only the changed field was sent');
        assert.equal(await checked(require2fa), 'true');
        assert.equal(await save.getAttribute('aria-disabled'), 'true', 'clean again after the save');
        assert.deepEqual(problems, []);
        await close();
    });

    test('iam2_one_click_nist_and_bounds_errors_under_their_field', async () => {
        const { page, problems, mock, close } = await openSecurity();
        await press(page, page.getByRole('radio', { name: 'NIST 800-63B' }));
        await page.waitForFunction(() => document.querySelector('#stronghold-a11y [role=radio][aria-label="NIST 800-63B"]')?.getAttribute('aria-checked') === 'true');
        assert.equal(await textbox(page, 'Minimum length').inputValue(), '15');
        for (const c of ['Lower case letter', 'Upper case letter', 'Digit', 'Symbol or other character'])
            assert.equal(await checked(page.getByRole('checkbox', { name: c })), 'false', c);
        assert.equal(await checked(page.getByRole('radio', { name: 'Classic' })), 'false');

        // Out of bounds: refused in the browser with the core's words, nothing sent.
        await retype(page, 'Idle timeout (minutes)', '2');
        await retype(page, 'Minimum length', '12');
        await press(page, page.getByRole('button', { name: 'Save changes' }));
        const idleErr = page.locator('#stronghold-a11y [role=alert][data-field=session_idle_minutes]');
        await idleErr.waitFor({ timeout: 5000 });
        assert.match(await idleErr.textContent(), /between 5 and 1440/);
        assert.match(await page.locator('#stronghold-a11y [role=alert][data-field=password_min_length]').textContent(), /at least 15/);
        assert.equal(await textbox(page, 'Idle timeout (minutes)').getAttribute('aria-invalid'), 'true');
        assert.equal(await page.getByRole('dialog', { name: 'Confirm your password' }).count(), 0, 'no request went out');
        await page.screenshot({ path: path.join(shots, 'web-security-errors.png') });

        await retype(page, 'Idle timeout (minutes)', '45');
        await retype(page, 'Minimum length', '16');
        await press(page, page.getByRole('button', { name: 'Save changes' }));
        await reauthenticate(page);
        await page.locator('#stronghold-a11y [data-toast]').filter({ hasText: 'Security settings saved' }).waitFor({ timeout: 10000 });
        const saved = await policyOf(mock);
        assert.equal(saved.password_profile, 'nist_800_63b');
        assert.equal(saved.password_min_length, 16);
        assert.deepEqual(saved.password_required_classes, []);
        assert.equal(saved.session_idle_minutes, 45);
        assert.deepEqual(problems, []);
        await close();
    });

    test('iam2_a_save_over_someone_elses_change_offers_reload', async () => {
        const { page, problems, mock, close } = await openSecurity();
        await fetch(`${mock.base}/__mock/policy-changed-elsewhere`, { method: 'POST' }); // idle 60, version 1
        await toggle(page, 'Require 2FA for every user', 'true');
        await press(page, page.getByRole('button', { name: 'Save changes' }));
        await reauthenticate(page);
        await page.getByRole('alert').filter({ hasText: 'Someone else changed these settings' }).waitFor({ timeout: 10000 });
        assert.equal((await policyOf(mock)).require_2fa, false, 'the stale save wrote nothing');
        await press(page, page.getByRole('button', { name: 'Reload' }));
        await page.waitForFunction(() => document.querySelector('#stronghold-a11y [role=textbox][aria-label="Idle timeout (minutes)"]')?.getAttribute('value') === '60');
        assert.equal(await checked(page.getByRole('checkbox', { name: 'Require 2FA for every user' })), 'false');
        // Saving again now names the new version and goes through (the proof is still fresh).
        await toggle(page, 'Require 2FA for every user', 'true');
        await press(page, page.getByRole('button', { name: 'Save changes' }));
        await page.locator('#stronghold-a11y [data-toast]').filter({ hasText: 'Security settings saved' }).waitFor({ timeout: 10000 });
        const saved = await policyOf(mock);
        assert.equal(saved.require_2fa, true);
        assert.equal(saved.session_idle_minutes, 60);
        assert.deepEqual(problems, []);
        await close();
    });

    test('iam2_security_settings_hidden_for_a_non_admin', async () => {
        const { page, problems, close } = await openDashboard(['--role', 'agency_user']);
        await page.getByRole('menuitem', { name: 'My profile & security' }).waitFor();
        assert.equal(await page.getByRole('menuitem', { name: 'Security settings' }).count(), 0);
        assert.deepEqual(problems, []);
        await close();
    });
});
