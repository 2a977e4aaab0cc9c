// Login page: posts {email, password} as JSON (the server refuses form posts: CSRF defence) and
// goes to the dashboard on success. Errors show the server's own message in the alert region.
// Plain HTML on purpose: password managers, autofill and screen readers work here, which a
// canvas cannot give (DESIGN.md, browser pitfalls).
'use strict';

(function () {
    const DASHBOARD = '/dashboard.html';
    const form = document.getElementById('login-form');
    const email = document.getElementById('email');
    const password = document.getElementById('password');
    const submit = document.getElementById('login-submit');
    const alertBox = document.getElementById('login-error');
    let busy = false;

    function showError(message, field) {
        alertBox.textContent = message;
        for (const input of [email, password]) {
            input.setAttribute('aria-invalid', input === field ? 'true' : 'false');
        }
        if (field) {
            field.focus();
            field.select();
        }
    }

    function clearError() {
        alertBox.textContent = '';
        email.removeAttribute('aria-invalid');
        password.removeAttribute('aria-invalid');
    }

    function setBusy(on) {
        busy = on;
        submit.disabled = on;
        submit.setAttribute('aria-busy', on ? 'true' : 'false');
        form.setAttribute('aria-busy', on ? 'true' : 'false');
    }

    // The server's error body is {"error":{"code","message","field"?}}; anything else (a proxy's
    // HTML page, an empty body) falls back to a message chosen by status.
    async function errorMessage(response) {
        let message = '';
        try {
            const body = await response.json();
            if (body && body.error && typeof body.error.message === 'string') {
                message = body.error.message;
            }
        } catch (_) { /* not JSON: use the fallback below */ }
        if (response.status === 429) {
            const wait = parseInt(response.headers.get('Retry-After') || '', 10);
            const hint = Number.isFinite(wait) && wait > 0
                ? ` Try again in ${wait < 120 ? wait + ' seconds' : Math.ceil(wait / 60) + ' minutes'}.`
                : ' Try again later.';
            return (message || 'Too many sign-in attempts.') + hint;
        }
        if (message) return message;
        if (response.status === 401) return 'Email or password is incorrect.';
        if (response.status >= 500) return 'The server could not sign you in right now. Try again in a moment.';
        return `Sign-in failed (HTTP ${response.status}).`;
    }

    async function signIn(event) {
        event.preventDefault();
        if (busy) return; // a double Enter must not send two logins
        clearError();

        const emailValue = email.value.trim();
        if (!emailValue) return showError('Enter your email address.', email);
        if (!email.checkValidity()) return showError('Enter a valid email address, like name@company.com.', email);
        if (!password.value) return showError('Enter your password.', password);

        setBusy(true);
        let response;
        try {
            response = await fetch('/api/v1/auth/login', {
                method: 'POST',
                credentials: 'same-origin',
                cache: 'no-store',
                headers: { 'Content-Type': 'application/json', 'Accept': 'application/json' },
                body: JSON.stringify({ email: emailValue, password: password.value }),
            });
        } catch (_) {
            setBusy(false);
            return showError('Cannot reach the server. Check your connection and try again.', null);
        }

        if (response.ok) {
            let body = null;
            try { body = await response.json(); } catch (_) { /* treated as a plain success */ }
            if (body && body.mfa_required) {
                // The 2FA step is its own page in a later issue; say so rather than loop.
                setBusy(false);
                return showError('This account uses two-step verification, which this page does not support yet.', null);
            }
            password.value = '';
            location.assign(DASHBOARD);
            return; // stay busy while the dashboard loads
        }

        const message = await errorMessage(response);
        setBusy(false);
        // A failed login never says which of the two was wrong; the password is the one to retype.
        showError(message, response.status === 401 ? password : null);
    }

    // Already signed in (e.g. the back button after login): go straight to the dashboard.
    async function skipIfSignedIn() {
        try {
            const response = await fetch('/api/v1/me', { credentials: 'same-origin', cache: 'no-store' });
            if (response.ok) location.replace(DASHBOARD);
        } catch (_) { /* offline: stay on the form */ }
    }

    form.addEventListener('submit', signIn);
    for (const input of [email, password]) {
        // Typing again clears the stale error, so the alert never describes old input.
        input.addEventListener('input', () => {
            if (input.getAttribute('aria-invalid') === 'true') clearError();
        });
    }
    skipIfSignedIn();
})();
