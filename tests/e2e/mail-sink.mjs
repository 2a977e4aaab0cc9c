// A minimal SMTP server on a free loopback port for the e2e tests: the real `stronghold serve
// --smtp-host 127.0.0.1 --smtp-port <port>` delivers its outbox here (EHLO, MAIL, RCPT, DATA,
// QUIT; no TLS), and tests wait for a message and read the link in it, as a person reads
// their mail. close() stops it.
import net from 'node:net';

export async function startMailSink() {
    const messages = [];
    const waiters = [];
    const sockets = new Set();
    const server = net.createServer((socket) => {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
        socket.on('error', () => {});
        socket.setEncoding('utf8');
        let buffer = '';
        let data = null; // the DATA section while it is being received
        socket.write('220 e2e-mail-sink ESMTP\r\n');
        socket.on('data', (chunk) => {
            buffer += chunk;
            for (;;) {
                if (data !== null) {
                    const end = buffer.indexOf('\r\n.\r\n');
                    if (end < 0) return;
                    data += buffer.slice(0, end);
                    buffer = buffer.slice(end + 5);
                    messages.push(data.replace(/\r\n\.\./g, '\r\n.').replace(/\r\n/g, '\n'));
                    data = null;
                    socket.write('250 OK queued\r\n');
                    for (const w of waiters.splice(0)) w();
                    continue;
                }
                const eol = buffer.indexOf('\r\n');
                if (eol < 0) return;
                const line = buffer.slice(0, eol);
                buffer = buffer.slice(eol + 2);
                const verb = line.slice(0, 4).toUpperCase();
                if (verb === 'EHLO' || verb === 'HELO') socket.write('250-e2e-mail-sink\r\n250 8BITMIME\r\n');
                else if (verb === 'DATA') { data = ''; buffer = '\r\n' + buffer; socket.write('354 End data with <CR><LF>.<CR><LF>\r\n'); }
                else if (verb === 'QUIT') { socket.end('221 Bye\r\n'); return; }
                else socket.write('250 OK\r\n');
            }
        });
    });
    await new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', resolve);
    });
    return {
        port: server.address().port,
        messages,
        // The first message matching `predicate` (a function of the text), waiting up to `ms`.
        async waitFor(predicate, ms = 20_000) {
            const deadline = Date.now() + ms;
            for (;;) {
                const found = messages.find(predicate);
                if (found) return found;
                const left = deadline - Date.now();
                if (left <= 0) throw new Error(`no matching mail within ${ms} ms; got ${messages.length}`);
                await new Promise((r) => { waiters.push(r); setTimeout(r, Math.min(left, 500)); });
            }
        },
        close() {
            for (const s of sockets) s.destroy();
            return new Promise((r) => server.close(() => r()));
        },
    };
}
