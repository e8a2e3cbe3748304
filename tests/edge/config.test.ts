import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_VARIABLES, DEFAULT_LIMITS, parseConfig } from '@vitrine/server';
import { describe, expect, it } from 'vitest';
import { ROOT } from './support';

describe('configuration (#11)', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const table = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('### Limits and failures'));

  it('the README configuration table lists every variable the service reads', () => {
    expect(CONFIG_VARIABLES.length).toBeGreaterThan(20);
    for (const name of CONFIG_VARIABLES) expect(table, name).toContain(`\`${name}\``);
  });

  it("the table's defaults are the service's defaults", () => {
    const row = (name: string) => table.split('\n').find((l) => l.includes(`\`${name}\``)) ?? '';
    const d = DEFAULT_LIMITS;
    expect(row('VITRINE_MAX_BODY_EVENTS_KB')).toContain(`\`${d.body.events / 1024}\``);
    expect(row('VITRINE_MAX_BODY_ITEMS_KB')).toContain(`\`${d.body.items / 1024}\``);
    expect(row('VITRINE_MAX_BODY_CONSENT_KB')).toContain(`\`${d.body.consent / 1024}\``);
    expect(row('VITRINE_MAX_BODY_KB')).toContain(`\`${d.body.other / 1024}\``);
    expect(row('VITRINE_HEADERS_TIMEOUT_S')).toContain(`\`${d.headersTimeoutMs / 1000}\``);
    expect(row('VITRINE_REQUEST_TIMEOUT_S')).toContain(`\`${d.requestTimeoutMs / 1000}\``);
    expect(row('VITRINE_BODY_TIMEOUT_S')).toContain(`\`${d.bodyTimeoutMs / 1000}\``);
    for (const kind of ['secret', 'public', 'subject'] as const) {
      const r = row(`VITRINE_RATE_${kind.toUpperCase()}`);
      expect(r).toContain(`\`${d.rate[kind].perSecond}\`, \`${d.rate[kind].burst}\``);
    }
    expect(row('VITRINE_RATE_LIMITED_DELAY_MS')).toContain(`\`${d.rateLimitedDelayMs}\``);
    const pgUrl = { DATABASE_URL: 'postgres://x@h/db', VITRINE_SECRET: 'x'.repeat(32) };
    const store = parseConfig(pgUrl).store as { connectTimeoutMs: number; queryTimeoutMs: number };
    expect(row('VITRINE_DB_CONNECT_TIMEOUT_MS')).toContain(`\`${store.connectTimeoutMs}\``);
    expect(row('VITRINE_DB_QUERY_TIMEOUT_MS')).toContain(`\`${store.queryTimeoutMs}\``);
  });
});
