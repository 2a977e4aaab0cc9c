// The WASM dashboard in Debian's Chromium against the real server, driven through its
// accessibility mirror (web/CONTRACT.md): the same roles and names a screen reader gets.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, openPage, runCli, saveScreenshot, pngStats, signIn } from './harness.mjs';
import { press as pressAt, settledBox, waitForAttribute } from './mirror.mjs';

const AGENT = { email: 'agent@acme.test', password: 'Field-Passw0rd-77' };

let stack;
before(async () => {
    stack = await startStack();
    // A second person in the same sub-account, for the live test: the event must reach other
    // users' sessions, not only the author's.
    await runCli(stack.cfg.bin, ['admin', 'create-user', '--data', stack.dataDir, '--email', AGENT.email,
        '--role', 'account_user', '--account', stack.tenant.account_id, '--password-stdin'], AGENT.password + '\n');
});
after(async () => { if (stack) await stack.stop(); });

// Signs in and waits until the program says the contacts are shown (first page answered).
async function openDashboard(user, options) {
    const opened = await openPage(stack, options);
    const { page, report } = opened;
    await signIn(page, user);
    try {
        await page.waitForFunction(() => window.__stronghold && window.__stronghold.state() === 'ready', null,
            { timeout: 60_000, polling: 100 });
    } catch (e) {
        throw new Error(`dashboard never became ready: ${e.message}\nconsole:\n${report.console.join('\n')}\nerrors:\n${report.errors.join('\n')}`);
    }
    // The mirror exists from the first frame (with the table, or the empty state without rows).
    await page.getByRole('button', { name: 'New contact' }).waitFor({ state: 'attached', timeout: 10_000 });
    return opened;
}

// Mirror nodes lie over their widgets with pointer-events:none, so a forced click lands a real
// mouse click on the canvas at the widget (a plain click() would wait for the canvas forever).
const press = (locator) => pressAt(locator.page(), locator);

async function typeInto(page, dialog, name, text) {
    const field = dialog.getByRole('textbox', { name });
    await press(field);
    await page.keyboard.type(text);
    // What the field shows is what was typed: no key lost on the way to the canvas.
    await waitForAttribute(field, 'value', text);
}

async function createContact(page, { first, last, email }) {
    await press(page.getByRole('button', { name: 'New contact' }));
    const dialog = page.getByRole('dialog', { name: 'New contact' });
    await dialog.waitFor({ state: 'attached', timeout: 10_000 });
    await typeInto(page, dialog, 'First name', first);
    await typeInto(page, dialog, 'Last name', last);
    await typeInto(page, dialog, 'Emails', email);
    await press(dialog.getByRole('button', { name: 'Save' }));
    await dialog.waitFor({ state: 'detached', timeout: 15_000 });
}

const row = (page, name) => page.getByRole('table', { name: 'Contacts' }).getByRole('row', { name, exact: true });

test('crm1 new contact typed into the dashboard form is saved and appears in the table', async () => {
    const { context, page, report } = await openDashboard(stack.owner);
    try {
        // A fresh agency has no contacts: the empty state says so.
        await page.getByRole('status', { name: 'No contacts' }).waitFor({ state: 'attached', timeout: 10_000 });
        assert.equal(await page.locator('#loader').isVisible(), false, 'loader still covers the dashboard');

        await createContact(page, { first: 'Ada', last: 'Lovelace', email: 'ada@acme.test' });
        await row(page, 'Ada Lovelace').waitFor({ state: 'attached', timeout: 15_000 });
        await row(page, 'Ada Lovelace').getByRole('cell', { name: 'ada@acme.test' }).waitFor({ state: 'attached' });

        // The server really stored it, with the typed fields (asked with this browser's session).
        const api = await context.request.get(`/api/v1/accounts/${stack.tenant.account_id}/contacts?q=Ada`);
        assert.equal(api.status(), 200);
        const items = (await api.json()).items;
        assert.equal(items.length, 1, JSON.stringify(items));
        assert.equal(items[0].first_name, 'Ada');
        assert.equal(items[0].last_name, 'Lovelace');
        assert.deepEqual(items[0].emails, ['ada@acme.test']);
        assert.deepEqual(report.csp, [], report.csp.join('\n'));
        assert.deepEqual(report.errors, [], report.errors.join('\n'));
    } finally {
        await context.close();
    }
});

