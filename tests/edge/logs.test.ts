import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { StorageError } from '@vitrine/storage';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drivers, type Harness, openHarness } from '../api/harness';
import { http } from './support';

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/;
const IPV4 = /\b(?:\d{1,3}\.){3}\d{1,3}\b/;
// Full or compressed (`::`) IPv6 addresses; stack traces (`file.ts:12:7`) have neither.
const IPV6 = /\b(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}\b|[0-9a-f]{0,4}::[0-9a-f]{0,4}(?::[0-9a-f]{1,4})*/i;
const JWT = /eyJ[A-Za-z0-9_-]{10,}/;
const API_KEY = /vt_(?:sk|pk)_/;

describe.each(drivers())('no personal data in logs (#11, %s)', (driver) => {
  let h: Harness;
  let base: string;
  let close: () => Promise<void>;
  const lines: string[] = [];
  beforeAll(async () => {
    h = await openHarness(driver, {
      log: pino({ level: 'debug' }, { write: (line: string) => lines.push(line) }),
    });
    const server = serve({ fetch: h.app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  });
  afterAll(async () => {
    await close();
    await h.close();
  });

  it('the API flows at debug level log no subject id, token, key, e-mail address or IP', async () => {
    const sk = h.shop.secretKey;
    const pk = h.shop.publicKey;
    const subjects = ['sub_loganna', 'sub_logbert'];
    const secrets: string[] = [sk, pk, h.other.secretKey, h.other.publicKey];
    // Clients send personal data where they should not: it must stay out of the log anyway.
    const fwd = {
      'x-forwarded-for': '203.0.113.7',
      'x-real-ip': '198.51.100.23',
      'user-agent': 'anna@example.org',
    };
    const send = (path: string, init: Parameters<typeof http>[2] = {}) =>
      http(base, path, { ...init, headers: { ...fwd, ...(init.headers ?? {}) } });

    await send('/v1/items', {
      key: sk,
      body: {
        items: [
          { id: 'sku-1', title: 'Teekanne', price: 30, attributes: { contact: 'einkauf@example.org' } },
          { id: 'sku-2', title: 'Tasse', price: 9 },
        ],
      },
      headers: { 'idempotency-key': 'anna@example.org' },
    });
    await send('/v1/items/sku-1', { key: sk });
    const notice = await send('/v1/notice', { key: pk });
    for (const s of subjects) {
      await send(`/v1/subjects/${s}/consent`, {
        method: 'PUT',
        key: sk,
        body: { level: 3, notice_version: notice.body.version, language: 'de', method: 'accept' },
        headers: { 'sec-gpc': '1' },
      });
    }
    const created = await send('/v1/subjects', { method: 'POST', key: pk });
    subjects.push(created.body.subject_id);
    secrets.push(created.body.token);
    const token = { 'x-vitrine-subject': created.body.token };
    await send(`/v1/subjects/${created.body.subject_id}/consent`, {
      method: 'PUT',
      key: pk,
      headers: token,
      body: { level: 2, notice_version: notice.body.version, language: 'en', method: 'accept' },
    });
    await send('/v1/events', {
      key: sk,
      body: {
        events: [
          {
            type: 'view',
            subject_id: 'sub_loganna',
            session_id: 'ses_anna',
            item_id: 'sku-1',
            context: { referrer: 'https://mail.example.org/?to=anna@example.org', region: '10.1.2.3' },
          },
          { type: 'search', subject_id: 'sub_loganna', session_id: 'ses_anna', query: 'anna@example.org' },
          {
            type: 'purchase',
            subject_id: 'sub_logbert',
            session_id: 'ses_bert',
            order_id: 'bert@example.org',
            lines: [{ item_id: 'sku-2', quantity: 1, price: 9 }],
          },
          {
            type: 'view',
            subject_id: 'sub_logbert',
            session_id: 'ses_bert',
            item_id: 'sku-2',
            constructor: 'x',
          },
        ],
      },
      headers: { 'idempotency-key': 'k-log' },
    });
    await send('/v1/events', {
      key: pk,
      headers: token,
      body: {
        events: [
          { type: 'view', subject_id: created.body.subject_id, session_id: 'ses_c', item_id: 'sku-1' },
        ],
      },
    });
    for (const path of [
      '/v1/recommendations?scenario=for_you&subject_id=sub_loganna&session_id=ses_anna',
      '/v1/recommendations?scenario=similar&item_id=sku-1',
      '/v1/subjects/sub_loganna/predictions?language=en',
      '/v1/subjects/sub_loganna/consent',
      '/v1/subjects/sub_logbert/consent/records',
    ])
      await send(path, { key: sk });
    await send('/v1/rank', { key: pk, headers: token, body: { items: ['sku-2', 'sku-1'] } });
    await send(`/v1/subjects/${created.body.subject_id}/consent`, {
      method: 'PUT',
      key: pk,
      headers: token,
      body: { level: 0, notice_version: notice.body.version, language: 'de', method: 'withdraw' },
    });
    await send('/v1/models/rebuild', { method: 'POST', key: sk });
    await send(`/s/${h.shop.shopId}/privacy`);
    // Refusals, which echo the request in their answers but must not in the log.
    await send('/v1/subjects/sub_loganna/consent', { key: 'vt_sk_anna@example.org' });
    await send('/v1/subjects/sub_loganna/consent', {
      key: pk,
      headers: { 'x-vitrine-subject': `${created.body.token}x` },
    });
    await send('/v1/events', {
      key: sk,
      body: { events: [{ type: 'view', subject_id: 'sub_loganna', session_id: '\ud800' }] },
    });
    await send('/v1/subjects/anna@example.org/consent', { key: sk });
    // A storage failure whose driver error quotes stored values, as PostgreSQL's detail does.
    const subjectsRepo = h.vitrine.store.subjects;
    const real = subjectsRepo.get;
    subjectsRepo.get = async () => {
      throw new StorageError(
        'duplicate',
        'Could not read the subject: a record with the same key already exists.',
        {
          cause: Object.assign(new Error('duplicate key value violates unique constraint "subjects_pk"'), {
            code: '23505',
            constraint: 'subjects_pk',
            detail: 'Key (shop_id, id)=(shop_x, sub_loganna) already exists; contact anna@example.org',
          }),
        },
      );
    };
    try {
      const failed = await send('/v1/subjects/sub_loganna/consent', { key: sk });
      expect(failed.status).toBe(409);
    } finally {
      subjectsRepo.get = real;
    }
    await h.vitrine.idle();

    const log = lines.join('');
    expect(lines.length).toBeGreaterThan(20);
    for (const s of subjects) expect(log).not.toContain(s);
    for (const secret of secrets) expect(log).not.toContain(secret);
    for (const pattern of [EMAIL, IPV4, IPV6, JWT, API_KEY]) expect(log).not.toMatch(pattern);
    expect(log).not.toMatch(/ses_anna|ses_bert|k-log/);
    // What is logged instead: the route pattern, the driver's code and constraint.
    expect(log).toContain('"route":"/v1/subjects/:id/consent"');
    expect(log).toContain('"constraint":"subjects_pk"');
  });
});
