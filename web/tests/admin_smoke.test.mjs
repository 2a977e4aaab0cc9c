// Users, Roles and Teams (issue 4: ACC-1, ACC-2, IAM-5) in Debian's Chromium against the
// development mock API (tests/dev/mock_admin.mjs: what the dashboard sent is in GET /__mock/admin;
// password Correct-Horse-9!; role and membership changes want a re-authentication first), driven
// only through the accessibility mirror.
//   STRONGHOLD_DIST=build/h-webadmin/dist node --test web/tests/admin_smoke.test.mjs
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { choose, launchBrowser, settle, startMock as startMockFor, distDir, shotsDir, watchProblems, MOCK_PASSWORD } from './harness.mjs';
// Pages scroll inside the canvas: a widget under the fold is wheeled into view before a click.
import { press } from '../../tests/e2e/mirror.mjs';

const dist = distDir('build/h-webadmin/dist');
const shots = shotsDir(dist);

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

async function openDashboard(extra = [], viewport = { width: 1280, height: 900 }, deviceScaleFactor = 1) {
    const mock = await startMockFor(dist, ['--accounts', '2', ...extra]);
    const page = await browser.newPage({ viewport, deviceScaleFactor });
    const problems = watchProblems(page);
    await page.goto(mock.url);
    await page.waitForFunction(() => window.__stronghold && window.__stronghold.state() === 'ready', null, { timeout: 30000 });
    await page.getByRole('button', { name: 'User menu' }).click({ force: true });
    await page.getByRole('menu', { name: 'User menu' }).waitFor();
    return { page, problems, mock, close: async () => { await page.close(); mock.stop(); } };
}

async function openScreen(name, table, opts = {}) {
    const s = await openDashboard(opts.extra, opts.viewport, opts.dpr);
    await s.page.getByRole('menuitem', { name }).click({ force: true });
    await s.page.getByRole('table', { name: table }).waitFor({ timeout: 10000 });
    await settle(s.page);
    return s;
}

const adminState = async (mock) => (await fetch(`${mock.base}/__mock/admin`)).json();
const toast = (page, text) => page.locator('#stronghold-a11y [data-toast]').filter({ hasText: text }).waitFor({ timeout: 10000 });
const row = (page, name) => page.getByRole('row', { name, exact: true });

async function typeInto(page, scope, name, text) {
    await scope.getByRole('textbox', { name, exact: true }).click({ force: true });
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Backspace');
    await page.keyboard.type(text);
}
async function reauthenticate(page) {
    const reauth = page.getByRole('dialog', { name: 'Confirm your password' });
    await reauth.waitFor({ timeout: 10000 });
    await reauth.getByRole('textbox', { name: 'Password', exact: true }).click({ force: true });
    await page.keyboard.type(MOCK_PASSWORD);
    await page.keyboard.press('Enter');
    await reauth.waitFor({ state: 'detached', timeout: 10000 });
}

