// Pipeline board and quick search (issue 5) in Debian's Chromium against the development mock
// (tests/dev/mock_server.mjs + dev/mock_crm.mjs), driven through the accessibility mirror:
// drag a deal to another stage with the mouse and see it stay after a reload; the keyboard
// move; a 412 rolls the card back with a message; a move by someone else arrives live;
// Ctrl+K, type, Enter opens the record; the offer of a default pipeline.
//   STRONGHOLD_DIST=build/h-web/dist node --test web/tests/pipeline_smoke.test.mjs
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { launchBrowser, startMock, distDir, shotsDir, watchProblems } from './harness.mjs';

const dist = distDir('build/h-web/dist');
const shots = shotsDir(dist);

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

async function open(url) {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const problems = watchProblems(page);
    await page.goto(url);
    await page.waitForFunction(() => window.__stronghold && window.__stronghold.state() === 'ready', null, { timeout: 30000 });
    return { page, problems };
}

const column = (page, stage) => page.getByRole('list', { name: stage, exact: true });
const card = (page, name) => page.getByRole('listitem', { name, exact: true });
const stageOf = (page, name) => card(page, name).getAttribute('data-stage');

async function openBoard(page) {
    await page.getByRole('tab', { name: 'Pipeline' }).click({ force: true });
    await column(page, 'Lead').waitFor();
    await card(page, 'Harbor Yoga website refresh').waitFor();
}

// A mouse drag in small steps with a frame between them (ImGui polls the cursor once a frame).
async function drag(page, from, to) {
    const a = await from.boundingBox(), b = await to.boundingBox();
    const [x0, y0] = [a.x + a.width / 2, a.y + a.height / 2], [x1, y1] = [b.x + b.width / 2, b.y + b.height / 2];
    await page.mouse.move(x0, y0);
    await page.waitForTimeout(120);
    await page.mouse.down();
    await page.waitForTimeout(120);
    for (let i = 1; i <= 8; i++) {
        await page.mouse.move(x0 + (x1 - x0) * i / 8, y0 + (y1 - y0) * i / 8);
        await page.waitForTimeout(80);
    }
    await page.waitForTimeout(150);
    await page.mouse.up();
}

async function waitStage(page, name, stage) {
    await page.waitForFunction(([n, s]) => {
        const el = document.querySelector(`#stronghold-a11y [role="listitem"][aria-label="${n}"]`);
        return el && el.getAttribute('data-stage') === s;
    }, [name, stage], { timeout: 15000 });
}

