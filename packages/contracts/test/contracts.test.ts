import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  type ERROR_STATUS,
  type ErrorCode,
  EventInput,
  formatPath,
  ItemInput,
  isVitrineError,
  newId,
  newTimeId,
  VitrineError,
} from '../src/index';

describe('contracts', () => {
  it('every error code has an HTTP status, and errors serialise to the stable JSON shape', () => {
    expectTypeOf<keyof typeof ERROR_STATUS>().toEqualTypeOf<ErrorCode>();
    const e = new VitrineError('validation_failed', 'price must be 0 or more', { field: 'items[1].price' });
    expect(e.status).toBe(400);
    expect(e.toJSON()).toEqual({
      error: { code: 'validation_failed', message: 'price must be 0 or more', field: 'items[1].price' },
    });
    expect(isVitrineError(e)).toBe(true);
    expect(isVitrineError(new Error('x'))).toBe(false);
    // @ts-expect-error a code outside the closed set does not compile
    new VitrineError('teapot', 'no');
  });

  it('formats field paths as a client writes them', () => {
    expect(formatPath(['lines', 0, 'item_id'], 'events[3]')).toBe('events[3].lines[0].item_id');
    expect(formatPath(['price'])).toBe('price');
  });

  it('ids carry their prefix; time ids sort by creation time', () => {
    expect(newId('subject')).toMatch(/^sub_[0-9a-z]{16}$/);
    const a = newTimeId('event', 1_700_000_000_000);
    const b = newTimeId('event', 1_700_000_000_001);
    expect(a < b).toBe(true);
    expect(new Set(Array.from({ length: 1000 }, () => newId('event'))).size).toBe(1000);
  });

  it('applies defaults and names what is wrong', () => {
    const item = ItemInput.parse({ id: 'sku-1', title: 'Vase', price: 19 });
    expect(item).toMatchObject({ currency: 'EUR', available: true, category_path: [], attributes: {} });
    const bad = EventInput.safeParse({
      type: 'add_to_cart',
      subject_id: 'kunde',
      session_id: 's',
      item_id: 'x',
    });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(['subject_id']);
    const cart = EventInput.parse({
      type: 'add_to_cart',
      subject_id: 'sub_1',
      session_id: 's',
      item_id: 'x',
    });
    expect(cart).toMatchObject({ quantity: 1 });
  });
});
