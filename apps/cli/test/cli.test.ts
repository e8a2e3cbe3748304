import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { defaultPolicyPath } from '@vitrine/policy';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../../..');
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const MAIN = join(ROOT, 'apps/cli/src/main.ts');
const dir = mkdtempSync(join(tmpdir(), 'vitrine-cli-'));
const env: NodeJS.ProcessEnv = { ...process.env, VITRINE_DATA_DIR: join(dir, 'data'), LOG_LEVEL: 'silent' };
delete env.DATABASE_URL;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function vitrine(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(TSX, [MAIN, ...args], { env, cwd: ROOT });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('the vitrine command', () => {
  let shopId = '';

  it('creates a shop and prints its keys once', async () => {
    const r = await vitrine('shop', 'create', 'CLI-Shop');
    expect(r.code).toBe(0);
    const shop = JSON.parse(r.stdout) as { shopId: string; secretKey: string; publicKey: string };
    expect(shop.secretKey).toMatch(/^vt_sk_/);
    expect(shop.publicKey).toMatch(/^vt_pk_/);
    shopId = shop.shopId;
  });

  it('imports a catalog file: good rows stored, bad rows reported by line; --strict refuses the file', async () => {
    const file = join(dir, 'items.csv');
    writeFileSync(file, 'id,title,price\nsku-1,Teekanne,39.95\nsku-2,Kerze,-1\nsku-3,Vase,"19,95"\n');
    const strict = await vitrine('import', 'catalog', file, '--shop', shopId, '--strict');
    expect(strict.code).toBe(1);
    expect(strict.stderr).toMatch(/--strict: nothing was imported/);
    expect(strict.stderr).toMatch(/line 3: price: price must be 0 or more/);
    const r = await vitrine('import', 'catalog', file, '--shop', shopId);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/2 item\(s\) imported/);
    expect(r.stderr).toMatch(/line 3: price/);
  });

  it('refuses an unknown shop and an unknown file type with a clear message', async () => {
    const r = await vitrine('import', 'catalog', join(dir, 'items.csv'), '--shop', 'shop_missing');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error: There is no shop "shop_missing"/);
    const x = await vitrine('import', 'catalog', join(dir, 'items.xlsx'), '--shop', shopId);
    expect(x.stderr).toMatch(/\.csv, \.jsonl or \.ndjson/);
  });

  it('lists shops and puts a new policy in force with a new notice version', async () => {
    const list = await vitrine('shop', 'list');
    expect(list.stdout).toContain(`${shopId}\tCLI-Shop`);
    const policy = JSON.parse(readFileSync(defaultPolicyPath, 'utf8'));
    policy.controller.name = 'Mein Laden GmbH';
    const file = join(dir, 'mein-laden.json');
    writeFileSync(file, JSON.stringify(policy));
    const r = await vitrine('shop', 'policy', shopId, file);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/notice version 2/);
    const missing = await vitrine('shop', 'policy', shopId);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/error: shop policy needs a shop id and a policy file/);
  });

  it('sets, shows and clears the origins that may embed the customer pages; refuses a URL with a path', async () => {
    const set = await vitrine('shop', 'origins', shopId, 'https://shop.example', 'http://127.0.0.1:3000/');
    expect(set.code).toBe(0);
    expect(set.stdout).toBe('https://shop.example\nhttp://127.0.0.1:3000\n');
    expect((await vitrine('shop', 'origins', shopId)).stdout).toBe(set.stdout);
    const bad = await vitrine('shop', 'origins', shopId, 'https://shop.example/konto');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/is not an origin/);
    expect((await vitrine('shop', 'origins', shopId)).stdout).toBe(set.stdout);
    const none = await vitrine('shop', 'origins', shopId, '--none');
    expect(none.stdout).toMatch(/no origin may embed/);
  });

  it('checks a policy file', async () => {
    const bad = join(dir, 'policy.json');
    writeFileSync(bad, '{"notice_id": "x"}');
    const r = await vitrine('policy', 'check', bad);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/policy\.json: /);
  });

  it('inherited keys (#11): policy check refuses `constructor` as a recipient, category or event category, naming file and path', async () => {
    const cases: [string, (p: Record<string, any>) => void][] = [
      ['purposes.predictions.recipients[1]', (p) => p.purposes.predictions.recipients.push('constructor')],
      ['purposes.predictions.categories[4]', (p) => p.purposes.predictions.categories.push('constructor')],
      ['events.view.category', (p) => (p.events.view.category = 'constructor')],
    ];
    for (const [path, change] of cases) {
      const policy = JSON.parse(readFileSync(defaultPolicyPath, 'utf8'));
      change(policy);
      const file = join(dir, 'hostile.json');
      writeFileSync(file, JSON.stringify(policy));
      const r = await vitrine('policy', 'check', file);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`${file}: ${path}: "constructor" is a built-in property name`);
      expect(r.stderr).not.toMatch(/TypeError|\n\s+at /);
    }
    const good = await vitrine('policy', 'check', defaultPolicyPath);
    expect(good.code).toBe(0);
    expect(good.stdout).toContain(`${defaultPolicyPath}: valid`);
  });

  it('npm start: serves the demo shop over HTTP and prints where to open it', async () => {
    const child: ChildProcess = spawn(TSX, [MAIN, 'serve', '--demo', '--port', '0'], {
      env: { ...env, VITRINE_DATA_DIR: join(dir, 'demo') },
      cwd: ROOT,
    });
    try {
      let out = '';
      const base = await new Promise<string>((done, fail) => {
        const timer = setTimeout(() => fail(new Error(`no address printed:\n${out}`)), 60_000);
        child.stdout!.on('data', (d: Buffer) => {
          out += d.toString();
          const m = out.match(/open (http:\/\/[^\s/]+)\//);
          if (m && out.includes('public key')) {
            clearTimeout(timer);
            done(m[1]!);
          }
        });
        child.on('exit', (code) => fail(new Error(`exited with ${code}:\n${out}`)));
      });
      const key = out.match(/secret key:\s+(vt_sk_\S+)/)![1]!;
      expect(out).toMatch(/Demo shop .*: \d+ items, 300 visitors/);
      const health = await fetch(`${base}/healthz`);
      expect(await health.json()).toEqual({ status: 'ok', store: 'sqlite' });
      const rec = await fetch(`${base}/v1/recommendations?scenario=trending&limit=5`, {
        headers: { authorization: `Bearer ${key}` },
      });
      const body = (await rec.json()) as { items: { title: string; reasons: { text: string }[] }[] };
      expect(body.items).toHaveLength(5);
      expect(body.items[0]!.reasons[0]!.text.length).toBeGreaterThan(0);
      const landing = await (await fetch(`${base}/`)).text();
      expect(landing).toContain('Beispiel Wohnen &amp; Schenken');
      // D5: the demo shop's audit log verifies against the key the shop publishes.
      const shopId = out.match(/Demo shop "[^"]+" \((shop_\w+)\)/)![1]!;
      const published = (await (await fetch(`${base}/s/${shopId}/audit/checkpoint`)).json()) as {
        public_key: { base64: string };
        size: number;
      };
      // Consent changes of the visitors who chose, model builds, the policy: a few hundred entries.
      expect(published.size).toBeGreaterThan(100);
      const verified = await run(
        TSX,
        [MAIN, 'audit', 'verify', '--shop', shopId, '--key', published.public_key.base64, '--lang', 'en'],
        { env: { ...env, VITRINE_DATA_DIR: join(dir, 'demo') }, cwd: ROOT },
      );
      expect(verified.stdout).toMatch(/entries/);
    } finally {
      child.kill('SIGTERM');
    }
  });
});