test('crm2 a contact created in one browser appears live in another user\'s browser', async () => {
    const first = await openDashboard(stack.owner);
    const second = await openDashboard(AGENT);
    try {
        // Marks the second page: if it reloaded, the marker would be gone.
        await second.page.evaluate(() => { window.__e2eNoReload = true; });
        await createContact(first.page, { first: 'Grace', last: 'Hopper', email: 'grace@acme.test' });
        await row(first.page, 'Grace Hopper').waitFor({ state: 'attached', timeout: 15_000 });
        await row(second.page, 'Grace Hopper').waitFor({ state: 'attached', timeout: 15_000 });
        assert.equal(await second.page.evaluate(() => window.__e2eNoReload === true), true, 'second page reloaded');
    } finally {
        await first.context.close();
        await second.context.close();
    }
});

test('net1 dashboard runs under the strict CSP with no violation', async () => {
    const { context, page, report } = await openPage(stack);
    try {
        await signIn(page, stack.owner);
        const response = await page.reload();
        const csp = response.headers()['content-security-policy'] || '';
        assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'/, csp);
        assert.doesNotMatch(csp, /'unsafe-inline'|'unsafe-eval'|\*/, csp);
        await page.waitForFunction(() => window.__stronghold && window.__stronghold.state() === 'ready', null,
            { timeout: 60_000, polling: 100 });
        // Exercise a dialog too (the mirror styles its nodes through the CSSOM).
        await press(page.getByRole('button', { name: 'New contact' }));
        await page.getByRole('dialog', { name: 'New contact' }).waitFor({ state: 'attached', timeout: 10_000 });
        await press(page.getByRole('dialog', { name: 'New contact' }).getByRole('button', { name: 'Cancel' }));
        assert.deepEqual(report.csp, [], report.csp.join('\n'));
        assert.deepEqual(report.errors, [], report.errors.join('\n'));
    } finally {
        await context.close();
    }
});

test('dashboard screenshot shows a drawn dashboard, not a blank canvas', async () => {
    const { context, page } = await openDashboard(stack.owner);
    try {
        // Its own contact, so the test stands alone (and the picture shows a filled table).
        await createContact(page, { first: 'Katherine', last: 'Johnson', email: 'katherine@acme.test' });
        await row(page, 'Katherine Johnson').waitFor({ state: 'attached', timeout: 15_000 });
        await page.mouse.move(5, 5); // no hover highlight in the picture
        await page.waitForTimeout(300);
        const shot = await saveScreenshot(page, 'dashboard.png');
        const box = await page.locator('#canvas').boundingBox();
        assert.ok(box && box.width >= 1000 && box.height >= 700, `canvas does not fill the window: ${JSON.stringify(box)}`);
        const stats = pngStats(shot.buffer, box);
        assert.ok(stats.distinct >= 50, `canvas has only ${stats.distinct} colours`);
        assert.ok(stats.dominantShare < 0.95, `canvas is ${Math.round(stats.dominantShare * 100)}% one colour`);
    } finally {
        await context.close();
    }
});

test('dashboard draws on demand: no frames while nothing changes', async () => {
    const { context, page } = await openDashboard(stack.owner);
    try {
        await page.mouse.move(5, 5);
        await page.waitForTimeout(1000); // let pending work (fonts, fetches, fades) finish
        const before = await page.evaluate(() => window.__stronghold.frames());
        await page.waitForTimeout(1500);
        const after = await page.evaluate(() => window.__stronghold.frames());
        // A few frames of slack for a late answer; a busy loop would draw about 90 here.
        assert.ok(after - before <= 5, `drew ${after - before} frames in 1.5 s of idle`);
    } finally {
        await context.close();
    }
});
