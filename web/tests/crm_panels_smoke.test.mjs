// Issue 5 dashboard gaps in Debian's Chromium against the development mock API, driven only
// through the accessibility mirror: a contact's side panel with its related records (company,
// deals, tickets, tasks, notes; add a note and a task there; open a related ticket), the custom
// values editor of CRM settings (create with core's check and the server's 409 under its field,
// edit while someone else saves -> 412 -> conflict dialog, delete to the trash), and the member
// directory (GET .../members): owner names in the table, bulk "Assign to..." a teammate, the
// owner picker of the form. Screenshots go to STRONGHOLD_SHOTS (web-crm-*.png).
//   STRONGHOLD_DIST=build/h-webB/dist node --test web/tests/crm_panels_smoke.test.mjs
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { choose, launchBrowser, startMock, distDir, settle, shotsDir, watchProblems } from './harness.mjs';
import { press, settledBox, sleep, typeInto } from '../../tests/e2e/mirror.mjs';

const dist = distDir('build/h-webB/dist');
const shots = shotsDir(dist);
const ACCOUNT = 'ac_mock1';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

const shot = (page, name) => page.screenshot({ path: path.join(shots, `web-crm-${name}.png`) });
const toast = (page, text) => page.locator('#stronghold-a11y [data-toast]').filter({ hasText: text }).waitFor({ timeout: 10000 });
const row = (page, name) => page.getByRole('row', { name, exact: true });
const records = async (mock) => (await (await fetch(`${mock.base}/__mock/records`)).json())[ACCOUNT].records.map((r) => r.rec);

// The side panel scrolls inside its own child window: wheel over the panel until `locator` is in
// view (mirror.mjs reveal wheels at the page centre, over the table).
async function revealIn(page, panel, locator) {
    const view = page.viewportSize();
    for (let i = 0; i < 20; ++i) {
        const box = await settledBox(locator);
        const area = await panel.boundingBox();
        const top = Math.max(0, area.y + 120), bottom = Math.min(view.height, area.y + area.height);
        if (box.y >= top && box.y + box.height <= bottom) return;
        await page.mouse.move(area.x + area.width / 2, (top + bottom) / 2);
        await page.mouse.wheel(0, box.y < top ? -200 : 200);
        await sleep(150);
    }
    throw new Error(`${locator} could not be scrolled into view in the panel`);
}
async function pressIn(page, panel, locator) {
    await locator.waitFor({ state: 'attached', timeout: 10000 });
    await revealIn(page, panel, locator);
    await locator.click({ force: true });
}
const ADA = 'ct_genaaaaaaaaaaaaaaaaaaaaagi'; // Ada Allen, generated contact #200
const ADAM = 'us_adamadmin22222222222222222', EVE = 'us_eveevans222222222222222222'; // dev/mock_records.mjs MEMBERS

async function start() {
    const mock = await startMock(dist, ['--accounts', '2']);
    const page = await browser.newPage({ viewport: { width: 1360, height: 860 } });
    const problems = watchProblems(page);
    await page.goto(mock.url);
    await page.waitForFunction(() => window.__stronghold && window.__stronghold.state() === 'ready', null, { timeout: 30000 });
    return { mock, page, problems };
}

