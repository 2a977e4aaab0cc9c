// Issue 5's screens against the real server (the web smoke tests use the mock): a company typed
// into the generated form is stored; a deleted one is in the Trash screen and comes back with
// Restore; the pipeline board creates the default pipeline and a deal in a stage, which the
// server keeps in that stage. Driven through the accessibility mirror (web/CONTRACT.md).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, openPage, signIn, saveScreenshot } from './harness.mjs';
import { waitReady } from './mirror.mjs';

let stack;
before(async () => { stack = await startStack(); });
after(async () => { if (stack) await stack.stop(); });

async function typeInto(page, scope, name, text) {
    await scope.getByRole('textbox', { name, exact: true }).click({ force: true });
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Backspace');
    await page.keyboard.type(text);
}
const row = (page, name) => page.getByRole('row', { name, exact: true });
async function openSection(page, tab, table) {
    await page.getByRole('tab', { name: tab, exact: true }).click({ force: true });
    await page.getByRole('table', { name: table }).waitFor({ state: 'attached', timeout: 15_000 });
}

test('CRM1_RES1 company form, trash and restore, pipeline board against the real server', async () => {
    const { context, page, report } = await openPage(stack);
    const account = stack.tenant.account_id;
    const api = (path) => `/api/v1/accounts/${account}/${path}`;
    try {
        await signIn(page, stack.owner);
        await waitReady(page, report);

        // A company typed into the form generated from core's schema.
        await page.getByRole('tab', { name: 'Companies', exact: true }).click({ force: true });
        await page.getByRole('button', { name: 'New company' }).click({ force: true });
        const form = page.getByRole('dialog', { name: 'New company' });
        await form.getByRole('textbox', { name: 'Name', exact: true }).waitFor({ state: 'attached', timeout: 15_000 });
        await typeInto(page, form, 'Name', 'Acme Robotics');
        await typeInto(page, form, 'Website', 'https://acme.example');
        await form.getByRole('button', { name: 'Save', exact: true }).click({ force: true });
        await form.waitFor({ state: 'detached', timeout: 15_000 });
        await row(page, 'Acme Robotics').waitFor({ state: 'attached', timeout: 15_000 });
        const listed = await (await context.request.get(api('companies?q=acme'))).json();
        assert.equal(listed.items.length, 1, JSON.stringify(listed));
        assert.equal(listed.items[0].website, 'https://acme.example');
        assert.equal(listed.items[0].version, 1);
        await saveScreenshot(page, 'records-companies.png');

        // Deleted through the API (as another tab would), shown in the Trash screen, restored there.
        const id = listed.items[0].id;
        const del = await context.request.delete(api(`companies/${id}`), { headers: { 'If-Match': '"1"' } });
        assert.equal(del.status(), 204);
        await openSection(page, 'Trash', 'Trash');
        await row(page, 'Acme Robotics').waitFor({ state: 'attached', timeout: 15_000 });
        await saveScreenshot(page, 'records-trash.png');
        await page.getByRole('button', { name: 'Restore Acme Robotics' }).click({ force: true });
        await row(page, 'Acme Robotics').waitFor({ state: 'detached', timeout: 15_000 });
        const back = await context.request.get(api(`companies/${id}`));
        assert.equal(back.status(), 200);
        assert.equal((await back.json()).version, 3); // create, delete (tombstone), restore

        // The board: the default pipeline is offered, then a deal made in a stage stays there.
        await page.getByRole('tab', { name: 'Pipeline', exact: true }).click({ force: true });
        await page.getByRole('button', { name: 'Create the Sales pipeline' }).click({ force: true });
        await page.getByRole('button', { name: 'New deal in Qualified' }).waitFor({ state: 'attached', timeout: 15_000 });
        await page.getByRole('button', { name: 'New deal in Qualified' }).click({ force: true });
        const dialog = page.getByRole('dialog', { name: 'New deal' });
        await dialog.waitFor({ state: 'attached', timeout: 15_000 });
        await dialog.getByRole('textbox', { name: 'Name' }).click({ force: true });
        await page.keyboard.type('Website relaunch');
        await dialog.getByRole('textbox', { name: 'Value' }).click({ force: true });
        await page.keyboard.type('4200');
        await dialog.getByRole('button', { name: 'Create deal' }).click({ force: true });
        await dialog.waitFor({ state: 'detached', timeout: 15_000 });
        const pipelines = (await (await context.request.get(api('pipelines'))).json()).items;
        assert.equal(pipelines.length, 1);
        const qualified = pipelines[0].stages.find((s) => s.name === 'Qualified');
        const deals = (await (await context.request.get(api(`deals?stage_id[eq]=${qualified.id}`))).json()).items;
        assert.equal(deals.length, 1, JSON.stringify(deals));
        assert.equal(deals[0].name, 'Website relaunch');
        assert.equal(deals[0].value, 4200);
        await saveScreenshot(page, 'records-pipeline.png');
        assert.deepEqual(report.errors, [], report.errors.join('\n'));
    } finally {
        await context.close();
    }
});
