import type { EventInput, ItemInput } from '@vitrine/contracts';
import type { Random } from './random';
import type { Visitor } from './types';

/** One visit to the shop: writes its events with a plausible pause before each. */
export class Session {
  readonly events: EventInput[] = [];
  readonly cart: ItemInput[] = [];
  readonly bought: ItemInput[] = [];
  readonly #r: Random;
  readonly #visitor: Visitor;
  readonly #id: string;
  #t: number;

  constructor(r: Random, visitor: Visitor, start: number) {
    this.#r = r;
    this.#visitor = visitor;
    this.#id = `ses_${r.id(12)}`;
    this.#t = start;
  }

  /** Time of the last event. */
  get end(): number {
    return this.#t;
  }

  view(item: ItemInput): void {
    this.#pause(Math.exp(this.#r.normal(Math.log(45), 0.7)));
    this.events.push({ ...this.#envelope(`/p/${item.id}`), type: 'view', item_id: item.id });
  }

  search(query: string, results: readonly ItemInput[]): void {
    this.#pause(this.#r.int(5, 25));
    this.events.push({
      ...this.#envelope(`/suche?q=${encodeURIComponent(query)}`),
      type: 'search',
      query,
      results: results.map((i) => i.id),
    });
  }

  add(item: ItemInput, quantity: number): void {
    this.#pause(this.#r.int(5, 40));
    this.cart.push(item);
    this.events.push({ ...this.#envelope(`/p/${item.id}`), type: 'add_to_cart', item_id: item.id, quantity });
  }

  remove(item: ItemInput): void {
    this.#pause(this.#r.int(20, 240));
    this.cart.splice(this.cart.indexOf(item), 1);
    this.events.push({
      ...this.#envelope('/warenkorb'),
      type: 'remove_from_cart',
      item_id: item.id,
      quantity: 1,
    });
  }

  purchase(lines: ReadonlyArray<{ item: ItemInput; quantity: number }>): void {
    this.#pause(this.#r.int(60, 300));
    this.bought.push(...lines.map((l) => l.item));
    this.events.push({
      ...this.#envelope('/kasse/bestaetigung'),
      type: 'purchase',
      order_id: `ord_${this.#r.id(12)}`,
      currency: 'EUR',
      lines: lines.map((l) => ({ item_id: l.item.id, quantity: l.quantity, price: l.item.price })),
    });
  }

  /** Buys a consumable again straight from the order history. */
  repurchase(item: ItemInput, quantity: number): void {
    this.#pause(this.#r.int(10, 60));
    this.events.push({ ...this.#envelope('/konto/bestellungen'), type: 'view', item_id: item.id });
    this.add(item, quantity);
    this.purchase([{ item, quantity }]);
  }

  #pause(seconds: number): void {
    this.#t += Math.round(Math.min(Math.max(seconds, 3), 600) * 1000);
  }

  #envelope(page: string) {
    const { subject, device, region } = this.#visitor;
    return {
      subject_id: subject.id,
      session_id: this.#id,
      ts: new Date(this.#t).toISOString(),
      context: { device, region, page },
    };
  }
}
