extension StaticAssets {
    static let js = """
    // Keyboard shortcuts, read from the page's own shortcut list (#shortcuts): each key presses the button or field
    // whose data-key names its action. On the queue an action works on the ticked rows, or on the current row.
    // Nothing from the page is ever inserted as markup.
    (function () {
      var overlay = document.getElementById('shortcuts');
      var keys = {};
      if (overlay) Array.prototype.forEach.call(overlay.querySelectorAll('[data-shortcut]'), function (d) { keys[d.getAttribute('data-shortcut')] = d.getAttribute('data-action'); });
      function help(show) { if (overlay) overlay.hidden = show === undefined ? !overlay.hidden : !show; }
      Array.prototype.forEach.call(document.querySelectorAll('[data-open="shortcuts"]'), function (b) { b.addEventListener('click', function () { help(true); }); });
      Array.prototype.forEach.call(document.querySelectorAll('[data-close="shortcuts"]'), function (b) { b.addEventListener('click', function () { help(false); }); });
      var rows = Array.prototype.slice.call(document.querySelectorAll('table.queue tbody tr'));
      function current() { return rows.findIndex(function (r) { return r.classList.contains('selected'); }); }
      function select(n) {
        rows.forEach(function (r) { r.classList.remove('selected'); });
        rows[n].classList.add('selected');
        var link = rows[n].querySelector('a'); if (link) link.focus();
      }
      function box(n) { return n >= 0 ? rows[n].querySelector('input[type=checkbox]') : null; }
      function press(name) {
        var el = document.querySelector('[data-key="' + name + '"]');
        if (!el) return false;
        if (el.tagName === 'INPUT' || el.tagName === 'SELECT') {
          var folded = el.closest('details'); if (folded) folded.open = true;
          el.focus(); if (el.select) el.select();
        } else { el.click(); }
        return true;
      }
      function typing(e) { var t = e.target; return t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable); }
      document.addEventListener('keydown', function (e) {
        if (e.key === 'Escape') { help(false); return; }
        if (typing(e) || e.ctrlKey || e.metaKey || e.altKey) return;
        var n = current();
        if (e.key === 'Enter' && n >= 0 && document.activeElement === document.body) { rows[n].querySelector('a').click(); e.preventDefault(); return; }
        var action = keys[e.key];
        if (!action) return;
        e.preventDefault();
        if (action === 'help') { help(); return; }
        if (action === 'next-row' || action === 'previous-row') {
          if (rows.length) select(action === 'next-row' ? Math.min(rows.length - 1, n + 1) : Math.max(0, n - 1));
          return;
        }
        if (action === 'open-row') { if (n >= 0) rows[n].querySelector('a').click(); return; }
        if (action === 'pick-row') { var b = box(n); if (b) b.checked = !b.checked; return; }
        if (rows.length && !document.querySelector('table.queue tbody input[type=checkbox]:checked')) { var c = box(n); if (c) c.checked = true; }
        press(action);
      });
      // Time left to each response target, kept current while the page is open.
      function tick() {
        var now = Date.now();
        Array.prototype.forEach.call(document.querySelectorAll('.timer[data-due]'), function (t) {
          var left = Date.parse(t.getAttribute('data-due')) - now;
          var minutes = Math.ceil(Math.abs(left) / 60000);
          var text = minutes < 60 ? minutes + ' min' : (minutes < 2880 ? Math.floor(minutes / 60) + ' h' + (minutes % 60 ? ' ' + (minutes % 60) + ' min' : '') : Math.floor(minutes / 1440) + ' days');
          t.textContent = left >= 0 ? text + ' left' : 'overdue by ' + text;
          t.classList.toggle('breach', left < 0);
        });
      }
      setInterval(tick, 30000);
      // Phones: the queue first, the filters one tap away.
      var filters = document.querySelector('details.filters');
      if (filters && window.matchMedia('(max-width: 720px)').matches && !/[?&]q=/.test(location.search)) filters.open = false;
    })();
    """
}
