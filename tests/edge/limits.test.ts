import { DEFAULT_LIMITS, type Limits } from '@vitrine/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consentTo, drivers, type Harness, openHarness, TEST_LIMITS } from '../api/harness';

/** The JSON error shape every refusal has: a stable code, a message, the field. */
function expectError(r: { status: number; body: any }, status: number, code: string, field?: string) {
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  expect(r.body.error.code).toBe(code);
  expect(typeof r.body.error.message).toBe('string');
  expect(r.body.error.message.length).toBeGreaterThan(20);
  if (field !== undefined) expect(r.body.error.field).toBe(field);
}

const view = (subject: string, extra: Record<string, unknown> = {}) => ({
  type: 'view',
  subject_id: subject,
  session_id: 'ses_a',
  item_id: 'sku-1',
  ...extra,
});

describe.each(drivers())('text in bodies (#11, %s)', (driver) => {
  let h: Harness;
  beforeAll(async () => {
    h = await openHarness(driver);
    await consentTo(h, 'sub_text', 2);
  });
  afterAll(() => h.close());

  const raw = (path: string, body: string | Uint8Array, contentType: string, method = 'POST') =>
    h.app.request(path, {
      method,
      headers: { authorization: `Bearer ${h.shop.secretKey}`, 'content-type': contentType },
      body: body as BodyInit,
    });

  it('a body declared in another charset is refused with 415 and a message; nothing is stored', async () => {
    const before = await h.dump();
    // "Übergröße" in latin1: without the check it would be decoded as UTF-8 and stored corrupted.
    const latin1 = Buffer.from(
      JSON.stringify({ events: [view('sub_text', { session_id: 'Übergröße' })] }),
      'latin1',
    );
    for (const type of [
      'application/json; charset=latin1',
      'application/json;charset="ISO-8859-1"',
      'text/plain',
    ]) {
      const res = await raw('/v1/events', latin1, type);
      const body = await res.json();
      expectError({ status: res.status, body }, 415, 'unsupported_media_type', 'content-type');
      expect(body.error.message).toMatch(/UTF-8|application\/json/);
    }
    expect(await h.dump()).toBe(before);
    const ok = await raw(
      '/v1/events',
      JSON.stringify({ events: [view('sub_text')] }),
      'application/json; charset=UTF-8',
    );
    expect(ok.status).toBe(200);
  });

  it('bytes that are not UTF-8 are refused with 400 invalid_json, never stored as U+FFFD', async () => {
    const before = await h.dump();
    const text = JSON.stringify({ items: [{ id: 'sku-x', title: 'Gr__e', price: 1 }] });
    const bytes = Buffer.from(text, 'utf8');
    bytes[bytes.indexOf('__')] = 0xfc; // a latin1 "ü" alone is not UTF-8
    const res = await raw('/v1/items', bytes, 'application/json');
    expectError({ status: res.status, body: await res.json() }, 400, 'invalid_json', '(body)');
    expect(await h.dump()).toBe(before);
  });

  it('lone surrogates and NUL are refused naming the field, in events, consent and items; nothing is stored', async () => {
    const before = await h.dump();
    const cases: Array<[string, string, string, string]> = [
      [
        '/v1/events',
        'POST',
        `{"events":[${JSON.stringify(view('sub_text')).slice(0, -1)},"session_id":"a\\ud800b"}]}`,
        'events[0].session_id',
      ],
      [
        '/v1/events',
        'POST',
        `{"events":[{"type":"search","subject_id":"sub_text","session_id":"s","query":"tee\\u0000"}]}`,
        'events[0].query',
      ],
      [
        '/v1/subjects/sub_text/consent',
        'PUT',
        '{"level":1,"notice_version":1,"language":"de","method":"accept","purposes":{"a\\udc00":true}}',
        'purposes.a\udc00',
      ],
      [
        '/v1/items?strict=true',
        'POST',
        '{"items":[{"id":"sku-1","title":"Vase \\udfff","price":1}]}',
        'items[0].title',
      ],
    ];
    for (const [path, method, body, field] of cases) {
      const res = await raw(path, body, 'application/json', method);
      const json = await res.json();
      expectError({ status: res.status, body: json }, 400, 'validation_failed', field);
      expect(json.error.message).toMatch(/lone UTF-16 surrogate|NUL character/);
    }
    // Items are checked row by row: the bad row is reported with its field, the good one stored.
    const mixed = await raw(
      '/v1/items',
      '{"items":[{"id":"sku-s","title":"Vase \\ud800","price":1},{"id":"sku-ok","title":"Vase","price":1}]}',
      'application/json',
    );
    const report = await mixed.json();
    expect(mixed.status).toBe(200);
    expect(report.upserted).toBe(1);
    expect(report.rejected).toMatchObject([{ index: 0, field: 'items[0].title' }]);
    expect(await h.vitrine.store.catalog.get(h.shop.shopId, 'sku-s')).toBeUndefined();
    expect(before).not.toBe(await h.dump());
  });
});

