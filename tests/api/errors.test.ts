import { StorageError } from '@vitrine/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drivers, type Harness, openHarness } from './harness';

describe.each(drivers())('storage errors at the edge (%s)', (driver) => {
  let h: Harness;
  beforeAll(async () => {
    h = await openHarness(driver);
  });
  afterAll(() => h.close());

  /** Makes the next reads of one repository fail with `code`, as the store reports a database failure. */
  const failing = async (code: StorageError['code'], run: () => Response | Promise<Response>) => {
    const catalog = h.vitrine.store.catalog;
    const real = catalog.get;
    catalog.get = async () => {
      throw new StorageError(code, 'Could not read the item: select * from items failed.');
    };
    try {
      return await run();
    } finally {
      catalog.get = real;
    }
  };
  const getItem = () =>
    h.app.request('/v1/items/sku-1', { headers: { authorization: `Bearer ${h.shop.secretKey}` } });

  it('a database outage answers 503 unavailable with Retry-After, not 500', async () => {
    const res = await failing('unavailable', getItem);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('unavailable');
    expect(body.error.message).toMatch(/try again/i);
  });

  it('any other storage failure answers 500 internal, without SQL or internals', async () => {
    const res = await failing('failed', getItem);
    expect(res.status).toBe(500);
    expect(res.headers.get('retry-after')).toBeNull();
    const text = await res.text();
    expect(JSON.parse(text).error.code).toBe('internal');
    expect(text).not.toMatch(/select|items failed/i);
  });
});
