import { describe, expectTypeOf, it } from 'vitest';
import type { ConsentInfo, InitOptions, TrackEvent, Vitrine, VitrineClient } from '../src/index';

describe('public API types', () => {
  it('init takes the shop, key and API; the client tracks only known events', () => {
    expectTypeOf<typeof Vitrine.init>().parameter(0).toEqualTypeOf<InitOptions>();
    expectTypeOf<typeof Vitrine.init>().returns.toEqualTypeOf<VitrineClient>();
    expectTypeOf<VitrineClient['consent']>().returns.toEqualTypeOf<ConsentInfo>();
    expectTypeOf<ConsentInfo['level']>().toEqualTypeOf<0 | 1 | 2 | 3>();
    expectTypeOf<{ type: 'view'; item_id: string }>().toMatchTypeOf<TrackEvent>();
    // @ts-expect-error an event type the API does not know
    expectTypeOf<{ type: 'click'; item_id: string }>().toMatchTypeOf<TrackEvent>();
    // @ts-expect-error a purchase needs its lines
    expectTypeOf<{ type: 'purchase'; order_id: string }>().toMatchTypeOf<TrackEvent>();
    expectTypeOf<VitrineClient['excludeItem']>().returns.resolves.toEqualTypeOf<'done' | 'unavailable'>();
  });
});
