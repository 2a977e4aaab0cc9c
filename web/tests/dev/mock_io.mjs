// Contacts export and CSV import jobs of contacts, companies and deals (issue 5, CRM-4) for the
// development mock (mock_server.mjs), shaped as the server's (server/doc/crm-api.md "## Import",
// server/src/app/contacts_export.cpp, import_http.cpp): GET .../contacts/export?format=csv|json
// (q, sort; a file with Content-Disposition), POST .../{contacts|companies|deals}/import?dry_run=
// &mapping= (text/csv body, 202 + job; companies and deals also take custom.<key>), GET
// .../imports/{id}. Both want a fresh re-authentication (401 reauth_required otherwise).
// A job advances a third of the file per poll and reports a bad email in each data row whose
// mapped email cell has no "@", plus an empty-name row error (companies, deals: an empty name
// cell). NOT the product: no real CSV engine (quoted line breaks are not handled), nothing is
// written by an import. Test hooks:
//   GET /__mock/io   {exports: [urls], imports: [{id, url, content_type, bytes, mapping, dry_run}], jobs: {...}}

const FIELDS = {
    contacts: ['first_name', 'last_name', 'email', 'phone', 'company_name', 'owner_id', 'tags'],
    companies: ['name', 'domain', 'industry', 'phone', 'website', 'address', 'description', 'owner_id', 'tags'],
    deals: ['name', 'pipeline_id', 'stage_id', 'value', 'currency', 'expected_close', 'status', 'owner_id', 'contact_ids',
        'company_id', 'tags'],
};

export function createIo({ accounts, freshProof, contactsOf }) {
    const exports = [];
    const imports = [];
    const jobs = new Map();
    let next = 1;
    const err = (code, message, field) => ({ error: field ? { code, message, field } : { code, message } });
    const reauth = () => [401, err('reauth_required', 'Confirm your password to continue.')];
    const iso = () => new Date().toISOString();

    function csvCell(v) { const s = String(v ?? ''); return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s; }

    function exportFile(account, url) {
        const format = url.searchParams.get('format');
        if (format !== 'csv' && format !== 'json') return [422, err('validation_failed', 'is required: csv or json', 'format')];
        if (!freshProof()) return reauth();
        exports.push(url.pathname + url.search);
        const items = contactsOf(account, url.searchParams.get('q') || '', url.searchParams.get('sort') || 'name', 50);
        const body = format === 'json' ? JSON.stringify(items)
            : ['id,first_name,last_name,emails,phones,company_name,tags', ...items.map((c) => [c.id, c.first_name, c.last_name,
                c.emails.join(';'), c.phones.join(';'), c.company_name, c.tags.join(';')].map(csvCell).join(','))].join('\r\n') + '\r\n';
        return [200, body, { 'Content-Type': format === 'json' ? 'application/json' : 'text/csv; charset=utf-8',
            'Content-Disposition': `attachment; filename="contacts.${format}"` }];
    }

    function startImport(account, object, url, raw, headers) {
        if (!freshProof()) return reauth();
        let mapping = null;
        if (url.searchParams.has('mapping')) {
            try { mapping = JSON.parse(url.searchParams.get('mapping')); } catch { return [422, err('validation_failed', 'is not JSON', 'mapping')]; }
            for (const [h, f] of Object.entries(mapping))
                if (!FIELDS[object].includes(f) && !(object !== 'contacts' && f.startsWith('custom.')))
                    return [422, err('validation_failed', `unknown field "${f}"`, `mapping.${h}`)];
        }
        const lines = raw.replace(/^\ufeff/, '').split(/\r\n|\n|\r/);
        const head = lines[0].split(',').map((s) => s.replace(/^"|"$/g, ''));
        const rows = lines.slice(1).filter((l, i, all) => l !== '' || i < all.length - 1);
        const errors = [];
        const emailCol = mapping ? Object.keys(mapping).find((h) => mapping[h] === 'email') : head.find((h) => /mail/i.test(h));
        const nameCols = mapping ? Object.keys(mapping).filter((h) => mapping[h] === 'first_name' || mapping[h] === 'last_name') : [];
        // Companies and deals: the required name, reported at its column (the whole row when unmapped).
        const titleCol = mapping ? Object.keys(mapping).find((h) => mapping[h] === 'name') : head.find((h) => /name/i.test(h));
        rows.forEach((line, i) => {
            const cells = line.split(',');
            const at = (h) => cells[head.indexOf(h)] ?? '';
            if (object !== 'contacts') {
                if (!titleCol || !at(titleCol)) errors.push({ row: i + 1, column: titleCol || '', code: 'validation_failed', message: 'is required' });
            } else if (emailCol && at(emailCol) && !at(emailCol).includes('@'))
                errors.push({ row: i + 1, column: emailCol, code: 'validation_failed', message: 'is not a valid email address' });
            else if (nameCols.length && nameCols.every((h) => !at(h)) && !(emailCol && at(emailCol)))
                errors.push({ row: i + 1, column: '', code: 'validation_failed', message: 'needs a name or an email' });
        });
        const id = `im_mock${next++}`;
        const dry = url.searchParams.get('dry_run') === 'true';
        const bytes = Buffer.byteLength(raw);
        imports.push({ id, url: url.pathname + url.search, content_type: headers['content-type'] || '', bytes, mapping, dry_run: dry });
        const job = { id, object, status: 'running', dry_run: dry, rows_done: 0, created: 0, failed: 0, bytes_done: 0,
            bytes_total: bytes, mapping: mapping || {}, errors: [], failure: null, created_at: iso(), finished_at: null,
            account, polls: 0, rows: rows.length, allErrors: errors };
        jobs.set(id, job);
        return [202, view(job), { Location: `/api/v1/accounts/${account}/imports/${id}` }];
    }

    // Each poll moves the job a third of the way; the third poll finds it done.
    function advance(job) {
        if (job.status !== 'running') return;
        job.polls++;
        const part = Math.min(1, job.polls / 3);
        job.bytes_done = Math.round(job.bytes_total * part);
        job.rows_done = Math.round(job.rows * part);
        const failedSoFar = job.allErrors.filter((e) => e.row <= job.rows_done);
        job.failed = failedSoFar.length;
        job.created = job.dry_run ? 0 : job.rows_done - job.failed;
        job.errors = failedSoFar;
        if (part === 1) { job.status = 'done'; job.finished_at = iso(); }
    }
    function view(job) { const { account, polls, rows, allErrors, ...wire } = job; return structuredClone(wire); }

    return {
        route(method, p, url, raw, headers) {
            if (p === '/__mock/io') return [200, { exports, imports, jobs: Object.fromEntries([...jobs].map(([k, j]) => [k, view(j)])) }];
            const m = /^\/api\/v1\/accounts\/([^/]+)\/(contacts\/export|(contacts|companies|deals)\/import|imports\/([^/]+))$/.exec(p);
            if (!m) return null;
            const account = decodeURIComponent(m[1]);
            if (!accounts.some((a) => a.id === account)) return [404, err('not_found', 'Not found.')];
            if (m[2] === 'contacts/export' && method === 'GET') return exportFile(account, url);
            if (m[3] && method === 'POST') return startImport(account, m[3], url, raw, headers);
            if (m[4] && method === 'GET') {
                const job = jobs.get(decodeURIComponent(m[4]));
                if (!job || job.account !== account) return [404, err('not_found', 'Not found.')];
                advance(job);
                return [200, view(job)];
            }
            return [405, err('method_not_allowed', 'Method not allowed.')];
        },
    };
}