describe('pipeline board (mock API)', () => {
    let mock;
    before(async () => { mock = await startMock(dist); });
    after(() => mock.stop());

    test('CRM1 columns show counts and sums per currency', async () => {
        const { page, problems } = await open(mock.url);
        await openBoard(page);
        assert.equal(await page.getByRole('combobox', { name: 'Pipeline' }).textContent(), 'Sales');
        // Proposal: $18,500 + $2,900 and EUR 5,400.
        assert.equal(await page.getByRole('status', { name: 'Proposal summary' }).textContent(), '3 deals \u00b7 \u20ac5,400 \u00b7 $21,400');
        assert.equal(await column(page, 'Lead').getByRole('listitem').count(), 3);
        await page.screenshot({ path: path.join(shots, 'web-pipeline-board.png') });
        assert.deepEqual(problems, []);
        await page.close();
    });

    test('CRM1 drag a deal to another stage with the mouse; it stays after a reload', async () => {
        const { page, problems } = await open(mock.url);
        await openBoard(page);
        await drag(page, card(page, 'Summit Roofing local SEO'), column(page, 'Proposal'));
        await waitStage(page, 'Summit Roofing local SEO', 'Proposal');
        assert.match(await page.getByRole('status', { name: 'Proposal summary' }).textContent(), /^4 deals/);
        // Saved on the server (If-Match honoured): the mock has it in Proposal with version 2.
        await page.waitForFunction(async (base) => {
            const s = await (await fetch(`${base}/__mock/crm`)).json();
            const d = s.ac_mock1.deals.find((x) => x.name === 'Summit Roofing local SEO');
            return d.stage_id === 'st_sales3' && d.version === 2;
        }, mock.base, { timeout: 10000 });
        await page.reload();
        await page.waitForFunction(() => window.__stronghold && window.__stronghold.state() === 'ready', null, { timeout: 30000 });
        await openBoard(page);
        assert.equal(await stageOf(page, 'Summit Roofing local SEO'), 'Proposal');
        assert.deepEqual(problems, []);
        await page.close();
    });

    test('CRM1 keyboard: select a card and move it with Shift+Right', async () => {
        const { page } = await open(mock.url);
        await openBoard(page);
        await card(page, 'Atlas Dental booking widget').click({ force: true });
        await page.waitForFunction(() => document.querySelector('#stronghold-a11y [role="listitem"][aria-label="Atlas Dental booking widget"]')
            ?.getAttribute('aria-selected') === 'true');
        await page.keyboard.press('Shift+ArrowRight');
        await waitStage(page, 'Atlas Dental booking widget', 'Proposal');
        await page.keyboard.press('Shift+ArrowLeft');
        await waitStage(page, 'Atlas Dental booking widget', 'Qualified');
        await page.close();
    });

    test('CRM1 a stale move (412) rolls back with a clear message; errors too; others\' moves arrive live', async () => {
        const { page, problems } = await open(mock.url);
        await openBoard(page);
        const move = (deal, stage, silent) => fetch(`${mock.base}/__mock/crm/move`, { method: 'POST',
            body: JSON.stringify({ account_id: 'ac_mock1', deal_id: deal, stage, silent }) });
        // Someone else moves it: the live frame brings it over without a reload.
        await move('dl_seed2', 'Qualified', false);
        await waitStage(page, 'Copper Kettle loyalty app', 'Qualified');
        await page.getByRole('alert').filter({ hasText: 'was moved to Qualified by someone else' }).waitFor();
        // A change the board has not heard of (no frame): its next move is sent with an old
        // If-Match, the 412 brings the deal as it is now, and the card goes there.
        await move('dl_seed3', 'Won', true);
        await card(page, 'Summit Roofing local SEO').click({ force: true });
        await page.keyboard.press('Shift+ArrowRight');
        await page.getByRole('alert').filter({ hasText: 'Someone else just changed "Summit Roofing local SEO". It stays in Won' }).waitFor();
        await waitStage(page, 'Summit Roofing local SEO', 'Won');
        // A server error puts the card back where it was and says so.
        await fetch(`${mock.base}/__mock/crm/fail-next-patch`, { method: 'POST', body: JSON.stringify({ status: 500 }) });
        await card(page, 'Copper Kettle loyalty app').click({ force: true });
        await page.keyboard.press('Shift+ArrowRight');
        await page.getByRole('alert').filter({ hasText: 'could not be moved' }).waitFor();
        await waitStage(page, 'Copper Kettle loyalty app', 'Qualified');
        await page.screenshot({ path: path.join(shots, 'web-pipeline-rollback.png') });
        assert.deepEqual(problems.filter((p) => !/status of 500/.test(p)), []);
        await page.close();
    });

    test('CRM1 Ctrl+K opens quick search; typing and Enter open the record', async () => {
        const { page, problems } = await open(mock.url);
        await page.getByRole('button', { name: 'New contact' }).waitFor();
        await page.keyboard.press('Control+k');
        await page.getByRole('dialog', { name: 'Quick search' }).waitFor();
        await page.keyboard.type('Northwind');
        await page.getByRole('option', { name: 'Northwind Bakery rebrand' }).waitFor();
        await page.screenshot({ path: path.join(shots, 'web-quick-search.png') });
        await page.keyboard.press('Enter');
        await column(page, 'Proposal').waitFor();
        await page.waitForFunction(() => document.querySelector('#stronghold-a11y [role="listitem"][aria-label="Northwind Bakery rebrand"]')
            ?.getAttribute('aria-selected') === 'true', null, { timeout: 10000 });
        // A contact: arrows pick, Enter opens its form on the contacts screen.
        await page.keyboard.press('Control+k');
        await page.getByRole('dialog', { name: 'Quick search' }).waitFor();
        await page.keyboard.type('Ada');
        await page.getByRole('option', { name: 'Ada Allen 2' }).waitFor();
        await page.keyboard.press('ArrowDown');
        await page.waitForFunction(() => document.querySelector('#stronghold-a11y [role="option"][aria-label="Ada Allen 2"]')
            ?.getAttribute('aria-selected') === 'true');
        await page.keyboard.press('Enter');
        // The contact opens in its side panel (related records), on the Contacts screen.
        await page.getByRole('region', { name: 'Contact details' }).getByRole('heading', { name: 'Ada Allen 2' }).waitFor({ timeout: 10000 });
        // Escape closes the palette without opening anything.
        await page.keyboard.press('Escape');
        await page.keyboard.press('Control+k');
        await page.getByRole('dialog', { name: 'Quick search' }).waitFor();
        await page.keyboard.press('Escape');
        await page.getByRole('dialog', { name: 'Quick search' }).waitFor({ state: 'detached' });
        assert.deepEqual(problems, []);
        await page.close();
    });

    test('CRM1 no pipeline: a default one is offered, not made silently', async () => {
        const { page } = await open(mock.url);
        await page.getByRole('combobox', { name: 'Account' }).click({ force: true });
        await page.getByRole('option', { name: 'Blue Fern Florist' }).click({ force: true });
        await page.getByRole('tab', { name: 'Pipeline' }).click({ force: true });
        await page.getByRole('status', { name: 'No pipeline' }).waitFor();
        const before = await (await fetch(`${mock.base}/__mock/crm`)).json();
        assert.equal(before.ac_mock2.pipelines.length, 0);
        await page.screenshot({ path: path.join(shots, 'web-pipeline-empty.png') });
        await page.getByRole('button', { name: 'Create the Sales pipeline' }).click({ force: true });
        for (const stage of ['Lead', 'Qualified', 'Proposal', 'Won', 'Lost']) await column(page, stage).waitFor();
        // New deal in a column.
        await page.getByRole('button', { name: 'New deal in Qualified' }).click({ force: true });
        const dialog = page.getByRole('dialog', { name: 'New deal' });
        await dialog.waitFor();
        await dialog.getByRole('textbox', { name: 'Name' }).click({ force: true });
        await page.keyboard.type('Wedding flowers 2027');
        await dialog.getByRole('textbox', { name: 'Value' }).click({ force: true });
        await page.keyboard.type('3400');
        await dialog.getByRole('button', { name: 'Create deal' }).click({ force: true });
        await waitStage(page, 'Wedding flowers 2027', 'Qualified');
        assert.equal(await page.getByRole('status', { name: 'Qualified summary' }).textContent(), '1 deal \u00b7 $3,400');
        await page.close();
    });
});
