#!/usr/bin/env node
// Development stand-in for the API, so the dashboard can be looked at and smoke-tested before
// (or without) the real server. NOT the product: no auth (always signed in), no TLS.
//   node mock_server.mjs --web build/h-web/dist --port 8791 [--contacts N] [--accounts 2] [--readonly]
// Speaks the wire contract the dashboard uses: /api/v1/me, contacts list (offset, count, q,
// sort), POST/PATCH/DELETE with versions and If-Match (412 with "current"), 422 for a bad
// email, logout, and /api/v1/live (a tiny WebSocket server: text frames out only).
// Profile & security (issue 4): /me/password, /me/sessions, /me/2fa/totp(+/confirm), /auth/reauth;
// see `security` below for the fixed password and code it accepts.
// Security settings: GET/PATCH /api/v1/agencies/ag_mock/security-policy (If-Match, 412 with
// "current", 422 on bounds, reauth first); --role agency_user makes /me a non-admin (403 there);
// POST /__mock/policy-changed-elsewhere bumps the version as another admin's save would.
// Users, roles, teams (issue 4): dev/mock_admin.mjs; GET /__mock/admin shows its state.
// Companies, tickets, tasks, notes, tags, custom fields, versions, trash (issue 5): dev/mock_records.mjs;
// GET /__mock/records shows its state.
// Contacts export and CSV import jobs (issue 5, CRM-4): dev/mock_io.mjs; GET /__mock/io shows its state.
// Audit log (a real hash chain), security events, JITA grants (issue 6): dev/mock_trust.mjs; GET /__mock/trust.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { createAdmin } from './mock_admin.mjs';
import { createCrm } from './mock_crm.mjs';
import { createIo } from './mock_io.mjs';
import { createRecords } from './mock_records.mjs';
import { createTrust } from './mock_trust.mjs';

const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; " +
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml',
    '.wasm': 'application/wasm', '.otf': 'font/otf', '.ttf': 'font/ttf' };
const arg = (name, def) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : def; };
const webRoot = path.resolve(arg('--web', 'build/h-web/dist'));
const port = Number(arg('--port', '8791'));
const generated = Number(arg('--contacts', '1000'));
const accountCount = Number(arg('--accounts', '2'));
const readOnly = process.argv.includes('--readonly');
const role = arg('--role', 'agency_owner');
const staffRole = arg('--staff', ''); // --staff support|security|platform_admin: /me is a platform staff member

const FIRST = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Margaret', 'Ken', 'Radia', 'Linus', 'Frances', 'Tim',
    'Hedy', 'Niklaus', 'Sophie', 'John', 'Katherine', 'Dennis', 'Lynn', 'Guido'];
const LAST = ['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Knuth', 'Hamilton', 'Thompson', 'Perlman', 'Torvalds',
    'Allen', 'Berners-Lee', 'Lamarr', 'Wirth', 'Wilson', 'McCarthy', 'Johnson', 'Ritchie', 'Conway', 'van Rossum'];
const COMPANIES = ['Northwind Bakery', 'Blue Fern Florist', 'Atlas Dental', 'Harbor Yoga', 'Copper Kettle Cafe', 'Summit Roofing', ''];
const TAGS = [['vip'], ['newsletter'], [], ['lead', 'web'], ['customer'], []];
const accounts = Array.from({ length: accountCount }, (_, i) => ({ id: `ac_mock${i + 1}`, name: ['Northwind Bakery', 'Blue Fern Florist', 'Atlas Dental'][i % 3], agency_id: 'ag_mock' }));
const t0 = Date.now();

