import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConsentUpdateRequest, parseEventBatch, RecommendationQuery } from '@vitrine/contracts';
import type { Config } from './config';
import { generateCatalog, generateVisitors } from './demo';
import { upsertShopCatalog } from './flows/catalog';
import { updateConsent } from './flows/consent';
import { recommendFlow } from './flows/recommend';
import { track } from './flows/track';
import type { Vitrine } from './vitrine';

export interface DemoShop {
  shopId: string;
  name: string;
  secretKey: string;
  publicKey: string;
  items: number;
  subjects: number;
  accepted: number;
  dropped: number;
  sampleSubject: string;
}

const DEMO_NAME = 'Beispiel Wohnen & Schenken';

/**
 * Makes sure the demo shop exists: a generated German home-and-gift catalog and a few hundred
 * simulated visitors, sent through the same flows as real traffic (consent, then events), so
 * the consent gate drops what level-0 visitors do. The keys are kept in the data folder —
 * for the demo only, as a real shop's keys are shown once and stored hashed.
 */
export async function seedDemoShop(vitrine: Vitrine, config: Config): Promise<DemoShop> {
  const keyFile = config.store.driver === 'sqlite' ? join(config.store.path, 'demo-shop.json') : undefined;
  if (keyFile && existsSync(keyFile)) {
    const saved = JSON.parse(readFileSync(keyFile, 'utf8')) as DemoShop;
    if (await vitrine.store.shops.get(saved.shopId)) return saved;
  }
  const created = await vitrine.createShop(DEMO_NAME);
  const rt = await vitrine.shop(created.shopId);
  const now = vitrine.now();
  const { deps } = vitrine;
  const catalog = generateCatalog(1);
  const stored = await upsertShopCatalog(
    deps,
    rt,
    catalog.map((raw, index) => ({ index, raw })),
    { strict: true },
  );

  const { subjects, events } = generateVisitors(catalog, { seed: 1, now });
  for (const s of subjects) {
    if (s.level === 0 && !s.gpc) continue;
    await updateConsent(
      deps,
      rt,
      s.id,
      ConsentUpdateRequest.parse({
        level: s.level,
        notice_version: rt.notice.version,
        language: 'de',
        method: s.level === 0 ? 'reject' : 'accept',
      }),
      { gpc: s.gpc },
    );
  }
  let accepted = 0;
  let dropped = 0;
  for (let i = 0; i < events.length; i += 1000) {
    const r = await track(deps, rt, parseEventBatch({ events: events.slice(i, i + 1000) }, now));
    accepted += r.accepted;
    dropped += r.dropped;
  }
  // Sessions of level-1 visitors that have already ended are deleted now by a pass of the
  // retention job, so the figures printed are what is kept.
  const retention = (await vitrine.runRetention()) ?? { endedSessionEvents: 0, expiredEvents: 0 };
  // The sample customer for the printed curl: one whose "for you" shows their own history.
  let sample = subjects.find((s) => s.level >= 2 && !s.gpc) ?? subjects[0]!;
  for (const s of subjects) {
    if (s.level < 2 || s.gpc) continue;
    const r = await recommendFlow(deps, rt, RecommendationQuery.parse({ subject_id: s.id, limit: 5 }), s.id);
    if (r.items.filter((i) => i.reasons.some((reason) => reason.category !== null)).length >= 3) {
      sample = s;
      break;
    }
  }
  const demo: DemoShop = {
    ...created,
    items: stored.upserted,
    subjects: subjects.length,
    accepted: accepted - retention.endedSessionEvents - retention.expiredEvents,
    dropped,
    sampleSubject: sample.id,
  };
  if (keyFile) writeFileSync(keyFile, `${JSON.stringify(demo, null, 2)}\n`, { mode: 0o600 });
  return demo;
}
