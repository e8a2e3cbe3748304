/**
 * The SDK's only CSS, inside its shadow roots so it neither leaks into nor inherits from the
 * shop's page. Colours are chosen for contrast ≥ 7:1 (text) and ≥ 3:1 (focus ring, borders);
 * "Ablehnen" and "Akzeptieren" share one class, so they share size and colours (C4).
 */
export const CSS = `
:host{all:initial;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a}
*{box-sizing:border-box}
:focus-visible{outline:3px solid #1e40af;outline-offset:2px}
h2{font-size:1.2rem;margin:0 0 .4rem}h3{font-size:1.05rem;margin:.8rem 0 .2rem}h4{font-size:1rem;margin:.4rem 0 .1rem}
p{margin:.3rem 0}
dl{margin:.2rem 0;display:grid;grid-template-columns:max-content 1fr;gap:0 .5rem;font-size:.9em}
dt{font-weight:600}dd{margin:0}
.btn{font:inherit;font-weight:600;min-width:9rem;min-height:2.75rem;padding:.5rem 1rem;border:2px solid #1e3a5f;border-radius:.4rem;background:#1e3a5f;color:#fff;cursor:pointer}
.btn:hover{background:#16304f}
.lnk{font:inherit;background:none;border:0;padding:.25rem 0;color:#1e40af;text-decoration:underline;cursor:pointer}
.bd{position:fixed;inset:0;background:rgba(0,0,0,.45);z-index:2147483646}
.dlg{position:fixed;z-index:2147483647;left:50%;bottom:0;transform:translateX(-50%);width:min(44rem,100%);max-height:100dvh;overflow:auto;background:#fff;border:1px solid #595959;border-radius:.6rem .6rem 0 0;padding:1rem 1rem 0;box-shadow:0 -4px 24px rgba(0,0,0,.25)}
.dlg[data-modal]{top:50%;bottom:auto;transform:translate(-50%,-50%);border-radius:.6rem;max-height:96dvh}
.x{position:absolute;top:.4rem;right:.4rem;font:inherit;font-size:1.4rem;line-height:1;width:2.75rem;height:2.75rem;background:none;border:0;color:#1a1a1a;cursor:pointer}
.lv{display:flex;gap:.5rem;align-items:flex-start;border:1px solid #767676;border-radius:.4rem;padding:.4rem .6rem;margin:.3rem 0;cursor:pointer}
.lv:has(input:checked){border:2px solid #1e3a5f;background:#eef3fa}
.lv input{margin-top:.3rem;width:1.1rem;height:1.1rem;flex:none}
.lv b{display:block}
fieldset{border:0;margin:0;padding:0}legend{font-weight:600;padding:0}
.note{background:#fff7e0;border:1px solid #8a6d00;border-radius:.4rem;padding:.4rem .6rem}
.acts{position:sticky;bottom:0;background:#fff;display:flex;flex-wrap:wrap;gap:.5rem;padding:.6rem 0 .8rem;border-top:1px solid #d0d0d0;margin-top:.5rem}
.acts .btn,.row .btn{flex:1 1 9rem}
.row{display:flex;flex-wrap:wrap;gap:.5rem;padding:.3rem 0}
.pp{border-top:1px solid #d0d0d0;padding:.3rem 0}
.sw{display:flex;gap:.5rem;align-items:center;font-weight:600;margin:.3rem 0}
.sw input{width:1.2rem;height:1.2rem}
.muted{color:#4a4a4a;font-size:.9em}
.fab{position:fixed;left:.75rem;bottom:.75rem;z-index:2147483645;font:inherit;font-size:.9rem;padding:.45rem .8rem;border-radius:2rem;border:2px solid #fff;background:#1e3a5f;color:#fff;cursor:pointer;box-shadow:0 1px 6px rgba(0,0,0,.35)}
.w ul{list-style:none;margin:0;padding:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(11rem,1fr));gap:.75rem}
.w li{border:1px solid #c4c4c4;border-radius:.4rem;padding:.6rem}
.w a{color:#1e40af}
.w .hd{display:flex;flex-wrap:wrap;justify-content:space-between;align-items:center;gap:.5rem;margin-bottom:.5rem}
.why{margin-top:.4rem;padding:.4rem;background:#f4f6f9;border-radius:.3rem;font-size:.9em}
.why ul,.why dl{display:block}.why li{border:0;padding:.1rem 0}.why dd{margin:0 0 .3rem}
.w li{overflow-wrap:anywhere}
.w [data-status]:empty{display:none}.w [data-status]{background:#eaf5ee;border:1px solid #14532d;color:#14532d;border-radius:.4rem;padding:.3rem .6rem}
.sr{position:absolute;left:-9999px}
.rw{display:none}
@media (max-width:30rem){:host{font-size:14px;line-height:1.4}.dlg{padding:.6rem .7rem 0}h2{font-size:1.1rem;margin-right:2.5rem}.lv{padding:.3rem .5rem;margin:.25rem 0}.lv dl{display:none}.rw{display:inline;font-weight:600}.acts{padding:.5rem 0 .6rem}.btn{min-height:2.75rem}}
`;

let sheet: CSSStyleSheet | null | undefined;

/**
 * Styles a shadow root. A constructed stylesheet where the browser has them: the CSSOM is not
 * subject to a page's Content-Security-Policy, so a shop with `style-src 'self'` (as Vitrine's
 * own pages) needs no 'unsafe-inline' for the SDK; a `<style>` element elsewhere.
 */
export function styleRoot(root: ShadowRoot): Node[] {
  if (sheet === undefined) {
    try {
      sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
    } catch {
      sheet = null;
    }
  }
  if (sheet && 'adoptedStyleSheets' in root) {
    root.adoptedStyleSheets = [sheet];
    return [];
  }
  const style = document.createElement('style');
  style.textContent = CSS;
  return [style];
}