describe('users (mock API)', () => {
    test('acc2_invite_user_with_a_custom_role_on_a_sub_account', async () => {
        const { page, problems, mock, close } = await openScreen('Users', 'Users');
        await page.screenshot({ path: path.join(shots, 'web-users.png') });
        for (const h of ['User', 'Status', 'Role', '2FA', 'Last sign-in'])
            await page.getByRole('columnheader', { name: h, exact: true }).waitFor();
        assert.equal(await row(page, 'carl@example.com').getAttribute('data-status'), 'invited');

        await page.getByRole('button', { name: 'Invite user' }).click({ force: true });
        const dialog = page.getByRole('dialog', { name: 'Invite user' });
        await dialog.waitFor();
        await settle(page);
        // An email already in the agency: the server's 409 lands under the Email field.
        await typeInto(page, dialog, 'Email', 'bea@example.com');
        await choose(page, dialog, 'Access', 'Northwind Bakery');
        await choose(page, dialog, 'Role', 'Support desk');
        await page.screenshot({ path: path.join(shots, 'web-users-invite.png') });
        await dialog.getByRole('button', { name: 'Send invite' }).click({ force: true });
        const emailError = dialog.locator('[role=alert][data-field=email]');
        await emailError.waitFor({ timeout: 10000 });
        assert.match(await emailError.textContent(), /already has a membership/);

        await typeInto(page, dialog, 'Email', 'new.hire@example.com');
        await dialog.getByRole('button', { name: 'Send invite' }).click({ force: true });
        await toast(page, 'Invitation sent to new.hire@example.com');
        await dialog.waitFor({ state: 'detached' });
        const state = await adminState(mock);
        assert.deepEqual(state.invites, [{ email: 'new.hire@example.com', role: 'ro_support', account_id: 'ac_mock1' }]);
        await row(page, 'new.hire@example.com').waitFor({ timeout: 10000 });
        assert.equal(await row(page, 'new.hire@example.com').getAttribute('data-status'), 'invited');
        assert.deepEqual(problems, []);
        await close();
    });

    test('acc1_change_role_after_reauthentication', async () => {
        const { page, problems, mock, close } = await openScreen('Users', 'Users');
        await row(page, 'Bea Brown').getByRole('button', { name: 'Change role' }).click({ force: true });
        const dialog = page.getByRole('dialog', { name: 'Change role' });
        await dialog.waitFor();
        assert.equal(await dialog.getByRole('button', { name: 'Save' }).getAttribute('aria-disabled'), 'true', 'nothing changed yet');
        await choose(page, dialog, 'Role', 'Read only');
        await dialog.getByRole('button', { name: 'Save' }).click({ force: true });
        await reauthenticate(page); // the mock wants a fresh proof for memberships; the PATCH goes again by itself
        await toast(page, 'Role changed');
        const bea = (await adminState(mock)).users.find((u) => u.id === 'us_bea');
        assert.deepEqual(bea.memberships, [{ account_id: 'ac_mock1', role: 'read_only' }]);
        await page.waitForFunction(() => document.querySelector('#stronghold-a11y [role=row][aria-label="Bea Brown"]')?.textContent.includes('Read only'));
        assert.deepEqual(problems, []);
        await close();
    });

    test('acc2_deactivate_asks_first_and_the_owner_row_is_closed_to_admins', async () => {
        const { page, problems, mock, close } = await openScreen('Users', 'Users');
        // The signed-in owner cannot deactivate themselves.
        assert.equal(await row(page, 'Olivia Owner').getByRole('button', { name: 'Deactivate' }).getAttribute('aria-disabled'), 'true');
        await row(page, 'Adam Admin').getByRole('button', { name: 'Deactivate' }).click({ force: true });
        const dialog = page.getByRole('dialog', { name: 'Deactivate user' });
        await dialog.waitFor();
        assert.equal((await adminState(mock)).users.find((u) => u.id === 'us_adam').status, 'active', 'nothing sent before the confirmation');
        await settle(page);
        await dialog.getByRole('button', { name: 'Deactivate' }).click({ force: true });
        await toast(page, 'Adam Admin was deactivated');
        assert.equal((await adminState(mock)).users.find((u) => u.id === 'us_adam').status, 'deactivated');
        await page.waitForFunction(() => document.querySelector('#stronghold-a11y [role=row][aria-label="Adam Admin"]')?.getAttribute('data-status') === 'deactivated');
        await row(page, 'Adam Admin').getByRole('button', { name: 'Reactivate' }).waitFor();
        assert.deepEqual(problems, []);
        await close();

        // An admin (not an owner) sees an owner's row with every action disabled (core authorize_user_admin).
        const admin = await openScreen('Users', 'Users', { extra: ['--role', 'agency_admin'] });
        for (const b of ['Change role', 'Sessions', 'Deactivate'])
            assert.equal(await row(admin.page, 'Otto Owner').getByRole('button', { name: b }).getAttribute('aria-disabled'), 'true', b);
        assert.equal(await row(admin.page, 'Bea Brown').getByRole('button', { name: 'Change role' }).getAttribute('aria-disabled'), null);
        await admin.close();
    });

    test('iam5_revoke_a_users_session', async () => {
        const { page, problems, mock, close } = await openScreen('Users', 'Users');
        await row(page, 'Bea Brown').getByRole('button', { name: 'Sessions' }).click({ force: true });
        const dialog = page.getByRole('dialog', { name: 'User sessions' });
        await dialog.getByRole('row', { name: 'Safari on iPhone' }).waitFor({ timeout: 10000 });
        await settle(page);
        await page.screenshot({ path: path.join(shots, 'web-users-sessions.png') });
        await dialog.getByRole('row', { name: 'Safari on iPhone' }).getByRole('button', { name: 'Revoke' }).click({ force: true });
        await toast(page, 'Session signed out');
        await dialog.getByRole('row', { name: 'Safari on iPhone' }).waitFor({ state: 'detached' });
        await dialog.getByRole('row', { name: 'Chrome on macOS' }).waitFor();
        assert.deepEqual((await adminState(mock)).revoked, ['se_bea_phone']);
        assert.deepEqual(problems, []);
        await close();
    });

    test('acc1_create_a_team_with_members', async () => {
        const { page, problems, mock, close } = await openScreen('Users', 'Users');
        await page.getByRole('listitem', { name: 'Front desk' }).waitFor();
        await press(page, page.getByRole('button', { name: 'New team' }));
        const dialog = page.getByRole('dialog', { name: 'New team' });
        await dialog.waitFor();
        await settle(page);
        await typeInto(page, dialog, 'Team name', 'Night shift');
        await dialog.getByRole('checkbox', { name: 'Bea Brown' }).click({ force: true });
        await page.waitForFunction(() => document.querySelector('#stronghold-a11y [role=checkbox][aria-label="Bea Brown"]')?.getAttribute('aria-checked') === 'true');
        await dialog.getByRole('button', { name: 'Save team' }).click({ force: true });
        await toast(page, 'Team created');
        await page.getByRole('listitem', { name: 'Night shift' }).waitFor({ timeout: 10000 });
        const team = (await adminState(mock)).teams.find((t) => t.name === 'Night shift');
        assert.deepEqual(team.member_ids, ['us_bea']);
        assert.equal(team.account_id, 'ac_mock1');
        assert.deepEqual(problems, []);
        await close();
    });
});

