import { upsertCatalog } from '@vitrine/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drivers, type Harness, openHarness } from './harness';

describe.each(drivers())('catalog over HTTP (%s)', (driver) => {
  let h: Harness;
  beforeAll(async () => {
    h = await openHarness(driver);
  });
  afterAll(() => h.close());
  const upsert = (items: unknown[], query = '') =>
    h.request(`/v1/items${query}`, { key: h.shop.secretKey, body: { items } });

  it('upserts items and replaces changed fields', async () => {
    const r = await upsert([
      {
        id: 'sku-1',
        title: 'Teekanne Aurora',
        category_path: ['Küche', 'Teekannen'],
        price: 39.95,
        attributes: { farbe: 'Salbei' },
      },
      { id: 'sku-2', title: 'Teetasse Aurora', price: 9.95, available: false },
    ]);
    expect(r.body).toEqual({ upserted: 2, rejected: [] });
    await upsert([
      { id: 'sku-1', title: 'Teekanne Aurora, 1,2 l', category_path: ['Küche', 'Teekannen'], price: 34.95 },
    ]);
    const item = await h.request('/v1/items/sku-1', { key: h.shop.secretKey });
    expect(item.body).toMatchObject({
      id: 'sku-1',
      title: 'Teekanne Aurora, 1,2 l',
      price: 34.95,
      currency: 'EUR',
      available: true,
    });
  });

  it('reports a bad row with its index, field and reason; good rows are stored; nothing stored is lost', async () => {
    const r = await upsert([
      { id: 'sku-3', title: 'Kerze Winterwald', price: 12.95 },
      { id: 'sku-1', title: 'Teekanne kaputt', price: -5 },
      { id: 'sku 4', title: 'Leerzeichen', price: 1 },
    ]);
    expect(r.status).toBe(200);
    expect(r.body.upserted).toBe(1);
    expect(r.body.rejected).toEqual([
      { index: 1, field: 'items[1].price', message: 'price must be 0 or more' },
      expect.objectContaining({ index: 2, field: 'items[2].id' }),
    ]);
    const kept = await h.request('/v1/items/sku-1', { key: h.shop.secretKey });
    expect(kept.body.price).toBe(34.95);
  });

  it('strict mode refuses the whole batch and changes nothing', async () => {
    const before = await h.vitrine.store.catalog.count(h.shop.shopId);
    const r = await upsert(
      [
        { id: 'sku-5', title: 'Vase', price: 20 },
        { id: 'sku-2', title: 'Teetasse', price: 9.95, currency: 'euro' },
      ],
      '?strict=true',
    );
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('validation_failed');
    expect(r.body.error.field).toBe('items[1].currency');
    expect(r.body.error.message).toMatch(/strict mode nothing was imported/);
    expect(await h.vitrine.store.catalog.count(h.shop.shopId)).toBe(before);
    expect((await h.request('/v1/items/sku-5', { key: h.shop.secretKey })).status).toBe(404);
  });

  it('an empty or oversized request is refused with the field named', async () => {
    const r = await upsert([]);
    expect(r.status).toBe(400);
    expect(r.body.error.field).toBe('items');
  });

  it('items written to the store by another process (a file import) reach the running service at the next sync', async () => {
    const rt = await h.vitrine.shop(h.shop.shopId);
    h.clock.now += 1000;
    await upsertCatalog(
      h.vitrine.store,
      h.shop.shopId,
      [{ index: 1, raw: { id: 'sku-file', title: 'Gießkanne Zink', price: 29 } }],
      {
        strict: true,
        now: h.clock.now,
      },
    );
    expect(rt.catalog.has('sku-file')).toBe(false);
    expect(await h.vitrine.syncCatalog(rt)).toBeGreaterThanOrEqual(1);
    expect(rt.catalog.get('sku-file')?.title).toBe('Gießkanne Zink');
    expect(rt.models.titleOf('sku-file')).toBe('Gießkanne Zink');
  });
});
