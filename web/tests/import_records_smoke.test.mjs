// CSV import of companies and deals (issue 5, CRM-4) in Debian's Chromium against the development
// mock API (tests/dev/mock_io.mjs), driven through the accessibility mirror: the Companies and
// Deals tables offer the contacts' Import CSV dialog with their own fields (core's ObjectSpec,
// plus the company custom fields read from .../custom-fields), the header row is mapped by name,
// and a dry run uploads the file itself as text/csv to .../companies/import or .../deals/import
// (after the fresh password the mock asks for once).
// Screenshots go to STRONGHOLD_SHOTS (web-import-records-*.png).
//   STRONGHOLD_DIST=build/h-webA-wasm/dist node --test web/tests/import_records_smoke.test.mjs
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { launchBrowser, startMock, distDir, settle, shotsDir, watchProblems, MOCK_PASSWORD } from './harness.mjs';

const dist = distDir('build/h-webA-wasm/dist');
const shots = shotsDir(dist);

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

const shot = (page, name) => page.screenshot({ path: path.join(shots, `web-import-records-${name}.png`) });
const mockState = async (mock) => (await fetch(`${mock.base}/__mock/io`)).json();

// Opens the section's dialog, picks `csv`, checks the default mapping, runs a dry run to its end.
async function dryRun(page, { tab, dialogName, file, csv, defaults, counts }) {
    await page.getByRole('tab', { name: tab, exact: true }).click({ force: true });
    await page.getByRole('table', { name: tab }).waitFor({ timeout: 10000 });
    await settle(page);
    await page.getByRole('button', { name: 'Import CSV', exact: true }).click({ force: true });
    const dialog = page.getByRole('dialog', { name: dialogName });
    await dialog.waitFor({ timeout: 10000 });
    await settle(page);
    const choosing = page.waitForEvent('filechooser', { timeout: 10000 });
    await dialog.getByRole('button', { name: 'Choose file' }).click({ force: true });
    await (await choosing).setFiles({ name: file, mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await dialog.getByRole('status', { name: 'Chosen file' }).waitFor({ timeout: 10000 });
    const field = (h) => dialog.getByRole('combobox', { name: `Field for ${h}`, exact: true });
    for (const [h, want] of Object.entries(defaults)) assert.equal(await field(h).textContent(), want, h);
    await shot(page, `${tab.toLowerCase()}-mapping`);
    await dialog.getByRole('button', { name: 'Start import' }).click({ force: true });
    // Importing is a critical action: the mock wants a fresh password once, then the upload goes out.
    const reauth = page.getByRole('dialog', { name: 'Confirm your password' });
    const state = dialog.getByRole('status', { name: 'Import state' });
    await Promise.race([reauth.waitFor({ timeout: 10000 }), state.waitFor({ timeout: 10000 })]);
    if (await reauth.count()) {
        await reauth.getByRole('textbox', { name: 'Password', exact: true }).click({ force: true });
        await page.keyboard.type(MOCK_PASSWORD);
        await page.keyboard.press('Enter');
    }
    await state.filter({ hasText: 'Dry run finished: nothing was saved' }).waitFor({ timeout: 15000 });
    assert.equal(await dialog.getByRole('status', { name: 'Import counts' }).textContent(), counts);
    await settle(page);
    await shot(page, `${tab.toLowerCase()}-done`);
    await dialog.getByRole('button', { name: 'Close' }).click({ force: true });
    await dialog.waitFor({ state: 'detached', timeout: 10000 });
}

describe('companies and deals import (mock API)', () => {
    test('CRM4_companies_and_deals_tables_offer_import_csv_with_their_fields', async () => {
        const mock = await startMock(dist, ['--accounts', '2']);
        const page = await browser.newPage({ viewport: { width: 1360, height: 860 } });
        const problems = watchProblems(page);
        await page.goto(mock.url);
        await page.waitForFunction(() => window.__stronghold && window.__stronghold.state() === 'ready', null, { timeout: 30000 });
        await page.getByRole('table', { name: 'Contacts' }).waitFor({ timeout: 10000 });

        await dryRun(page, {
            tab: 'Companies', dialogName: 'Import companies', file: 'companies.csv',
            csv: 'Company Name,Website,Lead source,Notes\r\nAcme,https://acme.test,Web,x\r\n,https://nameless.test,,\r\n',
            defaults: { 'Company Name': 'Name', Website: 'Website', 'Lead source': 'Lead source', Notes: 'Skip' },
            counts: '2 rows read  \u00b7  0 would be created  \u00b7  1 failed',
        });
        await dryRun(page, {
            tab: 'Deals', dialogName: 'Import deals', file: 'deals.csv',
            csv: 'Deal,Pipeline,Stage,Amount,Company\r\nBig,Sales,Won,100,Acme\r\n',
            defaults: { Deal: 'Name', Pipeline: 'Pipeline (name or id)', Stage: 'Stage (name or id)', Amount: 'Value',
                Company: 'Company (name or id)' },
            counts: '1 rows read  \u00b7  0 would be created  \u00b7  0 failed',
        });

        const { imports } = await mockState(mock);
        assert.equal(imports.length, 2);
        assert.match(imports[0].url, /^\/api\/v1\/accounts\/ac_mock1\/companies\/import\?dry_run=true&mapping=%7B/);
        assert.deepEqual(imports[0].mapping, { 'Company Name': 'name', Website: 'website', 'Lead source': 'custom.lead_source' });
        assert.equal(imports[0].content_type, 'text/csv');
        assert.match(imports[1].url, /^\/api\/v1\/accounts\/ac_mock1\/deals\/import\?dry_run=true&mapping=%7B/);
        assert.deepEqual(imports[1].mapping, { Deal: 'name', Pipeline: 'pipeline_id', Stage: 'stage_id', Amount: 'value',
            Company: 'company_id' });
        assert.deepEqual(problems, []);
        await page.close();
        mock.stop();
    });
});
