// Dashboard smoke tests in Debian's Chromium against the development mock API
// (tests/dev/mock_server.mjs), driven only through the accessibility mirror, as tests/e2e does
// against the real server. They cover what the dashboard itself must do, whatever the server:
// CSP-clean start, mirror roles, live validation with the core's messages, conflict handling,
// delete confirmation, live updates between two browsers, 1,000,000 rows, DPR, idle CPU.
//   STRONGHOLD_DIST=build/h-web/dist node --test web/tests/dashboard_smoke.test.mjs
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { launchBrowser, startMock as startMockFor, distDir, shotsDir, watchProblems, PNG } from './harness.mjs';

const dist = distDir('build/h-web/dist');
const shots = shotsDir(dist);
const startMock = (extra = []) => startMockFor(dist, extra);

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

async function open(url, { dpr = 1, width = 1280, height = 800 } = {}) {
    const page = await browser.newPage({ viewport: { width, height }, deviceScaleFactor: dpr });
    const problems = watchProblems(page);
    await page.addInitScript(() => {
        window.__cspViolations = [];
        document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(e.violatedDirective));
    });
    await page.goto(url);
    await page.waitForFunction(() => window.__stronghold && window.__stronghold.state() === 'ready', null, { timeout: 30000 });
    return { page, problems };
}

const dialog = (page, name) => page.getByRole('dialog', { name });
async function fill(page, scope, label, text) {
    await scope.getByRole('textbox', { name: label }).click({ force: true });
    await page.keyboard.type(text);
}
async function frames(page) { return page.evaluate(() => window.__stronghold.frames()); }

function notBlank(png) {
    const img = PNG.sync.read(png);
    const seen = new Set();
    for (let i = 0; i < img.data.length; i += 4 * 97) seen.add(img.data.readUInt32BE(i));
    return seen.size;
}

