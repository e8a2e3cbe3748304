/**
 * One stylesheet for every page Vitrine serves to customers (notice, record, privacy center,
 * demo storefront), served as `/assets/vitrine.css` so that the pages' Content-Security-Policy
 * needs no inline styles. Text colours have a contrast of at least 7:1 on their background
 * (WCAG AAA), borders and focus rings at least 3:1; the SDK's dialog uses the same palette.
 */
export const PAGE_CSS = `
:root{--ink:#1a1a1a;--muted:#4a4a4a;--bg:#f7f6f3;--card:#fff;--line:#767676;--soft:#d6d3cc;--brand:#1e3a5f;--brand-dark:#16304f;--link:#1e40af;--note:#fff7e0;--note-line:#8a6d00;--ok:#14532d;--ok-bg:#eaf5ee;--warn:#7a1d1d;--warn-bg:#fbeaea}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:16px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:var(--bg)}
a{color:var(--link)}
:focus-visible{outline:3px solid var(--link);outline-offset:2px}
h1{font-size:1.7rem;line-height:1.25;margin:.2rem 0 .6rem}
h2{font-size:1.3rem;margin:1.6rem 0 .5rem}
h3{font-size:1.08rem;margin:1.1rem 0 .3rem}
p{margin:.45rem 0}
dl{display:grid;grid-template-columns:minmax(8rem,max-content) 1fr;gap:.15rem .9rem;margin:.4rem 0}
dt{font-weight:600}dd{margin:0}
code,pre{font:.9em/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
pre{white-space:pre-wrap;overflow-wrap:anywhere;background:#f1f0ec;border:1px solid var(--soft);border-radius:.4rem;padding:.6rem .75rem;max-height:24rem;overflow:auto}
.skip{position:absolute;left:-9999px;top:0;background:#fff;padding:.5rem .8rem;z-index:10}
.skip:focus{left:.5rem;top:.5rem}
.top{background:var(--brand);color:#fff}
.top .in{max-width:72rem;margin:0 auto;padding:.7rem 1rem;display:flex;flex-wrap:wrap;align-items:center;gap:.4rem 1.2rem}
.top a{color:#fff}
.top .brand{font-weight:700;font-size:1.1rem;text-decoration:none;margin-right:auto}
.top nav ul{list-style:none;display:flex;flex-wrap:wrap;gap:.2rem 1rem;margin:0;padding:0}
.wrap{max-width:72rem;margin:0 auto;padding:1rem 1rem 5rem}
.doc{max-width:48rem}
body>main:not(.wrap){max-width:50rem;margin:0 auto;padding:1rem 1rem 3rem}
body>main:not(.wrap)>section{background:var(--card);border:1px solid var(--soft);border-radius:.6rem;padding:.2rem 1.1rem .8rem;margin:1rem 0}
body>main:not(.wrap)>section:empty{display:none}
.embedded{padding:0 .2rem 1rem;max-width:none}
body:has(.embedded){background:transparent}
.doc section{background:var(--card);border:1px solid var(--soft);border-radius:.6rem;padding:.4rem 1.1rem .8rem;margin:1rem 0}
.doc h1+p,.stand{color:var(--muted)}
.stand{font-size:.95rem}
.foot{border-top:1px solid var(--soft);margin-top:2rem;padding-top:1rem;color:var(--muted);font-size:.95rem}
.foot ul{list-style:none;display:flex;flex-wrap:wrap;gap:.3rem 1.2rem;padding:0;margin:.4rem 0}
.btn{font:inherit;font-weight:600;min-height:2.75rem;padding:.5rem 1.1rem;border:2px solid var(--brand);border-radius:.4rem;background:var(--brand);color:#fff;cursor:pointer;text-decoration:none;display:inline-flex;align-items:center;justify-content:center}
.btn:hover{background:var(--brand-dark)}
.btn.alt{background:#fff;color:var(--brand)}
.btn.danger{background:var(--warn);border-color:var(--warn)}
.btn[disabled]{opacity:.6;cursor:not-allowed}
.lnk{font:inherit;background:none;border:0;padding:.2rem 0;color:var(--link);text-decoration:underline;cursor:pointer}
.row{display:flex;flex-wrap:wrap;gap:.6rem;align-items:center;margin:.6rem 0}
ul.row{list-style:none;padding:0;gap:.4rem 1.2rem}
.card{background:var(--card);border:1px solid var(--soft);border-radius:.6rem;padding:1rem 1.1rem;margin:1rem 0}
.note{background:var(--note);border:1px solid var(--note-line);border-radius:.5rem;padding:.6rem .8rem}
.ok{background:var(--ok-bg);border:1px solid var(--ok);color:var(--ok);border-radius:.5rem;padding:.6rem .8rem}
.warn{background:var(--warn-bg);border:1px solid var(--warn);color:var(--warn);border-radius:.5rem;padding:.6rem .8rem}
.muted{color:var(--muted)}
.small{font-size:.92rem}
fieldset{border:0;margin:.6rem 0;padding:0}
legend{font-weight:700;padding:0;margin-bottom:.3rem}
.lv{display:flex;gap:.7rem;align-items:flex-start;border:1px solid var(--line);border-radius:.5rem;padding:.6rem .8rem;margin:.45rem 0;background:#fff;cursor:pointer}
.lv:has(input:checked){border:2px solid var(--brand);background:#eef3fa}
.lv input{margin-top:.35rem;width:1.15rem;height:1.15rem;flex:none}
.lv b{display:block}
.lv dl{font-size:.93rem}
.sw{display:flex;gap:.6rem;align-items:flex-start;margin:.5rem 0}
.sw input{width:1.2rem;height:1.2rem;margin-top:.2rem;flex:none}
.sw span b{display:block}
table{border-collapse:collapse;width:100%;font-size:.94rem;background:#fff}
caption{text-align:left;font-weight:700;padding:.3rem 0}
th,td{text-align:left;vertical-align:top;border-bottom:1px solid var(--soft);padding:.4rem .5rem}
th{background:#f1f0ec}
.scroll{overflow-x:auto}
details{margin:.4rem 0}
summary{cursor:pointer;color:var(--link);text-decoration:underline}
.grid{list-style:none;margin:0;padding:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(13rem,1fr));gap:1rem}
.tile{background:var(--card);border:1px solid var(--soft);border-radius:.6rem;overflow:hidden;display:flex;flex-direction:column}
.tile .pic{aspect-ratio:2/1;display:flex;align-items:flex-end;padding:.6rem .8rem;font-size:.88rem;color:var(--ink)}
.tile .body{padding:.6rem .8rem .9rem;display:flex;flex-direction:column;gap:.3rem;flex:1}
.tile a{font-weight:600}
.price{font-weight:700}
.pic.c0{background:#e8eef6}.pic.c1{background:#f3ece1}.pic.c2{background:#e7f1ea}.pic.c3{background:#f4e6ea}
.pic.c4{background:#ece8f5}.pic.c5{background:#e6f1f3}.pic.c6{background:#f1f0e1}.pic.c7{background:#f2e9e4}
.product{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:1.5rem;align-items:start}
.product .pic{aspect-ratio:4/3;border-radius:.6rem;display:flex;align-items:flex-end;padding:1rem}
.crumbs{font-size:.95rem;margin:.2rem 0 .6rem}
.crumbs ol{list-style:none;display:flex;flex-wrap:wrap;gap:.3rem;margin:0;padding:0}
.crumbs li+li::before{content:"›";margin-right:.3rem;color:var(--muted)}
.recs{margin-top:1.5rem}
.hero{background:var(--card);border:1px solid var(--soft);border-radius:.8rem;padding:1.2rem 1.3rem;margin:1rem 0}
.search{display:flex;gap:.4rem}
.search input{font:inherit;min-height:2.5rem;padding:.3rem .6rem;border:1px solid var(--line);border-radius:.4rem;min-width:0;flex:1}
.cart-lines td:last-child,.cart-lines th:last-child{text-align:right}
@media (max-width:40rem){.product{grid-template-columns:1fr}dl{grid-template-columns:1fr}h1{font-size:1.45rem}}
`;
