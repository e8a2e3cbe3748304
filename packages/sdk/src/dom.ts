type Child = Node | string | null | undefined | false;
type Attrs = Record<string, string | boolean | number | ((e: Event) => void) | undefined | null>;

/** A tiny element builder: `on…` attributes become listeners, `true` an empty attribute. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (typeof v === 'function') el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(c);
  return el;
}

let counter = 0;
/** Ids unique within the page, for aria-controls / aria-labelledby. */
export const uid = (prefix: string): string => `vt-${prefix}-${++counter}`;

const FOCUSABLE =
  'a[href],button:not([disabled]),input:not([disabled]),select,textarea,[tabindex]:not([tabindex="-1"])';

/** The visible, focusable elements inside `root`, in DOM order. */
export function focusables(root: ParentNode): HTMLElement[] {
  return Array.from(root.querySelectorAll<HTMLElement>(FOCUSABLE)).filter(
    (el) => el.offsetParent !== null || el.getClientRects().length > 0,
  );
}

/** Keeps Tab and Shift+Tab inside `box` (a modal dialog); `active` reads focus inside the shadow root. */
export function trapTab(e: KeyboardEvent, box: HTMLElement, active: Element | null): void {
  if (e.key !== 'Tab') return;
  const list = focusables(box);
  if (list.length === 0) return;
  const first = list[0]!;
  const last = list[list.length - 1]!;
  const inside = active !== null && box.contains(active);
  if (e.shiftKey && (active === first || !inside)) {
    e.preventDefault();
    last.focus();
  } else if (!e.shiftKey && (active === last || !inside)) {
    e.preventDefault();
    first.focus();
  }
}

export function formatTime(iso: string, locale: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime())
    ? iso
    : d.toLocaleString(locale, { day: 'numeric', month: 'long', hour: '2-digit', minute: '2-digit' });
}

export function formatPrice(price: number | null, locale: string, currency = 'EUR'): string {
  return price === null ? '' : new Intl.NumberFormat(locale, { style: 'currency', currency }).format(price);
}
