// Contacts export and CSV import (issue 5, CRM-4) in Debian's Chromium against the development
// mock API (tests/dev/mock_io.mjs; GET /__mock/io answers what it was asked), driven only through
// the accessibility mirror: Export -> CSV with the current search asks for a fresh password
// first, then the browser downloads the file from .../contacts/export?format=csv&sort=name&q=...;
// Import CSV -> pick a file -> the header row is mapped by name, one column is re-mapped by hand
// -> a dry run uploads the file itself as text/csv with that mapping -> the progress bar advances
// over a few polls -> counts and the row errors table. Screenshots go to STRONGHOLD_SHOTS
// (web-io-*.png).
//   STRONGHOLD_DIST=build/h-webA-wasm/dist node --test web/tests/import_export_smoke.test.mjs
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { choose, launchBrowser, startMock, distDir, settle, shotsDir, watchProblems, MOCK_PASSWORD } from './harness.mjs';

const dist = distDir('build/h-webA-wasm/dist');
const shots = shotsDir(dist);

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

const shot = (page, name) => page.screenshot({ path: path.join(shots, `web-io-${name}.png`) });
const mockState = async (mock) => (await fetch(`${mock.base}/__mock/io`)).json();

const CSV = 'First Name,Surname,E-mail,Work Phone,Notes\r\n' +
    'Ada,Lovelace,ada@example.com,+44 20 7946 0001,met at the fair\r\n' +
    'Grace,Hopper,grace-at-example,+1 555 0100,\r\n' +
    ',,,,\r\n' +
    'Alan,Turing,alan@example.com,,bletchley\r\n' +
    'Edsger,Dijkstra,edsger@example,+31 20 555 0101,\r\n';

