import { readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, parseConfig, Vitrine } from '@vitrine/server';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drivers, type Harness, openHarness } from './harness';

describe.each(drivers())('identity store (%s)', (driver) => {
  let h: Harness;
  let off: Harness;
  const key = () => h.shop.secretKey;
  beforeAll(async () => {
    h = await openHarness(driver, { identity: true });
    off = await openHarness(driver);
  });
  afterAll(async () => {
    await h.close();
    await off.close();
  });

  it('D3: e-mail, name and address are stored encrypted per subject, apart from the event data; only ciphertext in the database', async () => {
    const put = await h.request('/v1/subjects/sub_id1/identity', {
      method: 'PUT',
      key: key(),
      body: { email: 'erika@example.org', name: 'Erika Mustermann', address: 'Musterweg 1, 10115 Berlin' },
    });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({
      subject_id: 'sub_id1',
      status: 'present',
      identity: {
        email: 'erika@example.org',
        name: 'Erika Mustermann',
        address: 'Musterweg 1, 10115 Berlin',
      },
    });
    const all = JSON.stringify([
      await h.sql('select * from identity_fields'),
      await h.sql('select * from identity_keys'),
      await h.sql('select * from audit_entries'),
      await h.sql('select * from events'),
    ]);
    for (const clear of ['erika@example.org', 'Mustermann', 'Musterweg']) expect(all).not.toContain(clear);
    const rows = await h.sql('select field, value from identity_fields where subject_id = ? order by field', [
      'sub_id1',
    ]);
    expect(rows.map((r) => r.field)).toEqual(['address', 'email', 'name']);
    // Each subject has its own key: the same e-mail encrypts differently for another subject.
    await h.request('/v1/subjects/sub_id2/identity', {
      method: 'PUT',
      key: key(),
      body: { email: 'erika@example.org' },
    });
    const keys = await h.sql('select subject_id, wrapped from identity_keys order by subject_id');
    expect(keys).toHaveLength(2);
    expect(keys[0]!.wrapped).not.toBe(keys[1]!.wrapped);
  });

  it('D3: fields change one at a time, null removes one; a read with the secret key is logged as admin access', async () => {
    await h.request('/v1/subjects/sub_id1/identity', { method: 'PUT', key: key(), body: { name: null } });
    const size = await h.vitrine.store.audit.size(h.shop.shopId);
    const got = await h.request('/v1/subjects/sub_id1/identity', { key: key() });
    expect(got.body.identity).toEqual({ email: 'erika@example.org', address: 'Musterweg 1, 10115 Berlin' });
    const [entry] = await h.vitrine.store.audit.read(h.shop.shopId, size, size + 1);
    expect(entry).toMatchObject({
      kind: 'admin_access',
      data: { what: 'identity', fields: ['address', 'email'] },
    });
  });

  it('R4: erasing the identity destroys the key (crypto-shredding): nothing can be read any more', async () => {
    const wrappedBefore = await h.sql('select wrapped from identity_keys where subject_id = ?', ['sub_id1']);
    expect(wrappedBefore).toHaveLength(1);
    const r = await h.request('/v1/subjects/sub_id1/identity', { method: 'DELETE', key: key() });
    expect(r.body).toMatchObject({ key_destroyed: true, fields_deleted: 2 });
    expect(await h.sql('select * from identity_keys where subject_id = ?', ['sub_id1'])).toEqual([]);
    expect(await h.sql('select * from identity_fields where subject_id = ?', ['sub_id1'])).toEqual([]);
    expect((await h.request('/v1/subjects/sub_id1/identity', { key: key() })).body).toEqual({
      subject_id: 'sub_id1',
      status: 'none',
      identity: {},
    });
  });

  it('D3: bad input is refused naming the field, and nothing is stored', async () => {
    for (const [body, field] of [
      [{ email: 'not-an-email' }, 'email'],
      [{}, '(body)'],
      [{ phone: '123' }, '(body)'],
      [{ name: '   ' }, 'name'],
    ] as const) {
      const r = await h.request('/v1/subjects/sub_id3/identity', { method: 'PUT', key: key(), body });
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error.code).toBe('validation_failed');
      if (field !== '(body)') expect(r.body.error.field).toBe(field);
    }
    expect(await h.sql('select * from identity_keys where subject_id = ?', ['sub_id3'])).toEqual([]);
  });

  it('D3: the public key reaches its own identity only', async () => {
    const { subject_id, token } = (await h.request('/v1/subjects', { method: 'POST', key: h.shop.publicKey }))
      .body;
    const asBrowser = { key: h.shop.publicKey, headers: { 'x-vitrine-subject': token } };
    const own = await h.request(`/v1/subjects/${subject_id}/identity`, {
      ...asBrowser,
      method: 'PUT',
      body: { email: 'mine@example.org' },
    });
    expect(own.status).toBe(200);
    expect((await h.request('/v1/subjects/sub_id2/identity', asBrowser)).status).toBe(403);
  });

  it('D3: without a master key the identity store is off and says how to turn it on', async () => {
    const r = await off.request('/v1/subjects/sub_x/identity', {
      method: 'PUT',
      key: off.shop.secretKey,
      body: { email: 'x@example.org' },
    });
    expect(r.status).toBe(409);
    expect(r.body.error).toMatchObject({ code: 'conflict', field: 'identity' });
    expect(r.body.error.message).toMatch(/VITRINE_MASTER_KEY/);
    // Shredding needs no master key: an erasure always reaches the identity tables.
    expect(
      (await off.request('/v1/subjects/sub_x/identity', { method: 'DELETE', key: off.shop.secretKey }))
        .status,
    ).toBe(200);
  });
});

