/**
 * `npm run bench -- erase [--events N] [--subjects N] [--erase N] [--export N] [--store embedded|postgres|both]`
 *
 * A store of 1,000,000 events of 20,000 subjects (level 2, so all of them are in the shared
 * models), then, through the whole HTTP app in-process: subjects erased one by one
 * (`DELETE /v1/subjects/{id}`: store, identity, models, the check that nothing is left, audit
 * entry, signed checkpoint, receipt with its proof) and others exported
 * (`GET /v1/subjects/{id}/export`). Beside it, in the same process, the baselines: a full
 * rebuild of the shared models from the store (what exact unlearning avoids) and a plain read
 * of one subject's events. At the end the models must equal models rebuilt from the store
 * (exact). Embedded store; PostgreSQL too when DATABASE_URL is set. Last line: JSON.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { decide } from '@vitrine/consent';
import { createApp, parseConfig, Vitrine } from '@vitrine/server';
import type { EventRow } from '@vitrine/storage';
import pino from 'pino';
import { noticeRef } from '../apps/server/src/flows/consent';
import { stateToRow } from '../apps/server/src/runtime/rows';
import { rebuildModels } from '../apps/server/src/runtime/shop-runtime';

const DAY = 86_400_000;

const quantile = (xs: readonly number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)] ?? Number.NaN;
};
const ms = (x: number) => Math.round(x * 100) / 100;

interface Result {
  store: string;
  events: number;
  subjects: number;
  setup_s: number;
  erase_p50_ms: number;
  erase_p99_ms: number;
  export_p50_ms: number;
  export_p99_ms: number;
  baseline_rebuild_ms: number;
  baseline_read_p99_ms: number;
  exact: boolean;
}

async function run(
  label: string,
  env: Record<string, string>,
  opts: { events: number; subjects: number; erase: number; exportN: number },
): Promise<Result> {
  const dir = mkdtempSync(join(tmpdir(), 'vitrine-bench-erase-'));
  const vitrine = await Vitrine.open(
    parseConfig({ VITRINE_DATA_DIR: dir, LOG_LEVEL: 'warn', ...env }),
    pino({ level: 'warn' }),
  );
  try {
    const t0 = performance.now();
    const shop = await vitrine.createShop(`bench erase ${label}`);
    const shopId = shop.shopId;
    const now = Date.now();
    const items = Array.from({ length: 2000 }, (_, i) => ({
      id: `sku-${i}`,
      title: `Artikel ${i}`,
      price: 5 + (i % 50),
      category_path: [`Kategorie ${i % 20}`],
    }));
    const app = createApp(vitrine);
    const auth = { authorization: `Bearer ${shop.secretKey}`, 'content-type': 'application/json' };
    for (let i = 0; i < items.length; i += 1000) {
      const res = await app.request('/v1/items', {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ items: items.slice(i, i + 1000) }),
      });
      if (res.status !== 200) throw new Error(`items: ${res.status} ${await res.text()}`);
    }
    // Consent at level 2 for every subject, stored as the consent flow stores it (a real
    // decision and record), a thousand per transaction.
    let rt = await vitrine.shop(shopId);
    const subjects = Array.from(
      { length: opts.subjects },
      (_, i) => `sub_b${i.toString(36).padStart(5, '0')}`,
    );
    for (let i = 0; i < subjects.length; i += 1000) {
      await vitrine.store.transaction(async (tx) => {
        for (const id of subjects.slice(i, i + 1000)) {
          const d = decide({
            compiled: rt.compiled,
            notice: noticeRef(rt, 'de'),
            subjectId: id,
            now,
            gpc: false,
            request: {
              level: 2,
              purposes: {},
              language: 'de',
              notice_version: rt.notice.version,
              method: 'accept',
              override_gpc: false,
            },
          });
          await tx.consent.save(stateToRow(shopId, d.state, now, now), {
            shopId,
            id: d.record.id,
            subjectId: id,
            eventTime: now,
            record: JSON.stringify(d.record),
          });
        }
      });
    }
    // Events: each subject's share in 5 sessions over the last 300 days; 80 % views, 15 %
    // add-to-cart, 5 % purchases, items skewed towards the popular end.
    let seed = 7;
    const rnd = () => {
      seed = (seed * 1664525 + 1013904223) >>> 0;
      return seed / 2 ** 32;
    };
    const perSubject = Math.ceil(opts.events / opts.subjects);
    let made = 0;
    let batch: EventRow[] = [];
    const flush = async () => {
      if (batch.length > 0) await vitrine.store.events.insert(batch, []);
      batch = [];
    };
    for (let s = 0; s < subjects.length && made < opts.events; s++) {
      const subject = subjects[s]!;
      for (let k = 0; k < perSubject && made < opts.events; k++) {
        const session = Math.floor(k / Math.ceil(perSubject / 5));
        const r = rnd();
        const type = r < 0.8 ? 'view' : r < 0.95 ? 'add_to_cart' : 'purchase';
        const ts = now - (300 - session * 60) * DAY + k * 60_000;
        const item = Math.floor(items.length * rnd() ** 2);
        batch.push({
          shopId,
          id: `evt_${ts.toString(36)}${made.toString(36).padStart(6, '0')}`,
          subjectId: subject,
          sessionId: `ses_${s}_${session}`,
          type,
          category: type === 'view' ? 'browsing' : type === 'purchase' ? 'purchases' : 'cart',
          itemId: `sku-${item}`,
          quantity: type === 'view' ? null : 1,
          price: type === 'purchase' ? 9.95 : null,
          orderId: type === 'purchase' ? `o${made}` : null,
          data: null,
          ts,
          expiresAt: ts + 365 * DAY,
          sessionScoped: false,
        });
        made++;
        if (batch.length === 5000) await flush();
      }
    }
    await flush();
    // The models as a process builds them at start: from the store.
    await vitrine.updatePolicy(shopId, rt.policy);
    rt = await vitrine.shop(shopId);
    await vitrine.idle();
    const setup = (performance.now() - t0) / 1000;
    console.log(
      `${label}: ${made} events of ${subjects.length} subjects stored and learned in ${setup.toFixed(1)} s (${rt.models.stats().sessions} sessions in the models)`,
    );

    // Baselines, same process: a full rebuild of the models, and a plain read of one subject's events.
    const rebuilds: number[] = [];
    for (let i = 0; i < 2; i++) {
      const b0 = performance.now();
      await rebuildModels(
        vitrine.store,
        { id: shopId, notice: rt.notice, compiled: rt.compiled },
        [...rt.catalog.values()],
        vitrine.now(),
      );
      rebuilds.push(performance.now() - b0);
    }
    const reads: number[] = [];
    for (let i = 0; i < opts.exportN; i++) {
      const b0 = performance.now();
      await vitrine.store.events.listForSubject(shopId, subjects[(i * 37 + 11) % subjects.length]!);
      reads.push(performance.now() - b0);
    }

    // Erase subjects one by one, and export others in between.
    const erased: number[] = [];
    const exported: number[] = [];
    const step = Math.max(1, Math.floor(subjects.length / opts.erase));
    for (let i = 0; i < opts.erase; i++) {
      const id = subjects[(i * step) % subjects.length]!;
      const e0 = performance.now();
      const res = await app.request(`/v1/subjects/${id}`, { method: 'DELETE', headers: auth });
      const body = (await res.json()) as { status: string; receipt?: { removed: { events: number } } };
      erased.push(performance.now() - e0);
      if (res.status !== 200 || body.status !== 'completed' || !body.receipt?.removed.events) {
        throw new Error(
          `erasure of ${id} not completed: ${res.status} ${JSON.stringify(body).slice(0, 300)}`,
        );
      }
      if (i < opts.exportN) {
        const other = subjects[(i * step + Math.floor(step / 2)) % subjects.length]!;
        const x0 = performance.now();
        const res2 = await app.request(`/v1/subjects/${other}/export`, { headers: auth });
        const out = (await res2.json()) as { tables: { events: number } };
        exported.push(performance.now() - x0);
        if (res2.status !== 200 || out.tables.events === 0)
          throw new Error(`export of ${other} failed: ${res2.status}`);
      }
    }
    // Exact: the models after all erasures equal models rebuilt from the store.
    const fresh = await rebuildModels(
      vitrine.store,
      { id: shopId, notice: rt.notice, compiled: rt.compiled },
      [...rt.catalog.values()],
      vitrine.now(),
    );
    const exact = fresh.digest() === rt.models.digest() && fresh.fingerprint() === rt.models.fingerprint();
    const result: Result = {
      store: label,
      events: made,
      subjects: subjects.length,
      setup_s: Math.round(setup * 10) / 10,
      erase_p50_ms: ms(quantile(erased, 0.5)),
      erase_p99_ms: ms(quantile(erased, 0.99)),
      export_p50_ms: ms(quantile(exported, 0.5)),
      export_p99_ms: ms(quantile(exported, 0.99)),
      baseline_rebuild_ms: Math.round(Math.min(...rebuilds)),
      baseline_read_p99_ms: ms(quantile(reads, 0.99)),
      exact,
    };
    console.log(
      `${label}: erase p50 ${result.erase_p50_ms} ms, p99 ${result.erase_p99_ms} ms (${erased.length} subjects, models included); export p50 ${result.export_p50_ms} ms, p99 ${result.export_p99_ms} ms (${exported.length}); baseline full rebuild ${result.baseline_rebuild_ms} ms, plain read of one subject's events p99 ${result.baseline_read_p99_ms} ms; models exact after: ${exact}`,
    );
    if (!exact) throw new Error('the models after the erasures differ from a rebuild: not exact');
    return result;
  } finally {
    await vitrine.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runErase(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      events: { type: 'string', default: '1000000' },
      subjects: { type: 'string', default: '20000' },
      erase: { type: 'string', default: '1000' },
      export: { type: 'string', default: '1000' },
      /** embedded, postgres, or both (the default; postgres only with DATABASE_URL). */
      store: { type: 'string', default: 'both' },
    },
  });
  const opts = {
    events: Number(values.events),
    subjects: Number(values.subjects),
    erase: Number(values.erase),
    exportN: Number(values.export),
  };
  const results: Result[] = [];
  if (values.store !== 'postgres') results.push(await run('embedded', {}, opts));
  const url = process.env.DATABASE_URL;
  if (url && values.store !== 'embedded') {
    const env = {
      DATABASE_URL: url,
      VITRINE_SECRET: 'bench-secret-bench-secret-bench-secret',
      // Building the models scans a million rows page by page: more than the API's 800 ms per query.
      VITRINE_DB_QUERY_TIMEOUT_MS: '60000',
    };
    results.push(await run('postgres', env, opts));
  }
  if (results.length === 0) throw new Error('no store to run: --store postgres needs DATABASE_URL');
  for (const r of results.slice(0, -1)) console.log(JSON.stringify({ bench: 'erase', ...r }));
  const last = results.at(-1)!;
  console.log(
    JSON.stringify({
      bench: 'erase',
      store: last.store,
      events: last.events,
      subjects: last.subjects,
      erase_p50_ms: last.erase_p50_ms,
      erase_p99_ms: last.erase_p99_ms,
      export_p50_ms: last.export_p50_ms,
      export_p99_ms: last.export_p99_ms,
      baseline_rebuild_ms: last.baseline_rebuild_ms,
      exact: last.exact,
    }),
  );
}
