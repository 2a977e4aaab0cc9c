// The CRM record screens (issue 5: CRM-1, RES-1, RES-2) in Debian's Chromium against the
// development mock API (tests/dev/mock_records.mjs: POST /__mock/records/edit saves as another
// user; GET /__mock/records answers the state), driven only through the accessibility mirror:
// create a company (core's live check, then a server error at its field), edit it while someone
// else saves (412 -> the conflict dialog -> Merge), history and revert, delete and restore from
// the trash, bulk tag, a status filter on tickets, the CRM settings page. Screenshots go to
// STRONGHOLD_SHOTS (web-records-*.png).
//   STRONGHOLD_DIST=build/h-webA-wasm/dist node --test web/tests/records_smoke.test.mjs
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { launchBrowser, startMock, distDir, shotsDir, watchProblems } from './harness.mjs';

const dist = distDir('build/h-webA-wasm/dist');
const shots = shotsDir(dist);
const ACCOUNT = 'ac_mock1';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

// The dashboard renders on demand: wait until the frame count stands still.
async function settle(page) {
    await page.waitForFunction(() => new Promise((resolve) => {
        const f = window.__stronghold.frames();
        setTimeout(() => resolve(window.__stronghold.frames() === f), 150);
    }), null, { timeout: 10000, polling: 50 });
}
async function typeInto(page, scope, name, text) {
    await scope.getByRole('textbox', { name, exact: true }).click({ force: true });
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Backspace');
    await page.keyboard.type(text);
}
const shot = (page, name) => page.screenshot({ path: path.join(shots, `web-records-${name}.png`) });
const toast = (page, text) => page.locator('#stronghold-a11y [data-toast]').filter({ hasText: text }).waitFor({ timeout: 10000 });
const row = (page, name) => page.getByRole('row', { name, exact: true });
const records = async (mock) => (await (await fetch(`${mock.base}/__mock/records`)).json())[ACCOUNT].records.map((r) => r.rec);

async function openSection(page, tab, table) {
    await page.getByRole('tab', { name: tab, exact: true }).click({ force: true });
    await page.getByRole('table', { name: table }).waitFor({ timeout: 10000 });
    await settle(page);
}