describe('dashboard (mock API)', () => {
    let mock;
    before(async () => { mock = await startMock(); });
    after(() => mock.stop());

    test('starts under the strict CSP, draws, mirrors, and idles', async () => {
        const { page, problems } = await open(mock.url);
        assert.deepEqual(await page.evaluate(() => window.__cspViolations), []);
        await page.getByRole('heading', { name: 'Stronghold' }).waitFor();
        await page.getByRole('button', { name: 'New contact' }).waitFor();
        await page.getByRole('textbox', { name: 'Search contacts' }).waitFor();
        assert.equal(await page.getByRole('columnheader', { name: 'Name' }).getAttribute('aria-sort'), 'ascending');
        assert.ok(await page.getByRole('row').count() > 5, 'rows in view are mirrored');
        assert.match(await page.getByRole('status', { name: 'Contacts count' }).textContent(), /1,000 contacts/);
        const png = await page.screenshot({ path: path.join(shots, 'web-contacts.png') });
        assert.ok(notBlank(png) > 20, 'screenshot has content');
        // Render on demand: once settled, no frames are drawn while nothing happens.
        await page.waitForTimeout(700);
        const f1 = await frames(page);
        await page.waitForTimeout(1500);
        assert.equal(await frames(page), f1, 'idle dashboard draws nothing');
        assert.deepEqual(problems, []);
        await page.close();
    });

    test('crm5_live_validation_shows_the_core_message_under_the_field', async () => {
        const { page } = await open(mock.url);
        await page.getByRole('button', { name: 'New contact' }).click({ force: true });
        const form = dialog(page, 'New contact');
        await fill(page, form, 'Company', '4111 1111 1111 1111');
        await fill(page, form, 'Emails', 'not-an-email');
        await form.getByRole('textbox', { name: 'Tags' }).click({ force: true });
        const company = form.locator('[role=alert][data-field=company_name]');
        await company.waitFor();
        assert.match(await company.textContent(), /card/i);
        assert.equal(await form.getByRole('textbox', { name: 'Company' }).getAttribute('aria-invalid'), 'true');
        await form.locator('[role=alert][data-field=emails]').waitFor();
        await form.getByRole('button', { name: 'Cancel' }).click({ force: true });
        await form.waitFor({ state: 'detached' });
        await page.close();
    });

    test('quick repeated keys each count: ten fast Backspaces empty a ten-letter field', async () => {
        const { page } = await open(mock.url);
        await page.getByRole('button', { name: 'New contact' }).click({ force: true });
        const form = dialog(page, 'New contact');
        const first = form.getByRole('textbox', { name: 'First name' });
        await fill(page, form, 'First name', 'Backspaces');
        await page.waitForFunction(() => document.querySelector('#stronghold-a11y [role=textbox][aria-label="First name"]')
            ?.getAttribute('value') === 'Backspaces');
        // No waits between the presses: several land between two frames, as fast typing does.
        for (let i = 0; i < 10; ++i) await page.keyboard.press('Backspace', { delay: 0 });
        await page.waitForFunction(() => document.querySelector('#stronghold-a11y [role=textbox][aria-label="First name"]')
            ?.getAttribute('value') === '', null, { timeout: 5000 });
        assert.equal(await first.inputValue(), '');
        await form.getByRole('button', { name: 'Cancel' }).click({ force: true });
        await page.close();
    });

    test('create appears in the table and live in a second browser; edit conflict; delete', async () => {
        const a = await open(mock.url);
        const b = await open(mock.url);
        const name = `Aaron Smoke${Date.now() % 100000}`;
        await a.page.getByRole('button', { name: 'New contact' }).click({ force: true });
        const form = dialog(a.page, 'New contact');
        await fill(a.page, form, 'First name', name.split(' ')[0]);
        await fill(a.page, form, 'Last name', name.split(' ')[1]);
        await fill(a.page, form, 'Emails', 'aaron@smoke.example');
        await form.getByRole('button', { name: 'Save' }).click({ force: true });
        try { await a.page.getByRole('row', { name }).waitFor({ timeout: 10000 }); } catch (e) {
            await a.page.screenshot({ path: '/tmp/fail-a.png' });
            console.log(await a.page.evaluate(() => Array.from(document.querySelectorAll('#stronghold-a11y [role]')).slice(0, 30).map(e => e.getAttribute('role') + ':' + (e.getAttribute('aria-label') || e.textContent) + ':' + (e.value || '')).join(' | ')));
            console.log('frames', await frames(a.page), 'visibility', await a.page.evaluate(() => document.visibilityState));
            throw e;
        }
        await b.page.getByRole('row', { name }).waitFor({ timeout: 10000 }); // live, no reload
        await b.page.screenshot({ path: path.join(shots, 'web-live-second-browser.png') });

        // B edits while A has the form open: A's save gets 412 and the conflict dialog (Keep theirs / Merge / Overwrite with mine).
        // A row opens the contact's side panel; its Edit button the form.
        const openForm = async (page) => {
            await page.getByRole('row', { name }).click({ force: true });
            const panel = page.getByRole('region', { name: 'Contact details' });
            await panel.getByRole('button', { name: 'Edit', exact: true }).waitFor({ timeout: 10000 });
            await panel.getByRole('button', { name: 'Edit', exact: true }).click({ force: true });
        };
        await openForm(a.page);
        const edit = dialog(a.page, 'Edit contact');
        await edit.waitFor();
        await openForm(b.page);
        const editB = dialog(b.page, 'Edit contact');
        await fill(b.page, editB, 'Company', 'Theirs Inc');
        await editB.getByRole('button', { name: 'Save' }).click({ force: true });
        await editB.waitFor({ state: 'detached' });
        await fill(a.page, edit, 'Company', 'Mine LLC');
        await edit.getByRole('button', { name: 'Save' }).click({ force: true });
        await a.page.getByRole('button', { name: 'Overwrite with mine' }).waitFor({ timeout: 10000 });
        await a.page.screenshot({ path: path.join(shots, 'web-conflict.png') });
        await a.page.getByRole('button', { name: 'Keep theirs' }).click({ force: true });
        await a.page.getByRole('button', { name: 'Overwrite with mine' }).waitFor({ state: 'detached' });
        assert.equal(await edit.getByRole('textbox', { name: 'Company' }).inputValue(), 'Theirs Inc');

        // Delete with confirmation; the other browser sees it go.
        await edit.getByRole('button', { name: 'Delete' }).click({ force: true });
        const confirm = dialog(a.page, 'Delete contact');
        await confirm.waitFor();
        await confirm.getByRole('button', { name: 'Delete' }).click({ force: true });
        await a.page.getByRole('row', { name }).waitFor({ state: 'detached', timeout: 10000 });
        await b.page.getByRole('row', { name }).waitFor({ state: 'detached', timeout: 10000 });
        await a.page.close();
        await b.page.close();
    });

    test('search is sent to the server and narrows the table', async () => {
        const { page } = await open(mock.url);
        await fill(page, page, 'Search contacts', 'Grace H');
        await page.waitForFunction(() => {
            const rows = Array.from(document.querySelectorAll('#stronghold-a11y [role=row][data-id]'));
            return rows.length > 0 && rows.every((r) => r.getAttribute('aria-label').startsWith('Grace H'));
        }, null, { timeout: 10000 });
        assert.equal(await page.getByRole('textbox', { name: 'Search contacts' }).inputValue(), 'Grace H');
        await page.close();
    });

    test('account switcher loads the other sub-account; Log out goes to the login page', async () => {
        const { page } = await open(mock.url);
        const first = await page.locator('#stronghold-a11y [role=row][data-id]').first().getAttribute('aria-label');
        await page.getByRole('combobox', { name: 'Account' }).click({ force: true });
        await page.getByRole('option', { name: 'Blue Fern Florist' }).click({ force: true });
        await page.waitForFunction(() => document.querySelector('#stronghold-a11y [role=combobox]')?.textContent === 'Blue Fern Florist');
        await page.waitForFunction(() => window.__stronghold.state() === 'ready');
        assert.ok(first, 'rows were shown before the switch');
        await page.getByRole('button', { name: 'User menu' }).click({ force: true });
        await page.getByRole('menuitem', { name: 'Log out' }).click({ force: true });
        await page.waitForURL(/\/login\.html$/, { timeout: 10000 });
        await page.close();
    });

    test('copy and paste go through the system clipboard', async () => {
        const { page } = await open(mock.url);
        await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
        await fill(page, page, 'Search contacts', 'Hopper');
        await page.keyboard.press('Control+A');
        await page.keyboard.press('Control+C');
        await page.waitForFunction(async () => (await navigator.clipboard.readText()) === 'Hopper', null, { timeout: 5000 });
        await page.evaluate(() => navigator.clipboard.writeText('Lovelace'));
        await page.getByRole('button', { name: 'New contact' }).click({ force: true });
        const form = dialog(page, 'New contact');
        await form.getByRole('textbox', { name: 'Last name' }).click({ force: true });
        await page.keyboard.press('Control+V');
        await page.waitForFunction(() => document.querySelector('#stronghold-a11y input[aria-label="Last name"]')?.value === 'Lovelace',
            null, { timeout: 5000 });
        await page.close();
    });

    test('sharp on high-DPI: backing store is CSS size x devicePixelRatio', async () => {
        const { page } = await open(mock.url, { dpr: 2, width: 1000, height: 700 });
        const size = await page.evaluate(() => { const c = document.getElementById('canvas'); return [c.width, c.height]; });
        assert.deepEqual(size, [2000, 1400]);
        const box = await page.getByRole('button', { name: 'New contact' }).boundingBox();
        assert.ok(box.x + box.width <= 1000 && box.x > 500, 'mirror rects are in CSS pixels');
        await page.getByRole('button', { name: 'New contact' }).click({ force: true });
        await dialog(page, 'New contact').waitFor();
        await page.screenshot({ path: path.join(shots, 'web-dpr2-form.png') });
        await page.close();
    });
});

