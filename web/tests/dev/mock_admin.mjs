// The admin API of server/doc/admin-api.md (issue 4) for the development mock (mock_server.mjs):
// users (invite, re-send, memberships, deactivate), their sessions, roles (built-ins + custom,
// copy_of, If-Match, 412 with "current", 409 while assigned) and teams. NOT the product: role
// checks are coarse (owner/admin may do everything but owners; --role agency_user gets 403), and
// the built-in tables below are a copy for the mock only (the dashboard reads the core's).
// GET /__mock/admin answers the whole state, so tests can check what the dashboard sent.

const BUILTIN = (() => {
    const verbs = ['view', 'create', 'edit', 'delete', 'export', 'import'];
    const objects = ['contact', 'company', 'deal', 'ticket'];
    const table = (scopes) => Object.fromEntries(objects.map((o) => [o, Object.fromEntries(verbs.map((v, i) => [v, scopes[i]]))]));
    const all = ['all', 'all', 'all', 'all', 'all', 'all'];
    const worker = ['all', 'all', 'all', 'own', 'none', 'none'];
    const admin = ['manage_users', 'manage_roles', 'manage_security', 'manage_branding', 'manage_api_keys', 'view_audit_log', 'manage_settings'];
    const r = (id, name, description, scopes, capabilities) => ({ id, name, description, builtin: true, version: 0, permissions: table(scopes), capabilities });
    return [
        r('agency_owner', 'Agency owner', 'Everything in every sub-account; the only role that manages owners.', all, admin),
        r('agency_admin', 'Agency admin', 'Everything in every sub-account, except managing owners.', all, admin),
        r('agency_user', 'Agency user', 'Works in the sub-accounts assigned to them; deletes own records.', worker, []),
        r('account_admin', 'Sub-account admin', 'Everything in its sub-account, its users and settings.', all,
            ['manage_users', 'manage_security', 'manage_branding', 'manage_api_keys', 'view_audit_log', 'manage_settings']),
        r('account_user', 'Sub-account user', 'Works in its sub-account; deletes own records.', worker, []),
        r('read_only', 'Read only', 'Views records; changes nothing.', ['all', 'none', 'none', 'none', 'none', 'none'], []),
    ];
})();

