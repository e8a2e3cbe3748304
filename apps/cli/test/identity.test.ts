import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { generateMasterKey } from '@vitrine/identity';
import { parseConfig, Vitrine } from '@vitrine/server';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../../..');
const dir = mkdtempSync(join(tmpdir(), 'vitrine-cli-identity-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('vitrine identity rotate', () => {
  it('D3: rewraps every subject key under the new master key; afterwards the old key is no longer needed', async () => {
    const base = { VITRINE_DATA_DIR: dir, LOG_LEVEL: 'silent' };
    const first = await Vitrine.open(parseConfig(base), pino({ level: 'silent' }));
    const shop = await first.createShop('Rotation');
    const ref = { shopId: shop.shopId, subjectId: 'sub_rotate' };
    await first.deps.identity!.set(ref, { email: 'rotate@example.org' });
    await first.close();
    const old = readFileSync(join(dir, 'master.key'), 'utf8').trim();
    const fresh = generateMasterKey();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ...base,
      VITRINE_MASTER_KEY: fresh,
      VITRINE_MASTER_KEY_PREVIOUS: old,
    };
    delete env.DATABASE_URL;
    const r = await run(
      join(ROOT, 'node_modules/.bin/tsx'),
      [join(ROOT, 'apps/cli/src/main.ts'), 'identity', 'rotate'],
      {
        env,
        cwd: ROOT,
      },
    );
    expect(r.stdout).toMatch(/^1 subject key\(s\) rewrapped/);
    const after = await Vitrine.open(
      parseConfig({ ...base, VITRINE_MASTER_KEY: fresh }),
      pino({ level: 'silent' }),
    );
    try {
      expect(await after.deps.identity!.get(ref)).toEqual({
        status: 'present',
        identity: { email: 'rotate@example.org' },
      });
      const size = await after.store.audit.size(shop.shopId);
      const entries = await after.store.audit.read(shop.shopId, 0, size);
      expect(entries.some((e) => e.kind === 'key_rotation')).toBe(true);
    } finally {
      await after.close();
    }
  });
});
