// Password reset page (IAM-1), the target of the reset mail's link: the token (from #token=,
// removed from the address bar at once) and a new password go to
// /api/v1/auth/password-reset/confirm; the server applies the agency's policy and history and
// signs the person out everywhere, so the page then points to the sign-in page.
'use strict';

(function () {
    const L = window.StrongholdLinkForm;
    const form = document.getElementById('reset-form');
    const lede = document.getElementById('reset-lede');
    const next = document.getElementById('new-password');
    const confirm = document.getElementById('confirm');
    const submit = document.getElementById('reset-submit');
    const done = document.getElementById('reset-done');
    const signin = document.getElementById('reset-signin');
    const errors = L.fieldErrors(document.getElementById('reset-error'), { new_password: next, confirm });
    const token = L.takeToken();
    let busy = false;

    function deadLink(message) {
        form.hidden = true;
        lede.textContent = 'Ask for a new reset link from the sign-in page.';
        errors.show(message || 'This reset link is invalid or has expired.', '');
        signin.hidden = false;
    }

    async function confirmReset(event) {
        event.preventDefault();
        if (busy) return;
        errors.clear();
        if (!next.value) return errors.show('Choose a new password.', 'new_password');
        if (confirm.value !== next.value) return errors.show('The two passwords differ.', 'confirm');
        busy = true;
        L.setBusy(form, submit, true);
        const answer = await L.postJson('/api/v1/auth/password-reset/confirm', { token, new_password: next.value });
        busy = false;
        L.setBusy(form, submit, false);
        if (answer && answer.ok) {
            next.value = '';
            confirm.value = '';
            form.hidden = true;
            lede.textContent = 'Done.';
            done.hidden = false;
            signin.hidden = false;
            signin.querySelector('a').focus();
            return;
        }
        const e = L.errorOf(answer);
        if (e.field === 'token') return deadLink(e.message);
        errors.show(e.message, e.field);
    }

    if (!token) deadLink('This page needs the reset link from your email.');
    form.addEventListener('submit', confirmReset);
    if (token) next.focus();
})();
