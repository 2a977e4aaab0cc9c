// The trust screens (issue 6: AUD-1..5, ACC-4/5) in Debian's Chromium against the development mock
// API (tests/dev/mock_trust.mjs: a real BLAKE2b hash chain; POST /__mock/trust/tamper edits a row
// without re-hashing it; GET /__mock/trust shows exports and grant decisions; password
// Correct-Horse-9!), driven only through the accessibility mirror.
//   STRONGHOLD_DIST=build/h-webA-wasm/dist node --test web/tests/trust_smoke.test.mjs
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { launchBrowser, reauthenticate, settle, startMock as startMockFor, distDir, shotsDir, typeInto, watchProblems } from './harness.mjs';
import { press } from '../../tests/e2e/mirror.mjs';

const dist = distDir('build/h-webA-wasm/dist');
const shots = shotsDir(dist);

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

async function openDashboard(extra = []) {
    const mock = await startMockFor(dist, ['--accounts', '2', ...extra]);
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const problems = watchProblems(page);
    await page.goto(mock.url);
    await page.waitForFunction(() => window.__stronghold && window.__stronghold.state() === 'ready', null, { timeout: 30000 });
    return { page, problems, mock, close: async () => { await page.close(); mock.stop(); } };
}
async function fromUserMenu(page, item) {
    await page.getByRole('button', { name: 'User menu' }).click({ force: true });
    await page.getByRole('menu', { name: 'User menu' }).waitFor();
    await page.getByRole('menuitem', { name: item }).click({ force: true });
}
const trustState = async (mock) => (await fetch(`${mock.base}/__mock/trust`)).json();
const toast = (page, text) => page.locator('#stronghold-a11y [data-toast]').filter({ hasText: text }).waitFor({ timeout: 10000 });
// The verification badge's words, once they contain `text`.
async function verdict(page, text) {
    await page.waitForFunction((t) => Array.from(document.querySelectorAll('#stronghold-a11y [aria-label="Chain verification"]'))
        .some((e) => e.textContent.includes(t)), text, { timeout: 15000 });
    return page.evaluate(() => document.querySelector('#stronghold-a11y [aria-label="Chain verification"]').textContent);
}

