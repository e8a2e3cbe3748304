import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultPolicyPath } from '@vitrine/policy';
import { parseConfig, Vitrine } from '@vitrine/server';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';

describe('start-up checks', () => {
  const dirs: string[] = [];
  const tmp = () => {
    const d = mkdtempSync(join(tmpdir(), 'vitrine-start-'));
    dirs.push(d);
    return d;
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('T2: a purpose used in code that the policy does not declare stops the start, naming file and path', async () => {
    const dir = tmp();
    const policy = JSON.parse(readFileSync(defaultPolicyPath, 'utf8'));
    delete policy.purposes.offers_near_me;
    policy.switches = policy.switches.filter((s: string) => s !== 'offers_near_me');
    const file = join(dir, 'policy.json');
    writeFileSync(file, JSON.stringify(policy));
    const config = parseConfig({ VITRINE_DATA_DIR: join(dir, 'data'), VITRINE_POLICY: file });
    await expect(Vitrine.open(config, pino({ level: 'silent' }))).rejects.toThrow(
      `${file}: purposes.offers_near_me: purpose "offers_near_me" is used by the code but not declared`,
    );
  });

  it('a policy that refers to an undeclared category stops the start, naming file and path', async () => {
    const dir = tmp();
    const policy = JSON.parse(readFileSync(defaultPolicyPath, 'utf8'));
    policy.events.view.category = 'mouse_movements';
    const file = join(dir, 'policy.json');
    writeFileSync(file, JSON.stringify(policy));
    const config = parseConfig({ VITRINE_DATA_DIR: join(dir, 'data'), VITRINE_POLICY: file });
    await expect(Vitrine.open(config, pino({ level: 'silent' }))).rejects.toThrow(
      /policy\.json: events\.view\.category: .*mouse_movements/,
    );
  });

  it('configuration errors say what is wrong: PostgreSQL without a shared secret, a bad port', () => {
    expect(() => parseConfig({ DATABASE_URL: 'postgres://x@h/db' })).toThrow(/VITRINE_SECRET is required/);
    expect(() => parseConfig({ PORT: 'eighty' })).toThrow(/PORT/);
  });

  it('the embedded store keeps its data across restarts, with nothing to install', async () => {
    const dir = tmp();
    const config = parseConfig({ VITRINE_DATA_DIR: dir });
    const a = await Vitrine.open(config, pino({ level: 'silent' }));
    const shop = await a.createShop('Dauerhaft');
    await a.close();
    const b = await Vitrine.open(config, pino({ level: 'silent' }));
    expect((await b.shop(shop.shopId)).shop.name).toBe('Dauerhaft');
    await b.close();
  });
});