describe('CRM panels, custom values and teammates (mock API)', () => {
    test('CRM1_contact_panel_lists_related_records_adds_note_and_task_and_opens_a_ticket', async () => {
        const { mock, page, problems } = await start();
        await page.getByRole('table', { name: 'Contacts' }).waitFor({ timeout: 10000 });
        await row(page, 'Ada Allen').waitFor({ timeout: 10000 });
        await settle(page);
        await row(page, 'Ada Allen').click({ force: true });
        const panel = page.getByRole('region', { name: 'Contact details' });
        await panel.waitFor({ timeout: 10000 });
        await panel.getByRole('heading', { name: 'Ada Allen' }).waitFor();
        // Related records through the lists' filters: company_id, contact_ids[eq], contact_id[eq], record_id.
        await panel.getByRole('list', { name: 'Company' }).getByRole('listitem', { name: 'Northwind Bakery' }).waitFor({ timeout: 10000 });
        await panel.getByRole('list', { name: 'Deals' }).getByRole('listitem').first().waitFor({ timeout: 10000 });
        await panel.getByRole('list', { name: 'Tickets' }).getByRole('listitem', { name: 'Cannot log in to the loyalty app' }).waitFor();
        await panel.getByRole('list', { name: 'Tasks' }).getByRole('listitem', { name: 'Call Ada about the loyalty app' }).waitFor();
        await panel.getByRole('list', { name: 'Notes' }).getByRole('listitem', { name: 'Note' }).first().waitFor();
        assert.equal(await panel.getByRole('cell', { name: 'Owner' }).textContent(), 'You');
        assert.equal(await panel.getByRole('cell', { name: 'Company' }).textContent(), 'Northwind Bakery');
        await settle(page);
        await shot(page, 'contact-panel');

        // A note from the panel.
        await revealIn(page, panel, panel.getByRole('textbox', { name: 'New note' }));
        await panel.getByRole('textbox', { name: 'New note' }).click({ force: true });
        await page.keyboard.type('Asked for the spring catalogue.');
        await pressIn(page, panel, panel.getByRole('button', { name: 'Add note' }));
        await settle(page);
        await shot(page, 'contact-note');
        await panel.getByRole('list', { name: 'Notes' }).getByRole('listitem').filter({ hasText: 'spring catalogue' }).waitFor({ timeout: 10000 });
        const note = (await records(mock)).find((r) => r.body === 'Asked for the spring catalogue.');
        assert.equal(note?.record_id, ADA);

        // A task from the panel: the form starts linked to the contact.
        await pressIn(page, panel, panel.getByRole('button', { name: 'New task for this record' }));
        const form = page.getByRole('dialog', { name: 'New task' });
        await form.getByRole('textbox', { name: 'Title', exact: true }).waitFor({ timeout: 10000 });
        await typeInto(page, form.getByRole('textbox', { name: 'Title', exact: true }), 'Send Ada the catalogue');
        await settle(page);
        await form.getByRole('button', { name: 'Save', exact: true }).click({ force: true });
        await form.waitFor({ state: 'detached', timeout: 10000 });
        await panel.getByRole('list', { name: 'Tasks' }).getByRole('listitem', { name: 'Send Ada the catalogue' }).waitFor({ timeout: 10000 });
        assert.equal((await records(mock)).find((r) => r.title === 'Send Ada the catalogue')?.record_id, ADA);

        // The contact form's owner picker: a teammate by name; the panel follows.
        await press(page, panel.getByRole('button', { name: 'Edit', exact: true }));
        const edit = page.getByRole('dialog', { name: 'Edit contact' });
        await edit.getByRole('combobox', { name: 'Owner', exact: true }).waitFor({ timeout: 10000 });
        assert.equal(await edit.getByRole('combobox', { name: 'Owner', exact: true }).textContent(), 'You (Olivia Owner)');
        await choose(page, edit, 'Owner', 'Eve Evans  \u00b7  eve@example.com');
        await edit.getByRole('button', { name: 'Save', exact: true }).click({ force: true });
        await edit.waitFor({ state: 'detached', timeout: 10000 }).catch(async (e) => { await shot(page, 'FAIL-contact-owner'); throw e; });
        await page.waitForFunction(() => document.querySelector('#stronghold-a11y [role=region][aria-label="Contact details"] [role=cell][aria-label="Owner"]')
            ?.textContent === 'Eve Evans', null, { timeout: 10000 });

        // A related ticket opens on the Tickets screen with its panel.
        await pressIn(page, panel, panel.getByRole('list', { name: 'Tickets' }).getByRole('listitem', { name: 'Cannot log in to the loyalty app' }));
        const ticket = page.getByRole('region', { name: 'Record details' });
        await ticket.getByRole('heading', { name: 'Cannot log in to the loyalty app' }).waitFor({ timeout: 10000 });
        assert.equal(await ticket.getByRole('cell', { name: 'Assignee' }).textContent(), 'Bea Brown');
        await page.waitForFunction(() => document.querySelector('#stronghold-a11y [role=region][aria-label="Record details"] [role=cell][aria-label="Contact"]')
            ?.textContent === 'Ada Allen', null, { timeout: 10000 }); // a linked record by name, not its id
        await settle(page);
        await shot(page, 'related-ticket');
        assert.deepEqual(problems, []);
        await page.close();
        mock.stop();
    });

    test('CRM1_custom_values_create_edit_conflict_and_delete_in_crm_settings', async () => {
        const { mock, page, problems } = await start();
        await page.getByRole('button', { name: 'User menu' }).click({ force: true });
        await page.getByRole('menuitem', { name: 'CRM settings' }).click({ force: true });
        const list = page.getByRole('list', { name: 'Custom values' });
        await list.getByRole('listitem', { name: 'Booking link' }).waitFor({ timeout: 10000 });

        // Create: core's check first (bad key), then the server's 409 for a key in use, then saved.
        await press(page, page.getByRole('button', { name: 'New custom value' }));
        const form = page.getByRole('dialog', { name: 'New custom value' });
        await form.getByRole('textbox', { name: 'Name', exact: true }).waitFor({ timeout: 10000 });
        await typeInto(page, form.getByRole('textbox', { name: 'Name', exact: true }), 'Review link');
        await typeInto(page, form.getByRole('textbox', { name: 'Key', exact: true }), 'Review Link');
        await typeInto(page, form.getByRole('textbox', { name: 'Value', exact: true }), 'https://g.page/northwind/review');
        await form.locator('[role=alert][data-field=key]').waitFor({ timeout: 10000 }); // core's key rule, in the browser
        await settle(page);
        await shot(page, 'custom-value-core-error');
        await typeInto(page, form.getByRole('textbox', { name: 'Key', exact: true }), 'booking_link');
        await settle(page);
        await form.getByRole('button', { name: 'Save', exact: true }).click({ force: true });
        await form.locator('[role=alert][data-field=key]').filter({ hasText: 'already used by another custom value' }).waitFor({ timeout: 10000 });
        await settle(page);
        await shot(page, 'custom-value-error');
        await typeInto(page, form.getByRole('textbox', { name: 'Key', exact: true }), 'review_link');
        await settle(page);
        await form.getByRole('button', { name: 'Save', exact: true }).click({ force: true });
        await form.waitFor({ state: 'detached', timeout: 10000 });
        await list.getByRole('listitem', { name: 'Review link' }).waitFor({ timeout: 10000 });
        const made = (await records(mock)).find((r) => r.key === 'review_link');
        assert.equal(made?.value, 'https://g.page/northwind/review');

        // Edit while a teammate saves the same value: 412 -> the conflict dialog -> Overwrite with mine.
        await press(page, page.getByRole('button', { name: 'Edit value Review link' }));
        const edit = page.getByRole('dialog', { name: 'Edit custom value' });
        await edit.getByRole('textbox', { name: 'Value', exact: true }).waitFor({ timeout: 10000 });
        await typeInto(page, edit.getByRole('textbox', { name: 'Value', exact: true }), 'https://reviews.example/northwind');
        const other = await fetch(`${mock.base}/__mock/records/edit`, { method: 'POST',
            body: JSON.stringify({ account_id: ACCOUNT, id: made.id, patch: { value: 'https://theirs.example' } }) });
        assert.equal(other.status, 200);
        await settle(page);
        await edit.getByRole('button', { name: 'Save', exact: true }).click({ force: true });
        const conflict = page.getByRole('dialog', { name: 'Edit conflict' });
        await conflict.waitFor({ timeout: 10000 }).catch(async (e) => { await shot(page, 'FAIL-conflict'); throw e; });
        assert.equal(await conflict.getByRole('row', { name: 'Value' }).getByRole('cell', { name: 'Their version' }).textContent(), 'https://theirs.example');
        await settle(page);
        await shot(page, 'custom-value-conflict');
        await conflict.getByRole('button', { name: 'Overwrite with mine' }).click({ force: true });
        await edit.waitFor({ state: 'detached', timeout: 10000 });
        await page.waitForFunction(() => document.querySelector('#stronghold-a11y [role=listitem][aria-label="Review link"]')
            ?.textContent.includes('reviews.example'), null, { timeout: 10000 });
        const saved = (await records(mock)).find((r) => r.id === made.id);
        assert.equal(saved.value, 'https://reviews.example/northwind');
        assert.equal(saved.version, 3);

        // Delete: to the trash.
        await press(page, page.getByRole('button', { name: 'Delete value Review link' }));
        await list.getByRole('listitem', { name: 'Review link' }).waitFor({ state: 'detached', timeout: 10000 });
        await toast(page, 'Custom value moved to the trash');
        const state = (await (await fetch(`${mock.base}/__mock/records`)).json())[ACCOUNT].records.find((r) => r.rec.id === made.id);
        assert.ok(state.deleted_at, 'soft-deleted');
        await settle(page);
        await shot(page, 'custom-values');
        assert.deepEqual(problems, []);
        await page.close();
        mock.stop();
    });

    test('CRM1_owner_names_bulk_assign_to_a_teammate_and_owner_picker', async () => {
        const { mock, page, problems } = await start();
        await page.getByRole('tab', { name: 'Companies', exact: true }).click({ force: true });
        await page.getByRole('table', { name: 'Companies' }).waitFor({ timeout: 10000 });
        await settle(page);
        await page.getByRole('columnheader', { name: 'Owner', exact: true }).waitFor();
        // Owner cells by name (the row's cells are unnamed): a teammate's name, "You" for me.
        const ownerShows = (rows, text) => page.waitForFunction(([ns, t]) => ns.every((n) => Array.from(
            document.querySelectorAll(`#stronghold-a11y [role=row][aria-label="${n}"] [role=cell]`)).some((c) => c.textContent === t)), [rows, text], { timeout: 10000 });
        await ownerShows(['Northwind Bakery'], 'Bea Brown');
        await ownerShows(['Blue Fern Florist'], 'You');

        // Tick two companies and assign them to Eve.
        for (const name of ['Blue Fern Florist', 'Atlas Dental'])
            await press(page, page.getByRole('checkbox', { name: `Select ${name}`, exact: true }));
        await press(page, page.getByRole('button', { name: 'Assign selected' }));
        const dialog = page.getByRole('dialog', { name: 'Assign records' });
        await dialog.waitFor({ timeout: 10000 });
        await choose(page, dialog, 'Owner', 'Eve Evans  \u00b7  eve@example.com');
        await shot(page, 'assign-dialog');
        await dialog.getByRole('button', { name: 'Assign', exact: true }).click({ force: true });
        await dialog.waitFor({ state: 'detached', timeout: 10000 });
        await toast(page, 'Assigned 2 companies to Eve Evans.');
        await ownerShows(['Blue Fern Florist', 'Atlas Dental'], 'Eve Evans');
        const recs = await records(mock);
        for (const name of ['Blue Fern Florist', 'Atlas Dental'])
            assert.equal(recs.find((r) => r.name === name).owner_id, EVE);
        await settle(page);
        await shot(page, 'companies-owners');

        // The form's owner picker lists the teammates by name.
        await press(page, page.getByRole('button', { name: 'Clear selection' }));
        await row(page, 'Harbor Yoga').click({ force: true });
        const panel = page.getByRole('region', { name: 'Record details' });
        await panel.getByRole('heading', { name: 'Harbor Yoga' }).waitFor({ timeout: 10000 });
        await panel.getByRole('button', { name: 'Edit', exact: true }).click({ force: true });
        const edit = page.getByRole('dialog', { name: 'Edit company' });
        await edit.getByRole('combobox', { name: 'Owner', exact: true }).waitFor({ timeout: 10000 });
        await choose(page, edit, 'Owner', 'Adam Admin  \u00b7  adam@example.com');
        await edit.getByRole('button', { name: 'Save', exact: true }).click({ force: true });
        await edit.waitFor({ state: 'detached', timeout: 10000 });
        await page.waitForFunction(() => document.querySelector('#stronghold-a11y [role=region][aria-label="Record details"] [role=cell][aria-label="Owner"]')
            ?.textContent === 'Adam Admin', null, { timeout: 10000 });
        assert.equal((await records(mock)).find((r) => r.name === 'Harbor Yoga').owner_id, ADAM);
        assert.deepEqual(problems, []);
        await page.close();
        mock.stop();
    });
});
