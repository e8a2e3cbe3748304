import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '@vitrine/storage';
import { afterAll, describe, expect, it } from 'vitest';
import { storeContract } from './contract';

const folders: string[] = [];

async function openInFreshFolder() {
  const root = await mkdtemp(join(tmpdir(), 'vitrine-storage-'));
  folders.push(root);
  // A folder that does not exist yet: the store creates it.
  return openStore({ driver: 'sqlite', path: join(root, 'data') });
}

afterAll(async () => {
  await Promise.all(folders.map((f) => rm(f, { recursive: true, force: true })));
});

storeContract('sqlite (data folder)', openInFreshFolder);
storeContract('sqlite (:memory:)', () => openStore({ driver: 'sqlite', path: ':memory:' }));

describe('sqlite data folder', () => {
  it('keeps committed data across reopening', async () => {
    const root = await mkdtemp(join(tmpdir(), 'vitrine-storage-'));
    folders.push(root);
    const first = await openStore({ driver: 'sqlite', path: root });
    await first.migrate();
    await first.shops.create({ id: 'shop_a', name: 'A', policy: '{}', createdAt: 1, origins: [] });
    await first.close();

    const second = await openStore({ driver: 'sqlite', path: root });
    await second.migrate();
    expect((await second.shops.get('shop_a'))?.name).toBe('A');
    await second.close();
  });
});