export function createAdmin({ role, accounts, t0, fresh, reauthRequired }) {
    const iso = (ms) => new Date(ms).toISOString();
    const ua = {
        chrome: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_1) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36',
        phone: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 Version/17.1 Mobile/15E148 Safari/604.1',
    };
    const acc1 = accounts[0]?.id || 'ac_mock1';
    const state = {
        users: [
            { id: 'us_mock', email: 'owner@example.com', name: 'Olivia Owner', status: 'active', totp_enabled: false,
                memberships: [{ agency_id: 'ag_mock', role }], created_at: iso(t0 - 400 * 86400e3), last_login_at: iso(t0 - 2 * 3600e3) },
            { id: 'us_otto', email: 'otto@example.com', name: 'Otto Owner', status: 'active', totp_enabled: true,
                memberships: [{ agency_id: 'ag_mock', role: 'agency_owner' }], created_at: iso(t0 - 500 * 86400e3), last_login_at: iso(t0 - 3 * 86400e3) },
            { id: 'us_adam', email: 'adam@example.com', name: 'Adam Admin', status: 'active', totp_enabled: true,
                memberships: [{ agency_id: 'ag_mock', role: 'agency_admin' }], created_at: iso(t0 - 300 * 86400e3), last_login_at: iso(t0 - 5 * 3600e3) },
            { id: 'us_bea', email: 'bea@example.com', name: 'Bea Brown', status: 'active', totp_enabled: true,
                memberships: [{ account_id: acc1, role: 'account_user' }], created_at: iso(t0 - 90 * 86400e3), last_login_at: iso(t0 - 26 * 3600e3) },
            { id: 'us_carl', email: 'carl@example.com', name: '', status: 'invited', totp_enabled: false,
                memberships: [{ account_id: acc1, role: 'read_only' }], created_at: iso(t0 - 2 * 86400e3), last_login_at: null },
            { id: 'us_dora', email: 'dora@example.com', name: 'Dora Diaz', status: 'deactivated', totp_enabled: false,
                memberships: [{ agency_id: 'ag_mock', role: 'agency_user' }], created_at: iso(t0 - 200 * 86400e3), last_login_at: iso(t0 - 60 * 86400e3) },
            { id: 'us_eve', email: 'eve@example.com', name: 'Eve Evans', status: 'active', totp_enabled: false,
                memberships: [{ agency_id: 'ag_mock', role: 'ro_support' }], created_at: iso(t0 - 30 * 86400e3), last_login_at: iso(t0 - 7 * 86400e3) },
        ],
        roles: [...BUILTIN.map((r) => structuredClone(r)), {
            id: 'ro_support', agency_id: 'ag_mock', name: 'Support desk', description: 'Answers tickets; reads contacts and companies.',
            builtin: false, version: 1,
            permissions: {
                contact: { view: 'all', create: 'none', edit: 'own', delete: 'none', export: 'none', import: 'none' },
                company: { view: 'all', create: 'none', edit: 'none', delete: 'none', export: 'none', import: 'none' },
                deal: { view: 'none', create: 'none', edit: 'none', delete: 'none', export: 'none', import: 'none' },
                ticket: { view: 'all', create: 'all', edit: 'team', delete: 'own', export: 'none', import: 'none' },
            },
            capabilities: [],
        }],
        teams: [{ id: 'tm_front', account_id: acc1, name: 'Front desk', member_ids: ['us_bea', 'us_adam'], version: 0 }],
        sessions: {
            us_bea: [
                { id: 'se_bea_laptop', current: false, created_at: iso(t0 - 26 * 3600e3), last_seen_at: iso(t0 - 20 * 60e3), expires_at: iso(t0 + 3600e3),
                    ip: '203.0.113.50', user_agent: ua.chrome, device: 'Chrome on macOS' },
                { id: 'se_bea_phone', current: false, created_at: iso(t0 - 3 * 86400e3), last_seen_at: iso(t0 - 2 * 86400e3), expires_at: iso(t0 + 3600e3),
                    ip: '198.51.100.23', user_agent: ua.phone, device: 'Safari on iPhone' },
            ],
            us_adam: [{ id: 'se_adam', current: false, created_at: iso(t0 - 5 * 3600e3), last_seen_at: iso(t0 - 60e3), expires_at: iso(t0 + 7 * 3600e3),
                ip: '192.0.2.10', user_agent: ua.chrome, device: 'Chrome on macOS' }],
        },
        invites: [], // POST /users bodies, in order
        resent: [],  // user ids whose invitation was sent again
        revoked: [], // session ids an admin signed out
    };
    let nextId = 1;
    const admin = role === 'agency_owner' || role === 'agency_admin';
    const err = (code, message, field) => ({ error: field ? { code, message, field } : { code, message } });
    const forbidden = () => [403, err('forbidden', 'you do not have permission to do this')];
    const notFound = () => [404, err('not_found', 'Not found.')];
    const roleRef = (ref) => state.roles.find((r) => r.id === ref);
    const etag = (v) => ({ ETag: `"${v}"` });

    // Returns [status, body, headers] or null when the route is not an admin route.
    function route(method, p, body, headers) {
        if (method === 'GET' && p === '/__mock/admin') return [200, state];
        const teams = /^\/api\/v1\/accounts\/([^/]+)\/teams(?:\/([^/]+))?$/.exec(p);
        if (teams) return teamRoute(method, decodeURIComponent(teams[1]), teams[2] && decodeURIComponent(teams[2]), body, headers);
        const m = /^\/api\/v1\/agencies\/([^/]+)\/(roles|users)(?:\/([^/]+))?(?:\/(sessions|invite))?(?:\/([^/]+))?$/.exec(p);
        if (!m) return null;
        const [, agency, kind, id, sub, subId] = m.map((x) => x && decodeURIComponent(x));
        if (agency !== 'ag_mock') return notFound();
        if (!admin) return forbidden();
        return kind === 'roles' ? roleRoute(method, id, body, headers) : userRoute(method, id, sub, subId, body);
    }

    function roleRoute(method, id, body, headers) {
        if (!id && method === 'GET') return [200, { items: state.roles }];
        if (!id && method === 'POST') {
            if (typeof body.name !== 'string' || !body.name.trim()) return [422, err('validation_failed', 'name is required', 'name')];
            const name = body.name.trim();
            if (state.roles.some((r) => r.name.toLowerCase() === name.toLowerCase()))
                return [409, err('conflict', 'a role with this name already exists', 'name')];
            const from = body.copy_of ? roleRef(body.copy_of) : null;
            if (body.copy_of && !from) return [422, err('validation_failed', 'no such role to copy', 'copy_of')];
            const r = { id: `ro_new${nextId++}`, agency_id: 'ag_mock', name, description: body.description ?? (from ? from.description : ''),
                builtin: false, version: 0, permissions: structuredClone(body.permissions ?? from?.permissions ?? BUILTIN[5].permissions),
                capabilities: [...(body.capabilities ?? from?.capabilities ?? [])] };
            state.roles.push(r);
            return [201, r, etag(0)];
        }
        const r = roleRef(id);
        if (!r) return notFound();
        if (method === 'GET') return [200, r, etag(r.version)];
        if (r.builtin && (method === 'PATCH' || method === 'DELETE')) return [403, err('forbidden', 'built-in roles cannot be changed; copy one')];
        if (method === 'PATCH') {
            if (!fresh()) return [401, reauthRequired()];
            if (!headers['if-match']) return [428, err('precondition_required', 'If-Match is required.')];
            if (headers['if-match'] !== `"${r.version}"`) return [412, { ...err('precondition_failed', 'the role has changed since you read it'), current: r }, etag(r.version)];
            for (const k of Object.keys(body)) if (!['name', 'description', 'permissions', 'capabilities'].includes(k)) return [422, err('validation_failed', 'unknown or read-only field', k)];
            if ('name' in body) {
                if (typeof body.name !== 'string' || !body.name.trim()) return [422, err('validation_failed', 'name is required', 'name')];
                if (state.roles.some((o) => o !== r && o.name.toLowerCase() === body.name.trim().toLowerCase()))
                    return [409, err('conflict', 'a role with this name already exists', 'name')];
                r.name = body.name.trim();
            }
            if ('description' in body) r.description = body.description;
            for (const [o, verbs] of Object.entries(body.permissions || {})) Object.assign(r.permissions[o], verbs);
            if ('capabilities' in body) r.capabilities = body.capabilities;
            r.version += 1;
            return [200, r, etag(r.version)];
        }
        if (method === 'DELETE') {
            const holders = state.users.filter((u) => u.memberships.some((m) => m.role === r.id));
            if (holders.length) return [409, err('conflict', `the role is assigned to ${holders.length} user${holders.length > 1 ? 's' : ''}`)];
            state.roles.splice(state.roles.indexOf(r), 1);
            return [204, ''];
        }
        return [405, err('method_not_allowed', 'Method not allowed.')];
    }

    function userRoute(method, id, sub, subId, body) {
        if (!id && method === 'GET') return [200, { items: [...state.users].sort((a, b) => a.email.localeCompare(b.email)) }];
        if (!id && method === 'POST') {
            const email = typeof body.email === 'string' ? body.email.trim().toLowerCase() : '';
            if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) return [422, err('validation_failed', 'is not a valid email address', 'email')];
            if (!roleRef(body.role)) return [422, err('validation_failed', 'no such role', 'role')];
            if (body.account_id && !accounts.some((a) => a.id === body.account_id)) return [422, err('validation_failed', 'no such sub-account', 'account_id')];
            if (state.users.some((u) => u.email === email)) return [409, err('conflict', 'this email already has a membership in this agency', 'email')];
            state.invites.push(body);
            const u = { id: `us_new${nextId++}`, email, name: body.name || '', status: 'invited', totp_enabled: false,
                memberships: [body.account_id ? { account_id: body.account_id, role: body.role } : { agency_id: 'ag_mock', role: body.role }],
                created_at: new Date().toISOString(), last_login_at: null };
            state.users.push(u);
            return [201, { user: u, invite: { expires_at: new Date(Date.now() + 7 * 86400e3).toISOString() } }];
        }
        const u = state.users.find((x) => x.id === id);
        if (!u) return notFound();
        const ownerTarget = u.memberships.some((m) => m.role === 'agency_owner');
        if (ownerTarget && role !== 'agency_owner') return forbidden();
        if (sub === 'invite' && method === 'POST') {
            if (u.status !== 'invited') return [409, err('conflict', 'this user has already accepted the invitation')];
            state.resent.push(u.id);
            return [200, { invite: { expires_at: new Date(Date.now() + 7 * 86400e3).toISOString() } }];
        }
        if (sub === 'sessions') {
            const list = state.sessions[u.id] || [];
            if (!subId && method === 'GET') return [200, { items: list }];
            const i = list.findIndex((s) => s.id === subId);
            if (method === 'DELETE') {
                if (i < 0) return notFound();
                list.splice(i, 1);
                state.revoked.push(subId);
                return [204, ''];
            }
        }
        if (!sub && method === 'GET') return [200, u];
        if (!sub && method === 'PATCH') {
            if ('active' in body) {
                if (typeof body.active !== 'boolean') return [422, err('validation_failed', 'must be true or false', 'active')];
                if (u.id === 'us_mock') return [409, err('conflict', 'you cannot deactivate yourself', 'active')];
                if (u.status !== 'invited') u.status = body.active ? 'active' : 'deactivated';
                if (!body.active) delete state.sessions[u.id];
            }
            if ('memberships' in body) {
                if (!fresh()) return [401, reauthRequired()];
                if (!Array.isArray(body.memberships) || !body.memberships.length) return [422, err('validation_failed', 'give at least one membership', 'memberships')];
                for (const m of body.memberships) if (!roleRef(m.role)) return [422, err('validation_failed', 'no such role', 'memberships')];
                u.memberships = body.memberships;
            }
            return [200, u];
        }
        return [405, err('method_not_allowed', 'Method not allowed.')];
    }

    function teamRoute(method, account, id, body, headers) {
        if (!accounts.some((a) => a.id === account)) return notFound();
        if (!id && method === 'GET') return [200, { items: state.teams.filter((t) => t.account_id === account) }];
        if (!admin) return forbidden();
        const checkMembers = (ids) => Array.isArray(ids) && ids.every((m) => state.users.some((u) => u.id === m));
        if (!id && method === 'POST') {
            if (typeof body.name !== 'string' || !body.name.trim()) return [422, err('validation_failed', 'name is required', 'name')];
            if (!checkMembers(body.member_ids || [])) return [422, err('validation_failed', 'unknown user', 'member_ids')];
            const t = { id: `tm_new${nextId++}`, account_id: account, name: body.name.trim(), member_ids: body.member_ids || [], version: 0 };
            state.teams.push(t);
            return [201, t, etag(0)];
        }
        const t = state.teams.find((x) => x.id === id && x.account_id === account);
        if (!t) return notFound();
        if (headers['if-match'] && headers['if-match'] !== `"${t.version}"`)
            return [412, { ...err('precondition_failed', 'the team has changed since you read it'), current: t }];
        if (method === 'PATCH') {
            if ('member_ids' in body && !checkMembers(body.member_ids)) return [422, err('validation_failed', 'unknown user', 'member_ids')];
            Object.assign(t, 'name' in body ? { name: body.name } : {}, 'member_ids' in body ? { member_ids: body.member_ids } : {});
            t.version += 1;
            return [200, t, etag(t.version)];
        }
        if (method === 'DELETE') {
            state.teams.splice(state.teams.indexOf(t), 1);
            return [204, ''];
        }
        return [405, err('method_not_allowed', 'Method not allowed.')];
    }

    // /me additions: the custom roles the memberships name, and the user's teams.
    const meExtras = () => ({
        roles: state.roles.filter((r) => !r.builtin && r.id === role),
        teams: state.teams.filter((t) => t.member_ids.includes('us_mock')),
    });
    return { route, meExtras };
}
