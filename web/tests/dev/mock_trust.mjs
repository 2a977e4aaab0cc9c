// The trust layer for the development mock API (issue 6): the agency's audit log as a real hash
// chain (BLAKE2b-256 over prev_hash || canonical JSON, as core/src/audit/chain.cpp and
// server/doc/audit.md define it, so the dashboard's in-browser verification checks real hashes),
// security events, and JITA grants per /briefs/jita-contract.md.
//   GET  /api/v1/agencies/ag_mock/audit, /api/v1/accounts/{id}/audit  actor, action (prefix with '.'),
//        target, since, until (ISO or ms), limit, cursor, format=csv|json (audited as audit.export)
//   GET  /api/v1/agencies/ag_mock/security-events?limit=&cursor=
//   GET  /api/v1/agencies/ag_mock/grants; POST .../grants/{id}/approve (fresh re-auth) | deny | revoke (409 in the wrong state)
//   POST /__mock/trust/tamper {"seq"}  edits a row's action without re-hashing (the page must show it broken)
//   GET  /__mock/trust                 the exports, decisions and grants so far
// With --staff ROLE (mock_server.mjs) /me is a platform staff member: GET /api/v1/staff/overview,
//   GET/POST /api/v1/staff/grants (hours 1..24, reason required, unknown account 404; active at once
//   unless the policy requires approval), GET /api/v1/staff/security-events (support: 403)
const GENESIS = '0'.repeat(64);

// [SECTION] BLAKE2b (RFC 7693), 32-byte digest, with BigInt words: small and plain, fast enough for a mock.
const M64 = (1n << 64n) - 1n;
const IV = [0x6a09e667f3bcc908n, 0xbb67ae8584caa73bn, 0x3c6ef372fe94f82bn, 0xa54ff53a5f1d36f1n,
    0x510e527fade682d1n, 0x9b05688c2b3e6c1fn, 0x1f83d9abfb41bd6bn, 0x5be0cd19137e2179n];
const SIGMA = [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15], [14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3],
    [11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4], [7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8],
    [9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13], [2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9],
    [12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11], [13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10],
    [6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5], [10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0]];
const rotr = (x, n) => ((x >> n) | (x << (64n - n))) & M64;
function compress(h, block, t, last) {
    const m = Array.from({ length: 16 }, (_, i) => block.readBigUInt64LE(i * 8));
    const v = [...h, ...IV];
    v[12] ^= t & M64;
    v[13] ^= t >> 64n;
    if (last) v[14] ^= M64;
    const g = (a, b, c, d, x, y) => {
        v[a] = (v[a] + v[b] + x) & M64; v[d] = rotr(v[d] ^ v[a], 32n);
        v[c] = (v[c] + v[d]) & M64; v[b] = rotr(v[b] ^ v[c], 24n);
        v[a] = (v[a] + v[b] + y) & M64; v[d] = rotr(v[d] ^ v[a], 16n);
        v[c] = (v[c] + v[d]) & M64; v[b] = rotr(v[b] ^ v[c], 63n);
    };
    for (let r = 0; r < 12; r++) {
        const s = SIGMA[r % 10];
        g(0, 4, 8, 12, m[s[0]], m[s[1]]); g(1, 5, 9, 13, m[s[2]], m[s[3]]);
        g(2, 6, 10, 14, m[s[4]], m[s[5]]); g(3, 7, 11, 15, m[s[6]], m[s[7]]);
        g(0, 5, 10, 15, m[s[8]], m[s[9]]); g(1, 6, 11, 12, m[s[10]], m[s[11]]);
        g(2, 7, 8, 13, m[s[12]], m[s[13]]); g(3, 4, 9, 14, m[s[14]], m[s[15]]);
    }
    for (let i = 0; i < 8; i++) h[i] ^= v[i] ^ v[i + 8];
}
export function blake2b256(data) {
    const input = Buffer.isBuffer(data) ? data : Buffer.from(data, 'utf8');
    const h = [...IV];
    h[0] ^= 0x01010000n ^ 32n; // digest length 32, no key
    const blocks = Math.max(1, Math.ceil(input.length / 128));
    for (let b = 0; b < blocks; b++) {
        const block = Buffer.alloc(128);
        input.copy(block, 0, b * 128, Math.min(input.length, (b + 1) * 128));
        const last = b === blocks - 1;
        compress(h, block, BigInt(last ? input.length : (b + 1) * 128), last);
    }
    const out = Buffer.alloc(64);
    h.forEach((w, i) => out.writeBigUInt64LE(w, i * 8));
    return out.subarray(0, 32).toString('hex');
}