describe('identity store at start-up', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });
  const folder = async () => {
    const d = await mkdtemp(join(tmpdir(), 'vitrine-identity-'));
    dirs.push(d);
    return d;
  };
  const log = pino({ level: 'silent' });

  it('D3: production refuses to start without VITRINE_MASTER_KEY (NODE_ENV or VITRINE_ENV), with a message saying what to do', async () => {
    const dir = await folder();
    for (const env of [{ NODE_ENV: 'production' }, { VITRINE_ENV: 'production' }]) {
      const config = parseConfig({ VITRINE_DATA_DIR: dir, ...env });
      expect(config.mode).toBe('production');
      const err = await Vitrine.open(config, log).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as Error).message).toMatch(
        /refusing to start in production without a master key.*VITRINE_MASTER_KEY/,
      );
    }
    const ok = await Vitrine.open(
      parseConfig({
        VITRINE_DATA_DIR: dir,
        NODE_ENV: 'production',
        VITRINE_MASTER_KEY: Buffer.alloc(32, 7).fill(9, 0, 1).toString('base64'),
      }),
      log,
    );
    expect(ok.measures().identityEncryption).toBe(true);
    await ok.close();
    const bad = await Vitrine.open(
      parseConfig({ VITRINE_DATA_DIR: dir, VITRINE_MASTER_KEY: 'short' }),
      log,
    ).catch((e: unknown) => e);
    expect((bad as Error).message).toMatch(/VITRINE_MASTER_KEY/);
  });

  it('D3: the embedded store generates a master key in the data folder, readable by the owner only, and keeps it', async () => {
    const dir = await folder();
    const config = parseConfig({ VITRINE_DATA_DIR: dir });
    const first = await Vitrine.open(config, log);
    expect(first.measures().identityEncryption).toBe(true);
    const shop = await first.createShop('Schlüssel-Shop');
    await first.deps.identity!.set(
      { shopId: shop.shopId, subjectId: 'sub_keep' },
      { email: 'keep@example.org' },
    );
    await first.close();
    const file = join(dir, 'master.key');
    expect(readFileSync(file, 'utf8').trim()).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(statSync(file).mode & 0o077).toBe(0);
    const second = await Vitrine.open(config, log);
    expect(await second.deps.identity!.get({ shopId: shop.shopId, subjectId: 'sub_keep' })).toEqual({
      status: 'present',
      identity: { email: 'keep@example.org' },
    });
    await second.close();
  });
});