describe.each(drivers())('body limits (#11, %s)', (driver) => {
  let h: Harness;
  beforeAll(async () => {
    h = await openHarness(driver, { limits: { ...TEST_LIMITS, bodyTimeoutMs: 300 } });
    await consentTo(h, 'sub_big', 2);
  });
  afterAll(() => h.close());

  /** A body sent in chunks without Content-Length, as a client streaming it would. */
  const streamed = (text: string, chunk = 16 * 1024) =>
    new ReadableStream<Uint8Array>({
      start(controller) {
        const bytes = new TextEncoder().encode(text);
        for (let i = 0; i < bytes.length; i += chunk) controller.enqueue(bytes.slice(i, i + chunk));
        controller.close();
      },
    });

  const send = (
    path: string,
    body: string | ReadableStream<Uint8Array>,
    method = 'POST',
    extra: Record<string, string> = {},
  ) =>
    h.app.request(path, {
      method,
      headers: { authorization: `Bearer ${h.shop.secretKey}`, 'content-type': 'application/json', ...extra },
      body,
      ...(typeof body === 'string' ? {} : { duplex: 'half' }),
    } as RequestInit);

  it('each route has its own limit: a full batch of 5,000 events passes, a consent change of the same size gets 413', async () => {
    const events = Array.from({ length: 5000 }, (_, i) => view('sub_big', { session_id: `s${i % 7}` }));
    const batch = JSON.stringify({ events });
    expect(batch.length).toBeGreaterThan(DEFAULT_LIMITS.body.consent);
    expect(batch.length).toBeLessThan(DEFAULT_LIMITS.body.events);
    const ok = await send('/v1/events', batch);
    expect(ok.status).toBe(200);
    expect((await ok.json()).accepted).toBe(5000);

    const before = await h.dump();
    const consent = JSON.stringify({
      level: 1,
      notice_version: 1,
      language: 'de',
      method: 'accept',
      pad: 'x'.repeat(20_000),
    });
    for (const body of [consent, streamed(consent)]) {
      const res = await send('/v1/subjects/sub_big/consent', body, 'PUT');
      expectError({ status: res.status, body: await res.json() }, 413, 'payload_too_large', '(body)');
      expect(res.headers.get('connection')).toBe('close');
    }
    expect(await h.dump()).toBe(before);
  });

  it('a body over the events limit gets 413, declared or streamed; nothing is stored', async () => {
    const before = await h.dump();
    const big = JSON.stringify({
      events: [view('sub_big', { session_id: 'x'.repeat(DEFAULT_LIMITS.body.events) })],
    });
    for (const body of [big, streamed(big, 256 * 1024)]) {
      const res = await send('/v1/events', body);
      const json = await res.json();
      expectError({ status: res.status, body: json }, 413, 'payload_too_large', '(body)');
      expect(json.error.message).toMatch(/4 MiB/);
    }
    expect(await h.dump()).toBe(before);
  });

  it('a body that stops arriving is answered 408 when the body timeout is up, with the JSON error shape', async () => {
    const before = await h.dump();
    const stalled = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"events":['));
        // …and nothing more.
      },
    });
    const t0 = performance.now();
    const res = await send('/v1/events', stalled);
    const ms = performance.now() - t0;
    expectError({ status: res.status, body: await res.json() }, 408, 'request_timeout', '(body)');
    expect(res.headers.get('connection')).toBe('close');
    expect(ms).toBeGreaterThanOrEqual(290);
    expect(ms).toBeLessThan(3000);
    expect(await h.dump()).toBe(before);
  });
});

