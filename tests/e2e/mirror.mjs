// Driving the WASM dashboard through its accessibility mirror (web/CONTRACT.md) in the real
// browser: mirror nodes lie over their widgets with pointer-events:none, so a forced click lands
// a real mouse click on the canvas at the widget; the mirror is rebuilt each frame, so it lags
// input by a frame and attributes are polled.
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ImGui places an auto-sized window on its second frame, so a node that just appeared may still
// move: wait until its box holds still before clicking at it (as in dashboard.test.mjs).
export async function settledBox(locator, timeout = 10_000) {
    const deadline = Date.now() + timeout;
    let last = null;
    for (;;) {
        const box = await locator.boundingBox();
        if (box && last && box.x === last.x && box.y === last.y && box.width === last.width && box.height === last.height) {
            return box;
        }
        if (Date.now() > deadline) throw new Error(`${locator} never settled (last box ${JSON.stringify(box)})`);
        last = box;
        await sleep(100);
    }
}

// The profile page scrolls inside the canvas: a widget below the fold has its mirror node below
// the viewport, where a click would miss the canvas. Wheel the page until the node is in view.
export async function reveal(page, locator) {
    const view = page.viewportSize();
    for (let i = 0; i < 20; ++i) {
        const box = await settledBox(locator);
        if (box.y >= 0 && box.y + box.height <= view.height) return box;
        await page.mouse.move(view.width / 2, view.height / 2);
        await page.mouse.wheel(0, box.y < 0 ? -200 : 200);
        await sleep(150);
    }
    throw new Error(`${locator} could not be scrolled into view`);
}

// Mirror nodes lie over their widgets with pointer-events:none, so a forced click lands a real
// mouse click on the canvas at the widget.
export async function press(page, locator) {
    await locator.waitFor({ state: 'attached', timeout: 10_000 });
    await reveal(page, locator);
    await locator.click({ force: true });
}

// Polls a mirror attribute: the mirror is rebuilt each frame, so it lags input by a frame.
export async function waitForAttribute(locator, name, expected, timeout = 10_000) {
    const deadline = Date.now() + timeout;
    let value;
    while ((value = await locator.getAttribute(name)) !== expected) {
        if (Date.now() > deadline) throw new Error(`${locator} ${name}=${JSON.stringify(value)}, expected ${JSON.stringify(expected)}`);
        await sleep(50);
    }
}

// Focuses a mirror text field, empties it, types `text`, and waits until the field shows it.
export async function typeInto(page, field, text) {
    await press(page, field);
    // A click puts the caret where it lands: go to the end, then delete backwards (checked and
    // repeated: the field may still be settling after an error when the first pass starts).
    for (let attempt = 0; ; ++attempt) {
        const current = (await field.getAttribute('value')) || '';
        if (!current) break;
        if (attempt === 3) throw new Error(`${field} could not be emptied (value ${JSON.stringify(current)})`);
        await page.keyboard.press('End');
        for (let i = 0; i < current.length; ++i) await page.keyboard.press('Backspace');
        try { await waitForAttribute(field, 'value', '', 3_000); } catch (_) { /* retry */ }
    }
    await page.keyboard.type(text);
    await waitForAttribute(field, 'value', text);
}

export async function waitReady(page, report) {
    try {
        await page.waitForFunction(() => window.__stronghold && window.__stronghold.state() === 'ready', null,
            { timeout: 60_000, polling: 100 });
    } catch (e) {
        throw new Error(`dashboard never became ready: ${e.message}\nconsole:\n${report.console.join('\n')}\nerrors:\n${report.errors.join('\n')}`);
    }
}

export async function openUserMenuItem(page, name) {
    await press(page, page.getByRole('button', { name: 'User menu' }));
    const menu = page.getByRole('menu', { name: 'User menu' });
    await menu.waitFor({ state: 'attached', timeout: 10_000 });
    await press(page, menu.getByRole('menuitem', { name }));
}


// Opens a drop-down, picks the option, and waits until the dashboard shows it chosen.
export async function choose(page, scope, combobox, option) {
    await press(page, scope.getByRole('combobox', { name: combobox, exact: true }));
    await press(page, page.getByRole('option', { name: option, exact: true }));
    await page.waitForFunction(([n, o]) => Array.from(document.querySelectorAll('#stronghold-a11y [role=combobox]'))
        .some((e) => e.getAttribute('aria-label') === n && e.textContent === o && e.getAttribute('aria-expanded') === 'false'),
    [combobox, option], { timeout: 10_000 });
}