// Profile & security. The mock's current password is MOCK_PASSWORD and the only TOTP code it
// accepts is MOCK_TOTP_CODE. Only POST /auth/reauth counts as a fresh proof (not the 2FA
// confirm), so DELETE /me/2fa/totp always asks for re-authentication first: tests see the modal.
const MOCK_PASSWORD = 'Correct-Horse-9!';
const MOCK_TOTP_CODE = '123456';
const REAUTH_MS = 5 * 60 * 1000;
const iso = (ms) => new Date(ms).toISOString();
const security = {
    password: MOCK_PASSWORD, totp: false, reauthAt: 0,
    sessions: [
        { id: 'se_current', current: true, created_at: iso(t0 - 2 * 3600e3), last_seen_at: iso(t0), expires_at: iso(t0 + 10 * 3600e3),
            ip: '127.0.0.1', user_agent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36', device: 'Chrome on Linux' },
        { id: 'se_phone', current: false, created_at: iso(t0 - 26 * 3600e3), last_seen_at: iso(t0 - 3 * 60e3), expires_at: iso(t0 + 3600e3),
            ip: '203.0.113.24', user_agent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 Version/17.1 Mobile/15E148 Safari/604.1', device: 'Safari on iPhone' },
        { id: 'se_office', current: false, created_at: iso(t0 - 5 * 86400e3), last_seen_at: iso(t0 - 2 * 86400e3), expires_at: iso(t0 + 2 * 3600e3),
            ip: '198.51.100.7', user_agent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0', device: 'Firefox on Windows' },
    ],
};
// A QR-shaped matrix (version 3, 29x29: finder, timing and alignment patterns, pseudo-random
// data). It looks like a QR code but is not a valid one: the real server uses libqrencode.
function mockQr() {
    const n = 29, m = Array.from({ length: n }, () => Array(n).fill(0));
    const finder = (ox, oy) => { for (let y = -1; y <= 7; y++) for (let x = -1; x <= 7; x++) {
        const X = ox + x, Y = oy + y; if (X < 0 || Y < 0 || X >= n || Y >= n) continue;
        const d = Math.max(Math.abs(x - 3), Math.abs(y - 3)); m[Y][X] = d === 4 ? 0 : d === 2 ? 0 : 1; } };
    let seed = 7;
    for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) { seed = (seed * 1103515245 + 12345) & 0x7fffffff; m[y][x] = (seed >> 16) & 1; }
    finder(0, 0); finder(n - 7, 0); finder(0, n - 7);
    for (let i = 8; i < n - 8; i++) { m[6][i] = m[i][6] = i % 2 === 0 ? 1 : 0; }
    for (let y = -2; y <= 2; y++) for (let x = -2; x <= 2; x++) m[22 + y][22 + x] = Math.max(Math.abs(x), Math.abs(y)) === 1 ? 0 : 1;
    return { size: n, modules: m.map((r) => r.join('')).join('\n') };
}

// Generated contacts are computed from their index (a million cost nothing); edits live in `overrides`.
// Their ids are shaped as the server's ("ct_" + 26 base32 characters: "gen" + the index in 23
// base32 digits), so the dashboard's core checks accept them as links (a note's record_id).
const B32 = 'abcdefghijklmnopqrstuvwxyz234567';
function genId(i) { let s = ''; for (let k = 0, n = i; k < 23; ++k, n = Math.floor(n / 32)) s = B32[n % 32] + s; return `ct_gen${s}`; }
function genIndex(id) {
    const m = /^ct_gen([a-z2-7]{23})$/.exec(id);
    return m ? [...m[1]].reduce((n, c) => n * 32 + B32.indexOf(c), 0) : -1;
}
// Companies linked to generated contacts by dev/mock_records.mjs (not an override: a million-row
// list stays in index mode).
const companyLinks = new Map();
function generatedContact(i) {
    const first = FIRST[i % FIRST.length], last = LAST[Math.floor(i / FIRST.length) % LAST.length];
    const n = Math.floor(i / (FIRST.length * LAST.length));
    return { id: genId(i), first_name: first, last_name: n ? `${last} ${n + 1}` : last,
        emails: [`${first}.${last}${n || ''}@example.com`.toLowerCase().replace(/ /g, '')],
        phones: [`+1555${String(1000000 + i).slice(-7)}`], company_name: COMPANIES[i % COMPANIES.length], owner_id: 'us_mock',
        tags: TAGS[i % TAGS.length], company_id: companyLinks.get(i) ?? null, version: 1, created_at: new Date(t0 - i * 60000).toISOString(),
        updated_at: new Date(t0 - i * 60000).toISOString() };
}
const store = new Map(); // account -> {extra: [], overrides: Map, deleted: Set}
for (const a of accounts) store.set(a.id, { extra: [], overrides: new Map(), deleted: new Set() });
const display = (c) => `${c.first_name} ${c.last_name}`.trim() || c.company_name || c.emails[0] || '';

function listFor(account, q, sort) {
    const s = store.get(account);
    const big = generated > 20000 && !q && !s.overrides.size && !s.deleted.size && sort === 'name';
    if (big) { // million-row mode: index order is the order (names are generated sorted enough)
        return { length: generated + s.extra.length, at: (i) => i < s.extra.length ? s.extra[i] : generatedContact(i - s.extra.length) };
    }
    let all = s.extra.concat(Array.from({ length: Math.min(generated, 20000) }, (_, i) => s.overrides.get(genId(i)) || generatedContact(i)))
        .filter((c) => !s.deleted.has(c.id));
    if (q) { const ql = q.toLowerCase(); all = all.filter((c) => display(c).toLowerCase().startsWith(ql) || c.last_name.toLowerCase().startsWith(ql) || c.emails.includes(ql)); }
    const key = sort.replace('-', '');
    const dir = sort.startsWith('-') ? -1 : 1;
    all.sort((a, b) => dir * (key === 'updated_at' ? a.updated_at.localeCompare(b.updated_at) : display(a).localeCompare(display(b))) || a.id.localeCompare(b.id));
    return { length: all.length, at: (i) => all[i] };
}
function find(account, id) {
    const s = store.get(account);
    if (s.deleted.has(id)) return null;
    const extra = s.extra.find((c) => c.id === id);
    if (extra) return extra;
    if (s.overrides.has(id)) return s.overrides.get(id);
    const i = genIndex(id);
    return i >= 0 && i < generated ? generatedContact(i) : null;
}
function save(account, c) {
    const s = store.get(account);
    const i = s.extra.findIndex((x) => x.id === c.id);
    if (i >= 0) s.extra[i] = c; else s.overrides.set(c.id, c);
}

const sockets = new Set();
function broadcast(frame) {
    const data = Buffer.from(JSON.stringify(frame));
    const head = data.length < 126 ? Buffer.from([0x81, data.length]) : Buffer.from([0x81, 126, data.length >> 8, data.length & 255]);
    for (const s of sockets) if (s.account === frame.account_id) s.sock.write(Buffer.concat([head, data]));
}

const send = (res, status, body, headers = {}) => {
    res.writeHead(status, { 'Content-Security-Policy': CSP, 'X-Content-Type-Options': 'nosniff', 'Content-Type': 'application/json', ...headers });
    res.end(typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body));
};
const invalid = (field, message) => ({ error: { code: 'validation_failed', message, field } });
function validate(body) {
    for (const k of Object.keys(body)) if (!['first_name', 'last_name', 'emails', 'phones', 'company_name', 'owner_id', 'tags'].includes(k)) return invalid(k, 'unknown field');
    for (const [i, e] of (body.emails || []).entries()) if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(e)) return invalid(`emails[${i}]`, 'is not a valid email address');
    return null;
}