describe.each(drivers())('rate limits (#11, %s)', (driver) => {
  let h: Harness;
  const limits: Limits = {
    ...DEFAULT_LIMITS,
    rate: {
      secret: { perSecond: 1, burst: 5 },
      public: { perSecond: 1, burst: 8 },
      subject: { perSecond: 1, burst: 3 },
    },
    rateLimitedDelayMs: 0,
  };
  beforeAll(async () => {
    h = await openHarness(driver, { limits });
  });
  afterAll(() => h.close());

  it('a secret key past its burst gets 429 with Retry-After and the JSON error; another shop is not affected', async () => {
    const get = (key: string) => h.request('/v1/notice', { key });
    for (let i = 0; i < 5; i++) expect((await get(h.shop.secretKey)).status).toBe(200);
    const limited = await get(h.shop.secretKey);
    expectError(limited, 429, 'rate_limited', 'authorization');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(limited.body.error.message).toMatch(/Retry-After/);
    // A refused request costs nothing stored and spends nothing of the other shop.
    expect((await get(h.other.secretKey)).status).toBe(200);
  });

  it('the public key is limited per subject token as well as per key', async () => {
    const pk = h.other.publicKey;
    const a = await h.request('/v1/subjects', { key: pk, method: 'POST' });
    const b = await h.request('/v1/subjects', { key: pk, method: 'POST' });
    const consent = (s: { subject_id: string; token: string }) =>
      h.request(`/v1/subjects/${s.subject_id}/consent`, {
        key: pk,
        headers: { 'x-vitrine-subject': s.token },
      });
    for (let i = 0; i < 3; i++) expect((await consent(a.body)).status).toBe(200);
    const limited = await consent(a.body);
    expectError(limited, 429, 'rate_limited', 'x-vitrine-subject');
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    // Another subject still gets through, until the key's own bucket (8) is empty.
    expect((await consent(b.body)).status).toBe(200);
    expect((await consent(b.body)).status).toBe(200);
    const keyLimited = await consent(b.body);
    expectError(keyLimited, 429, 'rate_limited', 'authorization');
  });

  it('the bucket refills: after Retry-After the key is served again', async () => {
    const key = h.shop.secretKey;
    let r = await h.request('/v1/notice', { key });
    while (r.status === 200) r = await h.request('/v1/notice', { key });
    expect(r.status).toBe(429);
    await new Promise((resolve) => setTimeout(resolve, Number(r.headers.get('retry-after')) * 1000 + 50));
    expect((await h.request('/v1/notice', { key })).status).toBe(200);
  });
});

describe('a flooding client slows itself down (#11)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await openHarness('sqlite', {
      limits: {
        ...DEFAULT_LIMITS,
        rate: { ...DEFAULT_LIMITS.rate, secret: { perSecond: 1, burst: 1 } },
        rateLimitedDelayMs: 300,
      },
    });
  });
  afterAll(() => h.close());

  it('a 429 is held back for the configured delay before it is sent; a request within the limit is not', async () => {
    let t0 = performance.now();
    expect((await h.request('/v1/notice', { key: h.shop.secretKey })).status).toBe(200);
    expect(performance.now() - t0).toBeLessThan(250);
    t0 = performance.now();
    const limited = await h.request('/v1/notice', { key: h.shop.secretKey });
    expect(limited.status).toBe(429);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(290);
    expect(limited.headers.get('retry-after')).toBe('1');
  });
});
