import type { Store } from '@vitrine/storage';
import { beforeEach, describe, expect, it } from 'vitest';
import { consent, subject, T0 } from './fixtures';
import type { StoreContext } from './store';

/** Subjects and the consent ledger, written together. */
export function consentContract(ctx: StoreContext): void {
  describe('subjects and consent', () => {
    let store: Store;
    beforeEach(() => {
      store = ctx.store;
    });

    it('saves the subject state and its consent record together', async () => {
      const alice = subject('shop_a', 'sub_alice', { level: 2, purposes: { history: true, ads: false } });
      await store.consent.save(alice, consent(alice, 'cns_1', T0));
      expect(await store.subjects.get('shop_a', 'sub_alice')).toEqual(alice);
      expect(await store.consent.listRecords('shop_a', 'sub_alice')).toEqual([consent(alice, 'cns_1', T0)]);
    });

    it('replaces the state on a later save but keeps every record, in append order', async () => {
      const first = subject('shop_a', 'sub_alice');
      const second = subject('shop_a', 'sub_alice', { level: 3, gpc: true, updatedAt: T0 + 5 });
      const third = subject('shop_a', 'sub_alice', {
        level: 0,
        paused: true,
        dpvState: 'withdrawn',
        validUntil: null,
        purposeScopes: {},
        updatedAt: T0 + 5,
      });
      await store.consent.save(first, consent(first, 'cns_z', T0));
      await store.consent.save(second, consent(second, 'cns_a', T0 + 5));
      // Same millisecond as the previous record: append order still decides.
      await store.consent.save(third, consent(third, 'cns_m', T0 + 5));

      expect(await store.subjects.get('shop_a', 'sub_alice')).toEqual({ ...third, createdAt: T0 });
      const records = await store.consent.listRecords('shop_a', 'sub_alice');
      expect(records.map((r) => r.id)).toEqual(['cns_z', 'cns_a', 'cns_m']);
      expect(records[1]).toEqual(consent(second, 'cns_a', T0 + 5));
    });

    it('is atomic: when the record cannot be appended the subject state is unchanged', async () => {
      const before = subject('shop_a', 'sub_alice', { level: 1 });
      await store.consent.save(before, consent(before, 'cns_1', T0));
      const after = subject('shop_a', 'sub_alice', { level: 3, updatedAt: T0 + 1 });
      // Reusing a record id: records are append-only, so this must fail as a whole.
      await expect(store.consent.save(after, consent(after, 'cns_1', T0 + 1))).rejects.toMatchObject({
        code: 'duplicate',
      });
      expect(await store.subjects.get('shop_a', 'sub_alice')).toEqual(before);
      expect(await store.consent.listRecords('shop_a', 'sub_alice')).toEqual([consent(before, 'cns_1', T0)]);
    });

    it('a new subject whose record fails is not created', async () => {
      const bob = subject('shop_a', 'sub_bob');
      const bad = { ...consent(bob, 'cns_1', T0), record: null as unknown as string };
      await expect(store.consent.save(bob, bad)).rejects.toMatchObject({ code: 'constraint' });
      expect(await store.subjects.get('shop_a', 'sub_bob')).toBeUndefined();
    });

    it('keeps subjects and records of different shops apart', async () => {
      const a = subject('shop_a', 'sub_same', { level: 2 });
      const b = subject('shop_b', 'sub_same', { level: 0 });
      await store.consent.save(a, consent(a, 'cns_1', T0));
      await store.consent.save(b, consent(b, 'cns_1', T0));
      await store.consent.save(
        subject('shop_a', 'sub_other'),
        consent(subject('shop_a', 'sub_other'), 'cns_2', T0),
      );

      expect((await store.subjects.get('shop_b', 'sub_same'))?.level).toBe(0);
      expect(await store.subjects.get('shop_b', 'sub_other')).toBeUndefined();
      expect((await store.subjects.list('shop_b')).map((s) => s.id)).toEqual(['sub_same']);
      expect((await store.subjects.list('shop_a')).map((s) => s.id)).toEqual(['sub_other', 'sub_same']);
      expect(await store.subjects.getMany('shop_b', ['sub_same', 'sub_other'])).toEqual([b]);
      expect(await store.consent.listRecords('shop_b', 'sub_same')).toEqual([consent(b, 'cns_1', T0)]);
      expect(await store.consent.listRecords('shop_b', 'sub_other')).toEqual([]);
    });

    it('getSubjects returns the known ones among many ids', async () => {
      for (const id of ['sub_1', 'sub_2', 'sub_3']) {
        const s = subject('shop_a', id);
        await store.consent.save(s, consent(s, `cns_${id}`, T0));
      }
      const ids = [...Array.from({ length: 2500 }, (_, i) => `sub_unknown_${i}`), 'sub_3', 'sub_1'];
      const found = await store.subjects.getMany('shop_a', ids);
      expect(found.map((s) => s.id).sort()).toEqual(['sub_1', 'sub_3']);
      expect(await store.subjects.getMany('shop_a', [])).toEqual([]);
    });
  });
}
