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
    [hidden] { display: none !important; }
    svg { max-width: 100%; height: auto; }
    .views { display: flex; gap: .3rem; flex-wrap: wrap; margin-bottom: .6rem; }
    .views a { padding: .25rem .7rem; border: 1px solid var(--line); border-radius: 999px; background: #fff; text-decoration: none; }
    .views a[aria-current=page] { background: var(--accent); color: #fff; border-color: var(--accent); }
    form.filters label.search { flex: 1 1 16rem; }
    form.filters input[type=search] { font: inherit; padding: .3rem .4rem; border: 1px solid #aab3c2; border-radius: 4px; width: 100%; }
    form.bulk { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; margin: .6rem 0; }
    td.pick { width: 2rem; }
    td.pick input { width: 1.2rem; height: 1.2rem; }
    .tag.group { background: #e7e3f7; color: #3b2a7a; }
    .timer { font-variant-numeric: tabular-nums; white-space: nowrap; }
    .timer.breach { color: #8a1c12; font-weight: 700; }
    tr.breach td.due { background: #fdecea; }
    section.decision { background: #fff; border: 2px solid var(--accent); border-radius: 6px; padding: .6rem .9rem; margin: .4rem 0 1rem; }
    section.decision p { margin: .2rem 0; }
    .proposed { font-weight: 700; font-size: 1.05rem; }
    .containment { color: var(--warn); }
    section.decision textarea { min-height: 4.5rem; }
    .summary { margin: 0 0 .3rem; }
    ul.identifiers { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: .4rem 1rem; }
    ul.identifiers form { display: inline; margin-left: .4rem; }
    button.small { font-size: .8rem; padding: .1rem .5rem; }
    a.button { display: inline-block; padding: .35rem .8rem; border: 1px solid #8d97a8; border-radius: 4px; background: #fff; text-decoration: none; }
    button.link { border: none; background: none; color: var(--accent); text-decoration: underline; padding: 0; }
    form.group { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: .5rem .9rem; }
    form.group h2 { margin-top: .2rem; }
    details.rules { margin: .8rem 0; }
    .shortcuts { position: fixed; top: 8vh; left: 50%; transform: translateX(-50%); width: min(30rem, 94vw); max-height: 84vh; overflow: auto; background: #fff; border: 2px solid var(--ink); border-radius: 8px; padding: 1rem 1.2rem; box-shadow: 0 8px 30px rgba(0,0,0,.25); z-index: 10; }
    .shortcuts dl div { display: flex; gap: .8rem; }
    .shortcuts dt { min-width: 2rem; }
    .shortcuts dd { margin: 0; }
    kbd { border: 1px solid #aab3c2; border-bottom-width: 2px; border-radius: 3px; padding: 0 .35rem; font: .85rem ui-monospace, monospace; background: #f4f5f8; }
    table.targets, table.hides, table.sources { border-collapse: collapse; background: #fff; margin-bottom: 1rem; }
    table.targets th, table.targets td, table.hides th, table.hides td { border-bottom: 1px solid var(--line); padding: .3rem .6rem; text-align: left; }
    td, th { overflow-wrap: break-word; }
    td.comment, p, li, blockquote, dd { overflow-wrap: anywhere; }
    details.filters > summary { cursor: pointer; color: var(--accent); margin-bottom: .4rem; }
    @media (max-width: 720px) {
      header.top { flex-wrap: wrap; gap: .4rem .8rem; padding: .5rem .7rem; }
      .signout { margin-left: 0; }
      main { padding: .6rem .6rem 2rem; }
      .charts { grid-template-columns: 1fr; }
      form.filters label { flex: 1 1 45%; }
      table, thead, tbody, tr, th, td, caption { display: block; width: 100%; }
      thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
      table.queue tr { border-bottom: 2px solid var(--line); padding: .3rem 0; }
      table.queue td { border: none; padding: .15rem .5rem; }
      table.queue td.priority::before { content: "Priority "; color: var(--muted); }
      select, input[type=text] { max-width: 100%; }
      nav a { white-space: nowrap; margin-right: .7rem; }
      .counts li:not(:has(a)) { display: none; }
      .views a { padding: .15rem .6rem; }
      form.bulk { gap: .35rem; }
      form.bulk button { padding: .2rem .55rem; font-size: .9rem; }
    }
    """
}