describe('CRM records (mock API)', () => {
    test('CRM1_RES1_RES2_company_create_edit_conflict_history_trash', async () => {
        const mock = await startMock(dist, ['--accounts', '2']);
        const page = await browser.newPage({ viewport: { width: 1360, height: 860 } });
        const problems = watchProblems(page);
        await page.goto(mock.url);
        await page.waitForFunction(() => window.__stronghold && window.__stronghold.state() === 'ready', null, { timeout: 30000 });

        // The list: virtualised table with the spec's columns, sorted by name.
        await openSection(page, 'Companies', 'Companies');
        await row(page, 'Atlas Dental').waitFor();
        for (const h of ['Name', 'Domain', 'Industry', 'Tags', 'Updated', 'Created'])
            await page.getByRole('columnheader', { name: h, exact: true }).waitFor();
        assert.equal(await page.getByRole('status', { name: 'Companies count' }).textContent(), '12 companies');
        await shot(page, 'companies');

        // Create: core's check in the browser first, then the server's 422 under its field.
        await page.getByRole('button', { name: 'New company' }).click({ force: true });
        const form = page.getByRole('dialog', { name: 'New company' });
        await form.waitFor();
        await form.getByRole('textbox', { name: 'Name', exact: true }).waitFor();
        await typeInto(page, form, 'Website', 'ftp://acme');
        await typeInto(page, form, 'Name', 'Acme Robotics');
        await form.locator('[role=alert][data-field=website]').waitFor({ timeout: 10000 });
        assert.equal(await form.locator('[role=alert][data-field=website]').textContent(), 'Must be an http:// or https:// address');
        await typeInto(page, form, 'Website', 'https://acme.example');
        await typeInto(page, form, 'Domain', 'taken.example');
        await settle(page);
        await form.getByRole('button', { name: 'Save', exact: true }).click({ force: true });
        await form.locator('[role=alert][data-field=domain]').filter({ hasText: 'already used' }).waitFor({ timeout: 10000 });
        await shot(page, 'company-form-error');
        await typeInto(page, form, 'Domain', 'acme.example');
        await settle(page);
        await form.getByRole('button', { name: 'Save', exact: true }).click({ force: true });
        await form.waitFor({ state: 'detached', timeout: 10000 });
        await toast(page, 'Company created.');
        await row(page, 'Acme Robotics').waitFor({ timeout: 10000 });
        const id = await row(page, 'Acme Robotics').getAttribute('data-id');
        assert.match(id, /^co_[a-z2-7]{26}$/);

        // The side panel, then edit while another user saves: 412 -> conflict dialog -> Merge.
        await row(page, 'Acme Robotics').click({ force: true });
        const panel = page.getByRole('region', { name: 'Record details' });
        await panel.waitFor({ timeout: 10000 });
        await panel.getByRole('heading', { name: 'Acme Robotics' }).waitFor();
        await panel.getByRole('list', { name: 'Notes' }).waitFor();
        await panel.getByRole('button', { name: 'Edit', exact: true }).click({ force: true });
        const edit = page.getByRole('dialog', { name: 'Edit company' });
        await edit.getByRole('textbox', { name: 'Industry', exact: true }).waitFor({ timeout: 10000 });
        await typeInto(page, edit, 'Industry', 'Robotics');
        const other = await fetch(`${mock.base}/__mock/records/edit`, { method: 'POST',
            body: JSON.stringify({ account_id: ACCOUNT, id, patch: { industry: 'Automation', address: '1 Harbour Road' } }) });
        assert.equal(other.status, 200);
        await settle(page);
        await edit.getByRole('button', { name: 'Save', exact: true }).click({ force: true });
        const conflict = page.getByRole('dialog', { name: 'Edit conflict' });
        await conflict.waitFor({ timeout: 10000 });
        const industry = conflict.getByRole('row', { name: 'Industry' });
        await industry.waitFor();
        assert.equal(await industry.getAttribute('data-who'), 'changed by both');
        assert.equal(await industry.getByRole('cell', { name: 'Their version' }).textContent(), 'Automation');
        assert.equal(await industry.getByRole('cell', { name: 'Yours' }).textContent(), 'Robotics');
        assert.equal(await conflict.getByRole('row', { name: 'Address' }).getAttribute('data-who'), 'changed by them');
        await settle(page);
        await shot(page, 'conflict');
        await conflict.getByRole('button', { name: 'Merge', exact: true }).click({ force: true });
        await edit.waitFor({ state: 'detached', timeout: 10000 });
        let acme = (await records(mock)).find((r) => r.id === id);
        assert.equal(acme.industry, 'Robotics');        // mine where I typed
        assert.equal(acme.address, '1 Harbour Road');   // theirs where I did not
        assert.equal(acme.version, 3);

        // History: three versions; revert to the first (If-Match), a new version 4.
        await panel.getByRole('button', { name: 'History', exact: true }).click({ force: true });
        const versions = panel.getByRole('list', { name: 'Versions' });
        await versions.getByRole('listitem', { name: 'Version 3' }).waitFor({ timeout: 10000 });
        assert.match(await versions.getByRole('listitem', { name: 'Version 2' }).textContent(), /Changed Industry, Address/);
        await settle(page);
        await shot(page, 'history');
        await panel.getByRole('button', { name: 'Revert to version 1' }).click({ force: true });
        await toast(page, 'Reverted to version 1.');
        await versions.getByRole('listitem', { name: 'Version 4' }).waitFor({ timeout: 10000 });
        acme = (await records(mock)).find((r) => r.id === id);
        assert.equal(acme.version, 4);
        assert.equal(acme.industry, '');
        assert.equal(acme.address, '');

        // Delete to the trash, restore from there.
        await panel.getByRole('button', { name: 'Show details' }).click({ force: true });
        await panel.getByRole('button', { name: 'Delete', exact: true }).click({ force: true });
        const confirm = page.getByRole('dialog', { name: 'Delete record' });
        await confirm.waitFor();
        await confirm.getByRole('button', { name: 'Delete', exact: true }).click({ force: true });
        await row(page, 'Acme Robotics').waitFor({ state: 'detached', timeout: 10000 });
        await openSection(page, 'Trash', 'Trash');
        const trashed = row(page, 'Acme Robotics');
        await trashed.waitFor({ timeout: 10000 });
        assert.equal(await trashed.getAttribute('data-kind'), 'company');
        assert.equal(await trashed.getByRole('cell').nth(2).textContent(), 'You');
        await shot(page, 'trash');
        await page.getByRole('button', { name: 'Restore Acme Robotics' }).click({ force: true });
        await toast(page, 'Restored Acme Robotics.');
        await trashed.waitFor({ state: 'detached', timeout: 10000 });
        await openSection(page, 'Companies', 'Companies');
        await row(page, 'Acme Robotics').waitFor({ timeout: 10000 });

        // Bulk: tick two rows, tag them in one request.
        await page.getByRole('checkbox', { name: 'Select Atlas Dental' }).click({ force: true });
        await page.getByRole('checkbox', { name: 'Select Harbor Yoga' }).click({ force: true });
        await page.getByRole('status', { name: 'Selection' }).filter({ hasText: '2 selected' }).waitFor();
        await page.getByRole('button', { name: 'Tag selected' }).click({ force: true });
        const tag = page.getByRole('dialog', { name: 'Add tag' });
        await tag.waitFor();
        await typeInto(page, tag, 'Tag', 'spring');
        await settle(page);
        await tag.getByRole('button', { name: 'Apply tag' }).click({ force: true });
        await toast(page, 'Tagged 2 companies.');
        const tagged = (await records(mock)).filter((r) => (r.tags || []).includes('spring')).map((r) => r.name).sort();
        assert.deepEqual(tagged, ['Atlas Dental', 'Harbor Yoga']);

        // Tickets: a filter on the status select (status[eq]=pending).
        await openSection(page, 'Tickets', 'Tickets');
        await row(page, 'Booking widget shows wrong hours').waitFor();
        await page.getByRole('button', { name: 'Filters' }).click({ force: true });
        const filters = page.getByRole('dialog', { name: 'Filters' });
        await filters.getByRole('combobox', { name: 'Status' }).click({ force: true });
        await page.getByRole('option', { name: 'Pending', exact: true }).click({ force: true });
        await row(page, 'Booking widget shows wrong hours').waitFor({ state: 'detached', timeout: 10000 });
        await row(page, 'Invoice PDF missing logo').waitFor();
        assert.equal(await page.getByRole('status', { name: 'Tickets count' }).textContent(), '2 tickets');
        await shot(page, 'tickets-filtered');
        await page.getByRole('heading', { name: 'Tickets', exact: true }).click({ force: true }); // a click outside closes the popover
        await filters.waitFor({ state: 'detached', timeout: 10000 });
        await settle(page);

        // CRM settings (owner: manage_settings): custom fields and tags.
        await page.getByRole('button', { name: 'User menu' }).click({ force: true });
        await page.getByRole('menuitem', { name: 'CRM settings' }).click({ force: true });
        await page.getByRole('heading', { name: 'Custom fields' }).waitFor({ timeout: 10000 });
        await page.getByRole('list', { name: 'Custom fields' }).getByRole('listitem', { name: 'Lead source' }).waitFor();
        await page.getByRole('list', { name: 'Tags' }).getByRole('listitem', { name: 'vip' }).waitFor();
        await settle(page);
        await shot(page, 'settings');

        assert.deepEqual(problems, []);
        await page.close();
        mock.stop();
    });
});