// [SECTION] The chain
// JSON as nlohmann dumps it: keys sorted, no whitespace (the details text the server hashes).
export function dumpSorted(v) {
    if (Array.isArray(v)) return `[${v.map(dumpSorted).join(',')}]`;
    if (v && typeof v === 'object') return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${dumpSorted(v[k])}`).join(',')}}`;
    return JSON.stringify(v);
}
const esc = (s) => '"' + s.replace(/[\\"\u0000-\u001f]/g, (c) => c === '"' ? '\\"' : c === '\\' ? '\\\\' : `\\u00${c.charCodeAt(0).toString(16).padStart(2, '0')}`) + '"';
function canonical(e, detailsHash) {
    const s = (k, v) => `${esc(k)}:${esc(v)}`;
    return `{"v":1,"seq":${e.seq},"n":${e.n},"at":${e.at},${s('agency', e.agency_id)},${s('account', e.account_id)},` +
        `${s('actor_type', e.actor.type)},${s('actor_id', e.actor.id)},${s('grant_id', e.actor.grant_id)},${s('action', e.action)},` +
        `${s('target_type', e.target.type)},${s('target_id', e.target.id)},${s('ip', e.ip)},${s('user_agent', e.user_agent)},` +
        `${s('outcome', e.outcome)},${s('details_hash', detailsHash)}}`;
}

export function createTrust({ accounts, t0, fresh, reauthRequired, policy, staffRole }) {
    const rows = []; // oldest first; the agency's one chain
    const UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36';
    function append(fields) {
        const prev = rows.length ? rows[rows.length - 1].chain.hash : GENESIS;
        const e = { seq: 1000 + rows.length, at: fields.at ?? Date.now(), agency_id: 'ag_mock', account_id: fields.account_id ?? '',
            actor: { type: fields.actor_type ?? 'user', id: fields.actor_id ?? 'us_mock', grant_id: fields.grant_id ?? '' },
            action: fields.action, target: { type: fields.target_type ?? '', id: fields.target_id ?? '' }, ip: fields.ip ?? '203.0.113.24',
            user_agent: fields.user_agent ?? UA, outcome: fields.outcome ?? 'success', details: fields.details ?? {}, n: rows.length + 1 };
        const detailsHash = blake2b256(dumpSorted(e.details));
        e.chain = { n: e.n, prev_hash: prev, hash: blake2b256(prev + canonical(e, detailsHash)), details_hash: detailsHash };
        if (fields.pruned) e.details = null; // retention cleared them; details_hash stands in (server/doc/audit.md)
        rows.push(e);
        return e;
    }
    const people = [['us_mock', 'user'], ['us_ada', 'user'], ['us_grace', 'user'], ['ak_zapier', 'api_key'], ['us_sam', 'staff']];
    const kinds = [['auth.login', 'session', ''], ['contact.create', 'contact', 'acc'], ['contact.update', 'contact', 'acc'],
        ['deal.update', 'deal', 'acc'], ['company.create', 'company', 'acc'], ['user.invite', 'user', ''], ['contact.delete', 'contact', 'acc'],
        ['security_policy.update', 'agency', ''], ['auth.login_failed', 'session', '']];
    for (let i = 0; i < 236; i++) {
        const [action, type, scope] = kinds[(i * 7) % kinds.length];
        const [actor, actor_type] = people[i % 4];
        const account = scope ? accounts[i % accounts.length].id : '';
        append({ at: t0 - (236 - i) * 17 * 60e3, account_id: account, actor_id: actor, actor_type, action, target_type: type,
            target_id: `${{ contact: 'ct', company: 'co', deal: 'dl', session: 'se', user: 'us', agency: 'ag' }[type]}_${(i * 2654435761 % 1e8).toString(36)}`, outcome: action === 'auth.login_failed' ? 'failure' : 'success',
            ip: ['203.0.113.24', '198.51.100.7', '192.0.2.55'][i % 3], details: type === 'contact' ? { fields: ['first_name', 'emails'] } : {},
            pruned: i < 60 }); // the oldest rows are past their retention: their details are gone
    }
    append({ at: t0 - 5 * 60e3, account_id: accounts[0].id, actor_id: 'us_other', action: 'security.cross_tenant_attempt', target_type: 'contact',
        target_id: 'ct_foreign', outcome: 'denied', ip: '192.0.2.200', details: { method: 'GET', route: '/api/v1/accounts/{account_id}/contacts/{id}' } });

    const events = [
        { id: 'ev_m1', at: new Date(t0 - 30 * 60e3).toISOString(), agency_id: 'ag_mock', account_id: accounts[0].id, kind: 'cross_tenant_attempt',
            severity: 'high', source: 'user:us_other', ip: '192.0.2.200', actor: { type: 'user', id: 'us_other' },
            details: { method: 'GET', route: '/api/v1/accounts/{account_id}/contacts/{id}' } },
        { id: 'ev_m2', at: new Date(t0 - 3 * 3600e3).toISOString(), agency_id: 'ag_mock', account_id: '', kind: 'brute_force', severity: 'medium',
            source: 'ip:198.51.100.23', ip: '198.51.100.23', actor: { type: 'anonymous', id: '' }, details: { email_hash: '9f1c02ab', failures: 10 } },
        { id: 'ev_m3', at: new Date(t0 - 5 * 3600e3).toISOString(), agency_id: 'ag_mock', account_id: '', kind: 'source_blocked', severity: 'high',
            source: 'user:us_other', ip: '192.0.2.200', actor: { type: 'user', id: 'us_other' }, details: { minutes: 15, rule: 'cross_tenant_attempt' } },
        { id: 'ev_m4', at: new Date(t0 - 26 * 3600e3).toISOString(), agency_id: 'ag_mock', account_id: accounts[0].id, kind: 'permission_denied_burst',
            severity: 'medium', source: 'user:us_grace', ip: '203.0.113.9', actor: { type: 'user', id: 'us_grace' }, details: { count: 20, window_s: 60 } },
        { id: 'ev_m5', at: new Date(t0 - 50 * 3600e3).toISOString(), agency_id: 'ag_mock', account_id: '', kind: 'credential_stuffing', severity: 'critical',
            source: 'ip:192.0.2.77', ip: '192.0.2.77', actor: { type: 'anonymous', id: '' }, details: { emails: 143, failures: 100 } },
    ];

    const iso = (ms) => new Date(ms).toISOString();
    const grant = (id, status, staff, role, accountIndex, reason, hours, ageH, extra = {}) => ({ id, agency_id: 'ag_mock',
        account_id: accounts[accountIndex % accounts.length].id, account_name: accounts[accountIndex % accounts.length].name, staff_id: `us_${staff.split('@')[0]}`,
        staff_email: staff, staff_role: role, reason, hours, status, requested_at: iso(t0 - ageH * 3600e3), decided_at: null, decided_by: null,
        expires_at: null, revoked_at: null, revoked_by: null, ...extra });
    const grants = [
        grant('gr_m1', 'pending', 'sam@stronghold.support', 'support', 0, 'Ticket #4821: imports stop at row 2,000', 4, 0.2),
        grant('gr_m2', 'active', 'lee@stronghold.support', 'security', 1, 'Investigating the login alert of 26 Nov', 8, 2,
            { decided_at: iso(t0 - 1.9 * 3600e3), decided_by: 'us_mock', expires_at: iso(t0 + 6 * 3600e3) }),
        grant('gr_m3', 'revoked', 'sam@stronghold.support', 'support', 0, 'Ticket #4790: pipeline stages missing', 2, 30,
            { decided_at: iso(t0 - 29 * 3600e3), decided_by: 'us_mock', revoked_at: iso(t0 - 28.5 * 3600e3), revoked_by: 'us_mock' }),
        grant('gr_m4', 'expired', 'kim@stronghold.support', 'platform_admin', 1, 'Database migration check', 1, 72,
            { decided_at: iso(t0 - 71 * 3600e3), decided_by: 'us_mock', expires_at: iso(t0 - 70 * 3600e3) }),
    ];
    const state = { exports: [], decisions: [], requests: [] };

    const notFound = [404, { error: { code: 'not_found', message: 'Not found.' } }];
    const invalid = (field, message) => [422, { error: { code: 'validation_failed', message, field } }];
    const instant = (t) => (/^\d+$/.test(t) ? Number(t) : Date.parse(t));

    function audit(url, scope) {
        const q = url.searchParams;
        for (const k of q.keys()) if (!['actor', 'action', 'target', 'since', 'until', 'limit', 'cursor', 'format'].includes(k)) return invalid(k, 'unknown query parameter');
        const limit = Number(q.get('limit') || 50);
        if (!Number.isInteger(limit) || limit < 1 || limit > 200) return invalid('limit', 'must be a whole number from 1 to 200');
        const format = q.get('format');
        if (format && format !== 'csv' && format !== 'json') return invalid('format', 'must be csv or json');
        for (const k of ['since', 'until']) if (q.get(k) && Number.isNaN(instant(q.get(k)))) return invalid(k, 'must be an ISO 8601 time or Unix milliseconds');
        const action = q.get('action') || '';
        let list = rows.filter((e) => (!scope.account || e.account_id === scope.account)
            && (!q.get('actor') || e.actor.id === q.get('actor'))
            && (!action || (action.endsWith('.') ? e.action.startsWith(action) : e.action === action))
            && (!q.get('target') || e.target.id === q.get('target'))
            && (!q.get('since') || e.at >= instant(q.get('since'))) && (!q.get('until') || e.at < instant(q.get('until')))).reverse();
        const wire = (e) => ({ seq: e.seq, at: iso(e.at), agency_id: e.agency_id, account_id: e.account_id, actor: e.actor, action: e.action,
            target: e.target, ip: e.ip, user_agent: e.user_agent, outcome: e.outcome, details: e.details, chain: e.chain });
        if (format) {
            if (!fresh()) return [401, reauthRequired()];
            const body = format === 'json' ? JSON.stringify(list.map(wire)) : 'seq,at,action\r\n' + list.map((e) => `${e.seq},${iso(e.at)},${e.action}`).join('\r\n');
            state.exports.push({ format, count: list.length });
            append({ account_id: scope.account || '', action: 'audit.export', target_type: scope.account ? 'account' : 'agency',
                target_id: scope.account || 'ag_mock', details: { format, count: list.length } });
            return [200, body, { 'Content-Type': format === 'json' ? 'application/json' : 'text/csv',
                'Content-Disposition': `attachment; filename="audit.${format}"` }];
        }
        const cursor = Number(q.get('cursor') || 0);
        if (cursor) list = list.filter((e) => e.seq < cursor);
        const items = list.slice(0, limit).map(wire);
        return [200, { items, next_cursor: items.length === limit && list.length > limit ? String(items[items.length - 1].seq) : null }];
    }

    // Platform staff (the operator side): the grants of the signed-in staff member are those with staff_id us_sam.
    const staffMe = () => ({ user: { id: 'us_sam', email: 'sam@stronghold.support', name: 'Sam Support', totp_enabled: true }, memberships: [],
        accounts: [], permissions: {}, staff: { role: staffRole }, grants: grants.filter((g) => g.staff_id === 'us_sam' && g.status === 'active') });
    function staff(method, p, body) {
        if (p === '/api/v1/staff/overview' && method === 'GET')
            return [200, { agencies: 3, accounts: 11, users: 57, contacts: 182340, records: 9412, security_events_24h: events.length, active_grants: grants.filter((g) => g.status === 'active').length }];
        if (p === '/api/v1/staff/security-events' && method === 'GET') {
            if (staffRole === 'support') return [403, { error: { code: 'forbidden', message: 'you do not have permission to do this' } }];
            return [200, { items: events.map((e) => ({ ...e })), next_cursor: null }];
        }
        if (p === '/api/v1/staff/grants' && method === 'GET') return [200, { items: grants.filter((g) => g.staff_id === 'us_sam').reverse() }];
        if (p === '/api/v1/staff/grants' && method === 'POST') {
            if (!Number.isInteger(body.hours) || body.hours < 1 || body.hours > 24) return invalid('hours', 'must be a whole number from 1 to 24');
            if (typeof body.reason !== 'string' || !body.reason.trim()) return invalid('reason', 'is required');
            const a = accounts.find((x) => x.id === body.account_id);
            if (!a) return notFound;
            const g = grant(`gr_new${grants.length}`, policy.jita_requires_approval ? 'pending' : 'active', 'sam@stronghold.support', staffRole, accounts.indexOf(a), body.reason, body.hours, 0);
            g.staff_id = 'us_sam';
            if (g.status === 'active') g.expires_at = iso(Date.now() + g.hours * 3600e3);
            grants.push(g);
            state.requests.push({ account_id: a.id, hours: body.hours, reason: body.reason });
            return [201, g];
        }
        return null;
    }

    function route(method, p, url, body) {
        if (p.startsWith('/api/v1/staff/')) return staffRole ? staff(method, p, body) : [403, { error: { code: 'forbidden', message: 'staff only' } }];
        if (p === '/__mock/trust') return [200, { ...state, grants, rows: rows.length }];
        if (p === '/__mock/trust/tamper' && method === 'POST') {
            const e = rows.find((r) => r.seq === body.seq);
            if (!e) return notFound;
            e.action = body.action || 'contact.view'; // the stored hash stays: the row no longer gives it
            return [204, ''];
        }
        const aa = /^\/api\/v1\/agencies\/([^/]+)\/audit$/.exec(p);
        if (aa) return aa[1] === 'ag_mock' && method === 'GET' ? audit(url, {}) : notFound;
        const ac = /^\/api\/v1\/accounts\/([^/]+)\/audit$/.exec(p);
        if (ac) return accounts.some((a) => a.id === ac[1]) && method === 'GET' ? audit(url, { account: ac[1] }) : notFound;
        if (p === '/api/v1/agencies/ag_mock/security-events' && method === 'GET') {
            const limit = Number(url.searchParams.get('limit') || 50), cursor = url.searchParams.get('cursor');
            const from = cursor ? events.findIndex((e) => e.id === cursor) + 1 : 0;
            const items = events.slice(from, from + limit);
            return [200, { items, next_cursor: from + limit < events.length ? items[items.length - 1].id : null }];
        }
        if (p === '/api/v1/agencies/ag_mock/grants' && method === 'GET') {
            const status = url.searchParams.get('status');
            return [200, { items: grants.filter((g) => !status || g.status === status), next_cursor: null }];
        }
        const gm = /^\/api\/v1\/agencies\/ag_mock\/grants\/([^/]+)\/(approve|deny|revoke)$/.exec(p);
        if (gm && method === 'POST') {
            const g = grants.find((x) => x.id === decodeURIComponent(gm[1]));
            if (!g) return notFound;
            const verb = gm[2];
            if (verb === 'approve' && !fresh()) return [401, reauthRequired()];
            const ok = verb === 'revoke' ? ['pending', 'active'].includes(g.status) : g.status === 'pending';
            if (!ok) return [409, { error: { code: 'conflict', message: `the grant is ${g.status}` } }];
            const now = Date.now();
            if (verb === 'approve') Object.assign(g, { status: 'active', decided_at: iso(now), decided_by: 'us_mock', expires_at: iso(now + g.hours * 3600e3) });
            if (verb === 'deny') Object.assign(g, { status: 'denied', decided_at: iso(now), decided_by: 'us_mock' });
            if (verb === 'revoke') Object.assign(g, { status: 'revoked', revoked_at: iso(now), revoked_by: 'us_mock' });
            state.decisions.push({ id: g.id, verb });
            append({ action: `grant.${verb}`, target_type: 'grant', target_id: g.id, account_id: g.account_id, details: { staff: g.staff_email } });
            return [200, g];
        }
        return null;
    }
    // The policy's JITA switch (GET/PATCH security-policy carry it).
    policy.jita_requires_approval = true;
    return { route, staffMe };
}
