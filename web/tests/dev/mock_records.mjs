// Companies, tickets, tasks, notes, tags, custom fields and custom values (issue 5: the CRM) for
// the development mock (mock_server.mjs), shaped as the server's record API (server/src/app/
// records.cpp, history.cpp): lists {items,next_cursor,total} with q (title prefix), sort
// (name|updated_at|created_at, "-" for descending), limit, cursor, count, record_id and
// field[eq]= filters (custom.<key> too); POST 201 + ETag; PATCH/DELETE with If-Match (428
// without, 412 with "current"); 422 naming the field; bulk tag/untag/assign/delete; versions and
// revert (If-Match); the trash with restore; contacts' versions and revert through the callbacks
// mock_server passes. Pipelines and deals live in dev/mock_crm.mjs. NOT the product: no record
// scopes, validation only of what the tests exercise. Test hooks:
//   POST /__mock/records/edit {"account_id","id","patch":{...}}  another user's save (version bump + live frame)
//   GET  /__mock/records                                          the whole state

const KINDS = {
    companies: { name: 'company', prefix: 'co', title: 'name', owner: 'owner_id', custom: true,
        fields: { name: '', domain: '', industry: '', phone: '', website: '', address: '', description: '', owner_id: '', tags: [] } },
    tickets: { name: 'ticket', prefix: 'tk', title: 'subject', owner: 'assignee_id', custom: true,
        fields: { subject: '', description: '', status: 'open', priority: 'normal', assignee_id: '', contact_id: '', tags: [] } },
    tasks: { name: 'task', prefix: 'ta', title: 'title', owner: 'assignee_id', custom: false,
        fields: { title: '', description: '', due_date: '', assignee_id: '', done: false, record_id: '' } },
    notes: { name: 'note', prefix: 'nt', title: 'body', owner: 'author_id', custom: false, fields: { body: '', record_id: '', author_id: '' } },
    tags: { name: 'tag', prefix: 'tg', title: 'name', owner: '', custom: false, fields: { name: '', color: '#64748b' } },
    'custom-fields': { name: 'custom_field', prefix: 'cf', title: 'label', owner: '', custom: false,
        fields: { object: '', key: '', label: '', type: '', required: false, sensitive: false, options: [] } },
    'custom-values': { name: 'custom_value', prefix: 'cv', title: 'name', owner: '', custom: false, fields: { key: '', name: '', value: '' } },
};
const OPTIONS = { status: { tickets: ['open', 'pending', 'resolved', 'closed'] }, priority: { tickets: ['low', 'normal', 'high', 'urgent'] } };
const TRASH_DAYS = 30;
// GET .../members (the owner pickers): the signed-in owner manages users, so emails come too.
// Adam and Eve have ids shaped as the server's (the form checks an owner with core); Bea and Olivia
// keep the short ids the other mocks use.
const ADAM = 'us_adamadmin22222222222222222', EVE = 'us_eveevans222222222222222222';
const MEMBERS = [[ADAM, 'Adam Admin', 'adam'], ['us_bea', 'Bea Brown', 'bea'], [EVE, 'Eve Evans', 'eve'], ['us_mock', 'Olivia Owner', 'owner']]
    .map(([id, name, mail]) => ({ id, name, email: `${mail}@example.com` }));

