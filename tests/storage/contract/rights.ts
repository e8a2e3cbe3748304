import {
  AuditLog,
  generateAuditKeys,
  hashSubject,
  isAuditError,
  nextEntry,
  publicKeyOf,
} from '@vitrine/audit';
import { IdentityVault, MasterKey, MasterKeyring } from '@vitrine/identity';
import type { ErasureRow, Store } from '@vitrine/storage';
import { beforeEach, describe, expect, it } from 'vitest';
import { consent, event, MIN, session, subject, T0 } from './fixtures';
import type { StoreContext } from './store';

/** The rights tables of issue 12: corrections, erasure jobs, exclusions, objections, requests, audit, identity. */
export function rightsContract(ctx: StoreContext): void {
  describe('rights', () => {
    let store: Store;
    beforeEach(() => {
      store = ctx.store;
    });

    it('R3: deletes single events, a purchase with its lines, and sessions left without an event', async () => {
      await store.events.insert(
        [
          event('shop_a', 'evt_a', { sessionId: 'ses_1' }),
          event('shop_a', 'evt_p.0', { sessionId: 'ses_2', type: 'purchase', category: 'purchases' }),
          event('shop_a', 'evt_p.1', { sessionId: 'ses_2', type: 'purchase', category: 'purchases' }),
          event('shop_a', 'evt_pp', { sessionId: 'ses_2' }),
          event('shop_a', 'evt_b', { sessionId: 'ses_1', subjectId: 'sub_bob' }),
        ],
        [
          session('shop_a', 'ses_1', T0),
          session('shop_a', 'ses_2', T0),
          session('shop_a', 'ses_1', T0, 'sub_bob'),
        ],
      );
      // Another subject's event id is not theirs to delete.
      expect(await store.events.deleteEvents('shop_a', 'sub_alice', ['evt_b'])).toEqual([]);
      const lines = await store.events.deleteEvents('shop_a', 'sub_alice', ['evt_p']);
      expect(lines.map((e) => e.id)).toEqual(['evt_p.0', 'evt_p.1']);
      expect((await store.events.listForSubject('shop_a', 'sub_alice')).map((e) => e.id)).toEqual([
        'evt_a',
        'evt_pp',
      ]);
      expect(await store.events.deleteEvents('shop_a', 'sub_alice', ['evt_a'])).toHaveLength(1);
      expect((await store.events.listSessions('shop_a', 'sub_alice')).map((s) => s.id)).toEqual(['ses_2']);
      expect(await store.events.listSessions('shop_a', 'sub_bob')).toHaveLength(1);
    });

    it('C9: a withdrawal deletes the sessions it leaves without an event', async () => {
      await store.events.insert(
        [
          event('shop_a', 'evt_1', { sessionId: 'ses_1' }),
          event('shop_a', 'evt_2', { sessionId: 'ses_2', category: 'cart' }),
        ],
        [session('shop_a', 'ses_1', T0), session('shop_a', 'ses_2', T0)],
      );
      expect(
        await store.events.deleteWithdrawn('shop_a', 'sub_alice', { denied: ['browsing'], sessionOnly: [] }),
      ).toBe(1);
      expect((await store.events.listSessions('shop_a', 'sub_alice')).map((s) => s.id)).toEqual(['ses_2']);
    });

    it('R4: erases every event and session of one subject only', async () => {
      await store.events.insert(
        [
          event('shop_a', 'evt_1'),
          event('shop_a', 'evt_2'),
          event('shop_a', 'evt_3', { subjectId: 'sub_bob' }),
        ],
        [session('shop_a', 'ses_1', T0), session('shop_a', 'ses_1', T0, 'sub_bob')],
      );
      expect(await store.events.eraseSubject('shop_a', 'sub_alice')).toEqual({ events: 2, sessions: 1 });
      expect(await store.events.listForSubject('shop_a', 'sub_alice')).toEqual([]);
      expect(await store.events.listForSubject('shop_a', 'sub_bob')).toHaveLength(1);
      expect(await store.events.eraseSubject('shop_a', 'sub_alice')).toEqual({ events: 0, sessions: 0 });
    });

    it('R6: pausing keeps the consent state; a subject never seen gets a row at level 0', async () => {
      const alice = subject('shop_a', 'sub_alice', { level: 2 });
      await store.consent.save(alice, consent(alice, 'cns_1', T0));
      await store.subjects.setPaused({
        ...subject('shop_a', 'sub_alice', { level: 0 }),
        paused: true,
        updatedAt: T0 + 9,
      });
      expect(await store.subjects.get('shop_a', 'sub_alice')).toEqual({
        ...alice,
        paused: true,
        updatedAt: T0 + 9,
      });
      await store.subjects.setPaused(subject('shop_a', 'sub_new', { level: 0, paused: true }));
      expect((await store.subjects.get('shop_a', 'sub_new'))?.paused).toBe(true);
      expect(await store.subjects.delete('shop_a', 'sub_new')).toBe(true);
      expect(await store.subjects.delete('shop_a', 'sub_new')).toBe(false);
    });

    it('lists subjects whose consent ran out', async () => {
      for (const [id, until] of [
        ['sub_a', T0],
        ['sub_b', T0 + 1],
        ['sub_c', null],
      ] as const) {
        const s = subject('shop_a', id, { validUntil: until });
        await store.consent.save(s, consent(s, `cns_${id}`, T0));
      }
      expect((await store.subjects.listExpired('shop_a', T0)).map((s) => s.id)).toEqual(['sub_a']);
      expect((await store.subjects.listExpired('shop_b', T0 + 5)).map((s) => s.id)).toEqual([]);
    });

    it('R4: consent records stay under the hashed id, also when the id comes back and is erased again', async () => {
      const hashed = hashSubject('shop_a', 'sub_alice');
      const alice = subject('shop_a', 'sub_alice');
      await store.consent.save(alice, consent(alice, 'cns_1', T0));
      await store.consent.save(alice, consent(alice, 'cns_2', T0 + 1));
      expect(await store.consent.pseudonymize('shop_a', 'sub_alice', hashed)).toBe(2);
      expect(await store.consent.listRecords('shop_a', 'sub_alice')).toEqual([]);
      const kept = await store.consent.listRecords('shop_a', hashed);
      expect(kept.map((r) => [r.id, r.subjectId])).toEqual([
        ['cns_1', hashed],
        ['cns_2', hashed],
      ]);
      await store.consent.save(alice, consent(alice, 'cns_3', T0 + 2));
      expect(await store.consent.pseudonymize('shop_a', 'sub_alice', hashed)).toBe(1);
      expect((await store.consent.listRecords('shop_a', hashed)).map((r) => r.id)).toEqual([
        'cns_1',
        'cns_2',
        'cns_3',
      ]);
      expect(await store.consent.deleteBefore('shop_a', T0 + 2)).toBe(2);
    });

    it('R4: an erasure job is found by the subject hash, resumable while pending, and forgets the id when done', async () => {
      const job: ErasureRow = {
        shopId: 'shop_a',
        id: 'era_1',
        subjectId: 'sub_alice',
        subjectHash: hashSubject('shop_a', 'sub_alice'),
        status: 'pending',
        requestedAt: T0,
        completedAt: null,
        attempts: 0,
        progress: '{}',
        receipt: null,
        lastError: null,
      };
      await store.erasures.create(job);
      expect(await store.erasures.listPending()).toEqual([job]);
      await store.erasures.saveProgress('shop_a', 'era_1', '{"events":3}', 1, 'the database is unavailable');
      expect(await store.erasures.get('shop_a', 'era_1')).toMatchObject({
        attempts: 1,
        progress: '{"events":3}',
      });
      await store.erasures.complete('shop_a', 'era_1', T0 + MIN, '{"ok":true}');
      expect(await store.erasures.listPending()).toEqual([]);
      expect(await store.erasures.findBySubject('shop_a', job.subjectHash)).toEqual([
        {
          ...job,
          subjectId: null,
          status: 'completed',
          completedAt: T0 + MIN,
          attempts: 1,
          progress: '{"events":3}',
          receipt: '{"ok":true}',
        },
      ]);
      expect(await store.erasures.list('shop_b')).toEqual([]);
    });

    it('R3, O3: exclusions and objections per subject', async () => {
      await store.exclusions.add({
        shopId: 'shop_a',
        id: 'exc_1',
        subjectId: 'sub_alice',
        itemId: 'i1',
        category: null,
        createdAt: T0,
      });
      await store.exclusions.add({
        shopId: 'shop_a',
        id: 'exc_2',
        subjectId: 'sub_alice',
        itemId: null,
        category: ['Wohnen', 'Kerzen'],
        createdAt: T0 + 1,
      });
      expect((await store.exclusions.list('shop_a', 'sub_alice')).map((e) => e.category ?? e.itemId)).toEqual(
        ['i1', ['Wohnen', 'Kerzen']],
      );
      expect(await store.exclusions.delete('shop_a', 'sub_bob', 'exc_1')).toBe(false);
      expect(await store.exclusions.delete('shop_a', 'sub_alice', 'exc_1')).toBe(true);
      expect(await store.exclusions.deleteForSubject('shop_a', 'sub_alice')).toBe(1);

      const o = {
        shopId: 'shop_a',
        subjectId: 'sub_alice',
        directMarketing: true,
        profiling: false,
        updatedAt: T0,
      };
      await store.objections.put(o);
      await store.objections.put({ ...o, profiling: true, updatedAt: T0 + 1 });
      expect(await store.objections.get('shop_a', 'sub_alice')).toEqual({
        ...o,
        profiling: true,
        updatedAt: T0 + 1,
      });
      expect(await store.objections.delete('shop_a', 'sub_alice')).toBe(true);
      expect(await store.objections.get('shop_a', 'sub_alice')).toBeUndefined();
    });

    it('R1: rights requests, completed, listed newest first, kept under the hashed id after erasure', async () => {
      const base = {
        shopId: 'shop_a',
        subjectId: 'sub_alice',
        completedAt: null,
        proof: 'secret_key' as const,
        detail: null,
      };
      await store.rightsRequests.add({
        ...base,
        id: 'req_1',
        kind: 'export',
        receivedAt: T0,
        deadlineAt: T0 + 10,
      });
      await store.rightsRequests.add({
        ...base,
        id: 'req_2',
        kind: 'erasure',
        receivedAt: T0 + 1,
        deadlineAt: T0 + 11,
      });
      await store.rightsRequests.complete('shop_a', 'req_1', T0 + 5);
      expect((await store.rightsRequests.list('shop_a')).map((r) => [r.id, r.completedAt])).toEqual([
        ['req_2', null],
        ['req_1', T0 + 5],
      ]);
      expect(await store.rightsRequests.list('shop_a', { limit: 1 })).toHaveLength(1);
      const hashed = hashSubject('shop_a', 'sub_alice');
      expect(await store.rightsRequests.pseudonymize('shop_a', 'sub_alice', hashed)).toBe(2);
      expect(await store.rightsRequests.listForSubject('shop_a', 'sub_alice')).toEqual([]);
      expect(await store.rightsRequests.listForSubject('shop_a', hashed)).toHaveLength(2);
      // Only completed requests go when their retention ends; an open one stays.
      expect(await store.rightsRequests.deleteBefore('shop_a', T0 + 100)).toBe(1);
      expect((await store.rightsRequests.list('shop_a')).map((r) => r.id)).toEqual(['req_2']);
    });

    it('D5: the audit store keeps seq unique (a second writer gets a conflict) and serves the AuditLog', async () => {
      const keys = generateAuditKeys();
      const log = new AuditLog(store.audit, { signingKey: keys.privateKey, now: () => T0 });
      const a = await log.append('shop_a', { kind: 'policy_change', data: { notice_version: 1 } });
      await log.append('shop_a', { kind: 'consent_change', subject: hashSubject('shop_a', 'sub_alice') });
      // A stale writer that still thinks the log has one entry.
      const stale = nextEntry('shop_a', a, { kind: 'erasure', ts: T0 });
      const refused = await store.audit.append('shop_a', [stale]).catch((e: unknown) => e);
      expect(isAuditError(refused) && refused.code).toBe('conflict');
      expect(await store.audit.size('shop_a')).toBe(2);
      const cp = await log.checkpoint('shop_a');
      expect(await store.audit.latestCheckpoint('shop_a')).toEqual(cp);
      expect((await log.verify('shop_a')).ok).toBe(true);
      const proof = await log.prove('shop_a', 1);
      expect(proof.tree_size).toBe(2);
      expect(await store.audit.listForSubject('shop_a', hashSubject('shop_a', 'sub_alice'))).toHaveLength(1);
      expect(await store.audit.read('shop_b', 0, 10)).toEqual([]);

      const row = { shopId: 'shop_a', publicKey: 'pub', privateKey: 'sealed', createdAt: T0 };
      expect(await store.audit.addSigningKey(row)).toBe(true);
      expect(await store.audit.addSigningKey({ ...row, publicKey: 'other' })).toBe(false);
      expect(await store.audit.signingKey('shop_a')).toEqual(row);
      expect(publicKeyOf(keys.privateKey).asymmetricKeyType).toBe('ed25519');
    });

    it('D3: the identity store keeps one key per subject, sealed fields apart, and shreds', async () => {
      const keyring = new MasterKeyring(MasterKey.fromBytes(Buffer.from('0123456789abcdef0123456789abcdef')));
      const vault = new IdentityVault(store.identity, keyring);
      const ref = { shopId: 'shop_a', subjectId: 'sub_alice' };
      await vault.set(ref, { email: 'kundin@example.org', name: 'Erika Muster' });
      await vault.set(ref, { name: null, address: 'Musterweg 1' });
      expect(await vault.get(ref)).toEqual({
        status: 'present',
        identity: { email: 'kundin@example.org', address: 'Musterweg 1' },
      });
      expect(await store.identity.addKey(ref, Buffer.from('x'))).toBe(false);
      expect(await store.identity.listKeys(undefined, 10)).toHaveLength(1);
      expect(await store.identity.listKeys(ref, 10)).toEqual([]);
      expect(await vault.shred(ref)).toEqual({ keyDestroyed: true, fieldsDeleted: 2 });
      expect(await vault.get(ref)).toEqual({ status: 'none' });
    });
  });
}
