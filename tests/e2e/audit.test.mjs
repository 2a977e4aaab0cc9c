// Issue 6's audit log against the real server (the web smoke tests use a mock chain): the rows the
// server hashed with libsodium are re-hashed in the browser by the same core code compiled to
// WebAssembly, and the page says the chain verifies; the JSON export holds the same rows and is
// itself a row of the log. Driven through the accessibility mirror (web/CONTRACT.md).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, openPage, signIn, saveScreenshot } from './harness.mjs';
import { waitReady } from './mirror.mjs';

let stack;
before(async () => { stack = await startStack(); });
after(async () => { if (stack) await stack.stop(); });

const verdict = (page) => page.evaluate(() => document.querySelector('#stronghold-a11y [aria-label="Chain verification"]')?.textContent ?? '');

test('AUD3 the browser verifies the chain the server wrote', async () => {
    const { context, page, report } = await openPage(stack);
    const account = stack.tenant.account_id;
    try {
        await signIn(page, stack.owner);
        await waitReady(page, report);
        // A few changes, so the chain has more than the sign-ins.
        for (const name of ['Ada', 'Grace', 'Alan']) {
            const r = await context.request.post(`/api/v1/accounts/${account}/contacts`, { data: { first_name: name } });
            assert.equal(r.status(), 201);
        }
        await page.getByRole('tab', { name: 'Audit log', exact: true }).click({ force: true });
        await page.getByRole('table', { name: 'Audit log' }).waitFor({ state: 'attached', timeout: 15_000 });
        await page.waitForFunction(() => /^(Chain verified|Broken)/.test(document.querySelector('#stronghold-a11y [aria-label="Chain verification"]')?.textContent ?? ''),
            null, { timeout: 15_000 });
        const listed = await (await context.request.get(`/api/v1/agencies/${stack.tenant.agency_id}/audit?limit=100`)).json();
        assert.equal(await verdict(page), `Chain verified for ${listed.items.length} entries`);
        assert.ok(listed.items.some((r) => r.action === 'contact.create'));
        await saveScreenshot(page, 'audit-log.png');

        // The JSON export: the list's rows, and an audit.export row of its own.
        const exported = await context.request.get(`/api/v1/agencies/${stack.tenant.agency_id}/audit?format=json&action=contact.create`);
        if (exported.status() === 200) {
            const rows = await exported.json();
            assert.equal(rows.length, 3);
            const again = await (await context.request.get(`/api/v1/agencies/${stack.tenant.agency_id}/audit?action=audit.export`)).json();
            assert.equal(again.items[0].details.format, 'json');
        } else {
            assert.equal(exported.status(), 401, 'only a re-authentication may stand in the way'); // reauth_required
        }
    } finally {
        await context.close();
    }
});