export function createRecords({ accounts, t0, broadcast, contacts }) {
    const iso = (ms) => new Date(ms).toISOString();
    let nextId = 1;
    // Ids shaped as the server's (prefix + 26 base32 characters): the dashboard checks links with core.
    const B32 = 'abcdefghijklmnopqrstuvwxyz234567';
    const newId = (prefix) => { let n = nextId++ * 7919 + Date.now(); let out = '';
        for (let i = 0; i < 26; i++) { out += B32[n % 32]; n = Math.floor(n / 32) + (i + 1) * 31; } return `${prefix}_${out}`; };
    const state = new Map(); // account -> {records: Map(id -> {path, rec, deleted_at, deleted_by}), versions: Map(id -> [])}
    const err = (code, message, field) => ({ error: field ? { code, message, field } : { code, message } });
    const notFound = () => [404, err('not_found', 'Not found.')];
    const etag = (v) => ({ ETag: `"${v}"` });
    const live = (account, type, id, version) => broadcast({ type, account_id: account, id, version });
    const dataOf = (rec) => { const { id, version, created_at, updated_at, ...data } = rec; return data; };
    const changed = (a, b) => [...new Set([...Object.keys(a), ...Object.keys(b)])]
        .filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k])).flatMap((k) => k === 'custom'
            ? [...new Set([...Object.keys(a.custom || {}), ...Object.keys(b.custom || {})])].filter((c) => JSON.stringify((a.custom || {})[c]) !== JSON.stringify((b.custom || {})[c])).map((c) => `custom.${c}`)
            : [k]);

    function addVersion(s, id, actor, before, after, deleted = false) {
        const list = s.versions.get(id) || [];
        list.push({ version: list.length + 1, at: iso(Date.now()), actor_id: actor, deleted, fields: deleted ? [] : changed(before || {}, after), data: after });
        s.versions.set(id, list);
    }

    function seed(s, path, ageDays, data, actor = 'us_mock') {
        const k = KINDS[path];
        const at = iso(t0 - ageDays * 86400e3);
        const rec = { id: newId(k.prefix), ...structuredClone(k.fields), ...(k.custom ? { custom: {} } : {}), ...data,
            version: 1, created_at: at, updated_at: at };
        s.records.set(rec.id, { path, rec });
        s.versions.set(rec.id, [{ version: 1, at, actor_id: actor, deleted: false, fields: changed({}, dataOf(rec)), data: dataOf(rec) }]);
        return rec;
    }

    for (const [i, a] of accounts.entries()) {
        const s = { records: new Map(), versions: new Map() };
        state.set(a.id, s);
        if (i !== 0) continue; // the second sub-account starts empty
        for (const [n, color] of [['vip', '#d97706'], ['partner', '#16a34a'], ['newsletter', '#2a63ea']]) seed(s, 'tags', 120, { name: n, color });
        seed(s, 'custom-fields', 100, { object: 'company', key: 'lead_source', label: 'Lead source', type: 'select', options: ['Web', 'Referral', 'Event'] });
        const companies = [
            ['Northwind Bakery', 'northwind.example', 'Food & drink', ['vip']], ['Blue Fern Florist', 'bluefern.example', 'Retail', []],
            ['Atlas Dental', 'atlasdental.example', 'Health', ['partner']], ['Harbor Yoga', 'harboryoga.example', 'Fitness', []],
            ['Copper Kettle Cafe', 'copperkettle.example', 'Food & drink', ['newsletter']], ['Summit Roofing', 'summitroofing.example', 'Construction', ['vip']],
            ['Maple & Pine Interiors', 'mapleandpine.example', 'Design', []], ['Riverside Vets', 'riversidevets.example', 'Health', ['partner']],
            ['Lumen Photography', 'lumen.example', 'Media', []], ['Oakridge Law', 'oakridgelaw.example', 'Legal', ['vip']],
            ['Pebble Toys', 'pebbletoys.example', 'Retail', []], ['Quarry Climbing Gym', 'quarry.example', 'Fitness', ['newsletter']],
        ];
        const cos = companies.map(([name, domain, industry, tags], k) => seed(s, 'companies', 200 - k * 9, {
            name, domain, industry, website: `https://${domain}`, phone: `+1555010${String(k).padStart(4, '0')}`, owner_id: k % 3 ? 'us_mock' : 'us_bea', tags,
            custom: k % 2 ? { lead_source: 'Referral' } : {} }));
        const tickets = [['Booking widget shows wrong hours', 'open', 'high'], ['Invoice PDF missing logo', 'pending', 'normal'],
            ['Password reset email not arriving', 'open', 'urgent'], ['Add gift cards to the shop', 'open', 'low'],
            ['Menu page loads slowly on phones', 'resolved', 'normal'], ['Change the opening hours banner', 'closed', 'low'],
            ['Newsletter signup form spam', 'pending', 'high']];
        tickets.forEach(([subject, status, priority], k) => seed(s, 'tickets', 20 - k * 2, { subject, status, priority, assignee_id: k % 2 ? 'us_mock' : '',
            contact_id: '', tags: k % 3 ? [] : ['vip'] }));
        const tasks = [['Call Northwind about the rebrand', cos[0].id, 2], ['Send Atlas Dental the proposal', cos[2].id, 5],
            ['Prepare the quarterly report', '', 9], ['Book the photo shoot with Lumen', cos[8].id, 1], ['Renew the Oakridge retainer', cos[9].id, 14]];
        const day = (d) => iso(t0 + d * 86400e3).slice(0, 10);
        tasks.forEach(([title, record_id, due], k) => seed(s, 'tasks', 6 - k, { title, record_id, due_date: day(due), assignee_id: 'us_mock', done: k === 2 }));
        seed(s, 'notes', 3, { body: 'Met the owner at the market: they want a new logo before the summer season.', record_id: cos[0].id, author_id: 'us_bea' }, 'us_bea');
        seed(s, 'notes', 1, { body: 'Sent the first sketches; feedback expected on Friday.', record_id: cos[0].id, author_id: 'us_mock' });
        // Ada Allen (generated #200, first by name) works at Northwind: a ticket, a task and a note hang off her (contact side panel).
        const ADA = contacts.genId(200);
        contacts.linkCompany(200, cos[0].id);
        seed(s, 'tickets', 4, { subject: 'Cannot log in to the loyalty app', status: 'open', priority: 'high', assignee_id: 'us_bea', contact_id: ADA });
        seed(s, 'tasks', 2, { title: 'Call Ada about the loyalty app', record_id: ADA, due_date: day(3), assignee_id: ADAM });
        seed(s, 'notes', 2, { body: 'Prefers email; based at the Northwind bakery on Main Street.', record_id: ADA, author_id: EVE }, EVE);
        seed(s, 'custom-values', 30, { key: 'booking_link', name: 'Booking link', value: 'https://northwind.example/book' });
        seed(s, 'custom-values', 28, { key: 'support_phone', name: 'Support phone', value: '+1 555 0100' });
    }

    function customDefs(s, object) {
        return [...s.records.values()].filter((r) => !r.deleted_at && r.path === 'custom-fields' && r.rec.object === object).map((r) => r.rec);
    }

    // Just enough of core's parser for the mock: known fields, required title, select options,
    // custom keys; "taken.example" as a domain is refused (a server-side error for the form tests).
    function validate(s, path, body, current) {
        const k = KINDS[path];
        for (const key of Object.keys(body)) {
            if (['id', 'version', 'created_at', 'updated_at'].includes(key)) return err('validation_failed', 'is read-only', key);
            if (key === 'custom' && k.custom) continue;
            if (!(key in k.fields)) return err('validation_failed', `is not a field of a ${k.name}`, key);
        }
        const next = { ...current, ...body };
        for (const [key, v] of Object.entries(body)) if (v === null && key !== 'custom') next[key] = structuredClone(k.fields[key]);
        if (typeof next[k.title] !== 'string' || !next[k.title].trim()) return err('validation_failed', 'is required', k.title);
        for (const [field, per] of Object.entries(OPTIONS)) if (per[path] && !per[path].includes(next[field]))
            return err('validation_failed', `must be one of: ${per[path].join(', ')}`, field);
        if (path === 'companies' && next.domain === 'taken.example') return err('validation_failed', 'is already used by another company', 'domain');
        if (path === 'custom-values') { // core's key rule and the store's unique key (409)
            if (!/^[a-z][a-z0-9_]{0,39}$/.test(next.key)) return err('validation_failed', 'must start with a-z and hold only a-z, 0-9 and _ (at most 40)', 'key');
            if (visible(s, path).some((r) => r.key === next.key && r.id !== current?.id))
                return { ...err('conflict', 'another custom_value of this sub-account has this key', 'key'), status: 409 };
        }
        if (k.custom) {
            const defs = customDefs(s, k.name);
            const custom = { ...(current?.custom || {}) };
            for (const [key, v] of Object.entries(body.custom || {})) {
                const def = defs.find((d) => d.key === key);
                if (!def) return err('validation_failed', 'is not a custom field of this object', `custom.${key}`);
                if (v === null) delete custom[key];
                else if (def.type === 'select' && !def.options.includes(v)) return err('validation_failed', 'must be one of the field\'s options', `custom.${key}`);
                else custom[key] = v;
            }
            next.custom = custom;
        }
        return { next };
    }

    const visible = (s, path) => [...s.records.values()].filter((r) => r.path === path && !r.deleted_at).map((r) => r.rec);

    function list(s, path, url) {
        const k = KINDS[path];
        let items = visible(s, path);
        const q = (url.searchParams.get('q') || '').toLowerCase();
        if (q) items = items.filter((r) => String(r[k.title]).toLowerCase().startsWith(q));
        for (const [key, v] of url.searchParams) {
            if (key === 'record_id') { items = items.filter((r) => r.record_id === v); continue; }
            const m = /^([\w.]+)\[eq\]$/.exec(key);
            if (!m) continue;
            const get = (r) => m[1].startsWith('custom.') ? (r.custom || {})[m[1].slice(7)] : r[m[1]];
            items = items.filter((r) => Array.isArray(get(r)) ? get(r).includes(v) : String(get(r) ?? '') === v);
        }
        const sort = url.searchParams.get('sort') || 'name';
        const dir = sort.startsWith('-') ? -1 : 1;
        const key = sort.replace('-', '');
        items.sort((a, b) => dir * (key === 'name' ? String(a[k.title]).toLowerCase().localeCompare(String(b[k.title]).toLowerCase())
            : String(a[key]).localeCompare(String(b[key]))) || a.id.localeCompare(b.id));
        const limit = Math.min(Number(url.searchParams.get('limit') || 50), 200);
        const offset = Number(url.searchParams.get('cursor') || 0);
        const page = items.slice(offset, offset + limit);
        const body = { items: page, next_cursor: offset + limit < items.length ? String(offset + limit) : null };
        if (url.searchParams.get('count') === 'true') body.total = items.length;
        return [200, body];
    }

    function create(account, s, path, body) {
        const k = KINDS[path];
        if (path === 'notes' && 'author_id' in body) return [422, err('validation_failed', 'is read-only', 'author_id')];
        const v = validate(s, path, body, { ...structuredClone(k.fields), ...(k.custom ? { custom: {} } : {}) });
        if (v.error) return [v.status || 422, { error: v.error }];
        const now = iso(Date.now());
        const rec = { id: newId(k.prefix), ...v.next, version: 1, created_at: now, updated_at: now };
        if (path === 'notes') rec.author_id = 'us_mock';
        if (path === 'companies' && !rec.owner_id) rec.owner_id = 'us_mock';
        s.records.set(rec.id, { path, rec });
        addVersion(s, rec.id, 'us_mock', {}, dataOf(rec));
        live(account, `${k.name}.created`, rec.id, 1);
        return [201, rec, etag(1)];
    }

    function write(account, s, entry, data, actor = 'us_mock') {
        const before = dataOf(entry.rec);
        Object.assign(entry.rec, data, { version: entry.rec.version + 1, updated_at: iso(Date.now()) });
        addVersion(s, entry.rec.id, actor, before, dataOf(entry.rec));
        live(account, `${KINDS[entry.path].name}.updated`, entry.rec.id, entry.rec.version);
        return entry.rec;
    }

    function trash(account, s, entry, actor = 'us_mock') {
        entry.deleted_at = Date.now();
        entry.deleted_by = actor;
        entry.rec.version += 1;
        addVersion(s, entry.rec.id, actor, dataOf(entry.rec), dataOf(entry.rec), true);
        live(account, `${KINDS[entry.path].name}.deleted`, entry.rec.id, entry.rec.version);
    }

    const stale = (entry, headers) => {
        if (!headers['if-match']) return [428, err('precondition_required', 'If-Match is required.')];
        if (headers['if-match'] !== `"${entry.rec.version}"`)
            return [412, { ...err('precondition_failed', 'the record has changed since you read it'), current: entry.rec }, etag(entry.rec.version)];
        return null;
    };

    function item(account, s, path, id, sub, n, action, method, body, headers) {
        const entry = s.records.get(id);
        if (!entry || entry.path !== path || entry.deleted_at) return notFound();
        if (sub === 'versions') {
            if (!n && method === 'GET') return [200, { items: s.versions.get(id) || [] }];
            if (n && action === 'revert' && method === 'POST') {
                const v = (s.versions.get(id) || []).find((x) => x.version === Number(n));
                if (!v || v.deleted) return notFound();
                const st = stale(entry, headers);
                if (st) return st;
                const data = structuredClone(v.data);
                const rec = write(account, s, entry, data);
                return [200, rec, etag(rec.version)];
            }
            return notFound();
        }
        if (method === 'GET') return [200, entry.rec, etag(entry.rec.version)];
        const st = stale(entry, headers);
        if (st) return st;
        if (method === 'PATCH') {
            const v = validate(s, path, body, entry.rec);
            if (v.error) return [v.status || 422, { error: v.error }];
            const { id: _i, version: _v, created_at: _c, updated_at: _u, ...data } = v.next;
            if (!changed(dataOf(entry.rec), data).length) return [200, entry.rec, etag(entry.rec.version)];
            const rec = write(account, s, entry, data);
            return [200, rec, etag(rec.version)];
        }
        if (method === 'DELETE') {
            trash(account, s, entry);
            return [204, ''];
        }
        return [405, err('method_not_allowed', 'Method not allowed.')];
    }

    function bulk(account, s, path, body) {
        const k = KINDS[path];
        if (!Array.isArray(body.ids) || !body.ids.length) return [422, err('validation_failed', 'must be an array of 1 to 1000 record ids', 'ids')];
        if (!['tag', 'untag', 'assign', 'delete'].includes(body.action)) return [422, err('validation_failed', 'must be tag, untag, assign or delete', 'action')];
        const entries = [];
        for (const [i, id] of body.ids.entries()) {
            const e = s.records.get(id);
            if (!e || e.path !== path || e.deleted_at) return [422, err('validation_failed', 'no such record in this sub-account', `ids[${i}]`)];
            entries.push(e);
        }
        for (const e of entries) {
            if (body.action === 'delete') { trash(account, s, e); continue; }
            const data = {};
            if (body.action === 'tag' && !e.rec.tags.includes(body.tag)) data.tags = [...e.rec.tags, body.tag];
            if (body.action === 'untag') data.tags = e.rec.tags.filter((t) => t !== body.tag);
            if (body.action === 'assign') data[k.owner] = body.owner_id;
            if (changed(dataOf(e.rec), { ...dataOf(e.rec), ...data }).length) write(account, s, e, data);
        }
        broadcast({ type: 'bulk_changed', account_id: account, object: k.name, count: entries.length });
        return [200, { updated: entries.length }];
    }

    function trashList(s) {
        const items = [...s.records.values()].filter((r) => r.deleted_at && !['notes'].includes(r.path))
            .sort((a, b) => b.deleted_at - a.deleted_at)
            .map((r) => ({ id: r.rec.id, kind: KINDS[r.path].name, title: String(r.rec[KINDS[r.path].title] || ''), version: r.rec.version,
                deleted_at: iso(r.deleted_at), deleted_by: r.deleted_by, purge_at: iso(r.deleted_at + TRASH_DAYS * 86400e3), restorable: true }));
        return [200, { items, next_cursor: null }];
    }

    function restore(account, s, id) {
        const e = s.records.get(id);
        if (!e || !e.deleted_at) return notFound();
        delete e.deleted_at;
        delete e.deleted_by;
        e.rec.version += 1;
        addVersion(s, id, 'us_mock', {}, dataOf(e.rec));
        const kind = KINDS[e.path].name;
        live(account, `${kind}.restored`, id, e.rec.version);
        return [200, { id, kind, version: e.rec.version }];
    }

    // Contacts' history: mock_server tells us about each contact write (contactChanged).
    const contactVersions = new Map(); // contact id -> versions
    const contactData = (c) => { const { id, version, created_at, updated_at, ...data } = c; return data; };
    function contactChanged(before, after) {
        const list = contactVersions.get(after.id) || [{ version: before.version, at: before.updated_at, actor_id: 'us_mock', deleted: false,
            fields: [], data: contactData(before) }];
        list.push({ version: after.version, at: after.updated_at, actor_id: 'us_mock', deleted: false,
            fields: changed(contactData(before), contactData(after)), data: contactData(after) });
        contactVersions.set(after.id, list);
    }
    function contactHistory(account, id, n, method, headers) {
        const c = contacts.find(account, id);
        if (!c) return notFound();
        const list = contactVersions.get(id) || [{ version: c.version, at: c.updated_at, actor_id: 'us_mock', deleted: false, fields: [], data: contactData(c) }];
        if (!n && method === 'GET') return [200, { items: list }];
        if (!n || method !== 'POST') return notFound();
        const v = list.find((x) => x.version === Number(n));
        if (!v) return notFound();
        if (!headers['if-match']) return [428, err('precondition_required', 'If-Match is required.')];
        if (headers['if-match'] !== `"${c.version}"`) return [412, { ...err('precondition_failed', 'the record has changed since you read it'), current: c }];
        const next = { ...c, ...structuredClone(v.data), version: c.version + 1, updated_at: iso(Date.now()) };
        contacts.save(account, next);
        contactChanged(c, next);
        live(account, 'contact.updated', id, next.version);
        return [200, next, etag(next.version)];
    }

    // Records among quick-search answers (mock_crm answers contacts and deals).
    function search(account, q, limit) {
        const s = state.get(account);
        if (!s || !q) return [];
        const ql = q.toLowerCase();
        const out = [];
        for (const path of ['companies', 'tickets', 'tasks']) {
            const k = KINDS[path];
            out.push(...visible(s, path).filter((r) => String(r[k.title]).toLowerCase().split(/\s+/).some((w) => w.startsWith(ql)) ||
                String(r[k.title]).toLowerCase().startsWith(ql)).slice(0, limit).map((r) => ({ kind: k.name, id: r.id, title: r[k.title] })));
        }
        return out;
    }

    function hook(method, p, body) {
        if (method === 'GET' && p === '/__mock/records')
            return [200, Object.fromEntries([...state].map(([a, s]) => [a, { records: [...s.records.values()], versions: Object.fromEntries(s.versions) }]))];
        if (method === 'POST' && p === '/__mock/records/edit') {
            const s = state.get(body.account_id);
            const e = s && s.records.get(body.id);
            if (!e || e.deleted_at) return notFound();
            const rec = write(body.account_id, s, e, body.patch || {}, 'us_bea');
            return [200, rec, etag(rec.version)];
        }
        return null;
    }

    // Answers [status, body, headers] for the routes above, null for any other path.
    function route(method, p, url, body, headers) {
        if (p.startsWith('/__mock/records')) return hook(method, p, body);
        const m = /^\/api\/v1\/accounts\/([^/]+)\/([a-z-]+)(?:\/([^/]+))?(?:\/([^/]+))?(?:\/([^/]+))?(?:\/([^/]+))?$/.exec(p);
        if (!m) return null;
        const [, account, path, id, sub, n, action] = m.map((x) => x && decodeURIComponent(x));
        const s = state.get(account);
        if (!s) return null;
        if (path === 'contacts' && id && sub === 'versions') return contactHistory(account, id, n, method, headers);
        if (path === 'members' && !id && method === 'GET') return [200, { members: MEMBERS }];
        if (path === 'trash') {
            if (!id && method === 'GET') return trashList(s);
            if (id && sub === 'restore' && method === 'POST') return restore(account, s, id);
            return notFound();
        }
        if (!KINDS[path]) return null;
        if (id === 'bulk' && method === 'POST') return bulk(account, s, path, body);
        if (!id && method === 'GET') {
            if (path === 'notes' && !url.searchParams.get('record_id'))
                return [422, err('validation_failed', 'name the record whose notes to list', 'record_id')];
            return list(s, path, url);
        }
        if (!id && method === 'POST') return create(account, s, path, body);
        return item(account, s, path, id, sub, n, action, method, body, headers);
    }

    // What /me adds to each sub-account's permissions (read-only users only view).
    const permissions = (readOnly) => readOnly ? ['company.view', 'ticket.view']
        : ['company.view', 'company.create', 'company.edit', 'company.delete', 'ticket.view', 'ticket.create', 'ticket.edit', 'ticket.delete'];

    return { route, permissions, search, contactChanged };
}
