import { createHash } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { erasureHooks } from '../../apps/server/src/flows/erasure';
import { consentTo, drivers, type Harness, openHarness } from './harness';

/** What the shop's backend does for a customer logged in to the shop (see the README). */
async function backendToken(
  secretKey: string,
  claims: { sub: string; aud: string; iss?: string; ttl?: number },
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(claims.iss ?? 'shop-backend')
    .setAudience(claims.aud)
    .setSubject(claims.sub)
    .setIssuedAt(now)
    .setExpirationTime(now + (claims.ttl ?? 600))
    .sign(createHash('sha256').update(secretKey).digest());
}

describe.each(drivers())('rights requests (%s)', (driver) => {
  let h: Harness;
  const key = () => h.shop.secretKey;
  const register = async () => (await h.request('/v1/rights-requests', { key: key() })).body.requests;
  beforeAll(async () => {
    h = await openHarness(driver);
  });
  afterAll(() => h.close());
  afterEach(() => {
    erasureHooks.beforeStep = () => {};
  });

  it('R1: every kind of request is recorded with received, a deadline one calendar month later, and completed', async () => {
    h.clock.now = Date.parse('2027-01-31T09:00:00Z');
    await consentTo(h, 'sub_r', 2);
    await h.request('/v1/subjects/sub_r/export', { key: key() });
    await h.request('/v1/subjects/sub_r/exclusions', { key: key(), body: { item_id: 'tea' } });
    await h.request('/v1/subjects/sub_r/restriction', { method: 'PUT', key: key(), body: { paused: true } });
    await h.request('/v1/subjects/sub_r/objection', {
      method: 'PUT',
      key: key(),
      body: { direct_marketing: true, profiling: false },
    });
    await h.request('/v1/subjects/sub_r', { method: 'DELETE', key: key() });
    const requests = await register();
    // All received in the same millisecond: the order among them is not defined.
    expect(requests.map((r: { kind: string }) => r.kind).sort()).toEqual([
      'correction',
      'erasure',
      'export',
      'objection',
      'restriction',
    ]);
    for (const r of requests) {
      expect(r.received).toBe('2027-01-31T09:00:00.000Z');
      // One month after 31 January is 28 February (Art. 12(3), counted on the calendar).
      expect(r.deadline).toBe('2027-02-28T09:00:00.000Z');
      expect(r.completed).toBe('2027-01-31T09:00:00.000Z');
      expect(r.proof).toBe('secret_key');
      expect(r.overdue).toBe(false);
    }
    // The erased subject's requests stay in the register under the hashed id.
    expect(requests.every((r: { subject: string }) => r.subject.startsWith('sha256:'))).toBe(true);
  });

  it('R1: a request not completed shows as open, and as overdue once its month has passed', async () => {
    h.clock.now = Date.parse('2027-03-01T09:00:00Z');
    await consentTo(h, 'sub_slow', 1);
    erasureHooks.beforeStep = () => {
      throw new Error('the database is unavailable');
    };
    expect((await h.request('/v1/subjects/sub_slow', { method: 'DELETE', key: key() })).status).toBe(202);
    const [open] = await register();
    expect(open).toMatchObject({
      kind: 'erasure',
      completed: null,
      overdue: false,
      deadline: '2027-04-01T09:00:00.000Z',
    });
    h.clock.now = Date.parse('2027-04-01T09:00:00.001Z');
    expect((await register())[0]).toMatchObject({ completed: null, overdue: true });
    erasureHooks.beforeStep = () => {};
    await h.vitrine.resumeErasures();
    expect((await register())[0]).toMatchObject({ completed: '2027-04-01T09:00:00.001Z', overdue: true });
  });

  it('R1: identity is proven by the subject token, or by a token the shop backend signs with its secret key', async () => {
    const { subject_id, token } = (await h.request('/v1/subjects', { method: 'POST', key: h.shop.publicKey }))
      .body;
    await consentTo(h, subject_id, 1);
    h.clock.now += 1000;
    const viaToken = await h.request(`/v1/subjects/${subject_id}/export`, {
      key: h.shop.publicKey,
      headers: { 'x-vitrine-subject': token },
    });
    expect(viaToken.status).toBe(200);
    expect((await register())[0]).toMatchObject({
      kind: 'export',
      proof: 'subject_token',
      subject: subject_id,
    });

    // A customer logged in to the shop on a new device: the shop's backend vouches for them.
    h.clock.now += 1000;
    const signed = await backendToken(key(), { sub: 'sub_customer7', aud: h.shop.shopId });
    const viaBackend = await h.request('/v1/subjects/sub_customer7/export', {
      key: h.shop.publicKey,
      headers: { 'x-vitrine-subject': signed },
    });
    expect(viaBackend.status).toBe(200);
    expect((await register())[0]).toMatchObject({ proof: 'backend_token', subject: 'sub_customer7' });
    // The token binds its subject only.
    const other = await h.request(`/v1/subjects/${subject_id}/export`, {
      key: h.shop.publicKey,
      headers: { 'x-vitrine-subject': signed },
    });
    expect(other.status).toBe(403);
  });

  it('R1: a backend token signed with another key, for another shop, with another issuer or too long a life is refused', async () => {
    const before = (await register()).length;
    const cases = [
      await backendToken(h.other.secretKey, { sub: 'sub_customer7', aud: h.shop.shopId }),
      await backendToken(key(), { sub: 'sub_customer7', aud: h.other.shopId }),
      await backendToken(key(), { sub: 'sub_customer7', aud: h.shop.shopId, iss: 'someone' }),
      await backendToken(key(), { sub: 'sub_customer7', aud: h.shop.shopId, ttl: 7200 }),
      await backendToken(key(), { sub: 'sub_customer7', aud: h.shop.shopId, ttl: -60 }),
    ];
    for (const t of cases) {
      const r = await h.request('/v1/subjects/sub_customer7/export', {
        key: h.shop.publicKey,
        headers: { 'x-vitrine-subject': t },
      });
      expect(r.status).toBe(401);
      expect(r.body.error.field).toBe('x-vitrine-subject');
    }
    expect((await register()).length).toBe(before);
  });

  it('R1: the register is the shop server\u2019s only; limit is checked', async () => {
    expect((await h.request('/v1/rights-requests', { key: h.shop.publicKey })).status).toBe(403);
    expect((await h.request('/v1/rights-requests?limit=1', { key: key() })).body.requests).toHaveLength(1);
    const bad = await h.request('/v1/rights-requests?limit=0', { key: key() });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('limit');
    expect((await h.request('/v1/rights-requests', { key: h.other.secretKey })).body.requests).toEqual([]);
  });
});
