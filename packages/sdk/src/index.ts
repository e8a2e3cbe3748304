import { type ConsentInfo, type InitOptions, type TrackEvent, VitrineClient } from './vitrine';
import type { RecommendOptions, Widget } from './widget';

export type { NeighbourTable } from './ranking';
export type { ConsentInfo, InitOptions, RecommendOptions, TrackEvent, VitrineClient, Widget };

let current: VitrineClient | null = null;

function client(): VitrineClient {
  if (!current) throw new Error('Vitrine: call Vitrine.init({ api, publicKey, shopId }) first');
  return current;
}

/**
 * The global `Vitrine`: `init` starts the SDK for one shop; the other methods act on that
 * instance, so a shop's inline scripts can call `Vitrine.track(…)` without keeping it.
 */
export const Vitrine = {
  version: '0.1.0',
  init(opts: InitOptions): VitrineClient {
    current?.destroy();
    current = new VitrineClient(opts);
    return current;
  },
  get client(): VitrineClient | null {
    return current;
  },
  track: (e: TrackEvent) => client().track(e),
  view: (itemId: string) => client().view(itemId),
  search: (query: string, results?: string[]) => client().search(query, results),
  addToCart: (itemId: string, quantity?: number) => client().addToCart(itemId, quantity),
  removeFromCart: (itemId: string, quantity?: number) => client().removeFromCart(itemId, quantity),
  purchase: (
    orderId: string,
    lines: Array<{ item_id: string; quantity: number; price: number }>,
    currency?: string,
  ) => client().purchase(orderId, lines, currency),
  recommend: (target: HTMLElement | string, opts?: RecommendOptions) => client().recommend(target, opts),
  rank: (items: string[]) => client().rank(items),
  excludeItem: (itemId: string) => client().excludeItem(itemId),
  openSettings: () => client().openSettings(),
  privacyCenter: (target: HTMLElement | string) => client().privacyCenter(target),
  openPrivacyCenter: () => client().openPrivacyCenter(),
  withdraw: () => client().withdraw(),
  consent: () => client().consent(),
};

/** One script tag is enough: `<script src="vitrine.js" data-api=… data-public-key=… data-shop=…>`. */
function autoInit(): void {
  const s = document.currentScript as HTMLScriptElement | null;
  const d = s?.dataset;
  if (!d?.publicKey || !d.api || !d.shop) return;
  const start = () =>
    Vitrine.init({
      api: d.api!,
      publicKey: d.publicKey!,
      shopId: d.shop!,
      ...(d.lang === 'en' || d.lang === 'de' ? { lang: d.lang } : {}),
    });
  if (document.body) start();
  else addEventListener('DOMContentLoaded', start, { once: true });
}

if (typeof window !== 'undefined') {
  (window as unknown as { Vitrine: typeof Vitrine }).Vitrine = Vitrine;
  autoInit();
}