// The agency's security policy, shaped as the server's (server/src/app/security_policy.cpp).
const policy = { agency_id: 'ag_mock', password_profile: 'classic', password_min_length: 8,
    password_required_classes: ['lower', 'upper', 'digit', 'special'], password_history: 0, password_max_age_days: 0,
    require_2fa: false, session_idle_minutes: 30, session_absolute_hours: 12, version: 0, updated_at: null };
const POLICY_BOUNDS = { password_min_length: [8, 128], password_history: [0, 24], password_max_age_days: [0, 3650],
    session_idle_minutes: [5, 1440], session_absolute_hours: [1, 720] };
function policy_route(req, res, agency, raw) {
    if (agency !== 'ag_mock') return send(res, 404, { error: { code: 'not_found', message: 'Not found.' } });
    if (role !== 'agency_owner' && role !== 'agency_admin') return send(res, 403, { error: { code: 'forbidden', message: 'you do not have permission to do this' } });
    const etag = () => ({ ETag: `"${policy.version}"` });
    if (req.method === 'GET') return send(res, 200, policy, etag());
    if (req.method !== 'PATCH') return send(res, 405, { error: { code: 'method_not_allowed', message: 'Method not allowed.' } });
    if (!fresh()) return send(res, 401, reauthRequired());
    let body;
    try { body = JSON.parse(raw); } catch { return send(res, 400, { error: { code: 'malformed_json', message: 'Bad JSON.' } }); }
    const next = { ...policy };
    for (const [k, v] of Object.entries(body)) {
        if (k in POLICY_BOUNDS) {
            const [lo, hi] = POLICY_BOUNDS[k];
            if (!Number.isInteger(v) || v < lo || v > hi) return send(res, 422, invalid(k, `must be between ${lo} and ${hi}`));
            next[k] = v;
        } else if ((k === 'require_2fa' || k === 'jita_requires_approval') && typeof v === 'boolean') next[k] = v;
        else if (k === 'password_profile' && (v === 'classic' || v === 'nist_800_63b')) next[k] = v;
        else if (k === 'password_required_classes' && Array.isArray(v)) next[k] = v;
        else return send(res, 422, invalid(k, 'is not a known field'));
    }
    if (next.password_profile === 'nist_800_63b' && next.password_min_length < 15)
        return send(res, 422, invalid('password_min_length', 'must be at least 15 with the NIST 800-63B profile'));
    const ifMatch = req.headers['if-match'];
    if (!ifMatch) return send(res, 428, { error: { code: 'precondition_required', message: 'If-Match is required.' } });
    if (ifMatch !== `"${policy.version}"`)
        return send(res, 412, { error: { code: 'precondition_failed', message: 'the security policy has changed since you read it' }, current: policy }, etag());
    Object.assign(policy, next, { version: policy.version + 1, updated_at: new Date().toISOString() });
    return send(res, 200, policy, etag());
}