describe('contacts export and import (mock API)', () => {
    test('CRM4_export_download_and_import_dry_run_progress_and_row_errors', async () => {
        const mock = await startMock(dist, ['--accounts', '2']);
        const page = await browser.newPage({ viewport: { width: 1360, height: 860 }, acceptDownloads: true });
        const problems = watchProblems(page);
        await page.goto(mock.url);
        await page.waitForFunction(() => window.__stronghold && window.__stronghold.state() === 'ready', null, { timeout: 30000 });
        await page.getByRole('table', { name: 'Contacts' }).waitFor({ timeout: 10000 });

        // Export with the current search: a fresh password first (the mock wants one), then the download.
        await page.getByRole('textbox', { name: 'Search contacts' }).click({ force: true });
        await page.keyboard.type('Ada');
        await page.waitForFunction(() => /^\d+ contacts?$/.test(document.querySelector('#stronghold-a11y [role=status][aria-label="Contacts count"]')?.textContent || '')
            && document.querySelectorAll('#stronghold-a11y [role=row][data-id]').length > 0);
        await settle(page);
        await page.waitForTimeout(400); // the search's debounce has applied the query
        await settle(page);
        await page.getByRole('button', { name: 'Export', exact: true }).click({ force: true });
        await page.getByRole('menuitem', { name: 'CSV (spreadsheet)' }).click({ force: true });
        const reauth = page.getByRole('dialog', { name: 'Confirm your password' });
        await reauth.waitFor({ timeout: 10000 });
        assert.deepEqual((await mockState(mock)).exports, [], 'nothing exported before the password');
        const downloading = page.waitForEvent('download', { timeout: 15000 });
        await reauth.getByRole('textbox', { name: 'Password', exact: true }).click({ force: true });
        await page.keyboard.type(MOCK_PASSWORD);
        await page.keyboard.press('Enter');
        const download = await downloading;
        assert.equal(download.suggestedFilename(), 'contacts.csv');
        const file = await download.path();
        const text = (await import('node:fs')).readFileSync(file, 'utf8');
        assert.match(text, /^id,first_name,last_name,emails/);
        assert.match(text, /\nct_[^,]+,Ada,/);
        assert.deepEqual((await mockState(mock)).exports, ['/api/v1/accounts/ac_mock1/contacts/export?format=csv&sort=name&q=Ada']);
        await page.locator('#stronghold-a11y [data-toast]').filter({ hasText: 'Export downloaded' }).waitFor({ timeout: 10000 });

        // Import: pick a file; the header row alone is read in the page and mapped by name.
        await page.getByRole('button', { name: 'Import CSV', exact: true }).click({ force: true });
        const dialog = page.getByRole('dialog', { name: 'Import contacts' });
        await dialog.waitFor();
        const choosing = page.waitForEvent('filechooser', { timeout: 10000 });
        await dialog.getByRole('button', { name: 'Choose file' }).click({ force: true });
        const chooser = await choosing; // the browser's own chooser opened (the click's user activation carried over)
        assert.equal(chooser.isMultiple(), false);
        await chooser.setFiles({ name: 'leads.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) });
        await dialog.getByRole('status', { name: 'Chosen file' }).waitFor({ timeout: 10000 });
        assert.match(await dialog.getByRole('status', { name: 'Chosen file' }).textContent(), /^leads\.csv {2}\(\d+ B, 5 columns\)$/);
        const field = (h) => dialog.getByRole('combobox', { name: `Field for ${h}`, exact: true });
        const defaults = { 'First Name': 'First name', Surname: 'Last name', 'E-mail': 'Email', 'Work Phone': 'Skip', Notes: 'Skip' };
        for (const [h, want] of Object.entries(defaults)) assert.equal(await field(h).textContent(), want, h);
        await choose(page, dialog, 'Field for Work Phone', 'Phone');
        assert.equal(await dialog.getByRole('checkbox', { name: 'Dry run (check only, save nothing)' }).getAttribute('aria-checked'), 'true');
        await shot(page, 'mapping');

        await dialog.getByRole('button', { name: 'Start import' }).click({ force: true });
        const progress = dialog.getByRole('progressbar', { name: 'Import progress' });
        await progress.waitFor({ timeout: 10000 });
        const seen = new Set();
        const counts = dialog.getByRole('status', { name: 'Import counts' });
        const deadline = Date.now() + 15000;
        while (Date.now() < deadline) { // progress moves over the polls (500 ms apart)
            seen.add(await progress.getAttribute('aria-valuenow'));
            if ((await counts.textContent()).includes('2 failed') && (await progress.getAttribute('aria-valuenow')) === '100'
                && await dialog.getByRole('table', { name: 'Row errors' }).count()) break;
            await page.waitForTimeout(100);
        }
        assert.ok([...seen].some((v) => Number(v) > 0 && Number(v) < 100), `a partial progress was shown: ${[...seen]}`);
        assert.equal(await counts.textContent(), '5 rows read  \u00b7  0 would be created  \u00b7  2 failed');
        assert.equal(await dialog.getByRole('status', { name: 'Import state' }).textContent(), 'Dry run finished: nothing was saved');
        const errors = dialog.getByRole('table', { name: 'Row errors' });
        const rows = errors.getByRole('row');
        assert.equal(await rows.count(), 2);
        assert.deepEqual(await rows.nth(0).getByRole('cell').allTextContents(), ['2', 'E-mail', 'validation_failed', 'is not a valid email address']);
        assert.deepEqual(await rows.nth(1).getByRole('cell').allTextContents(), ['3', '(row)', 'validation_failed', 'needs a name or an email']);

        // What went over the wire: the file itself as text/csv, the edited mapping, a dry run.
        const { imports } = await mockState(mock);
        assert.equal(imports.length, 1);
        assert.equal(imports[0].content_type, 'text/csv');
        assert.equal(imports[0].bytes, Buffer.byteLength(CSV));
        assert.equal(imports[0].dry_run, true);
        assert.deepEqual(imports[0].mapping, { 'First Name': 'first_name', Surname: 'last_name', 'E-mail': 'email', 'Work Phone': 'phone' });
        assert.match(imports[0].url, /^\/api\/v1\/accounts\/ac_mock1\/contacts\/import\?dry_run=true&mapping=%7B/);
        await settle(page);
        await shot(page, 'import-errors');

        await dialog.getByRole('button', { name: 'Close' }).click({ force: true });
        await dialog.waitFor({ state: 'detached', timeout: 10000 });
        assert.deepEqual(problems, []);
        await page.close();
        mock.stop();
    });
});
