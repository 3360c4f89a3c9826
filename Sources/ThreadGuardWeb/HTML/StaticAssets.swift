/// The page's only stylesheet and script, served from this server (the Content-Security-Policy allows nothing else).
enum StaticAssets {
    static let css = """
    :root { --ink: #1d2533; --muted: #5b6577; --line: #d8dde6; --bg: #f7f8fa; --accent: #1f5fbf; --warn: #a3470f; --ok: #1e7a45; }
    * { box-sizing: border-box; }
    body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); background: var(--bg); }
    a { color: var(--accent); }
    :focus-visible { outline: 3px solid #f2b705; outline-offset: 2px; }
    .skip { position: absolute; left: -999px; top: 0; background: #fff; padding: .5rem 1rem; }
    .skip:focus { left: .5rem; }
    header.top { display: flex; align-items: center; gap: 1.5rem; padding: .6rem 1.2rem; background: #fff; border-bottom: 1px solid var(--line); }
    .brand { font-weight: 700; letter-spacing: .02em; }
    nav a { margin-right: 1rem; text-decoration: none; padding: .2rem .1rem; }
    nav a[aria-current=page] { border-bottom: 3px solid var(--accent); font-weight: 600; }
    .signout { margin-left: auto; display: flex; gap: .6rem; align-items: center; }
    .who { color: var(--muted); }
    main { padding: 1rem 1.4rem 3rem; max-width: 1200px; }
    h1 { font-size: 1.4rem; margin: .4rem 0 1rem; }
    h2 { font-size: 1.1rem; margin: 1.4rem 0 .5rem; }
    footer { color: var(--muted); font-size: .85rem; padding: 1rem 1.4rem; border-top: 1px solid var(--line); }
    .flash { background: #e8f1fd; border: 1px solid #b9d3f5; padding: .5rem .8rem; border-radius: 4px; }
    .error { background: #fdecea; border: 1px solid #f5c2bc; padding: .5rem .8rem; border-radius: 4px; }
    form.filters { display: flex; flex-wrap: wrap; gap: .8rem; align-items: end; background: #fff; padding: .8rem; border: 1px solid var(--line); border-radius: 6px; }
    form.filters label { display: flex; flex-direction: column; font-size: .85rem; color: var(--muted); }
    select, input[type=text], input[type=password], textarea { font: inherit; padding: .3rem .4rem; border: 1px solid #aab3c2; border-radius: 4px; background: #fff; }
    button { font: inherit; padding: .35rem .8rem; border-radius: 4px; border: 1px solid #8d97a8; background: #fff; cursor: pointer; }
    button.primary { background: var(--accent); color: #fff; border-color: var(--accent); }
    button.danger { border-color: var(--warn); color: var(--warn); }
    .counts { display: flex; gap: .6rem; flex-wrap: wrap; margin: .8rem 0; padding: 0; list-style: none; }
    .counts li { background: #fff; border: 1px solid var(--line); border-radius: 999px; padding: .1rem .7rem; font-size: .85rem; }
    table.queue { width: 100%; border-collapse: collapse; background: #fff; border: 1px solid var(--line); }
    table.queue th, table.queue td { text-align: left; padding: .45rem .6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
    table.queue th { font-size: .8rem; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
    table.queue tr.selected { background: #fff7d6; }
    .tag { display: inline-block; font-size: .75rem; border-radius: 3px; padding: 0 .35rem; margin-right: .25rem; background: #eef1f6; }
    .tag.phi { background: #fde7d9; color: #7a2d05; }
    .tag.dead { background: #fdecea; color: #8a1c12; }
    .tag.draft { background: #e6f4ea; color: var(--ok); }
    mark.phi { background: #ffe3a3; color: #4a3100; padding: 0 .15rem; border-radius: 2px; }
    mark.masked { background: #3a4252; color: #fff; }
    .thread { list-style: none; padding: 0; }
    .thread li { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: .6rem .8rem; margin-bottom: .5rem; }
    .thread li.brand { border-left: 4px solid var(--accent); }
    .thread li.current { border: 2px solid #f2b705; }
    .meta { color: var(--muted); font-size: .85rem; }
    .actions { display: flex; flex-wrap: wrap; gap: .5rem; margin: .8rem 0; }
    .actions form { display: inline; }
    textarea { width: 100%; min-height: 6rem; }
    .why li { margin-bottom: .2rem; }
    .pager { display: flex; gap: 1rem; margin: .8rem 0; }
    .charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap: 1rem; }
    figure { margin: 0; background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: .8rem; }
    figcaption { font-weight: 600; margin-bottom: .4rem; }
    .login { max-width: 360px; background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 1.2rem; }
    .login label { display: block; margin-bottom: .8rem; }
    .login input { width: 100%; }
    .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
    """

    static let js = """
    // Keyboard shortcuts for the review queue. No data is read from the page into the DOM as markup.
    (function () {
      function typing(e) { var t = e.target; return t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable); }
      function submit(name) {
        var b = document.querySelector('[data-key="' + name + '"]');
        if (!b) return false;
        if (b.tagName === 'INPUT') { b.focus(); b.select(); } else { b.click(); }
        return true;
      }
      document.addEventListener('keydown', function (e) {
        if (typing(e) || e.ctrlKey || e.metaKey || e.altKey) return;
        var rows = Array.prototype.slice.call(document.querySelectorAll('table.queue tbody tr'));
        var current = rows.findIndex(function (r) { return r.classList.contains('selected'); });
        if ((e.key === 'j' || e.key === 'k') && rows.length) {
          var next = e.key === 'j' ? Math.min(rows.length - 1, current + 1) : Math.max(0, current - 1);
          rows.forEach(function (r) { r.classList.remove('selected'); });
          rows[next].classList.add('selected');
          var link = rows[next].querySelector('a'); if (link) link.focus();
          e.preventDefault(); return;
        }
        if (e.key === 'Enter' && current >= 0 && document.activeElement === document.body) {
          var open = rows[current].querySelector('a'); if (open) { open.click(); e.preventDefault(); } return;
        }
        if (e.key === 'g') { window.location.href = '/queue'; return; }
        var keys = { a: 'approve', h: 'hide', u: 'unhide', d: 'dismiss', e: 'escalate', r: 'reveal', z: 'undo', m: 'ae_reported', o: 'reopen', s: 'assign' };
        if (keys[e.key] && submit(keys[e.key])) e.preventDefault();
      });
    })();
    """
}