const reauthRequired = () => ({ error: { code: 'reauth_required', message: 'Confirm your password to continue.' } });
const fresh = () => Date.now() - security.reauthAt < REAUTH_MS;
function security_route(req, res, p, raw) {
    let body = {};
    if (raw) { try { body = JSON.parse(raw); } catch { return send(res, 400, { error: { code: 'malformed_json', message: 'Bad JSON.' } }); } }
    const route = `${req.method} ${p}`;
    if (route === 'POST /api/v1/auth/reauth') {
        const ok = typeof body.password === 'string' ? body.password === security.password
            : security.totp && body.code === MOCK_TOTP_CODE;
        if (!ok) return send(res, 422, invalid(typeof body.password === 'string' ? 'password' : 'code', 'That is not correct. Try again.'));
        security.reauthAt = Date.now();
        return send(res, 204, '');
    }
    if (route === 'POST /api/v1/me/password') {
        if (body.current_password !== security.password) return send(res, 422, invalid('current_password', 'The current password is not correct.'));
        if (typeof body.new_password !== 'string' || body.new_password.length < 8) return send(res, 422, invalid('new_password', 'password must be at least 8 characters'));
        if (body.new_password === security.password) return send(res, 422, invalid('new_password', 'You used this password before. Choose a new one.'));
        security.password = body.new_password;
        security.sessions = security.sessions.filter((s) => s.current); // a password change signs out the others
        return send(res, 204, '');
    }
    if (route === 'GET /api/v1/me/sessions') return send(res, 200, { items: security.sessions });
    const sm = /^DELETE \/api\/v1\/me\/sessions\/([^/]+)$/.exec(route);
    if (sm) {
        const i = security.sessions.findIndex((s) => s.id === decodeURIComponent(sm[1]));
        if (i < 0) return send(res, 404, { error: { code: 'not_found', message: 'No such session.' } });
        security.sessions.splice(i, 1);
        return send(res, 204, '');
    }
    if (route === 'POST /api/v1/me/2fa/totp') {
        if (security.totp) return send(res, 409, { error: { code: 'conflict', message: 'Two-factor authentication is already on.' } });
        return send(res, 200, { secret: 'JBSWY3DPEHPK3PXP', otpauth_uri: 'otpauth://totp/Stronghold:owner%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=Stronghold',
            qr: mockQr() });
    }
    if (route === 'POST /api/v1/me/2fa/totp/confirm') {
        if (body.code !== MOCK_TOTP_CODE) return send(res, 422, invalid('code', 'That code is not correct. Check the time on your phone and try again.'));
        security.totp = true;
        return send(res, 200, { recovery_codes: Array.from({ length: 10 }, (_, i) => `${(4821 + i * 7919) % 9000 + 1000}-${(7331 + i * 104729) % 9000 + 1000}`) });
    }
    if (route === 'DELETE /api/v1/me/2fa/totp') {
        if (!fresh()) return send(res, 401, reauthRequired());
        security.totp = false;
        return send(res, 204, '');
    }
    return send(res, 404, { error: { code: 'not_found', message: 'No such route.' } });
}

const admin = createAdmin({ role, accounts, t0, fresh, reauthRequired });
const trust = createTrust({ accounts, t0, fresh, reauthRequired, policy, staffRole });
// Pipelines, deals and quick search (issue 5): dev/mock_crm.mjs; GET /__mock/crm shows its state.
const crm = createCrm({ accounts, t0, broadcast, searchContacts: (account, q, n) => {
    const list = listFor(account, q, 'name');
    return Array.from({ length: Math.min(n, list.length) }, (_, i) => ({ id: list.at(i).id, title: display(list.at(i)) }));
} });

// Companies, tickets, tasks, notes, tags, custom fields, history, trash (issue 5): dev/mock_records.mjs.
const records = createRecords({ accounts, t0, broadcast, contacts: { find, save, genId, linkCompany: (i, companyId) => companyLinks.set(i, companyId) } });

