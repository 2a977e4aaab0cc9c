// Shared by the pages opened from a mailed link (invite.html, reset.html): the link's token is
// read from the #fragment (never sent to any server in a Referer or a log) and removed from
// the address bar at once, so it does not linger in history or a shared screen; JSON posts;
// and errors shown under the field the server names.
'use strict';

window.StrongholdLinkForm = (function () {
    // The token of `#token=...`, then the fragment is gone from the address bar.
    function takeToken() {
        const params = new URLSearchParams(location.hash.replace(/^#/, ''));
        const token = params.get('token') || '';
        if (location.hash) history.replaceState(null, '', location.pathname + location.search);
        return token;
    }

    // POST a JSON body; resolves with {status, body} (body null when not JSON), or null offline.
    async function postJson(url, payload) {
        let response;
        try {
            response = await fetch(url, {
                method: 'POST',
                credentials: 'same-origin',
                cache: 'no-store',
                headers: { 'Content-Type': 'application/json', 'Accept': 'application/json' },
                body: JSON.stringify(payload),
            });
        } catch (_) {
            return null;
        }
        let body = null;
        try { body = await response.json(); } catch (_) { /* empty (204) or not JSON */ }
        return { status: response.status, ok: response.ok, body };
    }

    // {code, message, field} of an error answer, with a fallback message by status.
    function errorOf(answer) {
        const e = answer && answer.body && answer.body.error;
        if (e && typeof e.message === 'string') return { code: e.code || '', message: e.message, field: e.field || '' };
        if (!answer) return { code: '', message: 'Cannot reach the server. Check your connection and try again.', field: '' };
        if (answer.status === 429) return { code: 'rate_limited', message: 'Too many attempts. Try again later.', field: '' };
        return { code: '', message: `Something went wrong (HTTP ${answer.status}). Try again in a moment.`, field: '' };
    }

    // Errors under fields: `inputs` maps a server field name to its <input>; each input's
    // message element is its aria-describedby target.
    function fieldErrors(alertBox, inputs) {
        const messageOf = (input) => document.getElementById(input.getAttribute('aria-describedby'));
        function clear() {
            alertBox.textContent = '';
            for (const input of Object.values(inputs)) {
                input.removeAttribute('aria-invalid');
                messageOf(input).textContent = '';
            }
        }
        // Under the named field when there is one, else in the alert at the top.
        function show(message, field) {
            const input = field && inputs[field];
            if (!input) {
                alertBox.textContent = message;
                return;
            }
            input.setAttribute('aria-invalid', 'true');
            // The server words field messages after the field ("must be at least 8 characters").
            messageOf(input).textContent = message.charAt(0).toUpperCase() + message.slice(1);
            input.focus();
        }
        for (const input of Object.values(inputs)) {
            input.addEventListener('input', () => {
                if (input.getAttribute('aria-invalid') === 'true') {
                    input.removeAttribute('aria-invalid');
                    messageOf(input).textContent = '';
                }
            });
        }
        return { clear, show };
    }

    function setBusy(form, button, on) {
        button.disabled = on;
        button.setAttribute('aria-busy', on ? 'true' : 'false');
        form.setAttribute('aria-busy', on ? 'true' : 'false');
    }

    return { takeToken, postJson, errorOf, fieldErrors, setBusy };
})();