describe('trust screens (mock API)', () => {
    test('AUD3_audit_log_verifies_the_chain_in_the_browser_and_names_a_tampered_entry', async () => {
        const { page, problems, mock, close } = await openDashboard();
        await page.getByRole('tab', { name: 'Audit log' }).click({ force: true });
        await page.getByRole('table', { name: 'Audit log' }).waitFor({ timeout: 10000 });
        assert.equal(await verdict(page, 'verified'), 'Chain verified for 100 entries');
        await settle(page);
        await page.screenshot({ path: path.join(shots, 'web-audit-log.png') });

        // Load more: the second page links to the first (one chain across pages).
        await press(page, page.getByRole('button', { name: 'Load more' }));
        assert.equal(await verdict(page, '200'), 'Chain verified for 200 entries');

        // Filters: a prefix of actions; the rows shown are still re-hashed, the gaps are not breaks.
        await typeInto(page, 'Action', 'contact.');
        await press(page, page.getByRole('button', { name: 'Apply filters' }));
        const filtered = await verdict(page, 'links checked');
        assert.match(filtered, /^Chain verified for \d+ entries \(\d+ links? checked\)$/);
        const names = await page.locator('#stronghold-a11y [role=table][aria-label="Audit log"] [role=row][data-seq]')
            .evaluateAll((rows) => rows.map((r) => r.getAttribute('aria-label')));
        assert.ok(names.length > 0 && names.every((n) => n.startsWith('contact.')), names.join(','));

        // A row edited in the store without re-hashing: the page names it.
        const rows = await (await fetch(`${mock.base}/api/v1/agencies/ag_mock/audit?limit=5`)).json();
        const victim = rows.items[2].seq;
        await fetch(`${mock.base}/__mock/trust/tamper`, { method: 'POST', body: JSON.stringify({ seq: victim, action: 'contact.view' }) });
        await press(page, page.getByRole('button', { name: 'Clear filters' }));
        const broken = await verdict(page, 'Broken');
        assert.match(broken, new RegExp(`^Broken at entry ${victim} \\(position \\d+\\): hash_mismatch`));
        await page.locator(`#stronghold-a11y [role=row][data-seq="${victim}"][data-broken="true"]`).waitFor();
        await page.locator('#stronghold-a11y [role=alert][aria-label="Chain verification"]').waitFor();
        await settle(page);
        await page.screenshot({ path: path.join(shots, 'web-audit-broken.png') });
        assert.deepEqual(problems, []);
        await close();
    });

    test('AUD2_audit_export_json_asks_for_the_password_and_is_recorded', async () => {
        const { page, problems, mock, close } = await openDashboard();
        await page.getByRole('tab', { name: 'Audit log' }).click({ force: true });
        await verdict(page, 'verified');
        await press(page, page.getByRole('button', { name: 'Export JSON' }));
        await reauthenticate(page);
        await toast(page, 'Export downloaded: audit-log.json');
        const state = await trustState(mock);
        assert.deepEqual(state.exports.map((e) => e.format), ['json']);
        assert.ok(state.exports[0].count > 200);
        assert.deepEqual(problems, []);
        await close();
    });

    test('AUD5_security_events_show_severity_type_time_source_and_details', async () => {
        const { page, problems, close } = await openDashboard();
        await fromUserMenu(page, 'Security events');
        const table = page.getByRole('table', { name: 'Security events' });
        await table.waitFor({ timeout: 10000 });
        await page.locator('#stronghold-a11y [role=row][data-id="ev_m5"]').waitFor({ timeout: 10000 });
        const first = page.locator('#stronghold-a11y [role=row][data-id="ev_m1"]');
        assert.equal(await first.getAttribute('aria-label'), 'Cross-tenant attempt');
        assert.equal(await first.getAttribute('data-severity'), 'High');
        const cells = await first.locator('[role=cell]').evaluateAll((c) => c.map((x) => x.textContent));
        assert.equal(cells[0], 'High');
        assert.match(cells[2], /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);
        assert.match(cells[3], /user:us_other/);
        assert.match(cells[4], /route \/api\/v1\/accounts/);
        assert.equal(await page.locator('#stronghold-a11y [role=row][data-id="ev_m5"]').getAttribute('data-severity'), 'Critical');
        await settle(page);
        await page.screenshot({ path: path.join(shots, 'web-security-events.png') });
        assert.deepEqual(problems, []);
        await close();
    });

    test('ACC4_staff_access_pending_first_approve_after_reauth_then_revoke', async () => {
        const { page, problems, mock, close } = await openDashboard();
        await fromUserMenu(page, 'Staff access');
        await page.getByRole('table', { name: 'Staff access' }).waitFor({ timeout: 10000 });
        await page.locator('#stronghold-a11y [role=row][data-id="gr_m1"]').waitFor({ timeout: 10000 });
        const order = await page.locator('#stronghold-a11y [role=table][aria-label="Staff access"] [role=row][data-id]')
            .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-status')));
        assert.deepEqual(order, ['Pending', 'Active', 'Revoked', 'Expired']);
        await settle(page);
        await page.screenshot({ path: path.join(shots, 'web-staff-access.png') });

        await press(page, page.getByRole('button', { name: 'Approve sam@stronghold.support' }));
        await reauthenticate(page);
        await toast(page, 'Approved staff access for sam@stronghold.support.');
        await page.locator('#stronghold-a11y [role=row][data-id="gr_m1"][data-status="Active"]').waitFor({ timeout: 10000 });
        await press(page, page.getByRole('button', { name: 'Revoke lee@stronghold.support' }));
        await toast(page, 'Revoked staff access for lee@stronghold.support.');
        assert.deepEqual((await trustState(mock)).decisions, [{ id: 'gr_m1', verb: 'approve' }, { id: 'gr_m2', verb: 'revoke' }]);
        assert.deepEqual(problems, []);
        await close();
    });

    test('ACC4_require_approval_for_staff_access_is_a_security_policy_switch', async () => {
        const { page, problems, mock, close } = await openDashboard();
        await fromUserMenu(page, 'Security settings');
        const box = page.getByRole('checkbox', { name: 'Require approval for staff access' });
        await box.waitFor({ timeout: 10000 });
        assert.equal(await box.getAttribute('aria-checked'), 'true');
        await press(page, box);
        await page.waitForFunction(() => document.querySelector('#stronghold-a11y [role=checkbox][aria-label="Require approval for staff access"]')
            ?.getAttribute('aria-checked') === 'false');
        await press(page, page.getByRole('button', { name: 'Save changes' }));
        await reauthenticate(page);
        await toast(page, 'Security settings saved.');
        await settle(page);
        await page.screenshot({ path: path.join(shots, 'web-security-jita.png') });
        const policy = await (await fetch(`${mock.base}/api/v1/agencies/ag_mock/security-policy`)).json();
        assert.equal(policy.jita_requires_approval, false);
        assert.equal(policy.version, 1);
        assert.deepEqual(problems, []);
        await close();
    });

    test('AUD1_audit_log_is_not_offered_without_view_audit_log', async () => {
        const { page, problems, close } = await openDashboard(['--role', 'agency_user']);
        await page.getByRole('tab', { name: 'Trash' }).waitFor();
        assert.equal(await page.getByRole('tab', { name: 'Audit log' }).count(), 0);
        await page.getByRole('button', { name: 'User menu' }).click({ force: true });
        await page.getByRole('menu', { name: 'User menu' }).waitFor();
        assert.equal(await page.getByRole('menuitem', { name: 'Security events' }).count(), 0);
        assert.equal(await page.getByRole('menuitem', { name: 'Staff access' }).count(), 0);
        assert.deepEqual(problems, []);
        await close();
    });
    test('ACC3_operator_console_shows_aggregates_and_requests_access_for_1_to_24_hours', async () => {
        const { page, problems, mock, close } = await openDashboard(['--staff', 'security']);
        await page.getByRole('heading', { name: 'Operator console' }).waitFor({ timeout: 10000 });
        await page.waitForFunction(() => Array.from(document.querySelectorAll('#stronghold-a11y [role=status][aria-label="Contacts"]'))
            .some((e) => e.textContent === '182,340'), null, { timeout: 10000 });
        await page.locator('#stronghold-a11y [role=table][aria-label="Platform security events"] [role=row][data-id="ev_m1"]').waitFor({ timeout: 10000 });
        await typeInto(page, 'Sub-account id', 'ac_mock2');
        await typeInto(page, 'Reason', 'Ticket #4900: deals board empty');
        await typeInto(page, 'Hours (1-24)', '25');
        await press(page, page.getByRole('button', { name: 'Request access' }));
        await page.locator('#stronghold-a11y [role=alert][data-field="hours"]').filter({ hasText: 'from 1 to 24' }).waitFor();
        assert.deepEqual((await trustState(mock)).requests, [], 'nothing is sent before the form is right');
        await typeInto(page, 'Hours (1-24)', '8');
        await press(page, page.getByRole('button', { name: 'Request access' }));
        await toast(page, 'Request sent: the agency must approve it.');
        assert.deepEqual((await trustState(mock)).requests, [{ account_id: 'ac_mock2', hours: 8, reason: 'Ticket #4900: deals board empty' }]);
        await page.locator('#stronghold-a11y [role=table][aria-label="My grants"] [role=row][data-status="Pending"]').first().waitFor({ timeout: 10000 });
        await settle(page);
        await page.screenshot({ path: path.join(shots, 'web-operator-console.png') });
        assert.deepEqual(problems, []);
        await close();
    });

    test('ACC3_support_staff_do_not_see_platform_security_events', async () => {
        const { page, problems, close } = await openDashboard(['--staff', 'support']);
        await page.getByRole('heading', { name: 'Operator console' }).waitFor({ timeout: 10000 });
        await page.getByRole('table', { name: 'My grants' }).waitFor();
        await settle(page);
        assert.equal(await page.getByRole('table', { name: 'Platform security events' }).count(), 0);
        assert.deepEqual(problems, []);
        await close();
    });
});
