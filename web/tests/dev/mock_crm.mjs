// Pipelines, deals and quick search (issue 5) for the development mock (mock_server.mjs), shaped
// as the server's record API (core/src/model/record.cpp, server/src/app/records.cpp,
// history.cpp): lists {items,next_cursor}, filters field[eq]=, POST 201 + ETag, PATCH with
// If-Match (428 without, 412 with "current"), 422 naming the field, live frames
// {"type":"deal.updated",...}. NOT the product: no record scopes, no custom fields, no cursor.
// The first sub-account has a "Sales" pipeline with deals; the second has none (the board then
// offers to create one). Test hooks:
//   POST /__mock/crm/move  {"account_id","deal_id","stage","silent"}  moves a deal as another user
//                                                            would (version bump + live frame, none if silent)
//   POST /__mock/crm/fail-next-patch {"status":500}           the next deal PATCH answers that
//   GET  /__mock/crm                                          the whole state

const DEAL_FIELDS = ['name', 'pipeline_id', 'stage_id', 'value', 'currency', 'expected_close', 'status', 'owner_id', 'contact_ids',
    'company_id', 'tags', 'custom'];

export function createCrm({ accounts, t0, broadcast, searchContacts }) {
    const iso = (ms) => new Date(ms).toISOString();
    let nextId = 1;
    const newId = (prefix) => `${prefix}_mock${(nextId++).toString(36)}${Date.now().toString(36)}`;
    const state = new Map(); // account -> {pipelines: [], deals: []}
    let failNextPatch = 0;

    for (const [i, a] of accounts.entries()) {
        const s = { pipelines: [], deals: [] };
        state.set(a.id, s);
        if (i !== 0) continue; // the second sub-account starts without a pipeline
        const stages = ['Lead', 'Qualified', 'Proposal', 'Won', 'Lost'].map((name, k) => ({ id: `st_sales${k + 1}`, name }));
        s.pipelines.push({ id: 'pl_sales', name: 'Sales', stages, version: 1, created_at: iso(t0 - 90 * 86400e3), updated_at: iso(t0 - 90 * 86400e3) });
        const renewals = [{ id: 'st_ren1', name: 'Due' }, { id: 'st_ren2', name: 'Contacted' }, { id: 'st_ren3', name: 'Renewed' }];
        s.pipelines.push({ id: 'pl_renewals', name: 'Renewals', stages: renewals, version: 1, created_at: iso(t0 - 60 * 86400e3), updated_at: iso(t0 - 60 * 86400e3) });
        const seed = [
            ['Harbor Yoga website refresh', 0, 4800, 'USD', 'us_mock'], ['Copper Kettle loyalty app', 0, 12000, 'USD', 'us_bea'],
            ['Summit Roofing local SEO', 0, 2400, 'USD', ''], ['Atlas Dental booking widget', 1, 7600, 'USD', 'us_mock'],
            ['Blue Fern spring campaign', 1, 3200, 'EUR', 'us_bea'], ['Northwind Bakery rebrand', 2, 18500, 'USD', 'us_mock'],
            ['Harbor Yoga retreat ads', 2, 5400, 'EUR', 'us_mock'], ['Atlas Dental reviews program', 2, 2900, 'USD', ''],
            ['Copper Kettle menu photos', 3, 1800, 'USD', 'us_bea'], ['Summit Roofing van wraps', 3, 6200, 'USD', 'us_mock'],
            ['Blue Fern wedding catalogue', 4, 2500, 'GBP', 'us_mock'],
        ];
        for (const [k, [name, stage, value, currency, owner]] of seed.entries()) {
            s.deals.push({ id: `dl_seed${k + 1}`, name, pipeline_id: 'pl_sales', stage_id: stages[stage].id, value, currency,
                expected_close: null, status: stage === 3 ? 'won' : stage === 4 ? 'lost' : 'open', owner_id: owner, contact_ids: k === 0 ? ['ct_genaaaaaaaaaaaaaaaaaaaaagi'] : [] /* Ada Allen */,
                company_id: null, tags: [], custom: {}, version: 1, created_at: iso(t0 - (k + 5) * 86400e3), updated_at: iso(t0 - k * 3600e3) });
        }
        s.deals.push({ id: 'dl_seed_ren1', name: 'Northwind yearly hosting', pipeline_id: 'pl_renewals', stage_id: 'st_ren1', value: 900,
            currency: 'USD', expected_close: null, status: 'open', owner_id: 'us_mock', contact_ids: [], company_id: null, tags: [], custom: {},
            version: 1, created_at: iso(t0 - 10 * 86400e3), updated_at: iso(t0 - 10 * 86400e3) });
    }

    const err = (code, message, field) => ({ error: field ? { code, message, field } : { code, message } });
    const notFound = () => [404, err('not_found', 'Not found.')];
    const etag = (v) => ({ ETag: `"${v}"` });
    const live = (account, type, id, version) => broadcast({ type, account_id: account, id, version });

    function validateDeal(s, body, current) {
        for (const k of Object.keys(body)) if (!DEAL_FIELDS.includes(k)) return [422, err('validation_failed', 'is not a field of deal', k)];
        const next = { ...current, ...body };
        if (typeof next.name !== 'string' || !next.name.trim()) return [422, err('validation_failed', 'is required', 'name')];
        if (next.value !== null && next.value !== undefined && (typeof next.value !== 'number' || !Number.isFinite(next.value)))
            return [422, err('validation_failed', 'must be a number', 'value')];
        if (!/^[A-Z]{3}$/.test(next.currency || '')) return [422, err('validation_failed', 'must be a three-letter ISO 4217 code such as USD or EUR', 'currency')];
        if (!['open', 'won', 'lost'].includes(next.status)) return [422, err('validation_failed', 'must be one of open, won, lost', 'status')];
        const pipeline = s.pipelines.find((p) => p.id === next.pipeline_id);
        if (!pipeline) return [422, err('validation_failed', 'no such pipeline in this sub-account', 'pipeline_id')];
        if (!pipeline.stages.some((st) => st.id === next.stage_id)) return [422, err('validation_failed', "is not a stage of the deal's pipeline", 'stage_id')];
        return next;
    }

    function pipelineRoute(method, account, s, id, body) {
        if (!id && method === 'GET') return [200, { items: s.pipelines, next_cursor: null }];
        if (!id && method === 'POST') {
            if (typeof body.name !== 'string' || !body.name.trim()) return [422, err('validation_failed', 'is required', 'name')];
            if (!Array.isArray(body.stages) || !body.stages.length) return [422, err('validation_failed', 'must be a non-empty array of stages', 'stages')];
            const now = iso(Date.now());
            const p = { id: newId('pl'), name: body.name.trim(), stages: body.stages.map((st) => ({ id: st.id || newId('st'), name: st.name })),
                version: 1, created_at: now, updated_at: now };
            s.pipelines.push(p);
            live(account, 'pipeline.created', p.id, 1);
            return [201, p, etag(1)];
        }
        const p = s.pipelines.find((x) => x.id === id);
        return p ? [200, p, etag(p.version)] : notFound();
    }

    function dealRoute(method, account, s, id, body, headers, url) {
        if (!id && method === 'GET') {
            let items = s.deals;
            for (const [k, v] of url.searchParams) {
                const m = /^(\w+)\[eq\]$/.exec(k);
                if (m) items = items.filter((d) => String(d[m[1]]) === v);
            }
            const limit = Math.min(Number(url.searchParams.get('limit') || 50), 200);
            items = [...items].sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id)).slice(0, limit);
            return [200, { items, next_cursor: null }];
        }
        if (!id && method === 'POST') {
            const now = iso(Date.now());
            const d = validateDeal(s, body, { currency: 'USD', status: 'open', owner_id: 'us_mock', contact_ids: [], company_id: null, tags: [],
                custom: {}, value: null, expected_close: null });
            if (Array.isArray(d)) return d;
            Object.assign(d, { id: newId('dl'), version: 1, created_at: now, updated_at: now });
            s.deals.push(d);
            live(account, 'deal.created', d.id, 1);
            return [201, d, etag(1)];
        }
        const d = s.deals.find((x) => x.id === id);
        if (!d) return notFound();
        if (method === 'GET') return [200, d, etag(d.version)];
        if (method === 'PATCH' || method === 'DELETE') {
            if (failNextPatch && method === 'PATCH') {
                const status = failNextPatch;
                failNextPatch = 0;
                return [status, err('internal', 'Something went wrong on the server.')];
            }
            if (!headers['if-match']) return [428, err('precondition_required', 'If-Match is required.')];
            if (headers['if-match'] !== `"${d.version}"`)
                return [412, { ...err('precondition_failed', 'the record has changed since you read it'), current: d }, etag(d.version)];
        }
        if (method === 'PATCH') {
            const next = validateDeal(s, body, d);
            if (Array.isArray(next)) return next;
            Object.assign(d, next, { version: d.version + 1, updated_at: iso(Date.now()) });
            live(account, 'deal.updated', d.id, d.version);
            return [200, d, etag(d.version)];
        }
        if (method === 'DELETE') {
            s.deals.splice(s.deals.indexOf(d), 1);
            live(account, 'deal.deleted', d.id, d.version + 1);
            return [204, ''];
        }
        return [405, err('method_not_allowed', 'Method not allowed.')];
    }

    // GET .../search?q=: contacts (the mock's own list) then deals, `limit` of each kind.
    function search(account, s, url) {
        const q = (url.searchParams.get('q') || '').trim();
        const limit = Number(url.searchParams.get('limit') || 5);
        if (!q || q.length > 200) return [422, err('validation_failed', 'type 1 to 200 characters to search', 'q')];
        if (!Number.isInteger(limit) || limit < 1 || limit > 20) return [422, err('validation_failed', 'must be a whole number from 1 to 20', 'limit')];
        const ql = q.toLowerCase();
        const items = searchContacts(account, q, limit).map((c) => ({ kind: 'contact', id: c.id, title: c.title }));
        const words = (t) => t.toLowerCase().split(/\s+/);
        for (const d of s.deals.filter((x) => x.name.toLowerCase().startsWith(ql) || words(x.name).some((w) => w.startsWith(ql))).slice(0, limit))
            items.push({ kind: 'deal', id: d.id, title: d.name });
        return [200, { items }];
    }

    function hook(method, p, body) {
        if (method === 'GET' && p === '/__mock/crm') return [200, Object.fromEntries(state)];
        if (method === 'POST' && p === '/__mock/crm/fail-next-patch') {
            failNextPatch = Number(body.status || 500);
            return [204, ''];
        }
        if (method === 'POST' && p === '/__mock/crm/move') {
            const s = state.get(body.account_id);
            const d = s && s.deals.find((x) => x.id === body.deal_id);
            const pipeline = d && s.pipelines.find((x) => x.id === d.pipeline_id);
            const stage = pipeline && pipeline.stages.find((st) => st.id === body.stage || st.name === body.stage);
            if (!stage) return notFound();
            Object.assign(d, { stage_id: stage.id, version: d.version + 1, updated_at: iso(Date.now()) });
            if (!body.silent) live(body.account_id, 'deal.updated', d.id, d.version);
            return [200, d, etag(d.version)];
        }
        return null;
    }

    // Answers [status, body, headers] for the routes above, null for any other path.
    function route(method, p, url, body, headers) {
        if (p.startsWith('/__mock/crm')) return hook(method, p, body);
        const m = /^\/api\/v1\/accounts\/([^/]+)\/(pipelines|deals|search)(?:\/([^/]+))?$/.exec(p);
        if (!m) return null;
        const [, account, kind, id] = m.map((x) => x && decodeURIComponent(x));
        const s = state.get(account);
        if (!s) return notFound();
        if (kind === 'search') return method === 'GET' && !id ? search(account, s, url) : notFound();
        return kind === 'pipelines' ? pipelineRoute(method, account, s, id, body) : dealRoute(method, account, s, id, body, headers, url);
    }

    // What /me adds to each sub-account's permissions (read-only users only view).
    const permissions = (readOnly) => readOnly ? ['deal.view'] : ['deal.view', 'deal.create', 'deal.edit', 'deal.delete'];

    return { route, permissions };
}
