// Login page: posts {email, password} as JSON (the server refuses form posts: CSRF defence) and
// goes to the dashboard on success. Errors show the server's own message in the alert region.
// With two-step verification on, the server answers {mfa_required, mfa_token} instead of a
// session; the same card then asks for a code (or a recovery code) and posts it with the token
// to /api/v1/auth/login/totp. The token lives 5 minutes and allows 5 wrong codes.
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
    const title = document.getElementById('login-title');
    const lede = document.querySelector('.lede');
    const passwordStep = document.getElementById('password-step');
    const mfaStep = document.getElementById('mfa-step');
    const mfaLinks = document.getElementById('mfa-links');
    const codeField = document.getElementById('code-field');
    const recoveryField = document.getElementById('recovery-field');
    const codeInput = document.getElementById('mfa-code');
    const recoveryInput = document.getElementById('recovery-code');
    const toggle = document.getElementById('mfa-toggle');
    const restart = document.getElementById('mfa-restart');
    const MFA_TOKEN_MS = 5 * 60 * 1000; // the server's lifetime of an mfa_token
    const MFA_MAX_FAILURES = 5;         // wrong codes one mfa_token survives
    let busy = false;
    // Second step: the token from the password step (kept in memory only), which input is used,
    // how many wrong codes were sent, and when the token runs out.
    let mfa = null;

    function showError(message, field) {
        alertBox.textContent = message;
        for (const input of [email, password, codeInput, recoveryInput]) {
            input.setAttribute('aria-invalid', input === field ? 'true' : 'false');
        }
        if (field) {
            field.focus();
            field.select();
        }
    }

    function clearError() {
        alertBox.textContent = '';
        for (const input of [email, password, codeInput, recoveryInput]) input.removeAttribute('aria-invalid');
    }

    function showCodeInput(recovery) {
        mfa.recovery = recovery;
        codeField.hidden = recovery;
        recoveryField.hidden = !recovery;
        toggle.textContent = recovery ? 'Use an authenticator code instead' : 'Use a recovery code instead';
        clearError();
        (recovery ? recoveryInput : codeInput).focus();
    }

    // Password accepted, second factor needed: swap the card's fields in place.
    function startMfaStep(token) {
        mfa = { token, recovery: false, failures: 0, expiresAt: Date.now() + MFA_TOKEN_MS };
        password.value = '';
        passwordStep.hidden = true;
        mfaStep.hidden = false;
        mfaLinks.hidden = false;
        title.textContent = 'Two-step verification';
        if (lede) lede.textContent = 'Enter the code from your authenticator app to finish signing in.';
        submit.textContent = 'Verify';
        codeInput.value = '';
        recoveryInput.value = '';
        showCodeInput(false);
    }

    // Back to email and password (token spent, expired, or the user chose to start over).
    function endMfaStep(message) {
        mfa = null;
        codeInput.value = '';
        recoveryInput.value = '';
        mfaStep.hidden = true;
        mfaLinks.hidden = true;
        passwordStep.hidden = false;
        title.textContent = 'Sign in';
        if (lede) lede.textContent = 'Welcome back. Sign in to your workspace.';
        submit.textContent = 'Sign in';
        clearError();
        if (message) showError(message, password);
        else password.focus();
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
        if (mfa) return verifyCode();
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
            if (body && body.mfa_required && typeof body.mfa_token === 'string') {
                setBusy(false);
                return startMfaStep(body.mfa_token);
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

    async function verifyCode() {
        clearError();
        if (Date.now() >= mfa.expiresAt) {
            return endMfaStep('The sign-in took too long. Enter your password again.');
        }
        const input = mfa.recovery ? recoveryInput : codeInput;
        const value = input.value.replace(/\s+/g, '');
        if (mfa.recovery) {
            if (!value) return showError('Enter one of your recovery codes.', input);
        } else if (!/^[0-9]{6}$/.test(value)) {
            return showError('Enter the 6-digit code from your authenticator app.', input);
        }
        setBusy(true);
        let response;
        try {
            response = await fetch('/api/v1/auth/login/totp', {
                method: 'POST',
                credentials: 'same-origin',
                cache: 'no-store',
                headers: { 'Content-Type': 'application/json', 'Accept': 'application/json' },
                body: JSON.stringify(mfa.recovery ? { mfa_token: mfa.token, recovery_code: value }
                                                  : { mfa_token: mfa.token, code: value }),
            });
        } catch (_) {
            setBusy(false);
            return showError('Cannot reach the server. Check your connection and try again.', null);
        }
        if (response.ok) {
            mfa = null;
            location.assign(DASHBOARD);
            return; // stay busy while the dashboard loads
        }
        const message = await errorMessage(response);
        setBusy(false);
        if (response.status === 401) {
            mfa.failures += 1;
            if (mfa.failures >= MFA_MAX_FAILURES || Date.now() >= mfa.expiresAt) {
                return endMfaStep('Too many incorrect codes, or the sign-in expired. Enter your password again.');
            }
            input.value = '';
            return showError(mfa.recovery ? 'That recovery code is not valid or was already used.'
                                          : 'That code is not right. Wait for a new code and try again.', input);
        }
        showError(message, input);
    }

    // Already signed in (e.g. the back button after login): go straight to the dashboard.
    async function skipIfSignedIn() {
        try {
            const response = await fetch('/api/v1/me', { credentials: 'same-origin', cache: 'no-store' });
            if (response.ok) location.replace(DASHBOARD);
        } catch (_) { /* offline: stay on the form */ }
    }

    form.addEventListener('submit', signIn);
    toggle.addEventListener('click', () => { if (mfa && !busy) showCodeInput(!mfa.recovery); });
    restart.addEventListener('click', () => { if (!busy) endMfaStep(null); });
    for (const input of [email, password, codeInput, recoveryInput]) {
        // Typing again clears the stale error, so the alert never describes old input.
        input.addEventListener('input', () => {
            if (input.getAttribute('aria-invalid') === 'true') clearError();
        });
    }
    skipIfSignedIn();
})();
