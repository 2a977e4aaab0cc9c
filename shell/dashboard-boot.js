// Dashboard host: decides whether the WASM dashboard can run here, then loads it.
//   1. WebGL2 check: without it, a plain HTML notice (never a blank page) and no download.
//   2. Session check (GET /api/v1/me) in parallel with the download: 401 goes to /login.html.
//   3. `var Module` (web/CONTRACT.md) with a progress bar fed by our own wasm fetch.
//   4. The loader hides on `stronghold:ready`; `stronghold:fatal` or an abort shows the notice.
// A classic script (not a module) on purpose: the Emscripten output reads the global `Module`.
'use strict';

var Module; // eslint-disable-line no-var -- Emscripten looks up this exact global

(function () {
    const PROGRAM_JS = 'stronghold_dashboard.js';
    const PROGRAM_WASM = 'stronghold_dashboard.wasm';
    const LOGIN = '/login.html';

    const loader = document.getElementById('loader');
    const label = document.getElementById('loader-label');
    const progress = document.getElementById('progress');
    const bar = document.getElementById('progress-bar');
    const notice = document.getElementById('notice');
    let failed = false;
    let ready = false; // the first frame is drawn: errors after this are the program's to show

    // [SECTION] Notice and loader

    function showNotice(title, text, canReload) {
        if (failed) return; // the first reason is the one worth reading
        failed = true;
        document.getElementById('notice-title').textContent = title;
        document.getElementById('notice-text').textContent = text;
        document.getElementById('notice-reload').hidden = !canReload;
        loader.hidden = true;
        notice.hidden = false;
        document.getElementById('canvas').hidden = true;
    }

    function setProgress(fraction, text) {
        if (fraction === null) {
            progress.classList.add('indeterminate');
            progress.removeAttribute('aria-valuenow');
        } else {
            const percent = Math.max(0, Math.min(100, Math.round(fraction * 100)));
            progress.classList.remove('indeterminate');
            bar.style.width = percent + '%'; // CSSOM, which style-src 'self' allows
            progress.setAttribute('aria-valuenow', String(percent));
        }
        if (text) label.textContent = text;
    }

    function formatBytes(n) {
        return n < 1024 * 1024 ? Math.max(1, Math.round(n / 1024)) + ' KB' : (n / 1048576).toFixed(1) + ' MB';
    }

    document.getElementById('notice-reload').addEventListener('click', () => location.reload());

    // [SECTION] WebGL2

    function hasWebGL2() {
        try {
            // A throwaway canvas: probing #canvas would fix its context attributes before the
            // program asks for its own.
            const probe = document.createElement('canvas');
            const gl = probe.getContext('webgl2');
            if (!gl) return false;
            const lose = gl.getExtension('WEBGL_lose_context');
            if (lose) lose.loseContext();
            return true;
        } catch (_) {
            return false;
        }
    }

    if (!hasWebGL2()) {
        showNotice('Your browser does not support WebGL 2',
            'The Stronghold dashboard draws with WebGL 2, which this browser lacks or has turned ' +
            'off. Use a current version of Chrome, Edge, Firefox or Safari, and check that ' +
            'hardware acceleration is on in its settings.', false);
        return;
    }

    // [SECTION] Session

    // The program checks /me too (and handles a later 401); asking here as well avoids
    // downloading the whole dashboard for a visitor who is not signed in.
    fetch('/api/v1/me', { credentials: 'same-origin', cache: 'no-store' }).then((response) => {
        if (response.status === 401) location.replace(LOGIN);
    }, () => { /* offline: the program's own request reports it */ });

    // [SECTION] Module

    // Fetches the wasm ourselves to show real download progress; Emscripten calls this instead
    // of its own instantiateStreaming. Falls back to an indeterminate bar without Content-Length
    // (e.g. a compressed response).
    async function fetchWasm() {
        const response = await fetch(PROGRAM_WASM, { credentials: 'same-origin' });
        if (!response.ok) throw new Error(`HTTP ${response.status} for ${PROGRAM_WASM}`);
        const total = parseInt(response.headers.get('Content-Length') || '', 10);
        const encoded = response.headers.get('Content-Encoding');
        const known = Number.isFinite(total) && total > 0 && !encoded;
        if (!response.body || !response.body.getReader) return response.arrayBuffer();
        const reader = response.body.getReader();
        const chunks = [];
        let received = 0;
        for (;;) {
            const { done, value } = await reader.read();
            if (done) break;
            chunks.push(value);
            received += value.length;
            setProgress(known ? received / total : null,
                known ? `Downloading… ${formatBytes(received)} of ${formatBytes(total)}`
                      : `Downloading… ${formatBytes(received)}`);
        }
        const bytes = new Uint8Array(received);
        let at = 0;
        for (const chunk of chunks) { bytes.set(chunk, at); at += chunk.length; }
        return bytes.buffer;
    }

    function fail(message) {
        console.error('stronghold: ' + message);
        showNotice('The dashboard cannot start',
            'Something went wrong while starting the dashboard. Reload the page to try again. ' +
            'If it keeps happening, tell your administrator: ' + message, true);
    }

    Module = {
        canvas: document.getElementById('canvas'),
        print: (text) => console.log(text),
        printErr: (text) => console.warn(text),
        // Emscripten's own status lines ("Running...") are for developers: log, don't show.
        setStatus: (text) => { if (text) console.debug('stronghold status: ' + text); },
        locateFile: (path) => path, // next to the page, as the dist folder lays them out
        instantiateWasm(imports, receiveInstance) {
            fetchWasm()
                .then((bytes) => {
                    setProgress(1, 'Starting…');
                    return WebAssembly.instantiate(bytes, imports);
                })
                .then((result) => receiveInstance(result.instance, result.module))
                .catch((error) => fail(error && error.message ? error.message : String(error)));
            return {}; // asynchronous: Emscripten waits for receiveInstance
        },
        onAbort: (what) => fail('the program stopped (' + what + ')'),
    };

    window.addEventListener('stronghold:ready', () => {
        ready = true;
        loader.hidden = true;
    });
    window.addEventListener('stronghold:fatal', (event) => {
        const detail = event.detail || {};
        fail(typeof detail.message === 'string' ? detail.message : 'unknown error');
    });
    // Errors before the first frame would otherwise leave the loader spinning forever.
    window.addEventListener('error', (event) => {
        // 'unwind' is Emscripten's normal way out of main(); it is not a failure.
        if (!ready && event.message && !/unwind/.test(event.message)) fail(event.message);
    });

    const script = document.createElement('script');
    script.src = PROGRAM_JS;
    script.async = false;
    script.onerror = () => fail('could not load ' + PROGRAM_JS);
    document.body.appendChild(script);
})();
