import { createHash } from 'node:crypto';
import { newId, VitrineError } from '@vitrine/contracts';
import { buildModels, type CatalogItem, type Models } from '@vitrine/engine';
import {
  assertPurposesDeclared,
  CODE_PURPOSES,
  type CompiledPolicy,
  compilePolicy,
  noticeText,
  type Policy,
  parsePolicy,
} from '@vitrine/policy';
import type { ItemRow, NoticeRow, ShopRow, Store } from '@vitrine/storage';
import { toInteractions } from './flows/interactions';

export const LANGUAGES = ['de', 'en'] as const;

export interface CurrentNotice {
  id: string;
  version: number;
  scopeHash: string;
  /** The exact text shown and its hash, per language (C10). */
  texts: Record<(typeof LANGUAGES)[number], { text: string; hash: string }>;
}

/** Everything the flows need about one shop, loaded once and kept in memory. */
export interface ShopRuntime {
  shop: ShopRow;
  policy: Policy;
  compiled: CompiledPolicy;
  notice: CurrentNotice;
  models: Models;
  catalog: Map<string, CatalogItem>;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function toCatalogItem(r: ItemRow): CatalogItem {
  return { id: r.id, title: r.title, categoryPath: r.categoryPath, price: r.price, available: r.available };
}

/** Parses a shop's stored policy and checks that it declares every purpose the code uses. */
export function loadShopPolicy(shop: ShopRow): { policy: Policy; compiled: CompiledPolicy } {
  const source = `policy of shop ${shop.id}`;
  const policy = parsePolicy(JSON.parse(shop.policy) as unknown, source);
  assertPurposesDeclared(policy, CODE_PURPOSES, source);
  return { policy, compiled: compilePolicy(policy) };
}

/**
 * Makes sure the notice for the current policy is stored and returns it. The version goes up
 * whenever the text shown changes; whether customers must be asked again is decided by the
 * scope hash (purposes, categories, recipients — C11).
 */
export async function ensureNotice(
  store: Store,
  shopId: string,
  policy: Policy,
  compiled: CompiledPolicy,
  now: number,
): Promise<CurrentNotice> {
  const texts = {} as CurrentNotice['texts'];
  for (const lang of LANGUAGES) {
    const text = noticeText(policy, lang);
    texts[lang] = { text, hash: sha256(text) };
  }
  const latest = await Promise.all(LANGUAGES.map((l) => store.latestNotice(shopId, policy.notice_id, l)));
  const unchanged =
    latest.every((row, i) => row !== undefined && row.textHash === texts[LANGUAGES[i]!].hash) &&
    latest[0]?.scopeHash === compiled.scopeHash &&
    latest.every((row) => row?.version === latest[0]?.version);
  const version = unchanged ? latest[0]!.version : Math.max(0, ...latest.map((r) => r?.version ?? 0)) + 1;
  if (!unchanged) {
    for (const lang of LANGUAGES) {
      const row: NoticeRow = {
        shopId,
        noticeId: policy.notice_id,
        version,
        language: lang,
        text: texts[lang].text,
        textHash: texts[lang].hash,
        scopeHash: compiled.scopeHash,
        createdAt: now,
      };
      await store.putNotice(row);
    }
  }
  return { id: policy.notice_id, version, scopeHash: compiled.scopeHash, texts };
}

/**
 * Builds the aggregate models of a shop from scratch: only events of subjects whose current
 * consent grants `aggregate_models` count (a job; also run at start-up).
 */
export async function rebuildModels(store: Store, shopId: string, catalog: CatalogItem[]): Promise<Models> {
  const subjects = await store.listSubjects(shopId);
  const allowed = new Set(subjects.filter((s) => grantsAggregate(s.purposes, s.paused)).map((s) => s.id));
  const interactions = [];
  for await (const page of store.scanEvents(shopId)) {
    for (const i of toInteractions(page)) if (allowed.has(i.subject)) interactions.push(i);
  }
  return buildModels(catalog, interactions);
}

export function grantsAggregate(purposes: Readonly<Record<string, boolean>>, paused: boolean): boolean {
  return !paused && purposes.aggregate_models === true;
}

export async function loadShopRuntime(store: Store, shop: ShopRow, now: number): Promise<ShopRuntime> {
  const { policy, compiled } = loadShopPolicy(shop);
  const notice = await ensureNotice(store, shop.id, policy, compiled, now);
  const catalog = new Map<string, CatalogItem>();
  for (let after: string | undefined; ; ) {
    const page = await store.listItems(shop.id, { limit: 5000, ...(after ? { after } : {}) });
    for (const r of page) catalog.set(r.id, toCatalogItem(r));
    if (page.length < 5000) break;
    after = page[page.length - 1]!.id;
  }
  const models = await rebuildModels(store, shop.id, [...catalog.values()]);
  return { shop, policy, compiled, notice, models, catalog };
}

export function newShopRow(name: string, policy: Policy, now: number): ShopRow {
  if (name.trim() === '')
    throw new VitrineError('validation_failed', 'A shop needs a name.', { field: 'name' });
  return { id: newId('shop'), name: name.trim(), policy: JSON.stringify(policy), createdAt: now };
}
