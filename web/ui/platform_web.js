// JS side of web/ui/platform_web.cpp: canvas sizing in device pixels, wake-up on input,
// clipboard, page events and the accessibility mirror's DOM. Linked with --js-library.
// No eval/new Function anywhere: the page runs under a strict CSP (-sDYNAMIC_EXECUTION=0).
mergeInto(LibraryManager.library, {
  $SH: {
    wheelMode: 0,
    pasted: '',
    state: 'loading',
    frames: 0,
    readySent: false,
    mirror: null,
    nodes: null,     // key -> element
    lastJson: '',
  },

  sh_platform_init__deps: ['$SH'],
  sh_platform_init: function () {
    var wake = function () { if (Module['_sh_wake']) Module['_sh_wake'](2); };
    ['mousemove', 'mousedown', 'mouseup', 'keydown', 'keyup', 'keypress', 'resize', 'focus', 'blur',
     'touchstart', 'touchmove', 'touchend', 'pointerdown', 'pointerup'].forEach(function (t) {
      window.addEventListener(t, wake, true);
    });
    // GLFW hands over raw deltaY with no unit; remember the unit so C++ can scale a notch.
    Module['canvas'].addEventListener('wheel', function (e) { SH.wheelMode = e.deltaMode; wake(); }, true);
    // Paste arrives as a DOM event right after the Ctrl+V keydown, before the next frame reads
    // the clipboard: keep its text for ImGui's GetClipboardText.
    document.addEventListener('paste', function (e) {
      var text = e.clipboardData ? e.clipboardData.getData('text/plain') : '';
      if (text) { SH.pasted = text; e.preventDefault(); }
      wake();
    });
    // Ctrl+K / Cmd+K is the dashboard's quick search, not the browser's search box.
    window.addEventListener('keydown', function (e) {
      if ((e.ctrlKey || e.metaKey) && (e.key === 'k' || e.key === 'K')) e.preventDefault();
    }, true);
    // Keep the canvas from scrolling the page or opening the context menu.
    Module['canvas'].addEventListener('contextmenu', function (e) { e.preventDefault(); });
    window['__stronghold'] = {
      state: function () { return SH.state; },
      frames: function () { return SH.frames; },
      frameMs: function () { return { last: SH.frameMs, max: SH.frameMsMax }; }, // CPU time of our frame
      // Benchmarks: frameLog(true) starts keeping every frame's CPU ms; frameLog(false) hands them over and stops.
      frameLog: function (on) { var log = SH.frameLog || []; SH.frameLog = on ? [] : null; return log; },
    };
  },

  sh_wheel_mode__deps: ['$SH'],
  sh_wheel_mode: function () { return SH.wheelMode; },

  sh_css_width: function () {
    var r = Module['canvas'].getBoundingClientRect();
    return r.width > 0 ? r.width : window.innerWidth;
  },
  sh_css_height: function () {
    var r = Module['canvas'].getBoundingClientRect();
    return r.height > 0 ? r.height : window.innerHeight;
  },
  sh_device_pixel_ratio: function () { return window.devicePixelRatio || 1; },

  // Sets the canvas backing store in device pixels and tells GLFW through its resize
  // listener. (glfwSetWindowSize would ask for fullscreen when the size equals the screen's.)
  sh_set_canvas_size__deps: ['$Browser'],
  sh_set_canvas_size: function (w, h) {
    var c = Module['canvas'];
    if (c.width === w && c.height === h) return;
    Browser.setCanvasSize(w, h);
  },

  sh_clipboard_write__deps: ['$SH'],
  sh_clipboard_write: function (ptr) {
    var text = UTF8ToString(ptr);
    SH.pasted = text; // copy then paste inside the app works even without clipboard permission
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).catch(function () {});
    }
  },
  sh_clipboard_read__deps: ['$SH'],
  sh_clipboard_read: function () { return allocateUTF8(SH.pasted); },

  sh_navigate: function (ptr) { window.location.assign(UTF8ToString(ptr)); },

  sh_set_state__deps: ['$SH'],
  sh_set_state: function (ptr) { SH.state = UTF8ToString(ptr); },

  sh_frame_begin__deps: ['$SH', '$GL'],
  sh_frame_begin: function () {
    SH.frameStart = performance.now();
    // ImGui's OpenGL backend saves and restores GL state around every frame. In Chromium the
    // numeric queries (viewport, scissor box, blend functions and equations) are synchronous
    // round trips to the GPU process, each waiting until it has finished the frame before
    // (tens of ms under software GL: scroll_bench's p95). We are the context's only user and
    // the backend restores exactly what it saved, so the answers stay the same: ask once.
    var gl = GL.currentContext && GL.currentContext.GLctx;
    if (gl && !gl.shMemo) {
      gl.shMemo = {};
      var ask = gl.getParameter.bind(gl);
      var keep = [gl.VIEWPORT, gl.SCISSOR_BOX, gl.BLEND_SRC_RGB, gl.BLEND_DST_RGB, gl.BLEND_SRC_ALPHA, gl.BLEND_DST_ALPHA,
                  gl.BLEND_EQUATION_RGB, gl.BLEND_EQUATION_ALPHA];
      gl.getParameter = function (p) {
        if (keep.indexOf(p) < 0) return ask(p);
        if (!(p in gl.shMemo)) gl.shMemo[p] = ask(p);
        return gl.shMemo[p];
      };
    }
  },
  sh_frame_drawn__deps: ['$SH'],
  sh_frame_drawn: function () {
    SH.frames++;
    SH.frameMs = performance.now() - SH.frameStart;
    SH.frameMsMax = Math.max(SH.frameMsMax || 0, SH.frameMs);
    if (SH.frameLog) SH.frameLog.push(SH.frameMs);
  },

  sh_announce_ready__deps: ['$SH'],
  sh_announce_ready: function () {
    if (SH.readySent) return;
    SH.readySent = true;
    window.dispatchEvent(new Event('stronghold:ready'));
  },

  sh_announce_fatal: function (ptr) {
    window.dispatchEvent(new CustomEvent('stronghold:fatal', { detail: { message: UTF8ToString(ptr) } }));
  },

  sh_ws_origin__deps: [],
  sh_ws_origin: function () {
    var l = window.location;
    return allocateUTF8((l.protocol === 'https:' ? 'wss://' : 'ws://') + l.host);
  },

  sh_url_encode__deps: [],
  sh_url_encode: function (ptr) { return allocateUTF8(encodeURIComponent(UTF8ToString(ptr))); },

  // Files and downloads (CRM-4). The bytes never enter WASM memory: a picked File stays here,
  // keyed by a handle, and is uploaded as the fetch body; an export is fetched, and when it is not
  // an error, handed to the browser as a download (<a download> on a blob: URL). Each operation
  // answers once through Module._sh_transfer_done(ticket, status, text).
  $SHF: { files: {}, next: 1, input: null },
  $sh_transfer_answer: function (ticket, status, text) {
    Module['_sh_transfer_done'](ticket, status, allocateUTF8(text || '')); // C++ frees the copy
  },

  // <input type=file> (kept in the page, hidden, so tests can set its files); answers
  // status 1 with {"handle","name","size","headers":[...]}: the first CSV record only, read from
  // the file's first MiB; 0 when nothing was picked, -1 with a message when it cannot be read.
  sh_pick_file__deps: ['$SHF', '$sh_transfer_answer'],
  sh_pick_file: function (ticket, acceptPtr) {
    var accept = UTF8ToString(acceptPtr);
    var old = SHF.input;
    if (old && old.parentNode) old.parentNode.removeChild(old);
    var input = document.createElement('input');
    input.type = 'file';
    input.accept = accept;
    input.id = 'stronghold-file-input';
    input.style.display = 'none';
    document.body.appendChild(input);
    SHF.input = input;
    input.addEventListener('change', function () {
      var file = input.files && input.files[0];
      if (!file) { sh_transfer_answer(ticket, 0, ''); return; }
      file.slice(0, 1024 * 1024).text().then(function (text) {
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
        var headers = [], cell = '', quoted = false, i = 0;
        for (; i < text.length; i++) {
          var ch = text[i];
          if (quoted) {
            if (ch === '"' && text[i + 1] === '"') { cell += '"'; i++; }
            else if (ch === '"') quoted = false;
            else cell += ch;
          } else if (ch === '"') quoted = true;
          else if (ch === ',') { headers.push(cell); cell = ''; }
          else if (ch === '\n' || ch === '\r') break;
          else cell += ch;
        }
        if (quoted) { sh_transfer_answer(ticket, -1, 'The header row of this file has an unterminated quote.'); return; }
        headers.push(cell);
        var handle = SHF.next++;
        SHF.files[handle] = file;
        sh_transfer_answer(ticket, 1, JSON.stringify({ handle: handle, name: file.name, size: file.size, headers: headers }));
      }, function () { sh_transfer_answer(ticket, -1, 'The file could not be read.'); });
    });
    input.click();
  },

  sh_forget_file__deps: ['$SHF'],
  sh_forget_file: function (handle) { delete SHF.files[handle]; },

  // POSTs the picked file itself (streamed by the browser) as text/csv; answers status + body.
  sh_upload_file__deps: ['$SHF', '$sh_transfer_answer'],
  sh_upload_file: function (ticket, handle, urlPtr) {
    var url = UTF8ToString(urlPtr), file = SHF.files[handle];
    if (!file) { sh_transfer_answer(ticket, 0, ''); return; }
    fetch(url, { method: 'POST', body: file, credentials: 'same-origin',
                 headers: { 'Content-Type': 'text/csv', 'Accept': 'application/json' } })
      .then(function (r) { return r.text().then(function (t) { sh_transfer_answer(ticket, r.status, t); }); },
            function () { sh_transfer_answer(ticket, 0, ''); });
  },

  // GETs an export; a 2xx body is saved as `filename` (or the server's Content-Disposition name)
  // and answers status + ''; anything else answers status + the error body (e.g. reauth_required).
  sh_download__deps: ['$sh_transfer_answer'],
  sh_download: function (ticket, urlPtr, namePtr) {
    var url = UTF8ToString(urlPtr), name = UTF8ToString(namePtr);
    fetch(url, { credentials: 'same-origin' }).then(function (r) {
      if (!r.ok) return r.text().then(function (t) { sh_transfer_answer(ticket, r.status, t); });
      var cd = /filename="?([^";]+)"?/.exec(r.headers.get('Content-Disposition') || '');
      return r.blob().then(function (blob) {
        var a = document.createElement('a');
        a.href = URL.createObjectURL(blob);
        a.download = cd ? cd[1] : name;
        a.style.display = 'none';
        document.body.appendChild(a);
        a.click();
        setTimeout(function () { URL.revokeObjectURL(a.href); a.parentNode.removeChild(a); }, 60000);
        sh_transfer_answer(ticket, r.status, '');
      });
    }, function () { sh_transfer_answer(ticket, 0, ''); });
  },

  // Accessibility mirror: `ptr` is a JSON array of nodes
  // {k: key, p: parent key or "", r: role, n: name, t: text, v: value, x, y, w, h (CSS px), a: {attr: value}}.
  // Elements are reused by key, so a screen reader's position survives a redraw.
  sh_a11y_update__deps: ['$SH'],
  sh_a11y_update: function (ptr) {
    var json = UTF8ToString(ptr);
    if (json === SH.lastJson) return;
    SH.lastJson = json;
    var list;
    try { list = JSON.parse(json); } catch (e) { return; }
    if (!SH.mirror) {
      SH.mirror = document.createElement('div');
      SH.mirror.id = 'stronghold-a11y';
      var s = SH.mirror.style;
      s.position = 'fixed'; s.left = '0'; s.top = '0'; s.width = '100%'; s.height = '100%';
      s.overflow = 'hidden'; s.opacity = '0'; s.pointerEvents = 'none'; s.zIndex = '1';
      document.body.appendChild(SH.mirror);
      SH.nodes = {};
    }
    var tags = { button: 'button', textbox: 'input', heading: 'h1', columnheader: 'div', cell: 'div', row: 'div',
                 table: 'div', dialog: 'div', alert: 'div', status: 'div', menu: 'div', menuitem: 'div',
                 combobox: 'div', option: 'div', region: 'div' };
    // Elements that left go first: a row dropped at the top would otherwise make every row after
    // it look out of place below, and each would be moved (a scrolling table, every frame).
    var seen = {};
    for (var i = 0; i < list.length; i++) seen[list[i].k] = true;
    for (var k in SH.nodes) {
      if (!seen[k]) { var gone = SH.nodes[k]; if (gone.parentNode) gone.parentNode.removeChild(gone); delete SH.nodes[k]; }
    }
    var rects = {};
    var next = {}; // parent key -> index of the next child
    for (var i = 0; i < list.length; i++) {
      var n = list[i];
      var el = SH.nodes[n.k];
      // Headings are real <h1>..<h6> by their aria-level, so heading navigation and
      // getByRole('heading', { level }) see the outline.
      var level = n.r === 'heading' ? Math.min(6, Math.max(1, parseInt((n.a || {})['aria-level'], 10) || 1)) : 0;
      var tag = level ? 'h' + level : (tags[n.r] || 'div');
      if (!el || el.dataset.role !== n.r || el.tagName !== tag.toUpperCase()) {
        if (el && el.parentNode) el.parentNode.removeChild(el);
        el = document.createElement(tag);
        el.dataset.role = n.r;
        if (n.r === 'textbox') { el.type = 'text'; el.readOnly = true; }
        if (el.tagName !== 'INPUT' && n.r !== 'heading' && n.r !== 'button') el.setAttribute('role', n.r);
        if (n.r === 'textbox') el.setAttribute('role', 'textbox');
        el.tabIndex = -1;
        el.style.position = 'absolute';
        el.style.margin = '0'; el.style.padding = '0'; el.style.border = '0';
        // Never a scroll container: a child drawn outside its parent's rect (a row below a
        // table's, a drop-down's options below its dialog) would make Playwright scroll the
        // parent before a click, and the click would land that far off on the canvas.
        el.style.opacity = '0'; el.style.pointerEvents = 'none'; el.style.overflow = 'visible';
        el.shA = {}; // the aria-*/data-* attributes set from `a`
        SH.nodes[n.k] = el;
      }
      rects[n.k] = n;
      var parent = n.p ? SH.nodes[n.p] : SH.mirror;
      var px = n.p && rects[n.p] ? rects[n.p].x : 0, py = n.p && rects[n.p] ? rects[n.p].y : 0;
      // Styles only when they change: while a table scrolls its rows move, but the cells stay
      // put inside them (most of the mirror), and a style write costs a style recalculation.
      var left = n.x - px, top = n.y - py;
      if (el.shX !== left) { el.shX = left; el.style.left = left + 'px'; }
      if (el.shY !== top) { el.shY = top; el.style.top = top + 'px'; }
      if (el.shW !== n.w) { el.shW = n.w; el.style.width = n.w + 'px'; }
      if (el.shH !== n.h) { el.shH = n.h; el.style.height = n.h + 'px'; }
      // Like the styles, the label, text and attributes are compared with what was set last (kept
      // on the element; nothing else writes to the mirror), not read back from the DOM.
      if (el.shN !== n.n) {
        el.shN = n.n;
        if (n.n) el.setAttribute('aria-label', n.n); else el.removeAttribute('aria-label');
      }
      if (n.r === 'textbox') {
        if (el.value !== n.v) { el.value = n.v; }
        if (el.shV !== n.v) { el.shV = n.v; el.setAttribute('value', n.v); }
      } else if (n.t !== undefined && el.shT !== n.t) {
        el.shT = n.t;
        el.textContent = n.t;
      }
      var attrs = n.a || {}, had = el.shA;
      for (var name in attrs) { if (had[name] !== attrs[name]) el.setAttribute(name, attrs[name]); }
      for (var name in had) { if (!(name in attrs)) el.removeAttribute(name); }
      el.shA = attrs;
      var idx = next[n.p] || 0;
      next[n.p] = idx + 1;
      if (parent.children[idx] !== el) parent.insertBefore(el, parent.children[idx] || null);
    }
  },
});