describe('roles (mock API)', () => {
    test('acc1_custom_role_from_a_copy_with_an_edited_cell', async () => {
        const { page, problems, mock, close } = await openScreen('Roles', 'Roles');
        await page.screenshot({ path: path.join(shots, 'web-roles.png') });
        assert.equal(await row(page, 'Agency owner').getAttribute('data-builtin'), 'true');
        await page.getByRole('button', { name: 'New role' }).click({ force: true });
        const dialog = page.getByRole('dialog', { name: 'New role' });
        await dialog.waitFor();
        await settle(page);
        await typeInto(page, dialog, 'Role name', 'Sales rep');
        await choose(page, dialog, 'Start from', 'Agency user');
        await dialog.getByRole('button', { name: 'Create role' }).click({ force: true });
        await toast(page, 'Role created');
        await page.getByRole('table', { name: 'Permissions' }).waitFor();
        await page.getByRole('heading', { name: 'Sales rep', exact: true }).waitFor();
        const created = (await adminState(mock)).roles.find((r) => r.name === 'Sales rep');
        assert.equal(created.permissions.contact.delete, 'own', 'a copy of Agency user');

        await choose(page, page, 'Deal export', 'Team');
        await page.screenshot({ path: path.join(shots, 'web-role-editor.png') });
        await page.getByRole('button', { name: 'Save changes' }).click({ force: true });
        await reauthenticate(page);
        await toast(page, 'Role saved');
        const saved = (await adminState(mock)).roles.find((r) => r.name === 'Sales rep');
        assert.equal(saved.permissions.deal.export, 'team');
        assert.equal(saved.permissions.contact.export, 'none', 'only the edited cell changed');
        assert.equal(saved.version, 1);
        assert.equal(await page.getByRole('button', { name: 'Save changes' }).getAttribute('aria-disabled'), 'true', 'clean after the save');
        assert.deepEqual(problems, []);
        await close();
    });

    test('acc1_deleting_an_assigned_role_says_it_is_assigned', async () => {
        const { page, problems, mock, close } = await openScreen('Roles', 'Roles');
        await row(page, 'Support desk').getByRole('button', { name: 'Edit' }).click({ force: true });
        await page.getByRole('heading', { name: 'Support desk', exact: true }).waitFor();
        await settle(page);
        await page.getByRole('button', { name: 'Delete role' }).click({ force: true });
        const dialog = page.getByRole('dialog', { name: 'Delete role' });
        await dialog.waitFor();
        await settle(page);
        await dialog.getByRole('button', { name: 'Delete' }).click({ force: true });
        const alert = dialog.getByRole('alert');
        await alert.waitFor({ timeout: 10000 });
        assert.match(await alert.textContent(), /still given to at least one user/);
        await page.screenshot({ path: path.join(shots, 'web-roles-delete-assigned.png') });
        assert.ok((await adminState(mock)).roles.some((r) => r.id === 'ro_support'), 'the role is still there');
        assert.deepEqual(problems, []);
        await close();
    });

    test('acc1_builtin_roles_are_read_only', async () => {
        const { page, close } = await openScreen('Roles', 'Roles');
        await row(page, 'Read only').getByRole('button', { name: 'View' }).click({ force: true });
        await page.getByRole('button', { name: 'Copy this role' }).waitFor();
        assert.equal(await page.getByRole('combobox', { name: 'Contact view', exact: true }).getAttribute('aria-disabled'), 'true');
        assert.equal(await page.getByRole('checkbox', { name: 'Manage users' }).getAttribute('aria-checked'), 'false');
        assert.equal(await page.getByRole('button', { name: 'Save changes' }).count(), 0);
        await close();
    });
});

describe('admin menu (mock API)', () => {
    test('acc2_users_and_roles_hidden_for_a_non_admin', async () => {
        const { page, problems, close } = await openDashboard(['--role', 'agency_user']);
        await page.getByRole('menuitem', { name: 'My profile & security' }).waitFor();
        assert.equal(await page.getByRole('menuitem', { name: 'Users' }).count(), 0);
        assert.equal(await page.getByRole('menuitem', { name: 'Roles' }).count(), 0);
        assert.deepEqual(problems, []);
        await close();
    });

    test('acc2_admin_screens_at_device_pixel_ratio_2', async () => {
        for (const [menu, table, file] of [['Users', 'Users', 'web-users-dpr2.png'], ['Roles', 'Roles', 'web-roles-dpr2.png']]) {
            const { page, problems, close } = await openScreen(menu, table, { dpr: 2 });
            await page.screenshot({ path: path.join(shots, file) });
            assert.deepEqual(problems, []);
            await close();
        }
    });
});
