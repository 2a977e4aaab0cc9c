// Invitation page (ACC-2): the link's token (from #token=, removed from the address bar at once)
// is checked with /api/v1/auth/invite/inspect, which says who is invited where; the person
// picks a name and a password (the agency's policy is the server's), /api/v1/auth/invite/accept
// spends the token and opens a session like a sign-in, and the dashboard loads.
'use strict';

(function () {
    const L = window.StrongholdLinkForm;
    const DASHBOARD = '/dashboard.html';
    const form = document.getElementById('invite-form');
    const lede = document.getElementById('invite-lede');
    const email = document.getElementById('invite-email');
    const name = document.getElementById('name');
    const password = document.getElementById('password');
    const confirm = document.getElementById('confirm');
    const submit = document.getElementById('invite-submit');
    const signin = document.getElementById('invite-signin');
    const errors = L.fieldErrors(document.getElementById('invite-error'), { name, password, confirm });
    const token = L.takeToken();
    let busy = false;

    // The link cannot be used (unknown, spent, expired): say so and offer the sign-in page.
    function deadLink(message) {
        form.hidden = true;
        lede.textContent = 'Ask the person who invited you to send a new invitation.';
        errors.show(message || 'This invitation link is invalid or has expired.', '');
        signin.hidden = false;
    }

    async function inspect() {
        if (!token) return deadLink('This page needs the invitation link from your email.');
        const answer = await L.postJson('/api/v1/auth/invite/inspect', { token });
        if (!answer || !answer.ok) {
            const e = L.errorOf(answer);
            return e.field === 'token' ? deadLink(e.message) : errors.show(e.message, '');
        }
        lede.textContent = `You're invited to ${answer.body.agency_name} as ${answer.body.email}.`;
        email.value = answer.body.email;
        form.hidden = false;
        name.focus();
    }

    async function accept(event) {
        event.preventDefault();
        if (busy) return;
        errors.clear();
        if (!name.value.trim()) return errors.show('Enter your name.', 'name');
        if (!password.value) return errors.show('Choose a password.', 'password');
        if (confirm.value !== password.value) return errors.show('The two passwords differ.', 'confirm');
        busy = true;
        L.setBusy(form, submit, true);
        const answer = await L.postJson('/api/v1/auth/invite/accept',
                                        { token, name: name.value.trim(), password: password.value });
        if (answer && answer.ok) {
            password.value = '';
            confirm.value = '';
            location.assign(DASHBOARD);
            return; // stay busy while the dashboard loads
        }
        busy = false;
        L.setBusy(form, submit, false);
        const e = L.errorOf(answer);
        if (e.field === 'token') return deadLink(e.message);
        errors.show(e.message, e.field);
    }

    form.addEventListener('submit', accept);
    inspect();
})();