describe('dashboard with 1,000,000 contacts', () => {
    let mock;
    before(async () => { mock = await startMock(['--contacts', '1000000', '--accounts', '1']); });
    after(() => mock.stop());

    test('scrolling far fetches pages on demand and frames stay cheap', async () => {
        const { page } = await open(mock.url);
        assert.match(await page.getByRole('status', { name: 'Contacts count' }).textContent(), /1,000,000 contacts/);
        assert.equal(await page.getByRole('table', { name: 'Contacts' }).getAttribute('aria-rowcount'), '1000000');
        await page.getByRole('row').nth(3).waitFor();
        const rowsBefore = await page.evaluate(() => {
            window.__rowsBefore = Array.from(document.querySelectorAll('#stronghold-a11y [role=row][aria-rowindex]'));
            return window.__rowsBefore.length;
        });
        // Drag the scrollbar to the middle of the table: a jump of ~500,000 rows.
        const table = await page.getByRole('table', { name: 'Contacts' }).boundingBox();
        const x = table.x + table.width - 5;
        await page.mouse.move(x, table.y + 60);
        await page.mouse.down();
        await page.mouse.move(x, table.y + table.height / 2, { steps: 4 });
        await page.mouse.up();
        await page.waitForFunction(() => {
            const rows = Array.from(document.querySelectorAll('#stronghold-a11y [role=row][data-id]'));
            return rows.length > 5 && Number(rows[0].getAttribute('aria-rowindex')) > 100000;
        }, null, { timeout: 15000 });
        const ms = await page.evaluate(() => window.__stronghold.frameMs().last);
        assert.ok(ms < 50, `a frame at row ~500,000 took ${ms} ms`);
        // The mirror keys the rows by their place in view, so the jump reused their elements
        // (not hundreds replaced per jump), and each shows its new contact: six cells, the first
        // one the row's name.
        const after = await page.evaluate(() => {
            const rows = Array.from(document.querySelectorAll('#stronghold-a11y [role=row][data-id]'));
            return {
                rows: rows.length,
                reused: rows.filter((r) => window.__rowsBefore.includes(r)).length,
                stale: rows.filter((r) => {
                    const cells = r.querySelectorAll('[role=cell]');
                    return cells.length !== 6 || cells[0].textContent !== r.getAttribute('aria-label');
                }).map((r) => r.getAttribute('aria-label')),
            };
        });
        assert.ok(rowsBefore > 5 && after.reused >= after.rows - 2, `${after.reused} of ${after.rows} row elements reused`);
        assert.deepEqual(after.stale, []);
        await page.screenshot({ path: path.join(shots, 'web-million-rows.png') });
        await page.close();
    });
});

describe('read-only user (ACC-2)', () => {
    let mock;
    before(async () => { mock = await startMock(['--readonly', '--accounts', '1']); });
    after(() => mock.stop());

    test('acc2_no_new_contact_button_without_contact_create', async () => {
        const { page } = await open(mock.url);
        await page.getByRole('table', { name: 'Contacts' }).waitFor();
        assert.equal(await page.getByRole('button', { name: 'New contact' }).count(), 0);
        assert.equal(await page.getByRole('combobox', { name: 'Account' }).count(), 0, 'one account: no switcher');
        await page.close();
    });
});
