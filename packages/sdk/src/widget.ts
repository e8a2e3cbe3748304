import { formatPrice, formatTime, h, uid } from './dom';
import type { MESSAGES } from './messages';
import { styleRoot } from './styles';

/** One reason of a recommendation, as the widget shows it (T3). */
export interface ShownReason {
  text: string;
  /** Label of the data category behind it; null for reasons not about the customer. */
  data: string | null;
  /** The customer's own data points used: item ids and when. */
  items: string[];
  times: string[];
  /** Computed on the device from the visit (on-device mode); nothing of it was sent. */
  local: boolean;
}

export interface ShownItem {
  id: string;
  title: string | null;
  price: number | null;
  reasons: ShownReason[];
}

export interface ShownList {
  items: ShownItem[];
  personalized: boolean;
}

export interface RecommendOptions {
  scenario?: 'similar' | 'bought_together' | 'trending' | 'for_you' | 'rank' | 'next_best_offer';
  item_id?: string;
  items?: string[];
  category?: string[];
  limit?: number;
  /** Heading of the list; "Empfehlungen" / "Recommendations" when not given. */
  title?: string;
  /** Link of an item's page; items are not links when not given. */
  href?: (item: ShownItem) => string;
  /** Start with non-personalized results (T4); the customer can switch either way. */
  nonPersonalized?: boolean;
}

export interface WidgetHost {
  m: (typeof MESSAGES)['de'];
  load(opts: RecommendOptions, nonPersonalized: boolean): Promise<ShownList>;
  titleOf(id: string): string;
  /** "Don't use this": 'done' when it took effect, 'unavailable' when it cannot be done here. */
  exclude(itemId: string, local: boolean): Promise<'done' | 'unavailable'>;
}

/**
 * A recommendation list rendered into a shop's container (its own shadow root). Each item has a
 * "Warum?" control with the real reasons and the data used, and a "don't use this" action per
 * data point; the list has a switch to non-personalized results (T3, T4).
 */
export class Widget {
  private readonly root: ShadowRoot;
  private nonPersonalized: boolean;
  last: ShownList | null = null;

  constructor(
    readonly el: HTMLElement,
    private readonly host: WidgetHost,
    private readonly opts: RecommendOptions,
  ) {
    this.root = el.shadowRoot ?? el.attachShadow({ mode: 'open' });
    this.nonPersonalized = opts.nonPersonalized === true;
  }

  async refresh(): Promise<ShownList | null> {
    try {
      this.last = await this.host.load(this.opts, this.nonPersonalized);
    } catch {
      this.last = null;
    }
    this.render();
    return this.last;
  }

  private render(): void {
    const { m } = this.host;
    const titleId = uid('w');
    const list = this.last;
    const body = !list
      ? h('p', { role: 'status' }, m.loadFailed)
      : list.items.length === 0
        ? h('p', {}, m.noItems)
        : h('ul', {}, ...list.items.map((item) => this.item(item)));
    this.root.replaceChildren(
      ...styleRoot(this.root),
      h(
        'section',
        { class: 'w', 'aria-labelledby': titleId, 'data-personalized': String(list?.personalized === true) },
        h(
          'div',
          { class: 'hd' },
          h('h2', { id: titleId }, this.opts.title ?? m.recommendations),
          h(
            'label',
            { class: 'sw' },
            h('input', {
              type: 'checkbox',
              role: 'switch',
              'data-action': 'non-personalized',
              checked: this.nonPersonalized,
              onchange: (e) => {
                this.nonPersonalized = (e.target as HTMLInputElement).checked;
                void this.refresh().then(() =>
                  this.root.querySelector<HTMLElement>('[data-action=non-personalized]')?.focus(),
                );
              },
            }),
            m.nonPersonalized,
          ),
        ),
        // What "don't use this" did: the list reloads, this live region says so.
        h('p', { role: 'status', 'aria-live': 'polite', 'data-status': true }),
        body,
      ),
    );
  }

  private item(item: ShownItem): HTMLElement {
    const { m } = this.host;
    const panelId = uid('why');
    const nameId = uid('name');
    const title = item.title ?? item.id;
    const href = this.opts.href?.(item);
    const panel = h('div', { class: 'why', id: panelId, hidden: true }, ...this.reasons(item));
    return h(
      'li',
      { 'data-item': item.id },
      href ? h('a', { href, id: nameId }, title) : h('span', { id: nameId }, title),
      item.price !== null && h('p', {}, formatPrice(item.price, m.locale)),
      h(
        'button',
        {
          type: 'button',
          class: 'lnk',
          'data-action': 'why',
          'aria-expanded': 'false',
          'aria-controls': panelId,
          'aria-describedby': nameId,
          onclick: (e) => {
            const b = e.currentTarget as HTMLElement;
            const open = panel.hidden;
            panel.hidden = !open;
            b.setAttribute('aria-expanded', String(open));
          },
        },
        m.why,
      ),
      panel,
    );
  }

  private reasons(item: ShownItem): Node[] {
    const { m } = this.host;
    const personal = item.reasons.filter((r) => r.data !== null || r.local);
    const out: Node[] = [
      h('p', {}, h('strong', {}, m.whyTitle)),
      h('ul', {}, ...item.reasons.map((r) => h('li', { 'data-reason': true }, r.text))),
    ];
    if (personal.length === 0) {
      out.push(h('p', {}, m.notPersonal));
      return out;
    }
    const rows: Node[] = [];
    for (const r of personal) {
      const items = r.items.map((id) => this.host.titleOf(id)).join(', ');
      const times = r.times.map((t) => formatTime(t, m.locale)).join(', ');
      rows.push(
        h('dt', {}, r.data ?? m.onDeviceData),
        h(
          'dd',
          { 'data-used': true },
          items && m.seen(items),
          times && ` (${m.at(times)})`,
          ...r.items.map((id) =>
            h(
              'button',
              {
                type: 'button',
                class: 'lnk',
                'data-action': 'dont-use',
                'data-evidence': id,
                'aria-label': `${m.dontUse}: ${this.host.titleOf(id)}`,
                onclick: async () => {
                  const r2 = await this.host.exclude(id, r.local);
                  // "done" reloads the list; the word goes into the list's own live region.
                  const said = r2 === 'done' ? m.dontUseDone : m.dontUseUnavailable;
                  const status = this.root.querySelector('[data-status]');
                  if (status) status.textContent = said;
                },
              },
              m.dontUse,
            ),
          ),
        ),
      );
    }
    out.push(h('p', {}, h('strong', {}, m.dataUsed)), h('dl', {}, ...rows), h('p', {}, m.otherData));
    return out;
  }
}
