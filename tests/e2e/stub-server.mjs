#!/usr/bin/env node
// A stand-in for the `stronghold` binary, for developing shell/ pages and the harness while the
// real server is not built. NOT used by the real tests (CMake points STRONGHOLD_BIN at the real
// binary). It speaks the same CLI and just enough of the wire contract:
//   stub-server.mjs admin create-agency --data DIR --name N --owner-email E --password-stdin
//   stub-server.mjs serve --data DIR --listen HOST:PORT --web WEBROOT
// Serves WEBROOT (fonts fall back to Debian's fonts-inter) with the product's CSP, /healthz,
// POST /api/v1/auth/login and GET /api/v1/me. No WASM, no contacts.

import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import https from 'node:https';
import path from 'node:path';

const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; " +
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml',
    '.wasm': 'application/wasm', '.otf': 'font/otf', '.ttf': 'font/ttf', '.png': 'image/png' };

function arg(name) {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : undefined;
}

const [cmd, sub] = process.argv.slice(2);
if (cmd === 'admin' && sub === 'create-agency') {
    const password = readFileSync(0, 'utf8').replace(/\r?\n$/, '');
    const id = (p) => p + '_' + randomBytes(16).toString('hex');
    const out = { agency_id: id('ag'), account_id: id('ac'), owner_id: id('us') };
    writeFileSync(path.join(arg('--data'), 'stub.json'), JSON.stringify({ ...out, email: arg('--owner-email'), password }));
    process.stdout.write(JSON.stringify(out) + '\n');
} else if (cmd === 'serve') {
    serve();
} else {
    process.stderr.write(JSON.stringify({ error: { code: 'usage', message: 'stub: unknown command' } }) + '\n');
    process.exit(2);
}

function serve() {
    const dataDir = arg('--data');
    const webRoot = path.resolve(arg('--web'));
    const [host, port] = arg('--listen').split(':');
    const db = JSON.parse(readFileSync(path.join(dataDir, 'stub.json'), 'utf8'));
    const keyFile = path.join(dataDir, 'key.pem');
    const certFile = path.join(dataDir, 'cert.pem');
    if (!existsSync(certFile)) {
        execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
            '-keyout', keyFile, '-out', certFile, '-days', '2', '-subj', '/CN=127.0.0.1'], { stdio: 'ignore' });
    }
    const sessions = new Set();

    const send = (res, status, body, headers = {}) => {
        const data = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
        res.writeHead(status, {
            'Content-Security-Policy': CSP, 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer',
            'Content-Type': 'application/json', ...headers,
        });
        res.end(data);
    };
    const sessionOf = (req) => {
        const m = /(?:^|;\s*)__Host-session=([^;]+)/.exec(req.headers.cookie || '');
        return m && sessions.has(m[1]) ? m[1] : null;
    };
    const me = () => ({ user: { id: db.owner_id, email: db.email }, memberships: [{ agency_id: db.agency_id, role: 'agency_owner' }],
        accounts: [{ id: db.account_id, name: 'Acme Agency' }], permissions: { [db.account_id]: ['contact.view', 'contact.create'] } });
    const unauth = { error: { code: 'unauthenticated', message: 'Email or password is incorrect.' } };

    https.createServer({ key: readFileSync(keyFile), cert: readFileSync(certFile) }, (req, res) => {
        const url = new URL(req.url, 'https://x');
        let body = '';
        req.on('data', (d) => { body += d; });
        req.on('end', () => {
            if (url.pathname === '/healthz') return send(res, 200, { status: 'ok' });
            if (url.pathname === '/api/v1/me') {
                return sessionOf(req) ? send(res, 200, me()) : send(res, 401, { error: { code: 'unauthenticated', message: 'Sign in first.' } });
            }
            if (url.pathname === '/api/v1/auth/login') {
                if (req.method !== 'POST') return send(res, 405, { error: { code: 'method_not_allowed', message: 'Use POST.' } });
                if (!(req.headers['content-type'] || '').startsWith('application/json')) {
                    return send(res, 415, { error: { code: 'unsupported_media_type', message: 'Send JSON.' } });
                }
                let creds;
                try { creds = JSON.parse(body); } catch (_) { return send(res, 400, { error: { code: 'malformed_json', message: 'Bad JSON.' } }); }
                return setTimeout(() => {
                    if (creds.email !== db.email || creds.password !== db.password) return send(res, 401, unauth);
                    const token = randomBytes(32).toString('base64url');
                    sessions.add(token);
                    send(res, 200, me(), { 'Set-Cookie': `__Host-session=${token}; Path=/; Secure; HttpOnly; SameSite=Strict` });
                }, 300); // like Argon2id: slow enough to see the busy state
            }
            if (url.pathname.startsWith('/api/')) return send(res, 404, { error: { code: 'not_found', message: 'No such route.' } });
            const rel = url.pathname === '/' ? 'login.html' : decodeURIComponent(url.pathname).replace(/^\/+/, '');
            let file = path.resolve(webRoot, rel);
            if (!file.startsWith(webRoot + path.sep)) return send(res, 404, { error: { code: 'not_found', message: 'Not found.' } });
            if (!existsSync(file) && rel.startsWith('fonts/')) file = path.join('/usr/share/fonts/opentype/inter', path.basename(rel));
            if (!existsSync(file)) return send(res, 404, { error: { code: 'not_found', message: 'Not found.' } });
            send(res, 200, readFileSync(file), { 'Content-Type': TYPES[path.extname(file)] || 'application/octet-stream' });
        });
    }).listen(Number(port), host);
}