// Contacts export and CSV import jobs (issue 5, CRM-4): dev/mock_io.mjs.
const io = createIo({ accounts, freshProof: () => fresh(),
    contactsOf: (account, q, sort, n) => { const list = listFor(account, q, sort); return Array.from({ length: Math.min(n, list.length) }, (_, i) => list.at(i)); } });

const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    let raw = '';
    req.on('data', (d) => { raw += d; });
    req.on('end', () => {
        const p = url.pathname;
        if (p === '/api/v1/me' && staffRole) return send(res, 200, trust.staffMe());
        if (p === '/api/v1/me') {
            const perms = (readOnly ? ['contact.view'] : ['contact.view', 'contact.create', 'contact.edit', 'contact.delete', 'contact.export', 'contact.import']).concat(crm.permissions(readOnly), records.permissions(readOnly), readOnly ? [] : ['company.import', 'deal.import']);
            return send(res, 200, { user: { id: 'us_mock', email: 'owner@example.com', name: 'Olivia Owner', totp_enabled: security.totp }, memberships: [{ agency_id: 'ag_mock', role }],
                accounts, permissions: Object.fromEntries(accounts.map((a) => [a.id, perms])), ...admin.meExtras() });
        }
        if (p === '/api/v1/auth/logout') return send(res, 204, '');
        const pm = /^\/api\/v1\/agencies\/([^/]+)\/security-policy$/.exec(p);
        if (pm) return policy_route(req, res, decodeURIComponent(pm[1]), raw);
        if (p === '/__mock/policy-changed-elsewhere' && req.method === 'POST') {
            Object.assign(policy, { session_idle_minutes: 60, version: policy.version + 1, updated_at: new Date().toISOString() });
            return send(res, 204, '');
        }
        if (p.startsWith('/api/v1/me/') || p === '/api/v1/auth/reauth') return security_route(req, res, p, raw);
        if (p.startsWith('/__mock/trust') || /^\/api\/v1\/(staff\/[a-z-]+|agencies\/[^/]+\/(audit|security-events|grants)|accounts\/[^/]+\/audit)(\/|$)/.test(p)) {
            let body = {};
            if (raw) { try { body = JSON.parse(raw); } catch { return send(res, 400, { error: { code: 'malformed_json', message: 'Bad JSON.' } }); } }
            const answer = trust.route(req.method, p, url, body);
            if (answer) return send(res, answer[0], answer[1], answer[2] || {});
        }
        if (p === '/__mock/admin' || /^\/api\/v1\/(agencies\/[^/]+\/(users|roles)|accounts\/[^/]+\/teams)/.test(p)) {
            let body = {};
            if (raw) { try { body = JSON.parse(raw); } catch { return send(res, 400, { error: { code: 'malformed_json', message: 'Bad JSON.' } }); } }
            const answer = admin.route(req.method, p, body, req.headers);
            if (answer) return send(res, answer[0], answer[1], answer[2] || {});
        }
        // CSV bodies and jobs (mock_io.mjs): before the JSON routes of deals and companies.
        if (p === '/__mock/io' || /^\/api\/v1\/accounts\/[^/]+\/(contacts\/export|(contacts|companies|deals)\/import|imports\/[^/]+)$/.test(p)) {
            const answer = io.route(req.method, p, url, raw, req.headers);
            if (answer) return send(res, answer[0], answer[1], answer[2] || {});
        }
        if (/^\/(__mock\/crm|api\/v1\/accounts\/[^/]+\/(pipelines|deals|search))(\/|$)/.test(p)) {
            let body = {};
            if (raw) { try { body = JSON.parse(raw); } catch { return send(res, 400, { error: { code: 'malformed_json', message: 'Bad JSON.' } }); } }
            const answer = crm.route(req.method, p, url, body, req.headers);
            if (answer && answer[0] === 200 && p.endsWith('/search')) // records found by name too
                answer[1].items.push(...records.search(decodeURIComponent(p.split('/')[4]), url.searchParams.get('q') || '', Number(url.searchParams.get('limit') || 5)));
            if (answer) return send(res, answer[0], answer[1], answer[2] || {});
        }
        if (p.startsWith('/__mock/records') || /^\/api\/v1\/accounts\/[^/]+\/(companies|tickets|tasks|notes|tags|custom-fields|custom-values|members|trash|contacts\/[^/]+\/versions)(\/|$)/.test(p)) {
            let body = {};
            if (raw) { try { body = JSON.parse(raw); } catch { return send(res, 400, { error: { code: 'malformed_json', message: 'Bad JSON.' } }); } }
            const answer = records.route(req.method, p, url, body, req.headers);
            if (answer) return send(res, answer[0], answer[1], answer[2] || {});
        }
        const m = /^\/api\/v1\/accounts\/([^/]+)\/contacts(?:\/([^/]+))?$/.exec(p);
        if (m && store.has(m[1])) {
            const [, account, id] = m;
            let body = {};
            if (raw) { try { body = JSON.parse(raw); } catch { return send(res, 400, { error: { code: 'malformed_json', message: 'Bad JSON.' } }); } }
            if (!id && req.method === 'GET') {
                const limit = Math.min(Number(url.searchParams.get('limit') || 50), 200);
                const offset = Number(url.searchParams.get('offset') || 0);
                const list = listFor(account, url.searchParams.get('q') || '', url.searchParams.get('sort') || 'name');
                const items = [];
                for (let i = offset; i < Math.min(offset + limit, list.length); i++) items.push(list.at(i));
                return setTimeout(() => send(res, 200, { items, next_cursor: null, total: list.length }), 60);
            }
            if (!id && req.method === 'POST') {
                const err = validate(body);
                if (err) return send(res, 422, err);
                const now = new Date().toISOString();
                const c = { id: 'ct_new' + Date.now(), first_name: '', last_name: '', emails: [], phones: [], company_name: '', owner_id: 'us_mock', tags: [], ...body, version: 1, created_at: now, updated_at: now };
                store.get(account).extra.unshift(c);
                broadcast({ type: 'contact.created', account_id: account, id: c.id, version: 1 });
                return send(res, 201, c, { ETag: '"1"' });
            }
            const c = id && find(account, id);
            if (!c) return send(res, 404, { error: { code: 'not_found', message: 'Not found.' } });
            const ifMatch = req.headers['if-match'];
            if (req.method === 'PATCH' || req.method === 'DELETE') {
                if (!ifMatch) return send(res, 428, { error: { code: 'precondition_required', message: 'If-Match is required.' } });
                if (ifMatch !== `"${c.version}"`) return send(res, 412, { error: { code: 'precondition_failed', message: 'The contact changed.' }, current: c });
            }
            if (req.method === 'PATCH') {
                const err = validate(body);
                if (err) return send(res, 422, err);
                const next = { ...c, ...body, version: c.version + 1, updated_at: new Date().toISOString() };
                save(account, next);
                records.contactChanged(c, next);
                broadcast({ type: 'contact.updated', account_id: account, id, version: next.version });
                return send(res, 200, next, { ETag: `"${next.version}"` });
            }
            if (req.method === 'DELETE') {
                store.get(account).deleted.add(id);
                broadcast({ type: 'contact.deleted', account_id: account, id, version: c.version + 1 });
                return send(res, 204, '');
            }
            return send(res, 200, c, { ETag: `"${c.version}"` });
        }
        if (p.startsWith('/api/')) return send(res, 404, { error: { code: 'not_found', message: 'No such route.' } });
        const rel = p === '/' ? 'dashboard.html' : decodeURIComponent(p).replace(/^\/+/, '');
        const file = path.resolve(webRoot, rel);
        if (!file.startsWith(webRoot + path.sep) || !existsSync(file)) return send(res, 404, { error: { code: 'not_found', message: 'Not found.' } });
        send(res, 200, readFileSync(file), { 'Content-Type': TYPES[path.extname(file)] || 'application/octet-stream' });
    });
});
server.on('upgrade', (req, sock) => {
    const url = new URL(req.url, 'http://x');
    if (url.pathname !== '/api/v1/live') return sock.destroy();
    const accept = createHash('sha1').update(req.headers['sec-websocket-key'] + '258EAFA5-E914-47DA-95CA-C5AB0DC85B11').digest('base64');
    sock.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
    const entry = { sock, account: url.searchParams.get('account_id') };
    sockets.add(entry);
    sock.on('data', (d) => { if ((d[0] & 0x0f) === 8) sock.end(); }); // close frame
    sock.on('close', () => sockets.delete(entry));
    sock.on('error', () => sockets.delete(entry));
});
// --port 0 picks a free port; the first stdout line names it (the smoke-test harness reads it).
server.listen(port, '127.0.0.1', () => process.stdout.write(`mock API + dashboard on http://127.0.0.1:${server.address().port}/dashboard.html\n`));
