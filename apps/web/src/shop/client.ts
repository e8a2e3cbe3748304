import type { RecommendOptions, VitrineClient } from '@vitrine/sdk';
import { h } from '@vitrine/sdk/dom';
import { CART_KEY } from './cart';
import type { PageData, ShopItem } from './pages';
import { SHOP_TEXTS } from './texts';

/**
 * The demo storefront's script: what a shop writes around the SDK. The SDK (loaded before it
 * with one script tag) does consent, tracking and widgets; this script calls it per page and
 * keeps the cart (see `CART_KEY`).
 */

interface Line {
  id: string;
  title: string;
  price: number;
  qty: number;
}

const data = JSON.parse(document.getElementById('vt-data')!.textContent!) as PageData;
const t = SHOP_TEXTS[data.lang];
const vt = (window as unknown as { Vitrine: { client: VitrineClient | null } }).Vitrine.client!;
const $ = <T extends HTMLElement = HTMLElement>(sel: string) => document.querySelector<T>(sel);
const langQuery = data.lang === 'en' ? '?lang=en' : '';
const href = (item: { id: string }) => `${data.base}/p/${encodeURIComponent(item.id)}${langQuery}`;
const money = (n: number) =>
  new Intl.NumberFormat(t.locale, { style: 'currency', currency: 'EUR' }).format(n);

function readCart(): Line[] {
  try {
    return JSON.parse(sessionStorage.getItem(CART_KEY) ?? '[]') as Line[];
  } catch {
    return [];
  }
}

function writeCart(lines: Line[]): void {
  if (lines.length === 0) sessionStorage.removeItem(CART_KEY);
  else sessionStorage.setItem(CART_KEY, JSON.stringify(lines));
  showCount();
}

function showCount(): void {
  const n = readCart().reduce((s, l) => s + l.qty, 0);
  const a = $('#cart-link');
  if (a) {
    a.textContent = t.cartCount(n);
    a.dataset.count = String(n);
  }
}

const widget = (target: string, opts: RecommendOptions) =>
  vt.recommend(target, { limit: 4, href, ...opts }).catch(() => undefined);

function addToCart(item: ShopItem): void {
  const lines = readCart();
  const line = lines.find((l) => l.id === item.id);
  if (line) line.qty++;
  else lines.push({ id: item.id, title: item.title, price: item.price, qty: 1 });
  writeCart(lines);
  vt.addToCart(item.id);
  const s = $('#cart-status');
  if (s) s.textContent = t.added(item.title);
}

function showCart(editable: boolean): void {
  const box = $('#cart');
  if (!box) return;
  const lines = readCart();
  const checkout = $<HTMLAnchorElement | HTMLButtonElement>(editable ? '#to-checkout' : '#buy');
  if (lines.length === 0) {
    box.replaceChildren(h('p', {}, t.cartEmpty));
    checkout?.setAttribute('hidden', '');
    return;
  }
  const total = lines.reduce((s, l) => s + l.qty * l.price, 0);
  const rows = lines.map((l) => {
    const remove = h(
      'button',
      { type: 'button', class: 'lnk', 'aria-label': t.removeItem(l.title), 'data-remove': l.id },
      t.remove,
    );
    remove.onclick = () => {
      writeCart(readCart().filter((x) => x.id !== l.id));
      vt.removeFromCart(l.id, l.qty);
      showCart(editable);
    };
    return h(
      'tr',
      { 'data-line': l.id },
      h('td', {}, h('a', { href: href(l) }, l.title), editable ? ' · ' : '', editable ? remove : ''),
      h('td', {}, String(l.qty)),
      h('td', {}, money(l.qty * l.price)),
    );
  });
  box.replaceChildren(
    h(
      'table',
      { class: 'cart-lines' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, t.item),
          h('th', { scope: 'col' }, t.quantity),
          h('th', { scope: 'col' }, t.price),
        ),
      ),
      h('tbody', {}, ...rows),
      h('tfoot', {}, h('tr', {}, h('th', { scope: 'row', colspan: 2 }, t.total), h('td', {}, money(total)))),
    ),
  );
}

async function rankGrid(ids: string[]): Promise<void> {
  const grid = $('#grid');
  const note = $('#rank-note');
  if (!grid || ids.length === 0) return;
  const r = await vt.rank(ids).catch(() => null);
  if (!r) return;
  const tiles = new Map(Array.from(grid.children).map((el) => [(el as HTMLElement).dataset.item, el]));
  grid.replaceChildren(...r.items.map((id) => tiles.get(id)).filter((el): el is Element => el !== undefined));
  grid.dataset.personalized = String(r.personalized);
  if (note)
    note.textContent = r.onDevice ? t.sortedOnDevice : r.personalized ? t.sortedPersonal : t.sortedNeutral;
}

showCount();
switch (data.page) {
  case 'home':
    void widget('#recs-for-you', { scenario: 'for_you', title: t.forYou, limit: 8 });
    void widget('#recs-trending', { scenario: 'trending', title: t.trending, limit: 8 });
    break;
  case 'category':
    void rankGrid(data.items);
    break;
  case 'search':
    vt.search(data.q, data.items.slice(0, 100));
    break;
  case 'product': {
    const item = data.item;
    vt.view(item.id);
    const add = $('#add-to-cart');
    if (add) add.onclick = () => addToCart(item);
    void widget('#recs-similar', { scenario: 'similar', item_id: item.id, title: t.similar });
    void widget('#recs-together', { scenario: 'bought_together', item_id: item.id, title: t.together });
    void widget('#recs-for-you', { scenario: 'for_you', item_id: item.id, title: t.alsoForYou });
    break;
  }
  case 'cart':
    showCart(true);
    void widget('#recs-offer', { scenario: 'next_best_offer', title: t.offer });
    break;
  case 'checkout': {
    showCart(false);
    const buy = $<HTMLButtonElement>('#buy');
    if (buy)
      buy.onclick = async () => {
        const lines = readCart();
        if (lines.length === 0) return;
        const order = `demo-${Date.now().toString(36)}`;
        vt.purchase(
          order,
          lines.map((l) => ({ item_id: l.id, quantity: l.qty, price: l.price })),
        );
        await vt.flush();
        writeCart([]);
        showCart(false);
        buy.hidden = true;
        const s = $('#cart-status');
        if (s) {
          s.className = 'ok';
          s.textContent = t.thanks(order);
        }
        void widget('#recs-offer', { scenario: 'for_you', title: t.alsoForYou });
      };
    break;
  }
  case 'privacy':
    vt.privacyCenter('#center');
    break;
}
